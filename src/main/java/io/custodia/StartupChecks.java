package io.custodia;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Checks the settings before anything uses them, in the spirit of HikariCP: fail at start with a message
 * that names the setting and how to fix it, never later with a stack trace.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(CustodiaProperties.class)
class StartupChecks {

	private static final Logger log = LoggerFactory.getLogger(StartupChecks.class);

	/** The time source of every rule, deadline and expiry; fixed for demos and tests, never slept on. */
	@Bean
	Clock clock(CustodiaProperties properties) {
		try {
			return properties.fixedClock().map(instant -> {
				log.warn("The clock is fixed at {} (custodia.clock); retention and deadlines will not move.", instant);
				return Clock.fixed(instant, ZoneOffset.UTC);
			}).orElse(Clock.systemUTC());
		}
		catch (DateTimeParseException ex) {
			throw new InvalidConfigurationException("custodia.clock", "'" + properties.clock() + "' is not an instant",
					"Write it as an ISO-8601 instant in UTC, e.g. custodia.clock=2026-01-15T09:00:00Z, or remove it to use the system clock.");
		}
	}

	@Bean
	DataDirectory dataDirectory(CustodiaProperties properties, Environment environment) {
		String url = environment.getProperty("spring.datasource.url", "");
		Path dir = properties.dataDir().toAbsolutePath().normalize();
		if (url.startsWith("jdbc:h2:file:")) {
			try {
				Files.createDirectories(dir);
			}
			catch (IOException ex) {
				throw new InvalidConfigurationException("custodia.data-dir", "cannot create " + dir + " (" + ex.getMessage() + ")",
						"Point custodia.data-dir (or --data-dir) at a directory this user may create and write.");
			}
			if (!Files.isWritable(dir)) {
				throw new InvalidConfigurationException("custodia.data-dir", dir + " is not writable",
						"Give this user write access to it, or point custodia.data-dir (or --data-dir) elsewhere.");
			}
			log.info("Embedded database under {}", dir);
		}
		else if (url.isBlank()) {
			throw new InvalidConfigurationException("spring.datasource.url", "no database is configured",
					"Remove the empty spring.datasource.url to use the embedded database, or set a jdbc:postgresql:// URL.");
		}
		return new DataDirectory(dir);
	}

	/** The database is opened only after its directory has been checked, so a bad path is reported as such. */
	@Bean
	static BeanFactoryPostProcessor dataSourceAfterDataDirectory() {
		return factory -> {
			if (factory.containsBeanDefinition("dataSource")) {
				var definition = factory.getBeanDefinition("dataSource");
				var dependsOn = new java.util.ArrayList<String>();
				if (definition.getDependsOn() != null) {
					dependsOn.addAll(java.util.List.of(definition.getDependsOn()));
				}
				dependsOn.add("dataDirectory");
				definition.setDependsOn(dependsOn.toArray(String[]::new));
			}
		};
	}

	/** Where Custodia keeps files of its own. */
	record DataDirectory(Path path) {
	}
}

package io.custodia.tenancy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.core.annotation.Order;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.stereotype.Component;

/**
 * In demo mode, the example policies shipped in the jar become tenants named after their files
 * ({@code imengine}, {@code imig}, {@code imk}). Loading again publishes only versions not yet there.
 */
@Component
@ConditionalOnBooleanProperty("custodia.demo")
@Order(0) // first: the demo data module (io.custodia.demo, @Order(1)) stores records under these tenants' policies
class DemoTenants implements ApplicationRunner {

	private static final Logger log = LoggerFactory.getLogger(DemoTenants.class);

	static final String LOCATION = "classpath*:demo/policies/*.yaml";

	private final TenantManagement tenants;

	private final Tenants store;

	DemoTenants(TenantManagement tenants, Tenants store) {
		this.tenants = tenants;
		this.store = store;
	}

	@Override
	public void run(ApplicationArguments args) throws IOException {
		for (Resource resource : new PathMatchingResourcePatternResolver().getResources(LOCATION)) {
			String file = resource.getFilename();
			String id = file.substring(0, file.lastIndexOf('.'));
			String source = read(resource);
			if (!store.exists(id)) {
				tenants.create(id, file, source);
				log.info("Demo tenant '{}' created from {}", id, file);
			}
			else if (!store.hasVersion(id, io.custodia.policy.Policies.parse(file, source).orThrow().version())) {
				tenants.publish(id, file, source);
				log.info("Demo tenant '{}': new policy version published from {}", id, file);
			}
		}
	}

	private static String read(Resource resource) {
		try {
			return resource.getContentAsString(StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}
}

package io.custodia.keys;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

import io.custodia.CustodiaProperties;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(KeysProperties.class)
class KeysConfiguration {

	@Bean
	RootKey rootKey(KeysProperties keys, CustodiaProperties custodia, Environment environment) {
		boolean embedded = environment.getProperty("spring.datasource.url", "").startsWith("jdbc:h2:");
		return RootKey.load(keys, custodia.dataDir(), embedded);
	}
}

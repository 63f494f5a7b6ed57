package io.custodia.vault;

import java.nio.file.Path;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(VaultProperties.class)
class VaultConfiguration {

	/** The local disk store unless another {@link BlobStore} bean (an object store) is configured. */
	@Bean
	@ConditionalOnMissingBean(BlobStore.class)
	LocalDiskBlobStore localDiskBlobStore(VaultProperties properties, @Value("${custodia.data-dir}") Path dataDir) {
		return new LocalDiskBlobStore(properties.dir() != null ? properties.dir() : dataDir.resolve("vault"));
	}
}

package io.custodia.vault;

import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.tomcat.ConfigurableTomcatWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Tomcat reads a request body from the socket in pieces the size of its application read buffer, 8 KiB by
 * default: a gigabyte upload would take a hundred thousand reads, each a possible hand-over between threads.
 * A larger buffer ({@code custodia.vault.upload-read-buffer}, default 64KB) lets each read take what the kernel
 * already holds. It costs that much heap per open connection.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(ConfigurableTomcatWebServerFactory.class)
class UploadBuffers {

	@Bean
	WebServerFactoryCustomizer<ConfigurableTomcatWebServerFactory> vaultUploadReadBuffer(VaultProperties properties) {
		int bytes = (int) properties.uploadReadBuffer().toBytes();
		return factory -> factory.addConnectorCustomizers(connector -> connector.setProperty("socket.appReadBufSize",
				Integer.toString(bytes)));
	}
}

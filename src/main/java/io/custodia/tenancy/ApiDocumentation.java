package io.custodia.tenancy;

import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;

/**
 * The OpenAPI document ({@code /v3/api-docs}, public) says what {@link ApiSecurity} enforces: every operation of
 * the API needs an API key as a bearer token. Without this, generated clients would not know to send one.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
class ApiDocumentation {

	static final String BEARER = "bearer";

	@Bean
	OpenAPI custodiaOpenApi() {
		String version = ApiDocumentation.class.getPackage().getImplementationVersion();
		return new OpenAPI()
			.info(new Info().title("Custodia API")
				.version(version == null ? "development" : version)
				.description("Privacy notices (/notices/{tenant}/{lang}) are public. Everything under /api needs an API key, "
						+ "sent as Authorization: Bearer cst_<id>_<secret>; the key decides the tenant and what its role may do. "
						+ "Problems are answered as application/problem+json (RFC 9457)."))
			.components(new Components().addSecuritySchemes(BEARER, new SecurityScheme().type(SecurityScheme.Type.HTTP)
				.scheme("bearer")
				.bearerFormat("cst_<id>_<secret>")
				.description("An API key issued by custodia tenant create or tenant issue-key; shown once, when issued.")))
			.addSecurityItem(new SecurityRequirement().addList(BEARER));
	}
}

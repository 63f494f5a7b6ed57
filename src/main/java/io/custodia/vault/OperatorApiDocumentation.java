package io.custodia.vault;

import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;

/** The operator endpoints ask for an operator key in the OpenAPI document, not a tenant's API key. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
class OperatorApiDocumentation {

	static final String OPERATOR = "operator";

	@Bean
	OpenApiCustomizer operatorKeys() {
		return openApi -> {
			if (openApi.getComponents() == null) {
				openApi.setComponents(new Components());
			}
			openApi.getComponents()
				.addSecuritySchemes(OPERATOR, new SecurityScheme().type(SecurityScheme.Type.HTTP)
					.scheme("bearer")
					.bearerFormat("cso_<id>_<secret>")
					.description("An operator key issued by custodia operator add; opens /api/v1/operator only."));
			if (openApi.getPaths() == null) {
				return;
			}
			openApi.getPaths().forEach((path, item) -> {
				if (path.startsWith("/api/v1/operator/")) {
					item.readOperations().forEach(operation -> {
						operation.setSecurity(new java.util.ArrayList<>());
						operation.addSecurityItem(new SecurityRequirement().addList(OPERATOR));
					});
				}
			});
		};
	}
}

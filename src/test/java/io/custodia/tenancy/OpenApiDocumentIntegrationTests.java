package io.custodia.tenancy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.custodia.CustodiaApplication;
import io.custodia.TestSettings;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/** The OpenAPI document a client generator reads: public, complete, and saying how to authenticate. */
@SpringBootTest(classes = CustodiaApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class OpenApiDocumentIntegrationTests {

	@DynamicPropertySource
	static void isolated(DynamicPropertyRegistry registry) {
		TestSettings.isolate(registry);
	}

	@LocalServerPort
	int port;

	HttpResponse<String> apiDocs() throws Exception {
		var request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/v3/api-docs")).build();
		return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
	}

	JsonNode document() throws Exception {
		return JsonMapper.shared().readTree(apiDocs().body());
	}

	@Test
	void theDocumentIsServedAsJsonWithoutAnApiKey() throws Exception {
		var response = apiDocs();

		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
		JsonNode document = JsonMapper.shared().readTree(response.body());
		assertThat(document.get("openapi").asString()).startsWith("3.");
		assertThat(document.get("info").get("title").asString()).isEqualTo("Custodia API");
	}

	@Test
	void everyPersonalDataAndRetentionEndpointIsNamed() throws Exception {
		assertThat(document().get("paths").propertyNames()).contains("/api/v1/subjects", "/api/v1/subjects/{subjectId}",
				"/api/v1/subjects/{subjectId}/records", "/api/v1/records/{recordId}", "/api/v1/records/{recordId}/facts",
				"/api/v1/records/{recordId}/restriction", "/api/v1/deidentified-records", "/api/v1/holds", "/api/v1/holds/{holdId}",
				"/api/v1/retention/runs",
				"/api/v1/retention/reviews");
	}

	@Test
	void everyOperationAsksForTheBearerApiKey() throws Exception {
		JsonNode document = document();

		JsonNode scheme = document.get("components").get("securitySchemes").get("bearer");
		assertThat(scheme.get("type").asString()).isEqualTo("http");
		assertThat(scheme.get("scheme").asString()).isEqualTo("bearer");
		assertThat(scheme.get("bearerFormat").asString()).isEqualTo("cst_<id>_<secret>");
		assertThat(document.get("security").get(0).has("bearer")).isTrue();
		// the requirement is global, which is right only while the document holds nothing but the API
		assertThat(document.get("paths").propertyNames()).allMatch(path -> path.startsWith("/api/"));
	}
}

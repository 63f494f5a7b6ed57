package io.custodia.web;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

import io.custodia.CustodiaApplication;
import io.custodia.Examples;
import io.custodia.TestSettings;
import io.custodia.tenancy.ApiKeys;
import io.custodia.tenancy.Role;
import io.custodia.tenancy.TenantManagement;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A request the database refuses for a reason that is the service's fault (here an endpoint of this test's own
 * that fails as a missing length check would): a 500 problem+json with a reference the log has too, and neither
 * the answer nor the log repeats the database's message, which quotes the value. The same for any other fault
 * nothing else answers ({@code UnexpectedProblems}).
 */
@SpringBootTest(classes = { CustodiaApplication.class, DatabaseProblemsIntegrationTests.Refusing.class },
		webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ExtendWith(OutputCaptureExtension.class)
class DatabaseProblemsIntegrationTests {

	static final String VALUE = "Zyxwvu Qwertyson, 12 Secret Lane";

	@DynamicPropertySource
	static void isolated(DynamicPropertyRegistry registry) {
		TestSettings.isolate(registry);
	}

	@TestConfiguration(proxyBeanMethods = false)
	static class Refusing {

		@Bean
		RefusingApi refusingApi() {
			return new RefusingApi();
		}
	}

	@RestController
	static class RefusingApi {

		@PostMapping("/api/v1/test-only/refused")
		void refused() {
			throw new DataIntegrityViolationException("Value too long for column \"REFERENCE CHARACTER VARYING(200)\": '"
					+ VALUE + "'", new java.sql.SQLDataException("Value too long: '" + VALUE + "'", "22001"));
		}

		@PostMapping("/api/v1/test-only/failed")
		void failed() {
			throw new IllegalStateException("cannot format the address '" + VALUE + "'",
					new java.io.UncheckedIOException(new java.io.IOException("while writing '" + VALUE + "'")));
		}

		@PostMapping("/api/v1/test-only/cut")
		void cut(jakarta.servlet.http.HttpServletResponse response) throws java.io.IOException {
			response.setContentType("application/octet-stream");
			response.setContentLength(1000);
			response.getOutputStream().write(new byte[100]);
			response.flushBuffer();
			throw new IllegalStateException("the stored file of '" + VALUE + "' is damaged");
		}

		@PostMapping("/api/v1/test-only/forbidden")
		void forbidden() {
			throw new org.springframework.security.access.AccessDeniedException("role may not do this");
		}
	}

	@LocalServerPort
	int port;

	@Autowired
	TenantManagement tenants;

	@Autowired
	ApiKeys apiKeys;

	@Test
	void aRequestTheDatabaseRefusesIsAProblemWithAReferenceThatNeitherItNorTheLogQuotesTheValueOf(CapturedOutput output)
			throws Exception {
		String reference = internalError(post("/api/v1/test-only/refused"), "DataIntegrityViolationException");
		assertThat(output.getAll()).contains("reference " + reference + ": DataIntegrityViolationException (SQL state 22001)")
			.contains("DatabaseProblemsIntegrationTests$RefusingApi.refused")
			.doesNotContain(VALUE);
	}

	@Test
	void anyOtherFaultOfTheServiceIsAProblemWithAReferenceAndTheLogNamesWhereItHappenedWithoutItsMessage(CapturedOutput output)
			throws Exception {
		String reference = internalError(post("/api/v1/test-only/failed"), "IllegalStateException");
		assertThat(output.getAll()).contains("reference " + reference + ": java.lang.IllegalStateException at ")
			.contains("DatabaseProblemsIntegrationTests$RefusingApi.failed")
			.contains("caused by java.io.UncheckedIOException")
			.doesNotContain(VALUE);
	}

	@Test
	void anAnswerThatFailsAfterItStartedIsCutShortForTheClientAndTheLogStillQuotesNothing(CapturedOutput output) {
		assertThatThrownBy(() -> post("/api/v1/test-only/cut")).as("the client sees the answer cut short")
			.isInstanceOf(java.io.IOException.class);
		assertThat(output.getAll()).contains("POST /api/v1/test-only/cut failed unexpectedly, reference ")
			.contains("DatabaseProblemsIntegrationTests$RefusingApi.cut")
			.doesNotContain(VALUE);
	}

	@Test
	void aRoleRefusedStaysA403ForTheSecurityFiltersToAnswer() throws Exception {
		var answer = post("/api/v1/test-only/forbidden");

		assertThat(answer.statusCode()).isEqualTo(403);
		assertThat(answer.headers().firstValue("Content-Type")).hasValueSatisfying(
				type -> assertThat(type).startsWith("application/problem+json"));
	}

	/** A 500 problem+json naming the kind of error and a reference, quoting neither the value nor a stack; its reference. */
	private static String internalError(HttpResponse<String> answer, String kind) throws Exception {
		assertThat(answer.statusCode()).isEqualTo(500);
		assertThat(answer.headers().firstValue("Content-Type")).hasValueSatisfying(
				type -> assertThat(type).startsWith("application/problem+json"));
		var problem = JsonMapper.shared().readTree(answer.body());
		String reference = problem.get("reference").asString();
		assertThat(problem.get("title").asString()).isEqualTo("Internal error");
		assertThat(problem.get("detail").asString()).contains(kind, reference);
		assertThat(answer.body()).doesNotContain(VALUE).doesNotContain("at io.custodia");
		return reference;
	}

	private HttpResponse<String> post(String path) throws Exception {
		String tenant = "d" + UUID.randomUUID().toString().substring(0, 8);
		tenants.create(tenant, "imengine.yaml", Examples.text("imengine"));
		String key = apiKeys.issue(tenant, Role.TENANT_ADMIN, "test").token();
		return HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
				.POST(HttpRequest.BodyPublishers.noBody())
				.header("Authorization", "Bearer " + key)
				.build(), HttpResponse.BodyHandlers.ofString());
	}
}

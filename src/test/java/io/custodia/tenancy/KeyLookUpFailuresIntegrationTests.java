package io.custodia.tenancy;

import java.nio.file.Path;
import java.time.Clock;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The API key is looked up in a servlet filter, before any controller and so before the API's exception handlers:
 * when the database fails there, the filter answers as the API does (problem+json, 503 with Retry-After when the
 * database cannot be reached, 500 with a reference otherwise), the request goes no further, and neither the answer
 * nor the log repeats the database's message. Real H2 databases: one that does not exist, one without the table.
 */
@ExtendWith(OutputCaptureExtension.class)
class KeyLookUpFailuresIntegrationTests {

	static final String TOKEN = "cst_0123456789abcdef_secretpartofthekeythatnobodyshouldsee";

	@Test
	void aKeyPresentedWhileTheDatabaseCannotBeReachedIsAnswered503AndTheRequestGoesNoFurther(@TempDir Path dir,
			CapturedOutput output) throws Exception {
		// IFEXISTS: H2 refuses to open a database that is not there, as a server that is down refuses a connection
		var gone = new DriverManagerDataSource("jdbc:h2:file:" + dir.resolve("gone") + ";IFEXISTS=TRUE", "sa", "");
		var chain = new MockFilterChain();

		var response = filter(gone, chain);

		assertThat(response.getStatus()).isEqualTo(503);
		assertThat(response.getHeader("Retry-After")).isEqualTo("1");
		assertThat(response.getContentType()).startsWith("application/problem+json");
		var problem = JsonMapper.shared().readTree(response.getContentAsString());
		assertThat(problem.get("retry_after_seconds").asInt()).isEqualTo(1);
		assertThat(problem.get("detail").asString()).contains("nothing of this request was done");
		assertThat(chain.getRequest()).as("the request must not reach the API").isNull();
		assertThat(lookUpLines(output)).hasSize(1).first(org.assertj.core.api.InstanceOfAssertFactories.STRING)
			.contains("GET /api/v1/subjects: the key could not be looked up", "CannotGetJdbcConnectionException")
			.doesNotContain("gone")
			.doesNotContain(TOKEN.substring(21));
		assertThat(response.getContentAsString()).doesNotContain(dir.toString());
	}

	@Test
	void aKeyLookUpTheDatabaseRefusesIsAnswered500WithAReferenceTheLogCarriesWithoutTheDatabasesMessage(
			CapturedOutput output) throws Exception {
		var empty = new DriverManagerDataSource("jdbc:h2:mem:nokeys" + System.nanoTime(), "sa", "");
		var chain = new MockFilterChain();

		var response = filter(empty, chain);

		assertThat(response.getStatus()).isEqualTo(500);
		var problem = JsonMapper.shared().readTree(response.getContentAsString());
		String reference = problem.get("reference").asString();
		assertThat(problem.get("detail").asString()).contains("BadSqlGrammarException", reference);
		assertThat(chain.getRequest()).isNull();
		// H2's message names the statement ("Table \"API_KEY\" not found"), which is the database's, not the user's
		assertThat(response.getContentAsString()).doesNotContainIgnoringCase("api_key");
		assertThat(lookUpLines(output)).hasSize(1).first(org.assertj.core.api.InstanceOfAssertFactories.STRING)
			.contains("reference " + reference + ": BadSqlGrammarException (SQL state 42S04)")
			.doesNotContainIgnoringCase("api_key")
			.doesNotContain("secret_hash");
	}

	/**
	 * The service's own lines about the failure. Not the whole output: run alone, before any Spring Boot test has set
	 * the log levels, Logback logs at DEBUG and JdbcTemplate's own lines show the statement.
	 */
	private static java.util.List<String> lookUpLines(CapturedOutput output) {
		return output.getAll().lines().filter(line -> line.contains("the key could not be looked up")).toList();
	}

	private static MockHttpServletResponse filter(javax.sql.DataSource dataSource, MockFilterChain chain) throws Exception {
		var filter = new ApiSecurity.ApiKeyFilter(new ApiKeys(JdbcClient.create(dataSource), Clock.systemUTC(), null));
		var request = new MockHttpServletRequest("GET", "/api/v1/subjects");
		request.addHeader("Authorization", "Bearer " + TOKEN);
		var response = new MockHttpServletResponse();
		filter.doFilter(request, response, chain);
		return response;
	}
}

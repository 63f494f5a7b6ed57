package io.custodia.vault;

import java.nio.file.Path;
import java.time.Clock;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An operator key is looked up in a filter of its own; when the database cannot be reached it answers as the
 * tenants' key filter does (tenancy's {@code KeyLookUpFailuresIntegrationTests}): 503 problem+json, and the request
 * goes no further.
 */
class OperatorKeyLookUpIntegrationTests {

	@Test
	void anOperatorKeyPresentedWhileTheDatabaseCannotBeReachedIsAnswered503(@TempDir Path dir) throws Exception {
		var gone = new DriverManagerDataSource("jdbc:h2:file:" + dir.resolve("gone") + ";IFEXISTS=TRUE", "sa", "");
		var filter = new OperatorSecurity.OperatorKeyFilter(new Operators(JdbcClient.create(gone), Clock.systemUTC()));
		var request = new MockHttpServletRequest("GET", "/api/v1/operator/tenants");
		request.addHeader("Authorization", "Bearer cso_0123456789abcdef_secretpartofthekey");
		var response = new MockHttpServletResponse();
		var chain = new MockFilterChain();

		filter.doFilter(request, response, chain);

		assertThat(response.getStatus()).isEqualTo(503);
		assertThat(response.getHeader("Retry-After")).isEqualTo("1");
		assertThat(response.getContentType()).startsWith("application/problem+json");
		assertThat(response.getContentAsString()).contains("\"retry_after_seconds\":1").doesNotContain(dir.toString());
		assertThat(chain.getRequest()).isNull();
	}
}

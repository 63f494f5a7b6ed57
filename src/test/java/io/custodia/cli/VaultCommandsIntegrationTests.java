package io.custodia.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code custodia operator} and {@code custodia vault quota} on a data directory of the test's own. */
class VaultCommandsIntegrationTests {

	@TempDir
	Path dir;

	record Run(int code, String out, String err) {
	}

	Run custodia(String... args) {
		var all = new ArrayList<>(List.of(args));
		all.addAll(List.of("--data-dir", dir.resolve("data").toString(), "--custodia.keys.root=" + dir.resolve("root.json")));
		var out = new StringWriter();
		var err = new StringWriter();
		int code = Cli.run(new PrintWriter(out, true), new PrintWriter(err, true), all.toArray(String[]::new));
		return new Run(code, out.toString(), err.toString());
	}

	@Test
	void anOperatorKeyIsIssuedOnceAndATenantsQuotaIsSetAndShown() {
		Run operator = custodia("operator", "add", "--label", "support team");
		assertThat(operator.code()).as(operator.err()).isZero();
		assertThat(operator.out()).containsPattern("operator key .*cso_[0-9a-f]{16}_");

		assertThat(custodia("tenant", "create", "acme", "--policy", "examples/policies/imengine.yaml").code()).isZero();
		Run quota = custodia("vault", "quota", "acme", "--bytes", "50MB", "--files", "20");
		assertThat(quota.code()).as(quota.err()).isZero();
		assertThat(quota.out()).contains("acme: 0 of 52428800 bytes, 0 of 20 files");

		Run unknown = custodia("vault", "quota", "nobody");
		assertThat(unknown.code()).isEqualTo(1);
		assertThat(unknown.err()).contains("no tenant 'nobody'");
	}
}

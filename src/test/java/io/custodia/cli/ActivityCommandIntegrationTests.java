package io.custodia.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.custodia.Examples;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code custodia activity import} and {@code activity expire} on an embedded database of their own. */
class ActivityCommandIntegrationTests {

	@TempDir
	Path dir;

	record Run(int code, String out, String err) {
	}

	static Run custodia(String... args) {
		var out = new StringWriter();
		var err = new StringWriter();
		int code = Cli.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
		return new Run(code, out.toString(), err.toString());
	}

	@Test
	void importingJsonLinesStoresPseudonymsAndReportsEveryBadLineByNumber() throws Exception {
		String data = dir.resolve("data").toString();
		String root = "--custodia.keys.root=" + dir.resolve("keys/root-keyset.json");
		String clock = "--custodia.clock=2026-01-15T12:00:00Z";
		assertThat(custodia("tenant", "create", "hub", "--policy", Examples.file("imk").toString(), "--data-dir", data, root, clock)
			.code()).isZero();
		Path file = dir.resolve("events.jsonl");
		Files.writeString(file, """
				{"type": "login", "at": "2026-01-12T08:00:00Z", "user_name": "Kli.Tester", "ip_address": "198.51.100.42", "browser_name": "Edge", "browser_version": "131"}
				{"type": "product_start", "at": "2026-01-12T08:05:00Z", "user_name": "kli.tester", "host_name": "kli-host", "product": "ema Work Designer"}

				{"type": "product_end", "at": "2026-01-12T09:05:00Z", "user_name": "kli.tester", "mac_address": "not-a-mac", "product": "ema Work Designer"}
				""", StandardCharsets.UTF_8);
		Run example = custodia("activity", "import", "--tenant", "hub", "examples/activity/events.jsonl", "--data-dir", data, root, clock);
		assertThat(example.code()).as("the example of docs/operations.md: " + example.err()).isZero();
		assertThat(example.out()).contains("4 events, 4 stored pseudonymised, 0 with errors");
		Run imported = custodia("activity", "import", "--tenant", "hub", file.toString(), "--data-dir", data, root, clock);
		assertThat(imported.code()).as(imported.err()).isEqualTo(1);
		assertThat(imported.out()).contains(file + ": 3 events, 2 stored pseudonymised, 1 with errors");
		assertThat(imported.err()).contains(file + ":4:1: error: mac_address: is not a MAC address of six bytes")
			.doesNotContain("not-a-mac");
		Run expired = custodia("activity", "expire", "--tenant", "hub", "--data-dir", data, root,
				"--custodia.clock=2026-08-01T12:00:00Z");
		assertThat(expired.code()).as(expired.err()).isZero();
		assertThat(expired.out()).contains("tenant hub: retention P6M, 6 events made anonymous, period keys destroyed: 2026-01");
	}
}

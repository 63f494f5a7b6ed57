package io.custodia;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.custodia.cli.Cli;

import static org.assertj.core.api.Assertions.assertThat;

/** The README's command-line examples run as written (serve is covered by the service tests). */
class ReadmeExamplesUnitTests {

	static List<String> policyCommands() throws IOException {
		return Files.readAllLines(Path.of("README.md"), StandardCharsets.UTF_8)
			.stream()
			.filter(line -> line.startsWith("bin/custodia policy "))
			.toList();
	}

	@Test
	void theReadmeShowsEveryPolicyCommand() throws IOException {
		assertThat(policyCommands()).anyMatch(c -> c.contains(" check "))
			.anyMatch(c -> c.contains(" notice "))
			.anyMatch(c -> c.contains(" ropa "))
			.anyMatch(c -> c.contains(" diff "))
			.anyMatch(c -> c.contains(" schema"));
	}

	@ParameterizedTest
	@MethodSource("policyCommands")
	void eachPolicyCommandOfTheReadmeSucceeds(String command) {
		String[] args = Arrays.stream(command.substring("bin/custodia ".length()).split(" +")).toArray(String[]::new);
		var out = new StringWriter();
		var err = new StringWriter();
		int code = Cli.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
		assertThat(code).as(err.toString()).isZero();
		assertThat(out.toString()).isNotBlank();
	}

	/** The tenant commands of "Trying it out", in order, on a data directory of the test's own. */
	@Test
	void theTenantCommandsOfTheReadmeCreateATenantAndIssueKeys(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
		List<String> commands = Files.readAllLines(Path.of("README.md"), StandardCharsets.UTF_8)
			.stream()
			.filter(line -> line.startsWith("bin/custodia tenant "))
			.map(line -> line.replaceAll("\\s+#.*$", ""))
			.toList();
		assertThat(commands).hasSize(2);
		for (String command : commands) {
			var args = new java.util.ArrayList<>(Arrays.asList(command.substring("bin/custodia ".length()).split(" +")));
			args.addAll(List.of("--data-dir", dir.resolve("data").toString(), "--custodia.keys.root=" + dir.resolve("root.json")));
			var out = new StringWriter();
			var err = new StringWriter();
			int code = Cli.run(new PrintWriter(out, true), new PrintWriter(err, true), args.toArray(String[]::new));
			assertThat(code).as(command + ": " + err).isZero();
			assertThat(out.toString()).containsPattern("API key .*cst_[0-9a-f]{16}_");
		}
	}

	@Test
	void theReadmeTestCommandIsWhatCiRuns() throws IOException {
		String readme = Files.readString(Path.of("README.md"), StandardCharsets.UTF_8);
		String ci = Files.readString(Path.of(".ci", "run"), StandardCharsets.UTF_8);
		assertThat(readme).contains("./mvnw -B verify");
		assertThat(ci).contains("./mvnw -B verify");
	}
}

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

	@Test
	void theReadmeTestCommandIsWhatCiRuns() throws IOException {
		String readme = Files.readString(Path.of("README.md"), StandardCharsets.UTF_8);
		String ci = Files.readString(Path.of(".ci", "run"), StandardCharsets.UTF_8);
		assertThat(readme).contains("./mvnw -B verify");
		assertThat(ci).contains("./mvnw -B verify");
	}
}

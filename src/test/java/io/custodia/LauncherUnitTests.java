package io.custodia;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/custodia}, the command the README and the operations guide start everything with: which JVM options it
 * hands to {@code java}. Run on a copy of the script beside a jar that is up to date (so that it builds nothing) and
 * a {@code java} on the path that prints what it was given. Not on Windows, where the launcher (a POSIX shell script)
 * does not run either.
 */
@DisabledOnOs(OS.WINDOWS)
class LauncherUnitTests {

	@TempDir
	Path root;

	@BeforeEach
	void copyTheLauncherBesideAJarAndAJavaThatEchoes() throws IOException {
		Files.createDirectories(root.resolve("bin"));
		Files.copy(Path.of("bin/custodia"), root.resolve("bin/custodia"));
		Files.createDirectories(root.resolve("target"));
		Files.writeString(root.resolve("target/custodia.jar"), "");
		Path java = root.resolve("stub/java");
		Files.createDirectories(java.getParent());
		Files.writeString(java, "#!/bin/sh\necho \"$@\"\n");
		Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
	}

	@Test
	void anImportRunsUnderTheThroughputCollector() throws Exception {
		assertThat(launch(Map.of(), "import", "--tenant", "acme", "records.jsonl"))
			.isEqualTo("-XX:+UseParallelGC -jar " + root.resolve("target/custodia.jar") + " import --tenant acme records.jsonl");
	}

	@Test
	void theServiceKeepsTheJvmsDefaultCollector() throws Exception {
		assertThat(launch(Map.of(), "serve", "--demo")).isEqualTo("-jar " + root.resolve("target/custodia.jar") + " serve --demo");
	}

	@Test
	void aCollectorNamedInTheJavaOptionsWinsAndTheOtherOptionsPassThrough() throws Exception {
		assertThat(launch(Map.of("CUSTODIA_JAVA_OPTS", "-Xmx2g -XX:+UseG1GC"), "retention", "run", "--tenant", "acme"))
			.isEqualTo("-Xmx2g -XX:+UseG1GC -jar " + root.resolve("target/custodia.jar") + " retention run --tenant acme");
		assertThat(launch(Map.of("CUSTODIA_JAVA_OPTS", "-Xmx2g"), "audit", "verify", "--tenant", "acme"))
			.isEqualTo("-XX:+UseParallelGC -Xmx2g -jar " + root.resolve("target/custodia.jar") + " audit verify --tenant acme");
		assertThat(launch(Map.of("CUSTODIA_JAVA_OPTS", "-Xmx1g"), "serve"))
			.isEqualTo("-Xmx1g -jar " + root.resolve("target/custodia.jar") + " serve");
	}

	/** What the launcher handed to {@code java}. */
	private String launch(Map<String, String> environment, String... arguments) throws Exception {
		var command = new java.util.ArrayList<>(List.of("sh", root.resolve("bin/custodia").toString()));
		command.addAll(List.of(arguments));
		var builder = new ProcessBuilder(command).redirectErrorStream(true);
		builder.environment().remove("CUSTODIA_JAVA_OPTS");
		builder.environment().putAll(environment);
		builder.environment().put("PATH", root.resolve("stub") + ":" + System.getenv("PATH"));
		Process process = builder.start();
		assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("the launcher finished").isTrue();
		String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
		assertThat(process.exitValue()).as(out).isZero();
		return out;
	}
}

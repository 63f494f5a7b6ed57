package io.custodia;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.diagnostics.FailureAnalysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/** A wrong setting stops the start with a message that names it and says how to fix it. */
class StartupChecksIntegrationTests {

	@TempDir
	Path dir;

	@Test
	void aClockThatIsNotAnInstantIsRejectedWithTheFormatToUse() {
		FailureAnalysis analysis = startWith("--custodia.clock=next tuesday", "--custodia.data-dir=" + dir.resolve("data"),
				"--custodia.keys.root=" + dir.resolve("keys/root.json"));
		assertThat(analysis.getDescription()).contains("custodia.clock").contains("'next tuesday' is not an instant");
		assertThat(analysis.getAction()).contains("custodia.clock=2026-01-15T09:00:00Z");
	}

	@Test
	void aDataDirectoryThatCannotBeCreatedIsRejectedBeforeTheDatabaseOpens() throws IOException {
		Path file = Files.writeString(dir.resolve("not-a-directory"), "x");
		FailureAnalysis analysis = startWith("--custodia.data-dir=" + file.resolve("data"),
				"--custodia.keys.root=" + dir.resolve("keys/root.json"));
		assertThat(analysis.getDescription()).contains("custodia.data-dir").contains("cannot create");
		assertThat(analysis.getAction()).contains("--data-dir");
	}

	private static FailureAnalysis startWith(String... args) {
		var application = new SpringApplication(CustodiaApplication.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		Throwable failure = catchThrowable(() -> application.run(args).close());
		assertThat(failure).isNotNull();
		Throwable cause = failure;
		while (cause != null && !(cause instanceof InvalidConfigurationException)) {
			cause = cause.getCause();
		}
		assertThat(cause).as("an InvalidConfigurationException in " + failure).isInstanceOf(InvalidConfigurationException.class);
		return new InvalidConfigurationFailureAnalyzer().analyze(failure);
	}
}

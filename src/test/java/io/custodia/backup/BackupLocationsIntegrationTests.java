package io.custodia.backup;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;

import io.custodia.CustodiaApplication;
import io.custodia.InvalidConfigurationException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/** The erasure ledger may not sit where a copy of the data or a backup would take it along. */
class BackupLocationsIntegrationTests {

	@TempDir
	Path dir;

	@Test
	void aLedgerInsideTheDataDirectoryStopsTheStart() {
		var application = new SpringApplication(CustodiaApplication.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		Throwable failure = catchThrowable(() -> application.run("--custodia.data-dir=" + dir.resolve("data"),
				"--custodia.keys.root=" + dir.resolve("keys/root.json"),
				"--custodia.erasure-ledger.file=" + dir.resolve("data/ledger.log"), "--custodia.backup.schedule=-").close());
		Throwable cause = failure;
		while (cause != null && !(cause instanceof InvalidConfigurationException)) {
			cause = cause.getCause();
		}
		assertThat(cause).as(String.valueOf(failure)).isInstanceOf(InvalidConfigurationException.class);
		assertThat(((InvalidConfigurationException) cause).property()).isEqualTo("custodia.erasure-ledger.file");
		assertThat(cause.getMessage()).contains("inside the data directory");
	}
}

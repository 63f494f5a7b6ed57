package io.custodia.backup;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.custodia.CustodiaApplication;
import io.custodia.MutableClock;
import io.custodia.PostgresTestDatabase;
import io.custodia.cli.Cli;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * On PostgreSQL; and the path of operators who back PostgreSQL up with their own tooling: a pg_dump taken before an
 * erasure, loaded into a database of its own, then {@code custodia erasures replay} against it (docs/operations.md).
 */
@SpringBootTest(classes = CustodiaApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import(MutableClock.Config.class)
@DirtiesContext
class BackupRestorePostgresIntegrationTests extends BackupRestoreContract {

	static final PostgresTestDatabase database = new PostgresTestDatabase();

	static final PostgresTestDatabase restored = new PostgresTestDatabase();

	@DynamicPropertySource
	static void postgres(DynamicPropertyRegistry registry) {
		database.register(registry);
		registry.add("custodia.backup.schedule", () -> "-");
	}

	@AfterAll
	static void dropDatabases() {
		database.drop();
		restored.drop();
	}

	@Value("${custodia.keys.root}")
	Path rootKey;

	@Test
	void afterRestoringAPgDumpOneCommandErasesAgainWhatWasErasedSince() throws Exception {
		String tenant = tenant();
		UUID erased = subjectWithRecord(tenant, "dumped@example.test");
		UUID staying = subjectWithRecord(tenant, "kept@example.test");
		Path dump = Files.createTempFile("custodia", ".sql");
		Files.writeString(dump, database.dump(), StandardCharsets.UTF_8);
		var takenAt = clock.instant();

		later();
		records.eraseSubject(tenant, erased, "erasure requested", "test");

		restored.create();
		var server = URI.create(restored.url().substring("jdbc:".length()));
		var psql = new ProcessBuilder("psql", "-h", server.getHost(), "-p", String.valueOf(server.getPort()), "-U", restored.user(),
				"-d", restored.name(), "-q", "-v", "ON_ERROR_STOP=1", "-f", dump.toString()).redirectErrorStream(true).start();
		String psqlOutput = new String(psql.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(psql.waitFor()).as(psqlOutput).isZero();
		assertThat(wrappedKey(erased)).as("the dump holds the subject's key").isNotNull();

		var out = new StringWriter();
		var err = new StringWriter();
		int code = Cli.run(new PrintWriter(out, true), new PrintWriter(err, true), "erasures", "replay", "--since",
				takenAt.minus(java.time.Duration.ofHours(1)).toString(), "--spring.datasource.url=" + restored.url(),
				"--spring.datasource.username=" + restored.user(), "--spring.datasource.password=",
				"--custodia.data-dir=" + locations.dataDir(), "--custodia.keys.root=" + rootKey,
				"--custodia.erasure-ledger.file=" + ledger.file(), "--custodia.backup.schedule=-");

		assertThat(code).as(err.toString()).isZero();
		assertThat(out.toString()).contains("1 applied again");
		assertThat(wrappedKey(erased)).as("erased again: its key is gone").isNull();
		assertThat(wrappedKey(staying)).isNotNull();
	}

	byte[] wrappedKey(UUID subject) throws Exception {
		try (var connection = DriverManager.getConnection(restored.url(), restored.user(), "");
				var statement = connection.prepareStatement("select wrapped_key from subject where id = ?")) {
			statement.setObject(1, subject);
			try (var rs = statement.executeQuery()) {
				assertThat(rs.next()).isTrue();
				return rs.getBytes(1);
			}
		}
	}
}

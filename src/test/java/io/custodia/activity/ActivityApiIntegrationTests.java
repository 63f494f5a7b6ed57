package io.custodia.activity;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.custodia.CustodiaApplication;
import io.custodia.MutableClock;
import io.custodia.TestSettings;

import static org.assertj.core.api.Assertions.assertThat;

/** On the embedded default; also scans the database files and the log for the values ingested. */
@SpringBootTest(classes = CustodiaApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import(MutableClock.Config.class)
@ExtendWith(OutputCaptureExtension.class)
class ActivityApiIntegrationTests extends ActivityApiContract {

	@DynamicPropertySource
	static void isolated(DynamicPropertyRegistry registry) {
		TestSettings.isolate(registry);
	}

	@Value("${custodia.data-dir}")
	Path dataDir;

	@Autowired
	JdbcClient jdbc;

	@Test
	void neitherTheDatabaseFilesNorTheLogHoldAnyUserNameAddressOrHostNameIngested(CapturedOutput output) throws Exception {
		aDayOfUse();
		call("GET", "/api/v1/activity/reports/usage?month=2026-01", support, null);
		call("POST", "/api/v1/activity/searches", support, "{\"user_name\": \"" + USER + "\", \"from\": \"2026-01\", \"to\": \"2026-01\"}");
		ingest(app, event("login", "2026-01-12T08:00:00Z", USER, "198.51.100.999", HOST, MAC, null));
		String eventId = "evt-qzxwolperting-4711";
		assertThat(ingest(app, withId(event("logout", "2026-01-12T18:00:00Z", USER, IP, HOST, MAC, null), eventId)).status())
			.isEqualTo(201);
		jdbc.sql("checkpoint sync").update();
		String files = readAll(dataDir);
		assertThat(files).as("the scan reads the database: it finds a product name").contains("ema Plant Designer");
		assertThat(CLEAR).allSatisfy(value -> assertThat(files).doesNotContainIgnoringCase(value));
		assertThat(files).as("a client's event id is keyed too").doesNotContain(eventId);
		assertThat(CLEAR).allSatisfy(value -> assertThat(output.getAll()).doesNotContainIgnoringCase(value));
	}

	static String readAll(Path dir) throws IOException {
		var all = new StringBuilder();
		try (Stream<Path> files = Files.walk(dir)) {
			for (Path file : files.filter(Files::isRegularFile).toList()) {
				all.append(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1));
			}
		}
		return all.toString();
	}
}

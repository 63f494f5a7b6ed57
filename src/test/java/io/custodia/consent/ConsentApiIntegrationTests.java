package io.custodia.consent;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.custodia.CustodiaApplication;
import io.custodia.TestSettings;

import static org.assertj.core.api.Assertions.assertThat;

/** On the embedded default; also scans the database files and the log for the visitor id and the act recorded. */
@SpringBootTest(classes = CustodiaApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ExtendWith(OutputCaptureExtension.class)
class ConsentApiIntegrationTests extends ConsentApiContract {

	@DynamicPropertySource
	static void isolated(DynamicPropertyRegistry registry) {
		TestSettings.isolate(registry);
	}

	@Value("${custodia.data-dir}")
	Path dataDir;

	@Autowired
	JdbcClient jdbc;

	@Test
	void neitherTheDatabaseFilesNorTheLogHoldAVisitorIdOrHowConsentWasGiven(CapturedOutput output) throws Exception {
		assertThat(consent(imig, "\"visitor_id\": \"" + VISITOR + "\"", "[\"analytics\"]").status()).isEqualTo(201);
		String subject = subject(imig, "scan@example.test");
		assertThat(call("PUT", "/api/v1/consents/subjects/" + subject + "/birth-date", imig.app(), "{\"birth_date\": \"1987-06-05\"}")
			.status()).isEqualTo(200);
		jdbc.sql("checkpoint sync").update();
		String files = readAll(dataDir);
		assertThat(files).as("the scan reads the database: it finds the purpose").contains("analytics");
		assertThat(List.of(VISITOR, "Zyxwvu", "1987-06-05")).allSatisfy(v -> {
			assertThat(files).doesNotContain(v);
			assertThat(output.getAll()).doesNotContain(v);
		});
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

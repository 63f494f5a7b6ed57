package io.custodia.records;

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

/** On the embedded default; also scans the database files and the log for the personal data stored. */
@SpringBootTest(classes = CustodiaApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ExtendWith(OutputCaptureExtension.class)
class RecordsApiIntegrationTests extends RecordsApiContract {

	@DynamicPropertySource
	static void isolated(DynamicPropertyRegistry registry) {
		TestSettings.isolate(registry);
	}

	@Value("${custodia.data-dir}")
	Path dataDir;

	@Autowired
	JdbcClient jdbc;

	@Test
	void neitherTheDatabaseFilesNorTheLogHoldThePersonalDataStored(CapturedOutput output) throws Exception {
		String subject = subject(app);
		String record = application(subject);
		call("PATCH", "/api/v1/records/" + record, app, "{\"fields\": {\"job_title\": \"Zyxwvu Architect\"}}");
		call("GET", "/api/v1/records/" + record, app, null);
		jdbc.sql("checkpoint sync").update();
		List<String> values = List.of(NAME, EMAIL, EMAIL.toUpperCase(), "Zyxwvu Architect", "Qwertyson");
		String files = readAll(dataDir);
		assertThat(files).as("the scan reads the database: it finds the activity name").contains("recruitment");
		assertThat(values).allSatisfy(value -> assertThat(files).doesNotContain(value));
		assertThat(values).allSatisfy(value -> assertThat(output.getAll()).doesNotContain(value));
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

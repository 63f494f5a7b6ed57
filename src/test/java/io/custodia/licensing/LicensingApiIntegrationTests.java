package io.custodia.licensing;

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

/** On the embedded default; also scans the database files and the log for the clients' names and addresses. */
@SpringBootTest(classes = CustodiaApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import(MutableClock.Config.class)
@ExtendWith(OutputCaptureExtension.class)
class LicensingApiIntegrationTests extends LicensingApiContract {

	@DynamicPropertySource
	static void isolated(DynamicPropertyRegistry registry) {
		TestSettings.isolate(registry);
	}

	@Value("${custodia.data-dir}")
	Path dataDir;

	@Autowired
	JdbcClient jdbc;

	@Test
	void neitherTheDatabaseFilesNorTheLogHoldTheClientsUserOrHostNames(CapturedOutput output) throws Exception {
		entitlement("ema Work Designer", 2);
		var lease = checkout(client, "ema Work Designer");
		checkout(client, "ema Work Designer");
		call("POST", "/api/v1/licensing/leases/" + lease.body().get("lease_id").asString() + "/heartbeat", client, null);
		call("DELETE", "/api/v1/licensing/leases/" + lease.body().get("lease_id").asString(), client, null);
		jdbc.sql("checkpoint sync").update();
		String files = readAll(dataDir);
		assertThat(files).as("the scan reads the database: it finds the product").contains("ema Work Designer");
		assertThat(CLEAR).allSatisfy(value -> assertThat(files).doesNotContainIgnoringCase(value));
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

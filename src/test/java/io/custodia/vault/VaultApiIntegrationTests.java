package io.custodia.vault;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.event.RecordApplicationEvents;

import io.custodia.CustodiaApplication;
import io.custodia.MutableClock;
import io.custodia.TestSettings;

import static org.assertj.core.api.Assertions.assertThat;

/** On the embedded default; also scans the database files and the blobs for the names and content stored. */
@SpringBootTest(classes = CustodiaApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import(MutableClock.Config.class)
@RecordApplicationEvents
class VaultApiIntegrationTests extends VaultApiContract {

	@DynamicPropertySource
	static void isolated(DynamicPropertyRegistry registry) {
		TestSettings.isolate(registry);
	}

	@Value("${custodia.data-dir}")
	Path dataDir;

	@Test
	void neitherTheDatabaseFilesNorTheBlobsHoldAStoredFilesNameOrContent() throws Exception {
		String id = stored(app, "/designs/" + SECRET_NAME, SECRET_TEXT.getBytes(StandardCharsets.UTF_8));
		call("PATCH", "/api/v1/vault/files/" + id, app, "{\"path\": \"/designs/moved/" + SECRET_NAME + "\"}");
		jdbc.sql("checkpoint sync").update();
		String files = readAll(dataDir);
		assertThat(files).as("the scan reads the database").contains("VAULT_FILE");
		assertThat(files).doesNotContain(SECRET_TEXT).doesNotContain(SECRET_NAME).doesNotContain("designs");
	}

	@Test
	void theApiDocumentAsksForAnOperatorKeyOnTheOperatorEndpointsOnly() throws Exception {
		var document = call("GET", "/v3/api-docs", null, null).body();
		assertThat(document.get("components").get("securitySchemes").get("operator").get("bearerFormat").asString())
			.isEqualTo("cso_<id>_<secret>");
		var operatorRead = document.get("paths").get("/api/v1/operator/grants/{grantId}/files/{fileId}/content").get("get");
		assertThat(operatorRead.get("security").get(0).has("operator")).isTrue();
		assertThat(document.get("paths").get("/api/v1/vault/files/{fileId}").get("get").has("security"))
			.as("tenant endpoints keep the document's global API-key requirement").isFalse();
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

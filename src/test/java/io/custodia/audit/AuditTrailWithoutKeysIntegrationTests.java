package io.custodia.audit;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.custodia.CustodiaApplication;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Until the keys module provides the audit keys, the service still starts (the notices need no keys), but nothing
 * is recorded unsealed and nothing is declared intact unchecked.
 */
@SpringBootTest(classes = CustodiaApplication.class, webEnvironment = SpringBootTest.WebEnvironment.NONE)
class AuditTrailWithoutKeysIntegrationTests {

	@TempDir
	static Path dataDir;

	@DynamicPropertySource
	static void dataDirectory(DynamicPropertyRegistry registry) {
		registry.add("custodia.data-dir", dataDir::toString);
	}

	@Autowired
	AuditTrail trail;

	@Test
	void withoutAuditKeysNothingIsRecordedOrVerified() {
		assertThatThrownBy(() -> trail.record(new AuditEvent("imengine", "cli", AuditAction.KEY_CREATED, null, null, null, Map.of())))
			.hasMessageContaining("no audit key is available");
		assertThatThrownBy(() -> trail.verify("imengine")).hasMessageContaining("no audit key is available");
	}
}

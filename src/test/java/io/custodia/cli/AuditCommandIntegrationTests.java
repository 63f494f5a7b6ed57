package io.custodia.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.custodia.CustodiaApplication;
import io.custodia.audit.AuditAction;
import io.custodia.audit.AuditEvent;
import io.custodia.audit.AuditTrail;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code custodia audit verify} end to end on the embedded database: the service records, the command (starting its
 * own application on the same data directory and root key) verifies.
 */
@SpringBootTest(classes = CustodiaApplication.class, webEnvironment = SpringBootTest.WebEnvironment.NONE)
class AuditCommandIntegrationTests {

	@TempDir
	static Path dir;

	static Path dataDir;

	/** The command starts its own application: it must find the same database and the same root key. */
	static String TEST_KEYS;

	@DynamicPropertySource
	static void isolated(DynamicPropertyRegistry registry) {
		dataDir = dir.resolve("data");
		Path root = dir.resolve("keys/root-keyset.json");
		TEST_KEYS = "--custodia.keys.root=" + root;
		registry.add("custodia.data-dir", dataDir::toString);
		registry.add("custodia.keys.root", root::toString);
	}

	@Autowired
	io.custodia.keys.KeyManagement keys;

	@Autowired
	AuditTrail trail;

	@Autowired
	JdbcClient jdbc;

	record Run(int code, String out, String err) {
	}

	static Run custodia(String... args) {
		var out = new StringWriter();
		var err = new StringWriter();
		int code = Cli.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
		return new Run(code, out.toString(), err.toString());
	}

	String tenantWithEntries(int count) {
		String tenant = "t-" + UUID.randomUUID().toString().substring(0, 8);
		keys.createTenantKeys(tenant);
		for (int i = 0; i < count; i++) {
			trail.record(new AuditEvent(tenant, "system:retention", AuditAction.RECORD_DELETED, UUID.randomUUID(), UUID.randomUUID(),
					"rule:server_logs/logs_6_months", Map.of("fields", "ip_address")));
		}
		return tenant;
	}

	@Test
	void anIntactChainIsReportedIntact() {
		String tenant = tenantWithEntries(5);

		Run run = custodia("audit", "verify", "--tenant", tenant, "--data-dir", dataDir.toString(), TEST_KEYS);

		assertThat(run.code()).as(run.err()).isZero();
		assertThat(run.out()).isEqualTo("tenant " + tenant + ": audit intact, 5 entries" + System.lineSeparator());
	}

	@Test
	void anEditedEntryIsReportedBrokenAtThatEntry() {
		String tenant = tenantWithEntries(5);
		jdbc.sql("update audit_entry set reason = 'hold:FORGED' where tenant_id = ? and sequence = 3").param(tenant).update();

		Run line = custodia("audit", "verify", "--tenant", tenant, "--data-dir", dataDir.toString(), TEST_KEYS);
		Run json = custodia("audit", "verify", "--tenant", tenant, "--data-dir", dataDir.toString(), TEST_KEYS, "--json");

		assertThat(line.code()).as(line.err()).isEqualTo(1);
		assertThat(line.out()).startsWith("tenant " + tenant + ": audit BROKEN at entry 3: EDITED — entry 3 does not match its seal");
		assertThat(json.code()).isEqualTo(1);
		var document = JsonMapper.builder().build().readTree(json.out());
		assertThat(document.get("first_broken_sequence").asLong()).isEqualTo(3);
		assertThat(document.get("problem").asString()).isEqualTo("EDITED");
	}

	@Test
	void withTheWrongRootKeyTheCommandSaysItCannotVerifyAndPrintsNoVerdict() {
		String tenant = tenantWithEntries(2);

		Run run = custodia("audit", "verify", "--tenant", tenant, "--data-dir", dataDir.toString(),
				"--custodia.keys.root=" + dir.resolve("another-root-keyset.json"));

		assertThat(run.code()).isEqualTo(1);
		assertThat(run.out()).isEmpty();
		assertThat(run.err()).contains("cannot verify the audit of tenant '" + tenant + "'")
			.contains("cannot unwrap the keys of tenant")
			.doesNotContain("\tat ");
	}
}

package io.custodia.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.custodia.CustodiaApplication;
import io.custodia.Examples;
import io.custodia.audit.AuditTrail;
import io.custodia.keys.KeyManagement;
import io.custodia.records.NewRecord;
import io.custodia.records.RecordManagement;
import io.custodia.tenancy.TenantManagement;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code custodia keys rotate-root} and {@code rotate-tenant} end to end on the embedded database: the service stores,
 * the command (its own application on the same data directory and root key) rotates, the service reads on.
 */
@SpringBootTest(classes = CustodiaApplication.class, webEnvironment = SpringBootTest.WebEnvironment.NONE)
class KeysCommandIntegrationTests {

	@TempDir
	static Path dir;

	static Path dataDir;

	static Path rootKeyset;

	/** The command starts its own application: it must find the same database and the same root key. */
	static String TEST_KEYS;

	@DynamicPropertySource
	static void isolated(DynamicPropertyRegistry registry) {
		dataDir = dir.resolve("data");
		rootKeyset = dir.resolve("keys/root-keyset.json");
		TEST_KEYS = "--custodia.keys.root=" + rootKeyset;
		registry.add("custodia.data-dir", dataDir::toString);
		registry.add("custodia.keys.root", rootKeyset::toString);
	}

	@Autowired
	TenantManagement tenants;

	@Autowired
	RecordManagement records;

	@Autowired
	KeyManagement keys;

	@Autowired
	AuditTrail trail;

	record Run(int code, String out, String err) {
	}

	static Run custodia(String... args) {
		var out = new StringWriter();
		var err = new StringWriter();
		int code = Cli.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
		return new Run(code, out.toString(), err.toString());
	}

	String tenant() {
		String tenant = "k" + UUID.randomUUID().toString().substring(0, 8);
		tenants.create(tenant, "imengine.yaml", Examples.text("imengine"));
		return tenant;
	}

	UUID storeServerLog(String tenant, String ip) {
		var subject = records.findOrCreateSubject(tenant, Map.of("email", "jan.jansen@example.be"), "test");
		return records.store(tenant, subject.id(), new NewRecord("server_logs", "technical", Map.of("ip_address", ip),
				Map.of("visit", "2026-01-10"), null), "test").id();
	}

	@Test
	void afterRotatingTheRootKeyARecordStoredBeforeStillReadsBackAndTheRootKeysetHoldsBothKeys() throws Exception {
		String tenant = tenant();
		UUID record = storeServerLog(tenant, "198.51.100.7");
		JsonNode before = JsonMapper.shared().readTree(Files.readString(rootKeyset, StandardCharsets.UTF_8));

		Run run = custodia("keys", "rotate-root", "--data-dir", dataDir.toString(), TEST_KEYS);
		keys.clearCaches();

		assertThat(run.code()).as(run.err()).isZero();
		assertThat(run.out()).startsWith("root key rotated in " + rootKeyset.toAbsolutePath())
			.contains("back this file up again now")
			.doesNotContain(before.get("key").get(0).get("keyData").get("value").asString());
		assertThat(records.read(tenant, record, "test").fields()).containsEntry("ip_address", "198.51.100.7");
		JsonNode after = JsonMapper.shared().readTree(Files.readString(rootKeyset, StandardCharsets.UTF_8));
		assertThat(after.get("key").size()).isEqualTo(2);
		assertThat(trail.verify(tenant).intact()).isTrue();
	}

	@Test
	void afterRotatingATenantsKeysItsRecordsReadBackNewOnesAreStoredAndItsAuditStillVerifies() {
		String tenant = tenant();
		UUID before = storeServerLog(tenant, "198.51.100.8");

		Run run = custodia("keys", "rotate-tenant", tenant, "--data-dir", dataDir.toString(), TEST_KEYS);
		keys.clearCaches();
		UUID after = storeServerLog(tenant, "198.51.100.9");

		assertThat(run.code()).as(run.err()).isZero();
		assertThat(run.out()).isEqualTo("tenant " + tenant + ": data and audit keys rotated (new primary keys, earlier keys kept "
				+ "for reading and verifying); index key unchanged" + System.lineSeparator());
		assertThat(records.read(tenant, before, "test").fields()).containsEntry("ip_address", "198.51.100.8");
		assertThat(records.read(tenant, after, "test").fields()).containsEntry("ip_address", "198.51.100.9");
		assertThat(trail.verify(tenant).intact()).isTrue();
	}

	@Test
	void rotatingTheKeysOfAnUnknownTenantSaysSoAndExitsOne() {
		Run run = custodia("keys", "rotate-tenant", "nobody-here", "--data-dir", dataDir.toString(), TEST_KEYS);

		assertThat(run.code()).isEqualTo(1);
		assertThat(run.out()).isEmpty();
		assertThat(run.err()).isEqualTo("custodia: tenant 'nobody-here' has no keys to rotate (no such tenant, or its keys "
				+ "were destroyed)" + System.lineSeparator());
	}
}

package io.custodia.keys;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.core.env.Environment;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import com.google.crypto.tink.Aead;

import io.custodia.CustodiaApplication;
import io.custodia.TestSettings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@SpringBootTest(classes = CustodiaApplication.class, webEnvironment = SpringBootTest.WebEnvironment.NONE)
class KeyManagementIntegrationTests {

	@DynamicPropertySource
	static void isolated(DynamicPropertyRegistry registry) {
		TestSettings.isolate(registry);
	}

	@Autowired
	KeyManagement keys;

	@Autowired
	Environment environment;

	private final byte[] secret = "jan.jansen@example.be".getBytes(StandardCharsets.UTF_8);

	private String newTenant() {
		String tenant = "t" + UUID.randomUUID().toString().substring(0, 8);
		keys.createTenantKeys(tenant);
		return tenant;
	}

	@Test
	void theRootKeyIsGeneratedOutsideTheDataDirectoryReadableByItsOwnerOnly() throws Exception {
		Path root = Path.of(environment.getProperty("custodia.keys.root"));
		assertThat(root).exists();
		assertThat(root.startsWith(Path.of(environment.getProperty("custodia.data-dir")))).isFalse();
		assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(root))).isEqualTo("rw-------");
	}

	@Test
	void aSubjectKeyOpensWhatItSealedAfterItWasDroppedFromMemory() throws Exception {
		String tenant = newTenant();
		UUID subject = UUID.randomUUID();
		byte[] wrapped = keys.newSubjectKey(tenant, subject);
		byte[] sealed = keys.subjectAead(tenant, subject, wrapped).encrypt(secret, new byte[0]);
		keys.forgetSubject(tenant, subject);
		assertThat(keys.subjectAead(tenant, subject, wrapped).decrypt(sealed, new byte[0])).isEqualTo(secret);
		assertThat(new String(wrapped, StandardCharsets.ISO_8859_1)).doesNotContain("jan.jansen");
	}

	@Test
	void keysMadeAndOpenedForABatchStayWithTheBatchAndOpenLikeAnyOther() throws Exception {
		String tenant = newTenant();
		UUID subject = UUID.randomUUID();
		var made = keys.newSubjectKeyForBatch(tenant, subject);
		byte[] sealed = made.aead().encrypt(secret, new byte[0]);
		byte[] notAKey = { 1, 2, 3 };
		// not kept: asked again with bytes that are no key, it has nothing to fall back on
		assertThatThrownBy(() -> keys.subjectAeadForBatch(tenant, subject, notAKey)).isInstanceOf(KeyFailure.class);
		assertThat(keys.subjectAeadForBatch(tenant, subject, made.wrapped()).decrypt(sealed, new byte[0])).isEqualTo(secret);
		assertThatThrownBy(() -> keys.subjectAeadForBatch(tenant, subject, notAKey)).isInstanceOf(KeyFailure.class);
		// a key the service holds already is taken from memory
		assertThat(keys.subjectAead(tenant, subject, made.wrapped()).decrypt(sealed, new byte[0])).isEqualTo(secret);
		assertThat(keys.subjectAeadForBatch(tenant, subject, notAKey).decrypt(sealed, new byte[0])).isEqualTo(secret);
		assertThat(new String(made.wrapped(), StandardCharsets.ISO_8859_1)).doesNotContain("jan.jansen");
	}

	@Test
	void aWrappedSubjectKeyDoesNotOpenForAnotherSubjectOrTenant() {
		String tenant = newTenant();
		String other = newTenant();
		UUID subject = UUID.randomUUID();
		byte[] wrapped = keys.newSubjectKey(tenant, subject);
		keys.forgetSubject(tenant, subject);
		UUID stranger = UUID.randomUUID();
		assertThatThrownBy(() -> keys.subjectAead(tenant, stranger, wrapped)).isInstanceOf(KeyFailure.class);
		assertThatThrownBy(() -> keys.subjectAead(other, subject, wrapped)).isInstanceOf(KeyFailure.class);
	}

	@Test
	void rotatingTheTenantKeyKeepsOldSubjectKeysAndAuditEntriesReadable() throws Exception {
		String tenant = newTenant();
		UUID subject = UUID.randomUUID();
		byte[] wrapped = keys.newSubjectKey(tenant, subject);
		byte[] sealed = keys.subjectAead(tenant, subject, wrapped).encrypt(secret, new byte[0]);
		byte[] mac = keys.auditMac(tenant, secret);
		keys.rotateTenantKeys(tenant);
		keys.forgetSubject(tenant, subject);
		assertThat(keys.subjectAead(tenant, subject, wrapped).decrypt(sealed, new byte[0])).isEqualTo(secret);
		assertThat(keys.verifyAuditMac(tenant, mac, secret)).isTrue();
		byte[] rewrapped = keys.rewrapSubjectKey(tenant, subject, wrapped);
		assertThat(rewrapped).isNotEqualTo(wrapped);
		keys.forgetSubject(tenant, subject);
		assertThat(keys.subjectAead(tenant, subject, rewrapped).decrypt(sealed, new byte[0])).isEqualTo(secret);
	}

	@Test
	void rotatingTheRootKeyRewrapsEveryTenantWithoutLosingAnything() throws Exception {
		String tenant = newTenant();
		UUID subject = UUID.randomUUID();
		byte[] wrapped = keys.newSubjectKey(tenant, subject);
		Aead before = keys.subjectAead(tenant, subject, wrapped);
		byte[] sealed = before.encrypt(secret, new byte[0]);
		byte[] index = keys.blindIndex(tenant, "email", "jan.jansen@example.be");
		keys.rotateRootKey();
		keys.clearCaches();
		assertThat(keys.subjectAead(tenant, subject, wrapped).decrypt(sealed, new byte[0])).isEqualTo(secret);
		assertThat(keys.blindIndex(tenant, "email", "jan.jansen@example.be")).isEqualTo(index);
	}

	@Test
	void blindIndexesMatchWithinATenantAndDifferAcrossTenants() {
		String a = newTenant();
		String b = newTenant();
		assertThat(keys.blindIndex(a, "email", "x@example.org")).isEqualTo(keys.blindIndex(a, "email", "x@example.org"))
			.isNotEqualTo(keys.blindIndex(a, "email", "y@example.org"))
			.isNotEqualTo(keys.blindIndex(a, "phone", "x@example.org"))
			.isNotEqualTo(keys.blindIndex(b, "email", "x@example.org"))
			.hasSize(32);
	}

	@Test
	void destroyedTenantKeysOpenNothingAgain() {
		String tenant = newTenant();
		UUID subject = UUID.randomUUID();
		byte[] wrapped = keys.newSubjectKey(tenant, subject);
		keys.destroyTenantKeys(tenant);
		keys.clearCaches();
		assertThat(keys.hasKeys(tenant)).isFalse();
		assertThatThrownBy(() -> keys.subjectAead(tenant, subject, wrapped)).isInstanceOf(KeyFailure.class)
			.hasMessageContaining("has no keys");
	}
}

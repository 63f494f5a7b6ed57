package io.custodia.keys;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import io.custodia.CustodiaApplication;
import io.custodia.CustodiaProperties;
import io.custodia.LockWaits;
import io.custodia.TestSettings;
import io.custodia.audit.AuditTrail;

import static org.assertj.core.api.Assertions.assertThat;

/** Rotations at the same time, rolled back, or done by another instance on the same database. */
@SpringBootTest(classes = CustodiaApplication.class, webEnvironment = SpringBootTest.WebEnvironment.NONE)
class KeyRotationIntegrationTests {

	@DynamicPropertySource
	static void isolated(DynamicPropertyRegistry registry) {
		TestSettings.isolate(registry);
	}

	@Autowired
	KeyManagement keys;

	@Autowired
	TenantKeysets store;

	@Autowired
	KeysProperties keysProperties;

	@Autowired
	CustodiaProperties custodia;

	@Autowired
	Clock clock;

	@Autowired
	ApplicationEventPublisher events;

	@Autowired
	AuditTrail audit;

	@Autowired
	DataSource dataSource;

	@Autowired
	PlatformTransactionManager transactions;

	private final byte[] secret = "jan.jansen@example.be".getBytes(StandardCharsets.UTF_8);

	private final byte[] none = new byte[0];

	@Test
	void aTenantRotationWaitsForAnotherOfTheSameTenantAndBothNewKeysAreKept() throws Exception {
		assertBothKeysKeptWhileAnotherRotationWaits(tenant -> keys.rotateTenantKeys(tenant));
	}

	@Test
	void aRootRotationWaitsForATenantRotationAndKeepsItsNewKey() throws Exception {
		assertBothKeysKeptWhileAnotherRotationWaits(tenant -> keys.rotateRootKey());
	}

	/**
	 * A tenant rotation holds its transaction open; the other rotation must wait for it and then start from what it
	 * committed. Data sealed under the first rotation's key (between the two commits) and after the second must
	 * both open from what the database holds in the end.
	 */
	private void assertBothKeysKeptWhileAnotherRotationWaits(Consumer<String> secondRotation) throws Exception {
		String tenant = newTenant();
		Held first = hold(() -> keys.rotateTenantKeys(tenant));
		Held second = null;
		UUID before = UUID.randomUUID();
		UUID after = UUID.randomUUID();
		byte[] wrappedBefore;
		byte[] sealedBefore;
		try {
			assertThat(first.worked().await(10, TimeUnit.SECONDS)).as("the first rotation did its work").isTrue();
			second = hold(() -> secondRotation.accept(tenant));
			LockWaits.awaitOneWaiting(dataSource);
			assertThat(second.worked().getCount()).as("the second rotation waits for the first").isEqualTo(1);
			first.commit();

			wrappedBefore = keys.newSubjectKey(tenant, before);
			sealedBefore = keys.subjectAead(tenant, before, wrappedBefore).encrypt(secret, none);
			second.commit();
		}
		finally {
			// a failed assertion must not leave either transaction holding its locks for the tests after this one
			first.release().countDown();
			if (second != null) {
				second.release().countDown();
			}
		}
		byte[] wrappedAfter = keys.newSubjectKey(tenant, after);
		byte[] sealedAfter = keys.subjectAead(tenant, after, wrappedAfter).encrypt(secret, none);

		KeyManagement restarted = anotherInstance();
		assertThat(restarted.subjectAead(tenant, before, wrappedBefore).decrypt(sealedBefore, none)).isEqualTo(secret);
		assertThat(restarted.subjectAead(tenant, after, wrappedAfter).decrypt(sealedAfter, none)).isEqualTo(secret);
	}

	@Test
	void aRolledBackRotationLeavesNoUnstoredKeyInUse() throws Exception {
		String tenant = newTenant();
		keys.blindIndex(tenant, "email", "x@example.org"); // the tenant's keysets are held in memory from here
		new TransactionTemplate(transactions).executeWithoutResult(status -> {
			keys.rotateTenantKeys(tenant);
			status.setRollbackOnly();
		});

		UUID subject = UUID.randomUUID();
		byte[] wrapped = keys.newSubjectKey(tenant, subject);
		byte[] sealed = keys.subjectAead(tenant, subject, wrapped).encrypt(secret, none);
		byte[] record = keys.tenantAead(tenant).encrypt(secret, none);
		byte[] mac = keys.auditMac(tenant, secret);

		KeyManagement restarted = anotherInstance();
		assertThat(restarted.subjectAead(tenant, subject, wrapped).decrypt(sealed, none)).isEqualTo(secret);
		assertThat(restarted.tenantAead(tenant).decrypt(record, none)).isEqualTo(secret);
		assertThat(restarted.verifyAuditMac(tenant, mac, secret)).isTrue();
	}

	@Test
	void whatAnotherInstanceSealsAfterRotatingTheTenantKeyOpensHereWithoutRestart() throws Exception {
		String tenant = newTenant();
		keys.blindIndex(tenant, "email", "x@example.org"); // held in memory here before the rotation elsewhere
		KeyManagement elsewhere = anotherInstance();
		new TransactionTemplate(transactions).executeWithoutResult(status -> elsewhere.rotateTenantKeys(tenant));

		assertSealedElsewhereOpensHere(tenant, elsewhere);
	}

	@Test
	void whatAnotherInstanceSealsAfterRotatingTheRootAndTenantKeysOpensHereWithoutRestart() throws Exception {
		String tenant = newTenant();
		keys.blindIndex(tenant, "email", "x@example.org");
		KeyManagement elsewhere = anotherInstance();
		new TransactionTemplate(transactions).executeWithoutResult(status -> {
			elsewhere.rotateRootKey();
			elsewhere.rotateTenantKeys(tenant);
		});

		assertSealedElsewhereOpensHere(tenant, elsewhere);
	}

	private void assertSealedElsewhereOpensHere(String tenant, KeyManagement elsewhere) throws Exception {
		UUID subject = UUID.randomUUID();
		byte[] wrapped = elsewhere.newSubjectKey(tenant, subject);
		byte[] sealed = elsewhere.subjectAead(tenant, subject, wrapped).encrypt(secret, none);
		byte[] record = elsewhere.tenantAead(tenant).encrypt(secret, none);
		byte[] mac = elsewhere.auditMac(tenant, secret);

		assertThat(keys.subjectAead(tenant, subject, wrapped).decrypt(sealed, none)).isEqualTo(secret);
		assertThat(keys.tenantAead(tenant).decrypt(record, none)).isEqualTo(secret);
		assertThat(keys.verifyAuditMac(tenant, mac, secret)).isTrue();
	}

	private String newTenant() {
		String tenant = "t" + UUID.randomUUID().toString().substring(0, 8);
		keys.createTenantKeys(tenant);
		return tenant;
	}

	/** A second instance on the same database and root key file, as another process would have, with nothing in memory. */
	private KeyManagement anotherInstance() {
		return new KeyManagement(store, RootKey.load(keysProperties, custodia.dataDir(), true), clock, events, audit);
	}

	/** A transaction on a thread of its own that, once it has done its work, stays open until {@link #commit}. */
	private record Held(CountDownLatch worked, CountDownLatch release, CompletableFuture<Void> done) {

		void commit() throws Exception {
			release.countDown();
			done.get(10, TimeUnit.SECONDS);
		}
	}

	private Held hold(Runnable work) {
		var held = new Held(new CountDownLatch(1), new CountDownLatch(1), new CompletableFuture<>());
		Thread thread = new Thread(() -> {
			try {
				new TransactionTemplate(transactions).executeWithoutResult(status -> {
					work.run();
					held.worked().countDown();
					try {
						held.release().await(60, TimeUnit.SECONDS);
					}
					catch (InterruptedException ex) {
						Thread.currentThread().interrupt();
					}
				});
				held.done().complete(null);
			}
			catch (Throwable ex) {
				held.done().completeExceptionally(ex);
			}
		}, "key-rotation-test");
		thread.setDaemon(true);
		thread.start();
		return held;
	}
}

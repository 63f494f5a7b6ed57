package io.custodia.records;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;

import io.custodia.Examples;
import io.custodia.tenancy.TenantManagement;

import static io.custodia.records.OpenTransactions.async;
import static io.custodia.records.OpenTransactions.holdOpen;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * An erasure and a write for the same subject at the same time, in either order: whatever the write adds either
 * goes with the erasure or is refused, and never outlives it. Each test holds one of the two open in a transaction
 * of its own (on another thread) while the other runs, then lets it commit.
 */
abstract class ConcurrentErasureContract {

	@Autowired
	RecordManagement records;

	@Autowired
	TenantManagement tenants;

	@Autowired
	BulkImport imports;

	@Autowired
	io.custodia.audit.AuditTrail audit;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	PlatformTransactionManager transactions;

	@Autowired
	javax.sql.DataSource dataSource;

	String tenant;

	UUID subject;

	@BeforeEach
	void subjectWithOneRecord() {
		tenant = "c" + UUID.randomUUID().toString().substring(0, 8);
		tenants.create(tenant, "imengine.yaml", Examples.text("imengine"));
		subject = records.findOrCreateSubject(tenant, Map.of("email", "ada@example.test"), "test").id();
		records.store(tenant, subject, record("Ada", "r-1"), "test");
	}

	@Test
	void aRecordStoredWhileItsSubjectIsBeingErasedIsRefused() throws Exception {
		var held = holdOpen(transactions, () -> records.eraseSubject(tenant, subject, "request", "test"));
		var store = async(() -> records.store(tenant, subject, record("Ada Again", "r-2"), "test"));
		stillWaiting(store);
		assertThat(held.commit()).isEqualTo(1);

		assertThatThrownBy(store::join).hasCauseInstanceOf(RecordNotFoundException.class);
		assertThat(recordsOfSubject()).isZero();
	}

	@Test
	void aSubjectErasedWhileARecordIsBeingStoredForItTakesThatRecordWithIt() throws Exception {
		var held = holdOpen(transactions, () -> records.store(tenant, subject, record("Ada Again", "r-2"), "test"));
		var erasure = async(() -> records.eraseSubject(tenant, subject, "request", "test"));
		stillWaiting(erasure);
		held.commit();

		assertThat(erasure.get(10, TimeUnit.SECONDS)).as("records the erasure deleted").isEqualTo(2);
		assertThat(recordsOfSubject()).isZero();
	}

	@Test
	void anIdentifierAddedWhileItsSubjectIsBeingErasedGoesToANewSubject() throws Exception {
		var held = holdOpen(transactions, () -> records.eraseSubject(tenant, subject, "request", "test"));
		var found = async(
				() -> records.findOrCreateSubject(tenant, Map.of("email", "ada@example.test", "phone", "+31 20 555 0101"), "test"));
		stillWaiting(found);
		held.commit();

		var ref = found.get(10, TimeUnit.SECONDS);
		assertThat(ref.created()).isTrue();
		assertThat(ref.id()).isNotEqualTo(subject);
		assertThat(jdbc.sql("select count(*) from subject_identifier where tenant_id = ? and subject_id = ?")
			.params(tenant, subject)
			.query(Long.class)
			.single()).as("identifiers of the erased subject").isZero();
	}

	@Test
	void aSubjectWhoseLastRecordExpiresWhileAnotherIsStoredKeepsItsKeyAndTheNewRecord() throws Exception {
		UUID first = jdbc.sql("select id from personal_record where tenant_id = ? and subject_id = ?")
			.params(tenant, subject)
			.query(UUID.class)
			.single();
		var held = holdOpen(transactions, () -> records.store(tenant, subject, record("Ada Again", "r-2"), "test"));
		var expiry = async(
				() -> records.expireAll(tenant, List.of(new Expiring(first, ExpiryAction.DELETE, "rule:test")), "test"));
		stillWaiting(expiry);
		held.commit();

		assertThat(expiry.get(10, TimeUnit.SECONDS).get(first).subjectErased()).as("subject erased with the expired record")
			.isFalse();
		assertThat(records.recordsOf(tenant, subject, "test")).extracting(r -> r.fields().get("name")).containsExactly("Ada Again");
	}

	@Test
	void anImportedLineForASubjectBeingErasedGoesToANewSubject() throws Exception {
		var held = holdOpen(transactions, () -> records.eraseSubject(tenant, subject, "request", "test"));
		var imported = async(() -> imports.run(tenant,
				new java.io.StringReader(ImportFiles.line("i-1", "ada@example.test", "Ada Imported")), "test", (l, s) -> {
				}));
		stillWaiting(imported);
		held.commit();

		assertThat(imported.get(10, TimeUnit.SECONDS).stored()).isEqualTo(1);
		assertThat(recordsOfSubject()).isZero();
		var now = records.findOrCreateSubject(tenant, Map.of("email", "ada@example.test"), "test");
		assertThat(now.created()).isFalse();
		assertThat(records.recordsOf(tenant, now.id(), "test")).extracting(r -> r.fields().get("name"))
			.containsExactly("Ada Imported");
	}

	@Test
	void aSubjectErasedWhileAnImportStoresALineForItTakesThatLineWithIt() throws Exception {
		var held = holdOpen(transactions, () -> imports.run(tenant,
				new java.io.StringReader(ImportFiles.line("i-1", "ada@example.test", "Ada Imported")), "test", (l, s) -> {
				}));
		var erasure = async(() -> records.eraseSubject(tenant, subject, "request", "test"));
		stillWaiting(erasure);
		assertThat(held.commit().stored()).isEqualTo(1);

		assertThat(erasure.get(10, TimeUnit.SECONDS)).as("records the erasure deleted").isEqualTo(2);
		assertThat(recordsOfSubject()).isZero();
	}

	@Test
	void aSubjectErasedWhileRetentionExpiresItsLastRecordIsErasedOnce() throws Exception {
		UUID only = jdbc.sql("select id from personal_record where tenant_id = ? and subject_id = ?")
			.params(tenant, subject)
			.query(UUID.class)
			.single();
		var held = holdOpen(transactions, () -> records.eraseSubject(tenant, subject, "request", "test"));
		var expiry = async(
				() -> records.expireAll(tenant, List.of(new Expiring(only, ExpiryAction.DELETE, "rule:test")), "test"));
		stillWaiting(expiry);
		held.commit();

		assertThat(expiry.get(10, TimeUnit.SECONDS).get(only).subjectErased()).as("erased again by retention").isFalse();
		assertThat(audit.entries(tenant, subject, null, 100))
			.filteredOn(entry -> entry.action() == io.custodia.audit.AuditAction.SUBJECT_ERASED)
			.singleElement()
			.satisfies(entry -> assertThat(entry.reason()).isEqualTo("request"));
	}

	private long recordsOfSubject() {
		return jdbc.sql("select count(*) from personal_record where tenant_id = ? and subject_id = ?")
			.params(tenant, subject)
			.query(Long.class)
			.single();
	}

	private static NewRecord record(String name, String clientId) {
		return new NewRecord("recruitment", "identity_contact", Map.of("name", name), Map.of(), clientId);
	}

	/**
	 * The other side must be waiting for the lock the open one holds, as the database shows it (without the lock it
	 * finished, and wrote past the erasure or missed the write; the wait then fails after its 10 s).
	 */
	private void stillWaiting(CompletableFuture<?> other) throws InterruptedException {
		io.custodia.LockWaits.awaitOneWaiting(dataSource);
		assertThat(other).as("the other side waits for the open one's lock").isNotDone();
	}
}

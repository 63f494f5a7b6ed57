package io.custodia.records;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import io.custodia.Examples;
import io.custodia.tenancy.TenantManagement;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The tenant's count of erasures (ErasureLock): an import keeps the subjects it met, and their keys, only while the
 * count is unchanged, so every way a subject is erased or deleted must change it, and nothing else need.
 */
abstract class ErasureCountContract {

	@Autowired
	RecordManagement records;

	@Autowired
	TenantManagement tenants;

	@Autowired
	Subjects subjects;

	@Autowired
	ErasureLock erasureLock;

	@Autowired
	TenantErasure tenantErasure;

	@Autowired
	PlatformTransactionManager transactions;

	@Autowired
	javax.sql.DataSource dataSource;

	String tenant;

	@BeforeEach
	void tenant() {
		tenant = "n" + UUID.randomUUID().toString().substring(0, 8);
		tenants.create(tenant, "imengine.yaml", Examples.text("imengine"));
	}

	@Test
	void erasingOneSubjectChangesTheCount() {
		UUID ada = subject("ada@example.test");
		long before = count();
		inTransaction(() -> subjects.erase(tenant, ada, Instant.now()));
		assertThat(count()).isNotEqualTo(before);
	}

	@Test
	void erasingTheSubjectsARetentionChunkEmptiedChangesTheCountAndErasingNoneLeavesIt() {
		UUID ada = subject("ada@example.test");
		UUID bob = subject("bob@example.test");
		long before = count();
		inTransaction(() -> subjects.eraseAll(tenant, List.of(UUID.randomUUID()), Instant.now()));
		assertThat(count()).as("no subject of the tenant erased").isEqualTo(before);
		inTransaction(() -> subjects.eraseAll(tenant, List.of(ada, bob), Instant.now()));
		assertThat(count()).isNotEqualTo(before);
	}

	@Test
	void aBatchWaitingForAnErasureReadsTheCountThatErasureLeft() throws Exception {
		UUID ada = subject("ada@example.test");
		long before = count();
		var erasure = OpenTransactions.holdOpen(transactions, () -> {
			erasureLock.hold(tenant);
			subjects.erase(tenant, ada, Instant.now());
			return true;
		});
		var batch = OpenTransactions.async(this::count);
		io.custodia.LockWaits.awaitOneWaiting(dataSource);
		assertThat(batch).as("the batch waits for the erasure's lock").isNotDone();
		erasure.commit();
		assertThat(batch.get(10, java.util.concurrent.TimeUnit.SECONDS)).isNotEqualTo(before);
	}

	@Test
	void erasingWithoutTheLockIsRefusedWhereTheTenantHasNoLockRowYet() {
		UUID ada = subject("ada@example.test");
		org.assertj.core.api.Assertions.assertThatThrownBy(() -> new TransactionTemplate(transactions)
			.executeWithoutResult(status -> subjects.erase(tenant, ada, Instant.now())))
			.isInstanceOf(IllegalStateException.class)
			.hasMessageContaining("without holding its erasure lock");
		assertThat(records.recordsOf(tenant, ada, "test")).isEmpty();
		assertThat(subjects.find(tenant, ada)).get().extracting(Subjects.Subject::erased).isEqualTo(false);
	}

	@Test
	void storingAndReadingLeaveTheCount() {
		UUID ada = subject("ada@example.test");
		long before = count();
		records.store(tenant, ada, new NewRecord("recruitment", "identity_contact", Map.of("name", "Ada"), Map.of(), "r-1"),
				"test");
		records.recordsOf(tenant, ada, "test");
		assertThat(count()).isEqualTo(before);
	}

	@Test
	void theTenantsEndStartsACountThatDiffersFromTheOneBefore() {
		subject("ada@example.test");
		long before = count();
		tenantErasure.eraseAllOf(tenant);
		assertThat(count()).isNotEqualTo(before);
	}

	private UUID subject(String email) {
		return records.findOrCreateSubject(tenant, Map.of("email", email), "test").id();
	}

	/** The count as an import batch reads it: under the lock, in a transaction of its own. */
	private long count() {
		return new TransactionTemplate(transactions).execute(status -> erasureLock.hold(tenant));
	}

	/** As every eraser does: the erasure lock first, then the subjects. */
	private void inTransaction(Runnable work) {
		new TransactionTemplate(transactions).executeWithoutResult(status -> {
			erasureLock.hold(tenant);
			work.run();
		});
	}
}

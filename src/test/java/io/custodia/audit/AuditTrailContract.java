package io.custodia.audit;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import io.custodia.audit.AuditVerification.Problem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What the audit trail promises a privacy officer, whatever database is under it: a chain that verifies while
 * untouched, and any edit, removal, reordering or truncation found at the entry where it happened.
 */
abstract class AuditTrailContract {

	static final int CHAIN = 50;

	@Autowired
	AuditTrail trail;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	PlatformTransactionManager transactions;

	@Autowired
	io.custodia.keys.KeyManagement keys;

	/** A tenant with its own keys: the chain is sealed with the tenant's audit key. */
	String freshTenant() {
		String tenant = "t-" + UUID.randomUUID().toString().substring(0, 8);
		keys.createTenantKeys(tenant);
		return tenant;
	}

	@Test
	void aTenantWithoutKeysCannotBeAuditedUnsealed() {
		assertThatThrownBy(() -> trail.record(event("no-keys-" + UUID.randomUUID().toString().substring(0, 8), 1)))
			.hasMessageContaining("has no keys");
	}

	static AuditEvent event(String tenant, int i) {
		AuditAction action = AuditAction.values()[i % AuditAction.values().length];
		return new AuditEvent(tenant, i % 3 == 0 ? "system:retention" : "api-key:3f2a" + i, action, UUID.randomUUID(),
				i % 2 == 0 ? UUID.randomUUID() : null, i % 4 == 0 ? null : "rule:server_logs/logs_6_months",
				i % 5 == 0 ? Map.of() : Map.of("fields", "email,ip_address", "count", Integer.toString(i)));
	}

	List<AuditEntry> chain(String tenant, int length) {
		var recorded = new ArrayList<AuditEntry>();
		for (int i = 1; i <= length; i++) {
			recorded.add(trail.record(event(tenant, i)));
		}
		return recorded;
	}

	@Test
	void aFreshTenantsChainOfFiftyEntriesVerifiesIntact() {
		String tenant = freshTenant();
		List<AuditEntry> recorded = chain(tenant, CHAIN);

		AuditVerification verification = trail.verify(tenant);

		assertThat(verification.intact()).as(verification.explanation()).isTrue();
		assertThat(verification.entriesChecked()).isEqualTo(CHAIN);
		assertThat(verification.firstBrokenSequence()).isNull();
		assertThat(verification.problem()).isNull();
		assertThat(recorded).extracting(AuditEntry::sequence).containsExactlyElementsOf(LongStream.rangeClosed(1, CHAIN).boxed().toList());
		assertThat(recorded.get(0).previousHash()).isEqualTo(new byte[32]);
		for (int i = 1; i < CHAIN; i++) {
			assertThat(recorded.get(i).previousHash()).isEqualTo(recorded.get(i - 1).hash());
		}
	}

	@Test
	void entriesAreReadBackExactlyAsRecorded() {
		String tenant = freshTenant();
		List<AuditEntry> recorded = chain(tenant, 12);

		assertThat(trail.entries(tenant, null, null, 100)).containsExactlyElementsOf(recorded);
	}

	@Test
	void entriesAreFoundBySubjectAndRecordNewestLast() {
		String tenant = freshTenant();
		UUID subject = UUID.randomUUID();
		UUID record = UUID.randomUUID();
		chain(tenant, 3);
		var stored = trail.record(new AuditEvent(tenant, "api-key:3f2a", AuditAction.RECORD_STORED, subject, record, null,
				Map.of("fields", "email")));
		var read = trail.record(new AuditEvent(tenant, "api-key:3f2a", AuditAction.RECORD_READ, subject, record, "request:r-1", Map.of()));
		var other = trail.record(new AuditEvent(tenant, "api-key:3f2a", AuditAction.RECORD_STORED, subject, UUID.randomUUID(), null, Map.of()));
		var erased = trail.record(new AuditEvent(tenant, "system:requests", AuditAction.SUBJECT_ERASED, subject, null, "request:r-2", Map.of()));

		assertThat(trail.entries(tenant, subject, null, 10)).containsExactly(stored, read, other, erased);
		assertThat(trail.entries(tenant, subject, record, 10)).containsExactly(stored, read);
		assertThat(trail.entries(tenant, null, record, 10)).containsExactly(stored, read);
		assertThat(trail.entries(tenant, subject, null, 2)).containsExactly(other, erased);
		assertThat(trail.entries(tenant, null, null, 1)).containsExactly(erased);
		assertThat(trail.entries(freshTenant(), null, null, 10)).isEmpty();
	}

	@Test
	void anEntryOfABulkActIsFoundByEverySubjectAndRecordItNames() {
		String tenant = freshTenant();
		UUID subject = UUID.randomUUID();
		UUID record = UUID.randomUUID();
		UUID unrelated = UUID.randomUUID();
		var batch = trail.record(new AuditEvent(tenant, "cli", AuditAction.RECORDS_IMPORTED, null, null, "import",
				Map.of("record_ids", UUID.randomUUID() + "," + record, "subject_ids", subject.toString())));
		var listing = trail.record(new AuditEvent(tenant, "api-key:3f2a", AuditAction.RECORD_READ, subject, null, null,
				Map.of("record_ids", record + "," + UUID.randomUUID())));

		assertThat(trail.entries(tenant, null, record, 10)).containsExactly(batch, listing);
		assertThat(trail.entries(tenant, subject, null, 10)).containsExactly(batch, listing);
		assertThat(trail.entries(tenant, subject, record, 10)).containsExactly(batch, listing);
		assertThat(trail.entries(tenant, unrelated, null, 10)).isEmpty();
		assertThat(trail.entries(tenant, null, unrelated, 10)).isEmpty();
	}

	@ParameterizedTest
	@ValueSource(strings = { "actor", "reason", "details", "at", "action", "subject_id", "record_id", "previous_hash", "hash" })
	void editingAnyStoredFieldOfOneEntryIsDetectedAsEditedAtThatEntry(String column) {
		String tenant = freshTenant();
		List<AuditEntry> recorded = chain(tenant, CHAIN);
		AuditEntry victim = recorded.get(22);
		Object forged = switch (column) {
			case "actor" -> "cli";
			case "reason" -> "hold:FORGED-1";
			case "details" -> "{\"count\":\"1\",\"fields\":\"email\"}";
			case "at" -> OffsetDateTime.ofInstant(victim.at().plusNanos(1_000), ZoneOffset.UTC);
			case "action" -> victim.action() == AuditAction.RECORD_READ ? "RECORD_STORED" : "RECORD_READ";
			case "subject_id", "record_id" -> UUID.randomUUID();
			case "previous_hash" -> recorded.get(20).hash();
			case "hash" -> recorded.get(24).hash();
			default -> throw new IllegalArgumentException(column);
		};
		assertThat(jdbc.sql("update audit_entry set " + column + " = ? where tenant_id = ? and sequence = ?")
			.params(forged, tenant, victim.sequence())
			.update()).isEqualTo(1);

		AuditVerification verification = trail.verify(tenant);

		assertThat(verification.intact()).isFalse();
		assertThat(verification.problem()).isEqualTo(Problem.EDITED);
		assertThat(verification.firstBrokenSequence()).isEqualTo(23L);
		assertThat(verification.entriesChecked()).isEqualTo(23);
		assertThat(verification.explanation()).contains("entry 23").contains("changed");
	}

	@Test
	void detailsEditedIntoSomethingThatIsNotJsonAreDetectedAsEdited() {
		String tenant = freshTenant();
		chain(tenant, 10);
		jdbc.sql("update audit_entry set details = '{not json' where tenant_id = ? and sequence = 4").param(tenant).update();

		AuditVerification verification = trail.verify(tenant);

		assertThat(verification.problem()).isEqualTo(Problem.EDITED);
		assertThat(verification.firstBrokenSequence()).isEqualTo(4L);
	}

	@ParameterizedTest
	@ValueSource(longs = { 1, 20 })
	void deletingAnEntryIsDetectedAsRemovedAtItsSequence(long sequence) {
		String tenant = freshTenant();
		chain(tenant, CHAIN);
		delete(tenant, sequence);

		AuditVerification verification = trail.verify(tenant);

		assertThat(verification.intact()).isFalse();
		assertThat(verification.problem()).isEqualTo(Problem.REMOVED);
		assertThat(verification.firstBrokenSequence()).isEqualTo(sequence);
		assertThat(verification.explanation()).contains("entry " + sequence + " is missing");
	}

	@Test
	void deletingSeveralEntriesNamesTheFirstMissing() {
		String tenant = freshTenant();
		chain(tenant, CHAIN);
		jdbc.sql("delete from audit_entry where tenant_id = ? and sequence between 30 and 33").param(tenant).update();

		AuditVerification verification = trail.verify(tenant);

		assertThat(verification.problem()).isEqualTo(Problem.REMOVED);
		assertThat(verification.firstBrokenSequence()).isEqualTo(30L);
		assertThat(verification.explanation()).isEqualTo("entry 29 is followed by entry 34: entries 30 to 33 are missing");
	}

	@Test
	void swappingTwoEntriesIsDetectedAtTheFirstOfThem() {
		String tenant = freshTenant();
		chain(tenant, CHAIN);
		swapContents(tenant, 10, 30);

		AuditVerification verification = trail.verify(tenant);

		assertThat(verification.intact()).isFalse();
		assertThat(verification.problem()).isIn(Problem.REORDERED, Problem.EDITED);
		assertThat(verification.firstBrokenSequence()).isEqualTo(10L);
	}

	@Test
	void anEntryFromAnEarlierVersionOfTheChainPutInItsPlaceIsDetectedAsReordered() {
		String tenant = freshTenant();
		chain(tenant, 10);
		// keep the old entry 5: correctly sealed, but it follows the old entry 4
		Map<String, Object> oldFifth = jdbc.sql("select * from audit_entry where tenant_id = ? and sequence = 5").param(tenant).query().singleRow();
		jdbc.sql("delete from audit_entry where tenant_id = ?").param(tenant).update();
		jdbc.sql("delete from audit_head where tenant_id = ?").param(tenant).update();
		chain(tenant, 10);
		delete(tenant, 5);
		insertRow(oldFifth);

		AuditVerification verification = trail.verify(tenant);

		assertThat(verification.problem()).isEqualTo(Problem.REORDERED);
		assertThat(verification.firstBrokenSequence()).isEqualTo(5L);
		assertThat(verification.explanation()).contains("entry 5 is sealed but does not follow entry 4");
	}

	@Test
	void deletingTheLastEntryIsDetectedAsTruncated() {
		String tenant = freshTenant();
		chain(tenant, CHAIN);
		delete(tenant, CHAIN);

		AuditVerification verification = trail.verify(tenant);

		assertThat(verification.intact()).isFalse();
		assertThat(verification.problem()).isEqualTo(Problem.TRUNCATED);
		assertThat(verification.firstBrokenSequence()).isEqualTo((long) CHAIN);
		assertThat(verification.entriesChecked()).isEqualTo(CHAIN - 1);
		assertThat(verification.explanation()).isEqualTo("the chain ends at entry 49 but 50 were recorded: entry 50 was deleted from the end");
	}

	@Test
	void deletingEveryEntryIsDetectedAsTruncated() {
		String tenant = freshTenant();
		chain(tenant, 5);
		jdbc.sql("delete from audit_entry where tenant_id = ?").param(tenant).update();

		AuditVerification verification = trail.verify(tenant);

		assertThat(verification.problem()).isEqualTo(Problem.TRUNCATED);
		assertThat(verification.firstBrokenSequence()).isEqualTo(1L);
		assertThat(verification.explanation()).startsWith("no entries are left but 5 were recorded");
	}

	@Test
	void aChainWhoseEndIsNoLongerRecordedIsNotContinuedButReported() {
		String tenant = freshTenant();
		chain(tenant, 5);
		jdbc.sql("delete from audit_head where tenant_id = ?").param(tenant).update();

		assertThat(trail.verify(tenant).problem()).isEqualTo(Problem.TRUNCATED);
		assertThatThrownBy(() -> trail.record(event(tenant, 6))).hasMessageContaining("has entries but no record of where it ends")
			.hasMessageContaining("custodia audit verify --tenant " + tenant);
	}

	@Test
	void concurrentAppendsToOneTenantStayContiguousAndVerify() throws Exception {
		String tenant = freshTenant();
		int threads = 8;
		int each = 100;
		ExecutorService pool = Executors.newFixedThreadPool(threads);
		var start = new CountDownLatch(1);
		try {
			var done = new ArrayList<Future<?>>();
			for (int t = 0; t < threads; t++) {
				int thread = t;
				done.add(pool.submit(() -> {
					start.await();
					for (int i = 0; i < each; i++) {
						trail.record(event(tenant, thread * each + i));
					}
					return null;
				}));
			}
			start.countDown();
			for (Future<?> future : done) {
				future.get(2, TimeUnit.MINUTES);
			}
		}
		finally {
			pool.shutdownNow();
		}

		assertThat(jdbc.sql("select sequence from audit_entry where tenant_id = ? order by sequence").param(tenant).query(Long.class).list())
			.containsExactlyElementsOf(LongStream.rangeClosed(1, threads * each).boxed().toList());
		AuditVerification verification = trail.verify(tenant);
		assertThat(verification.intact()).as(verification.explanation()).isTrue();
		assertThat(verification.entriesChecked()).isEqualTo(threads * each);
	}

	@Test
	void tamperingWithOneTenantsChainLeavesAnothersIntact() {
		String a = freshTenant();
		String b = freshTenant();
		for (int i = 1; i <= 20; i++) {
			trail.record(event(a, i));
			trail.record(event(b, i));
		}
		jdbc.sql("update audit_entry set actor = 'cli' where tenant_id = ? and sequence = 7").param(a).update();

		assertThat(trail.verify(a).firstBrokenSequence()).isEqualTo(7L);
		assertThat(trail.verify(b).intact()).isTrue();
		assertThat(trail.verify(b).entriesChecked()).isEqualTo(20);
		assertThat(trail.entries(b, null, null, 100)).extracting(AuditEntry::sequence)
			.containsExactlyElementsOf(LongStream.rangeClosed(1, 20).boxed().toList());
	}

	@Test
	void anEntryCopiedIntoAnotherTenantsChainDoesNotVerifyThere() {
		String a = freshTenant();
		String b = freshTenant();
		chain(a, 3);
		chain(b, 3);
		Map<String, Object> fromA = jdbc.sql("select * from audit_entry where tenant_id = ? and sequence = 3").param(a).query().singleRow();
		delete(b, 3);
		fromA.put("tenant_id", b);
		insertRow(fromA);

		AuditVerification verification = trail.verify(b);

		assertThat(verification.problem()).isEqualTo(Problem.EDITED);
		assertThat(verification.firstBrokenSequence()).isEqualTo(3L);
	}

	@Test
	void anActWhoseTransactionRollsBackLeavesNoAuditEntry() {
		String tenant = freshTenant();
		chain(tenant, 3);
		var transaction = new TransactionTemplate(transactions);

		assertThatThrownBy(() -> transaction.executeWithoutResult(status -> {
			jdbc.sql("insert into tenant (id, name, created_at) values (?, 'Rolled back', current_timestamp)").param(tenant).update();
			trail.record(new AuditEvent(tenant, "cli", AuditAction.TENANT_CREATED, null, null, null, Map.of()));
			throw new IllegalStateException("the act failed after its audit entry was written");
		})).hasMessageContaining("the act failed");

		assertThat(jdbc.sql("select count(*) from tenant where id = ?").param(tenant).query(Long.class).single()).isZero();
		assertThat(trail.entries(tenant, null, null, 10)).extracting(AuditEntry::action).doesNotContain(AuditAction.TENANT_CREATED);
		assertThat(trail.record(event(tenant, 4)).sequence()).isEqualTo(4);
		assertThat(trail.verify(tenant).intact()).isTrue();
	}

	@Test
	void theFirstActOfATenantRolledBackLeavesNoChainBehind() {
		String tenant = "t-" + UUID.randomUUID().toString().substring(0, 8);
		var transaction = new TransactionTemplate(transactions);

		// as the creation of a tenant does: its keys and its first entry commit, or roll back, together
		assertThatThrownBy(() -> transaction.executeWithoutResult(status -> {
			keys.createTenantKeys(tenant);
			trail.record(new AuditEvent(tenant, "system:tenancy", AuditAction.TENANT_CREATED, null, null, null, Map.of()));
			throw new IllegalStateException("the act failed");
		})).hasMessage("the act failed");

		assertThat(jdbc.sql("select count(*) from audit_head where tenant_id = ?").param(tenant).query(Long.class).single()).isZero();
		AuditVerification verification = trail.verify(tenant);
		assertThat(verification.intact()).isTrue();
		assertThat(verification.entriesChecked()).isZero();
	}

	@Test
	void theFirstActOfATenantStartsItsChainAtOneWithASealedHead() {
		String tenant = freshTenant();

		assertThat(trail.record(event(tenant, 1)).sequence()).isEqualTo(1);

		assertThat(jdbc.sql("select mac from audit_head where tenant_id = ?").param(tenant).query(byte[].class).single()).isNotNull();
		AuditVerification verification = trail.verify(tenant);
		assertThat(verification.intact()).as(verification.explanation()).isTrue();
		assertThat(verification.notice()).isNull();
	}

	@Test
	void verificationReadsChainsLongerThanOnePage() {
		String tenant = freshTenant();
		chain(tenant, AuditTrail.PAGE + 5);
		delete(tenant, AuditTrail.PAGE + 2);

		AuditVerification verification = trail.verify(tenant);

		assertThat(verification.problem()).isEqualTo(Problem.REMOVED);
		assertThat(verification.firstBrokenSequence()).isEqualTo(AuditTrail.PAGE + 2L);
	}

	/** A tenant id that was never created here (a typo, say): nothing was recorded, so nothing is missing. */
	@Test
	void aTenantThatNeverHadKeysHasNoEntriesAndIsIntact() {
		AuditVerification verification = trail.verify("never-" + UUID.randomUUID().toString().substring(0, 8));

		assertThat(verification.intact()).isTrue();
		assertThat(verification.entriesChecked()).isZero();
		assertThat(verification.explanation()).isEqualTo("no entries recorded");
	}

	/**
	 * A tenant's keys and its first entry commit in one transaction (its creation), so keys without a chain mean the
	 * chain was deleted, head and all.
	 */
	@Test
	void aTenantWithKeysButNeitherEntriesNorHeadHasLostItsWholeChain() {
		String tenant = freshTenant();

		AuditVerification verification = trail.verify(tenant);

		assertThat(verification.intact()).isFalse();
		assertThat(verification.problem()).isEqualTo(Problem.TRUNCATED);
		assertThat(verification.firstBrokenSequence()).isEqualTo(1L);
		assertThat(verification.explanation()).contains("its whole audit chain is missing");
	}

	@Test
	void deletingAWholeChainTogetherWithItsHeadIsDetectedAsTruncated() {
		String tenant = freshTenant();
		chain(tenant, 10);
		jdbc.sql("delete from audit_entry where tenant_id = ?").param(tenant).update();
		jdbc.sql("delete from audit_head where tenant_id = ?").param(tenant).update();

		AuditVerification verification = trail.verify(tenant);

		assertThat(verification.intact()).isFalse();
		assertThat(verification.problem()).isEqualTo(Problem.TRUNCATED);
		assertThat(verification.firstBrokenSequence()).isEqualTo(1L);
		assertThat(verification.entriesChecked()).isZero();
		assertThat(verification.explanation()).isEqualTo("tenant " + tenant + " has audit keys but no entries and no record of"
				+ " where its chain ends: its whole audit chain is missing (a tenant's chain starts when it is created)");
	}

	@Test
	void cuttingEntriesFromTheEndAndSettingTheHeadBackToTheNewLastEntryIsDetectedAsTruncated() {
		String tenant = freshTenant();
		chain(tenant, CHAIN);
		byte[] fortieth = jdbc.sql("select hash from audit_entry where tenant_id = ? and sequence = 40").param(tenant).query(byte[].class).single();
		jdbc.sql("delete from audit_entry where tenant_id = ? and sequence > 40").param(tenant).update();
		// the head's seal is left as it was: without the key, no seal over (40, hash of entry 40) can be made
		assertThat(jdbc.sql("update audit_head set sequence = 40, hash = ? where tenant_id = ?").params(fortieth, tenant).update()).isEqualTo(1);

		AuditVerification verification = trail.verify(tenant);

		assertThat(verification.intact()).isFalse();
		assertThat(verification.problem()).isEqualTo(Problem.TRUNCATED);
		assertThat(verification.firstBrokenSequence()).isEqualTo(41L);
		assertThat(verification.entriesChecked()).isEqualTo(40);
		assertThat(verification.explanation()).isEqualTo("the record of where the chain ends (at entry 40) does not match its seal:"
				+ " it was rewritten, so entries after entry 40 may have been deleted from the end");
	}

	@ParameterizedTest
	@ValueSource(strings = { "random bytes", "an entry's seal", "another tenant's head seal" })
	void aHeadWithAForgedSealIsDetectedAsTruncated(String forgery) {
		String tenant = freshTenant();
		chain(tenant, 10);
		byte[] forged = switch (forgery) {
			case "random bytes" -> UUID.randomUUID().toString().getBytes(java.nio.charset.StandardCharsets.US_ASCII);
			// a MAC under the tenant's own key, but over an entry: the head's bytes are kept apart from an entry's
			case "an entry's seal" -> jdbc.sql("select hash from audit_entry where tenant_id = ? and sequence = 10").param(tenant)
				.query(byte[].class).single();
			case "another tenant's head seal" -> {
				String other = freshTenant();
				chain(other, 10);
				yield jdbc.sql("select mac from audit_head where tenant_id = ?").param(other).query(byte[].class).single();
			}
			default -> throw new IllegalArgumentException(forgery);
		};
		jdbc.sql("update audit_head set mac = ? where tenant_id = ?").params(forged, tenant).update();

		AuditVerification verification = trail.verify(tenant);

		assertThat(verification.intact()).isFalse();
		assertThat(verification.problem()).isEqualTo(Problem.TRUNCATED);
		assertThat(verification.firstBrokenSequence()).isEqualTo(11L);
		assertThat(verification.explanation()).contains("does not match its seal");
	}

	@Test
	void aHeadWrittenBeforeHeadsWereSealedIsReportedNotSealedButIntactAndTheNextAppendSealsIt() {
		String tenant = freshTenant();
		chain(tenant, 10);
		// as a head written before V57 is
		jdbc.sql("update audit_head set mac = null where tenant_id = ?").param(tenant).update();

		AuditVerification before = trail.verify(tenant);

		assertThat(before.intact()).as(before.explanation()).isTrue();
		assertThat(before.problem()).isNull();
		assertThat(before.entriesChecked()).isEqualTo(10);
		assertThat(before.notice()).isEqualTo(AuditVerification.UNSEALED).contains("not sealed yet");

		trail.record(event(tenant, 11));
		AuditVerification after = trail.verify(tenant);

		assertThat(jdbc.sql("select mac from audit_head where tenant_id = ?").param(tenant).query(byte[].class).single()).isNotNull();
		assertThat(after.intact()).as(after.explanation()).isTrue();
		assertThat(after.entriesChecked()).isEqualTo(11);
		assertThat(after.notice()).isNull();
	}

	@Test
	void anUnsealedHeadDoesNotHideEntriesCutFromTheEnd() {
		String tenant = freshTenant();
		chain(tenant, 10);
		jdbc.sql("update audit_head set mac = null where tenant_id = ?").param(tenant).update();
		delete(tenant, 10);

		AuditVerification verification = trail.verify(tenant);

		assertThat(verification.problem()).isEqualTo(Problem.TRUNCATED);
		assertThat(verification.explanation()).isEqualTo("the chain ends at entry 9 but 10 were recorded: entry 10 was deleted from the end");
	}

	@Test
	void aBulkAppendSealsTheHead() {
		String tenant = freshTenant();
		chain(tenant, 3);
		jdbc.sql("update audit_head set mac = null where tenant_id = ?").param(tenant).update();

		trail.recordAll(tenant, List.of(event(tenant, 4), event(tenant, 5)));

		AuditVerification verification = trail.verify(tenant);
		assertThat(verification.intact()).as(verification.explanation()).isTrue();
		assertThat(verification.entriesChecked()).isEqualTo(5);
		assertThat(verification.notice()).isNull();
	}

	void delete(String tenant, long sequence) {
		assertThat(jdbc.sql("delete from audit_entry where tenant_id = ? and sequence = ?").params(tenant, sequence).update()).isEqualTo(1);
	}

	/** Swaps everything but the sequence numbers, as someone editing rows to reorder history would. */
	void swapContents(String tenant, long first, long second) {
		Map<String, Object> a = jdbc.sql("select * from audit_entry where tenant_id = ? and sequence = ?").params(tenant, first).query().singleRow();
		Map<String, Object> b = jdbc.sql("select * from audit_entry where tenant_id = ? and sequence = ?").params(tenant, second).query().singleRow();
		overwrite(tenant, first, b);
		overwrite(tenant, second, a);
	}

	private void overwrite(String tenant, long sequence, Map<String, Object> row) {
		jdbc.sql("""
				update audit_entry set at = ?, actor = ?, action = ?, subject_id = ?, record_id = ?, reason = ?, details = ?,
				previous_hash = ?, hash = ? where tenant_id = ? and sequence = ?""")
			.params(value(row, "at"), value(row, "actor"), value(row, "action"), value(row, "subject_id"), value(row, "record_id"),
					value(row, "reason"), value(row, "details"), value(row, "previous_hash"), value(row, "hash"), tenant, sequence)
			.update();
	}

	private void insertRow(Map<String, Object> row) {
		jdbc.sql("""
				insert into audit_entry (tenant_id, sequence, at, actor, action, subject_id, record_id, reason, details, previous_hash, hash)
				values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")
			.params(value(row, "tenant_id"), value(row, "sequence"), value(row, "at"), value(row, "actor"), value(row, "action"),
					value(row, "subject_id"), value(row, "record_id"), value(row, "reason"), value(row, "details"),
					value(row, "previous_hash"), value(row, "hash"))
			.update();
	}

	/** A column of a row read with {@code select *}; H2 names columns in upper case, PostgreSQL in lower. */
	private static Object value(Map<String, Object> row, String column) {
		return row.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(column)).findFirst().orElseThrow().getValue();
	}
}

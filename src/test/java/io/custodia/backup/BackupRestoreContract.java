package io.custodia.backup;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import io.custodia.Examples;
import io.custodia.MutableClock;
import io.custodia.keys.KeyManagement;
import io.custodia.keys.ServiceKeys;
import io.custodia.records.ExpiryAction;
import io.custodia.records.NewRecord;
import io.custodia.records.RecordManagement;
import io.custodia.retention.HoldScope;
import io.custodia.retention.LegalHolds;
import io.custodia.retention.RetentionRuns;
import io.custodia.tenancy.ApiKeys;
import io.custodia.tenancy.Role;
import io.custodia.tenancy.TenantManagement;
import io.custodia.termination.DeletionCertificate;
import io.custodia.termination.TenantTermination;
import io.custodia.termination.TerminationRefusedException;
import io.custodia.vault.Vault;
import io.custodia.vault.VaultFile;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Backups, the erasure ledger and tenant termination, on whatever database is under them (R6, R7): what was erased,
 * deleted or terminated after a backup stays so after restoring it, and a backup past 30 days is unreadable.
 */
abstract class BackupRestoreContract {

	/** Distinctive enough for a scan to find it if it were ever written in the clear. */
	static final String NAME = "Quxbaz Vorpalson";

	@LocalServerPort
	int port;

	@Autowired
	TenantManagement tenants;

	@Autowired
	javax.sql.DataSource dataSource;

	@Autowired
	RecordManagement records;

	@Autowired
	TenantTermination termination;

	@Autowired
	Backups backups;

	@Autowired
	ErasureLedger ledger;

	@Autowired
	KeyManagement keys;

	@Autowired
	ServiceKeys serviceKeys;

	@Autowired
	ApiKeys apiKeys;

	@Autowired
	MutableClock clock;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	LegalHolds legalHolds;

	@Autowired
	io.custodia.records.SubjectRights subjectRights;

	@Autowired
	org.springframework.transaction.PlatformTransactionManager transactions;

	@Autowired
	io.custodia.audit.AuditTrail audit;

	@Autowired
	RetentionRuns retention;

	@Autowired
	BackupSchedule schedule;

	@Autowired
	Vault vault;

	@Autowired
	BackupConfiguration.Locations locations;

	final HttpClient http = HttpClient.newHttpClient();

	@BeforeEach
	void laterThanAnyBackupOfAnEarlierTest() {
		// each test starts well after the backups of the ones before, which have expired by then
		clock.set(clock.instant().plus(Duration.ofDays(40)));
		backups.prune();
	}

	String tenant() {
		String id = "t" + UUID.randomUUID().toString().substring(0, 8);
		tenants.create(id, "imengine.yaml", Examples.text("imengine"));
		return id;
	}

	UUID subjectWithRecord(String tenant, String email) {
		UUID subject = records.findOrCreateSubject(tenant, Map.of("email", email), "test").id();
		records.store(tenant, subject, new NewRecord("recruitment", "identity_contact", Map.of("name", NAME, "email", email),
				Map.of("outcome", "pending"), null), "test");
		return subject;
	}

	/** A pending job application of the subject's: kept by retention, gone with an erasure. */
	UUID application(String tenant, UUID subject) {
		return records.store(tenant, subject, new NewRecord("recruitment", "identity_contact", Map.of("name", NAME),
				Map.of("outcome", "pending"), null), "test").id();
	}

	void later() {
		clock.set(clock.instant().plus(Duration.ofHours(2)));
	}

	@Test
	void aSubjectErasedAFileDeletedAndATenantTerminatedAfterABackupStayGoneAfterRestoringIt() throws Exception {
		String kept = tenant();
		UUID erased = subjectWithRecord(kept, "erased@example.test");
		UUID staying = subjectWithRecord(kept, "staying@example.test");
		byte[] drawing = "solid cube\nendsolid\n".getBytes(StandardCharsets.UTF_8);
		VaultFile deleted = vault.store(kept, "/drawings/deleted.stl", new ByteArrayInputStream(drawing), drawing.length, "test");
		VaultFile remaining = vault.store(kept, "/drawings/kept.stl", new ByteArrayInputStream(drawing), drawing.length, "test");
		String ended = tenant();
		UUID ofEnded = subjectWithRecord(ended, "customer@example.test");
		vault.store(ended, "/layout.dxf", new ByteArrayInputStream(drawing), drawing.length, "test");
		var backup = backups.create();
		assertThat(backup.files()).isGreaterThanOrEqualTo(2);

		later();
		records.eraseSubject(kept, erased, "erasure requested", "test");
		vault.delete(kept, deleted.id(), "test");
		var certificate = termination.terminate(ended, "test");
		assertThat(certificate.content().get("deleted").get("files").asLong()).isEqualTo(1);
		long ledgerEntries = ledger.verify().entries();

		later();
		var restored = backups.restore(backup.id());

		assertThat(restored.replay().failures()).isEmpty();
		assertThat(restored.replay().applied()).as("the erasure, the file deletion and the termination").isEqualTo(3);
		assertThat(records.hasSubject(kept, erased)).isFalse();
		assertThat(records.hasSubject(kept, staying)).isTrue();
		assertThat(records.recordsOf(kept, staying, "test")).singleElement()
			.satisfies(r -> assertThat(r.fields()).containsEntry("name", NAME));
		assertThat(vault.list(kept, "/drawings", false).files()).extracting(VaultFile::id).containsExactly(remaining.id());
		try (var download = vault.open(kept, remaining.id(), "all", "test")) {
			assertThat(readAll(download.content())).isEqualTo(drawing);
		}
		assertThat(jdbc.sql("select count(*) from vault_file where tenant_id = ?").param(ended).query(Long.class).single())
			.as("the terminated tenant's files").isZero();
		assertThat(keys.hasKeys(ended)).isFalse();
		assertThat(records.hasSubject(ended, ofEnded)).isFalse();
		assertThat(termination.certificate(ended)).as("a certificate is issued again for the repeated termination").isPresent();
		assertThat(ledger.verify().entries()).as("replaying appends nothing").isEqualTo(ledgerEntries);
		assertThat(ledger.verify().intact()).isTrue();
	}

	@Test
	void aSubjectWhoseLastRecordRetentionTookAfterABackupStaysErasedAfterRestoringIt() {
		String tenant = tenant();
		UUID subject = records.findOrCreateSubject(tenant, Map.of("email", "applicant@example.test"), "test").id();
		records.store(tenant, subject, new NewRecord("recruitment", "identity_contact", Map.of("name", NAME),
				Map.of("outcome", "interviewed", "assessment_closed", java.time.LocalDate.now(clock).toString()), null), "test");
		var backup = backups.create();

		clock.set(clock.instant().plus(Duration.ofDays(5 * 366)));
		retention.run(tenant, null, false, "test");
		assertThat(records.hasSubject(tenant, subject)).isFalse();
		assertThat(ledger.entriesSince(backup.createdAt())).anySatisfy(entry -> {
			assertThat(entry.kind()).isEqualTo(ErasureKind.SUBJECT_ERASED);
			assertThat(entry.subjectId()).isEqualTo(subject);
		});

		// restored the day the backup was taken, as an operator would within its 30 days
		clock.set(backup.createdAt().plus(Duration.ofDays(1)));
		backups.restore(backup.id());
		clock.set(backup.createdAt().plus(Duration.ofDays(5 * 366 + 1)));
		assertThat(records.hasSubject(tenant, subject)).isFalse();
	}

	@Test
	void aRecordDeletedAndARecordDeidentifiedAfterABackupStaySoAfterRestoringItWhileTheirSubjectStays() {
		String tenant = tenant();
		UUID subject = records.findOrCreateSubject(tenant, Map.of("email", "visitor@example.test"), "test").id();
		var log = Map.<String, Object>of("ip_address", "198.51.100.23", "user_agent", "Firefox", "requested_url", "/jobs");
		UUID deleted = records.store(tenant, subject, new NewRecord("server_logs", "technical", log, Map.of("visit", "2026-01-02"), null),
				"test").id();
		UUID deidentified = records.store(tenant, subject, new NewRecord("server_logs", "technical", log,
				Map.of("visit", "2026-01-03"), null), "test").id();
		UUID staying = records.store(tenant, subject, new NewRecord("server_logs", "technical", log,
				Map.of("visit", "2026-01-04"), null), "test").id();
		var backup = backups.create();
		later();
		records.expire(tenant, deleted, ExpiryAction.DELETE, "consent withdrawn", "test");
		records.expire(tenant, deidentified, ExpiryAction.DE_IDENTIFY, "rule:server_logs/logs", "test");
		assertThat(ledger.entriesSince(backup.createdAt())).extracting(LedgerEntry::kind, LedgerEntry::recordId)
			.contains(org.assertj.core.groups.Tuple.tuple(ErasureKind.RECORD_DELETED, deleted),
					org.assertj.core.groups.Tuple.tuple(ErasureKind.RECORD_DEIDENTIFIED, deidentified));

		backups.restore(backup.id());

		assertThat(records.hasRecord(tenant, deleted)).as("the deleted record").isFalse();
		// de-identified again by the ledger's replay, under a new id as always (R4): the old one is gone
		assertThat(records.hasRecord(tenant, deidentified)).as("the de-identified record's old id").isFalse();
		var keptIds = new org.springframework.jdbc.core.JdbcTemplate(dataSource).queryForList(
				"select id from personal_record where tenant_id = ? and status = 'DEIDENTIFIED'", UUID.class, tenant);
		assertThat(keptIds).hasSize(1);
		var view = records.read(tenant, keptIds.get(0), "test");
		assertThat(view.status()).isEqualTo(io.custodia.records.RecordStatus.DEIDENTIFIED);
		assertThat(view.subjectId()).isNull();
		assertThat(view.fields()).containsOnlyKeys("user_agent", "requested_url");
		assertThat(records.read(tenant, staying, "test").fields()).containsEntry("ip_address", "198.51.100.23");
		assertThat(records.hasSubject(tenant, subject)).isTrue();
		assertThat(ledger.verify().intact()).isTrue();
	}

	@Test
	void aSubjectsLastRecordDeidentifiedAfterABackupIsDeidentifiedAgainBeforeItsSubjectIsErasedWhenRestoringIt() {
		String tenant = tenant();
		UUID subject = records.findOrCreateSubject(tenant, Map.of("email", "last-visit@example.test"), "test").id();
		UUID last = records.store(tenant, subject, new NewRecord("server_logs", "technical",
				Map.of("ip_address", "198.51.100.24", "user_agent", "Firefox", "requested_url", "/jobs"), Map.of("visit", "2026-01-02"),
				null), "test").id();
		var backup = backups.create();
		later();
		var expiry = records.expire(tenant, last, ExpiryAction.DE_IDENTIFY, "rule:server_logs/logs", "test");
		assertThat(expiry.deidentified()).isTrue();
		assertThat(expiry.subjectErased()).isTrue();
		// in this order: a replay that erased the subject first would take the record with it
		assertThat(ledger.entriesSince(backup.createdAt())).extracting(LedgerEntry::kind)
			.containsExactly(ErasureKind.RECORD_DEIDENTIFIED, ErasureKind.SUBJECT_ERASED);

		backups.restore(backup.id());

		assertThat(records.hasSubject(tenant, subject)).isFalse();
		assertThat(records.hasRecord(tenant, last)).isFalse();
		var kept = records.deidentified(tenant, null, null, null, 10, "test").records();
		assertThat(kept).hasSize(1);
		assertThat(kept.get(0).fields()).containsOnlyKeys("user_agent", "requested_url");
		assertThat(ledger.verify().intact()).isTrue();
	}

	@Test
	void aRecordAnErasureKeptForAHoldAfterABackupIsStillWaitingToGoAfterRestoringItAndGoesOnceTheHoldIsReleased() {
		String tenant = tenant();
		UUID subject = records.findOrCreateSubject(tenant, Map.of("email", "litigant@example.test"), "test").id();
		UUID other = application(tenant, subject);
		UUID held = application(tenant, subject);
		var hold = legalHolds.place(tenant, "COURT-2026-31", HoldScope.RECORD, held.toString(), "pending litigation",
				java.time.LocalDate.of(2030, 1, 1), "test");
		var backup = backups.create();
		later();
		var erasure = subjectRights.erase(tenant, subject, List.of(held), "erasure request (test)", "test");
		assertThat(erasure.restricted()).containsExactly(held);
		assertThat(ledger.entriesSince(backup.createdAt())).extracting(LedgerEntry::kind, LedgerEntry::recordId)
			.contains(org.assertj.core.groups.Tuple.tuple(ErasureKind.RECORD_DELETED, other),
					org.assertj.core.groups.Tuple.tuple(ErasureKind.RECORD_AWAITING_ERASURE, held));

		backups.restore(backup.id());

		assertThat(records.hasRecord(tenant, other)).as("the record the erasure deleted").isFalse();
		assertThat(records.read(tenant, held, "test").status()).isEqualTo(io.custodia.records.RecordStatus.RESTRICTED);
		assertThat(records.pendingErasures(tenant, List.of(held))).containsExactly(held);
		assertThatThrownBy(() -> records.unrestrict(tenant, held, "test", "test"))
			.isInstanceOf(io.custodia.records.PolicyViolationException.class)
			.hasMessageContaining("cannot be lifted");

		legalHolds.release(tenant, hold.id(), "test");
		later();
		retention.run(tenant, null, false, "test");
		assertThat(records.hasRecord(tenant, held)).as("the held record, once its hold is released").isFalse();
		assertThat(records.hasSubject(tenant, subject)).as("its subject, whose last record it was").isFalse();
		assertThat(ledger.verify().intact()).isTrue();
	}

	@Test
	void theDailyJobTakesABackupAndDestroysTheKeysOfThoseThirtyDaysOld() {
		var old = backups.create();
		clock.set(old.createdAt().plus(Duration.ofDays(30)));
		schedule.daily();
		assertThat(backups.list()).extracting(Backups.BackupInfo::id).doesNotContain(old.id()).hasSize(1);
		assertThat(serviceKeys.hasBackupKey(old.id())).isFalse();
		assertThat(backups.list().get(0).createdAt()).isEqualTo(clock.instant());
		assertThat(backups.verify(backups.list().get(0).id()).intact()).isTrue();
	}

	@Test
	void aBackupIsIntactUntilOneByteOfItChanges() throws Exception {
		subjectWithRecord(tenant(), "someone@example.test");
		var backup = backups.create();
		assertThat(backups.verify(backup.id()).intact()).isTrue();

		Path file = backups.directory().resolve(backup.id() + ".backup");
		byte[] bytes = Files.readAllBytes(file);
		bytes[bytes.length / 2] ^= 1;
		Files.write(file, bytes);

		var verification = backups.verify(backup.id());
		assertThat(verification.intact()).isFalse();
		assertThat(verification.problem()).contains(backup.id());
		assertThatThrownBy(() -> backups.restore(backup.id())).isInstanceOf(Backups.BackupException.class);
	}

	@Test
	void aBackupOlderThanThirtyDaysCannotBeReadByAnyoneNotEvenWithTheRootKey() throws Exception {
		String tenant = tenant();
		UUID subject = subjectWithRecord(tenant, "old@example.test");
		var backup = backups.create();
		Path ciphertext = backups.directory().resolve(backup.id() + ".backup");
		Path description = backups.directory().resolve(backup.id() + ".json");
		byte[] wrappedKey = Files.readAllBytes(serviceKeys.store().resolve("backup-" + backup.id() + ".keyset"));
		// someone keeps a copy of the backup files, as an old tape would
		Path copy = Files.createTempDirectory("stolen-backup");
		Files.copy(ciphertext, copy.resolve("b"));
		Files.copy(description, copy.resolve("d"));

		clock.set(backup.createdAt().plus(Duration.ofDays(31)));
		var second = backups.create();
		assertThat(backups.prune()).contains(backup.id()).doesNotContain(second.id());

		assertThat(serviceKeys.hasBackupKey(backup.id())).isFalse();
		assertThat(backups.list()).extracting(Backups.BackupInfo::id).doesNotContain(backup.id());
		Files.copy(copy.resolve("b"), ciphertext, StandardCopyOption.REPLACE_EXISTING);
		Files.copy(copy.resolve("d"), description, StandardCopyOption.REPLACE_EXISTING);
		assertThat(backups.verify(backup.id()).intact()).isFalse();
		assertThatThrownBy(() -> backups.restore(backup.id())).isInstanceOf(Backups.BackupException.class)
			.hasMessageContaining("destroyed");
		// the root key opens every key that is left, and none of them opens this backup
		try (Stream<Path> store = Files.list(serviceKeys.store())) {
			for (String other : store.map(p -> p.getFileName().toString())
				.filter(n -> n.startsWith("backup-") && n.endsWith(".keyset"))
				.map(n -> n.substring("backup-".length(), n.length() - ".keyset".length()))
				.toList()) {
				var aead = serviceKeys.backupKey(other);
				assertThatThrownBy(() -> {
					try (var in = aead.newDecryptingStream(Files.newInputStream(ciphertext),
							("custodia/backup/" + backup.id()).getBytes(StandardCharsets.UTF_8))) {
						in.readAllBytes();
					}
				}).isInstanceOf(IOException.class);
			}
		}
		// and its wrapped key is nowhere: not in the key store, the database files or the backup directory
		assertThat(List.of(serviceKeys.store(), locations.dataDir(), backups.directory()))
			.allSatisfy(dir -> assertThat(contains(dir, wrappedKey)).as(dir.toString()).isFalse());
		assertThat(records.hasSubject(tenant, subject)).isTrue();

		// one found past its expiry before pruning is never opened: its key is destroyed on the spot
		clock.set(second.createdAt().plus(Duration.ofDays(30)));
		assertThat(backups.verify(second.id()).problem()).contains("expired");
		assertThat(serviceKeys.hasBackupKey(second.id())).isFalse();
	}

	@Test
	void terminationIssuesACertificateVerifiableOfflineThatSaysWhenTheLastBackupHoldingItExpires() throws Exception {
		String tenant = tenant();
		subjectWithRecord(tenant, "a@example.test");
		subjectWithRecord(tenant, "b@example.test");
		String key = apiKeys.issue(tenant, Role.APPLICATION, "app").token();
		backups.create();
		later();
		var newest = backups.create();
		later();

		DeletionCertificate certificate = termination.terminate(tenant, "test");

		String publicKeyset = termination.publicKeyset();
		assertThat(publicKeyset).doesNotContain("privateKey");
		assertThat(certificate.verify(publicKeyset)).isTrue();
		JsonNode content = certificate.content();
		assertThat(content.get("tenant").asString()).isEqualTo(tenant);
		assertThat(content.get("deleted").get("subjects").asLong()).isEqualTo(2);
		assertThat(content.get("deleted").get("records").asLong()).isEqualTo(2);
		assertThat(content.get("backups_holding_ciphertext").asInt()).isEqualTo(2);
		assertThat(Instant.parse(content.get("last_backup_expires_at").asString()))
			.isEqualTo(newest.createdAt().plus(Duration.ofDays(30)));
		assertThat(Instant.parse(content.get("terminated_at").asString())).isEqualTo(clock.instant());
		assertThat(certificate.payload()).doesNotContain(NAME);
		var forged = new DeletionCertificate(certificate.payload().replace("\"subjects\":2", "\"subjects\":3"),
				certificate.signature(), certificate.algorithm());
		assertThat(forged.verify(publicKeyset)).isFalse();
		assertThat(apiKeys.authenticate(key)).as("its API keys are revoked").isEmpty();
		assertThat(keys.hasKeys(tenant)).isFalse();
		assertThat(jdbc.sql("select count(*) from personal_record where tenant_id = ?").param(tenant).query(Long.class).single())
			.isZero();
	}

	@Autowired
	io.custodia.consent.ConsentLedger consents;

	@Autowired
	io.custodia.activity.ActivityLog activity;

	@Autowired
	io.custodia.licensing.LicensingManagement licensing;

	/**
	 * Every table that holds a tenant's data is found by its tenant_id column, so a module added later without its
	 * part in tenant end makes this fail. Kept on purpose: the tenant row and its policy versions (the notice
	 * history), its revoked API keys, its audit chain, the termination itself, and its key row emptied of every
	 * keyset (the mark that its keys were destroyed).
	 */
	@Test
	void terminationLeavesNoRowOfTheTenantInAnyTableButItsAuditPolicyHistoryAndCertificate() throws Exception {
		String tenant = tenant();
		UUID subject = subjectWithRecord(tenant, "all@example.test");
		consents.give(tenant, new io.custodia.consent.ConsentGrant(subject, null, java.util.List.of("recruitment_reserve"),
				java.util.List.of(), "form", "en", "subject", "ticked the box", null, false), "test");
		activity.ingest(tenant, java.util.List.of(new io.custodia.activity.ActivityEvent(io.custodia.activity.EventType.LOGIN,
				clock.instant(), "anna", "198.51.100.7", "anna-laptop", "00:11:22:33:44:55", "Firefox", "140", "Designer")), "test");
		licensing.grant(tenant, "Designer", 2, clock.instant(), clock.instant().plus(Duration.ofDays(365)), "test");
		var kept = java.util.Set.of("tenant", "policy_version", "api_key", "audit_entry", "audit_head", "tenant_termination",
				"tenant_key", "shedlock");
		java.util.List<String> tables = jdbc.sql("""
				select lower(table_name) from information_schema.columns
				where lower(column_name) = 'tenant_id' and lower(table_schema) in ('public')""")
			.query(String.class)
			.list();
		assertThat(tables).contains("consent_receipt", "activity_segment", "licence_entitlement", "personal_record", "vault_file");
		assertThat(tables.stream().filter(t -> !kept.contains(t)).filter(t -> count(t, tenant) > 0).toList())
			.as("the tenant has data in these before it ends").contains("consent_receipt", "activity_segment", "licence_seat",
					"personal_record");

		termination.terminate(tenant, "contract ended");

		assertThat(tables.stream().filter(t -> !kept.contains(t)).filter(t -> count(t, tenant) > 0).toList())
			.as("tables still holding rows of the terminated tenant").isEmpty();
		assertThat(jdbc.sql("select count(*) from tenant_key where tenant_id = ? and data_keyset is null and index_keyset is null"
				+ " and audit_keyset is null and destroyed_at is not null").param(tenant).query(Long.class).single()).isOne();
	}

	private long count(String table, String tenant) {
		return jdbc.sql("select count(*) from " + table + " where tenant_id = ?").param(tenant).query(Long.class).single();
	}

	@Test
	void theLedgerHoldsIdsOnlyAndAnEditedLineIsFound() throws Exception {
		String tenant = tenant();
		UUID subject = subjectWithRecord(tenant, "ledger@example.test");
		records.eraseSubject(tenant, subject, "erasure requested", "test");
		Path file = ledger.file();
		String text = Files.readString(file);
		assertThat(text).contains(subject.toString()).contains("SUBJECT_ERASED").doesNotContain(NAME)
			.doesNotContain("ledger@example.test");
		assertThat(file).satisfies(f -> assertThat(f.startsWith(locations.dataDir())).isFalse());

		byte[] original = Files.readAllBytes(file);
		try {
			Files.writeString(file, text.replace(subject.toString(), UUID.randomUUID().toString()));
			var verification = ledger.verify();
			assertThat(verification.intact()).isFalse();
			assertThat(verification.problem()).contains("EDITED");
		}
		finally {
			Files.write(file, original);
		}
		assertThat(ledger.verify().intact()).isTrue();
	}

	@Test
	void anErasureWhoseLedgerLineCannotBeWrittenIsRolledBackAndItsSubjectKept() throws Exception {
		// the line is forced on the ledger's own thread while the rows go; the erasure must still wait for it
		String tenant = tenant();
		UUID subject = subjectWithRecord(tenant, "unledgered@example.test");
		Path file = ledger.file();
		byte[] original = Files.readAllBytes(file);
		try {
			// a line no Custodia wrote: the next append finds the ledger broken and refuses
			Files.writeString(file, "{\"seq\": 1}\n", java.nio.file.StandardOpenOption.APPEND);
			assertThatThrownBy(() -> records.eraseSubject(tenant, subject, "erasure requested", "test"))
				.hasMessageContaining("erasure ledger");
		}
		finally {
			Files.write(file, original);
		}
		assertThat(records.hasSubject(tenant, subject)).as("the erasure was rolled back").isTrue();
		assertThat(records.recordsOf(tenant, subject, "test")).extracting(r -> r.fields().get("name")).containsExactly(NAME);
		assertThat(audit.entries(tenant, subject, null, 100)).extracting(io.custodia.audit.AuditEntry::action)
			.doesNotContain(io.custodia.audit.AuditAction.SUBJECT_ERASED);
		assertThat(ledger.verify().intact()).isTrue();

		records.eraseSubject(tenant, subject, "erasure requested", "test");
		assertThat(records.hasSubject(tenant, subject)).isFalse();
		assertThat(Files.readString(file)).contains(subject.toString());
	}

	@Test
	void aPartialErasureWhoseLedgerLinesCannotBeWrittenIsRolledBackWhole() throws Exception {
		// its lines (the deleted record's, the held one's) are written together just before it commits
		String tenant = tenant();
		UUID subject = records.findOrCreateSubject(tenant, Map.of("email", "half@example.test"), "test").id();
		UUID other = application(tenant, subject);
		UUID held = application(tenant, subject);
		legalHolds.place(tenant, "COURT-2026-77", HoldScope.RECORD, held.toString(), "pending litigation",
				java.time.LocalDate.of(2030, 1, 1), "test");
		Path file = ledger.file();
		byte[] original = Files.readAllBytes(file);
		try {
			Files.writeString(file, "{\"seq\": 1}\n", java.nio.file.StandardOpenOption.APPEND);
			assertThatThrownBy(() -> subjectRights.erase(tenant, subject, List.of(held), "erasure request (test)", "test"))
				.hasMessageContaining("erasure ledger");
		}
		finally {
			Files.write(file, original);
		}
		assertThat(records.hasRecord(tenant, other)).as("the record the erasure would have deleted").isTrue();
		assertThat(records.pendingErasures(tenant, List.of(held))).as("the held record is not marked").isEmpty();
		assertThat(records.read(tenant, held, "test").status()).isEqualTo(io.custodia.records.RecordStatus.ACTIVE);
		assertThat(ledger.verify().intact()).isTrue();
	}

	@Test
	void anErasureRolledBackByItsCallerLeavesNoLedgerLineForARestoreToReplay() {
		String tenant = tenant();
		UUID subject = records.findOrCreateSubject(tenant, Map.of("email", "undone@example.test"), "test").id();
		UUID kept = application(tenant, subject);
		UUID deleted = application(tenant, subject);
		var before = clock.instant();
		later();
		new org.springframework.transaction.support.TransactionTemplate(transactions).executeWithoutResult(status -> {
			subjectRights.erase(tenant, subject, List.of(kept), "erasure request (test)", "test");
			status.setRollbackOnly();
		});
		assertThat(records.hasRecord(tenant, deleted)).isTrue();
		assertThat(ledger.entriesSince(before)).extracting(LedgerEntry::recordId).doesNotContain(deleted, kept);

		subjectRights.erase(tenant, subject, List.of(kept), "erasure request (test)", "test");
		assertThat(ledger.entriesSince(before)).extracting(LedgerEntry::kind, LedgerEntry::recordId)
			.containsExactly(org.assertj.core.groups.Tuple.tuple(ErasureKind.RECORD_DELETED, deleted),
					org.assertj.core.groups.Tuple.tuple(ErasureKind.RECORD_AWAITING_ERASURE, kept));
	}

	/**
	 * An erasure's ledger line is written on the ledger's own thread while its transaction goes on. Here that thread
	 * is held up on another tenant's erasure (this test holds the ledger), so the second erasure's line is still
	 * queued when its caller rolls it back: the line is dropped, never written, and the rollback does not wait for
	 * the ledger. Were it written, restoring any earlier backup would replay it and erase a subject nobody erased.
	 */
	@Test
	void anErasureRolledBackWhileItsLedgerLineWaitsInTheQueueLeavesNoLine() throws Exception {
		String first = tenant();
		UUID erased = subjectWithRecord(first, "first@example.test");
		String second = tenant();
		UUID undone = subjectWithRecord(second, "second@example.test");
		var before = clock.instant();
		later();
		java.util.concurrent.CompletableFuture<Void> erasing;
		synchronized (ledger) {
			erasing = java.util.concurrent.CompletableFuture.runAsync(
					() -> records.eraseSubject(first, erased, "erasure requested", "test"));
			awaitLedgerThreadWaitingForTheLedger();
			// on a thread of its own too: were the queued line awaited instead of dropped, this would wait for the
			// ledger held here, and the test fails on the timeout instead of hanging
			java.util.concurrent.CompletableFuture.runAsync(
					() -> new org.springframework.transaction.support.TransactionTemplate(transactions).executeWithoutResult(status -> {
						records.eraseSubject(second, undone, "erasure requested", "test");
						status.setRollbackOnly();
					}))
				.get(30, java.util.concurrent.TimeUnit.SECONDS);
		}
		erasing.get(30, java.util.concurrent.TimeUnit.SECONDS);

		assertThat(records.hasSubject(second, undone)).isTrue();
		assertThat(records.hasSubject(first, erased)).isFalse();
		assertThat(ledger.entriesSince(before)).extracting(LedgerEntry::subjectId).contains(erased).doesNotContain(undone);
		assertThat(ledger.verify().intact()).isTrue();
	}

	/** Until the ledger's thread (of some cached test context) is blocked on the ledger's lock, which the test holds. */
	private static void awaitLedgerThreadWaitingForTheLedger() throws InterruptedException {
		long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
		while (Thread.getAllStackTraces().keySet().stream()
			.noneMatch(thread -> thread.getName().equals("erasure-ledger") && thread.getState() == Thread.State.BLOCKED)) {
			if (System.nanoTime() > deadline) {
				throw new AssertionError("the ledger's thread never waited for the ledger");
			}
			Thread.sleep(5);
		}
	}

	/**
	 * A root rotation locks every tenant's key row and then writes each tenant's audit entry; a termination writes
	 * the tenant's audit entries and destroys its key row. Both wait here for a transaction holding the tenant's audit
	 * head, so that they meet; taken in opposite orders, each then waited for the other's lock until the lock timeout
	 * and one failed. With the termination taking the key row first, the later one waits for the first to commit.
	 */
	@Test
	void aRootRotationAndATerminationMeetingOnOneTenantBothFinish() throws Exception {
		String tenant = tenant();
		UUID subject = subjectWithRecord(tenant, "racing@example.test");
		String other = tenant();
		UUID staying = subjectWithRecord(other, "staying@example.test");
		var headHeld = new java.util.concurrent.CountDownLatch(1);
		var release = new java.util.concurrent.CountDownLatch(1);
		var head = java.util.concurrent.CompletableFuture.runAsync(() -> new org.springframework.transaction.support.TransactionTemplate(
				transactions).executeWithoutResult(status -> {
					audit.record(new io.custodia.audit.AuditEvent(tenant, "test", io.custodia.audit.AuditAction.RECORD_READ, subject,
							null, "holding the audit head", Map.of()));
					headHeld.countDown();
					await(release);
				}));
		java.util.concurrent.CompletableFuture<Void> rotation = null;
		java.util.concurrent.CompletableFuture<DeletionCertificate> terminated = null;
		try {
			assertThat(headHeld.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
			terminated = java.util.concurrent.CompletableFuture.supplyAsync(() -> termination.terminate(tenant, "test"));
			io.custodia.LockWaits.awaitWaiting(dataSource, 1);
			rotation = java.util.concurrent.CompletableFuture.runAsync(keys::rotateRootKey);
			io.custodia.LockWaits.awaitWaiting(dataSource, 2);
		}
		finally {
			release.countDown();
		}
		head.get(10, java.util.concurrent.TimeUnit.SECONDS);
		rotation.get(30, java.util.concurrent.TimeUnit.SECONDS);
		assertThat(terminated.get(30, java.util.concurrent.TimeUnit.SECONDS).content().get("tenant").asString())
			.isEqualTo(tenant);
		assertThat(keys.hasKeys(tenant)).isFalse();
		assertThat(records.recordsOf(other, staying, "test")).singleElement()
			.satisfies(record -> assertThat(record.fields()).containsEntry("name", NAME));
	}

	private static void await(java.util.concurrent.CountDownLatch latch) {
		try {
			latch.await(30, java.util.concurrent.TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	@Test
	void anActiveLegalHoldBlocksTerminationUntilItIsReleased() {
		String tenant = tenant();
		UUID subject = subjectWithRecord(tenant, "held@example.test");
		var hold = legalHolds.place(tenant, "COURT-2026-17", HoldScope.SUBJECT, subject.toString(), "pending litigation",
				java.time.LocalDate.of(2030, 1, 1), "test");

		assertThatThrownBy(() -> termination.terminate(tenant, "test")).isInstanceOf(TerminationRefusedException.class)
			.hasMessageContaining("1 active legal hold");
		assertThat(keys.hasKeys(tenant)).isTrue();
		assertThat(records.hasSubject(tenant, subject)).isTrue();

		legalHolds.release(tenant, hold.id(), "test");
		var certificate = termination.terminate(tenant, "test");
		assertThat(certificate.content().get("deleted").get("legal_holds").asLong()).isEqualTo(1);
		assertThat(legalHolds.active(tenant)).isEmpty();
	}

	record Answer(int status, JsonNode body, String contentType) {
	}

	Answer post(String path, String key, String json) throws IOException, InterruptedException {
		var request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
			.POST(json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json))
			.header("Content-Type", "application/json")
			.header("Authorization", "Bearer " + key);
		var response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
		return new Answer(response.statusCode(), response.body().isBlank() ? null : JsonMapper.shared().readTree(response.body()),
				response.headers().firstValue("Content-Type").orElse(""));
	}

	@Test
	void aTenantAdminTerminatesItsTenantAndAnotherTenantsKeyFindsNothing() throws Exception {
		String tenant = tenant();
		subjectWithRecord(tenant, "api@example.test");
		String admin = apiKeys.issue(tenant, Role.TENANT_ADMIN, "admin").token();
		String dpo = apiKeys.issue(tenant, Role.DPO, "dpo").token();
		String other = tenant();
		String stranger = apiKeys.issue(other, Role.TENANT_ADMIN, "other admin").token();
		String path = "/api/v1/tenants/" + tenant + "/termination";
		String confirm = "{\"confirm\": \"" + tenant + "\"}";

		var foreign = post(path, stranger, confirm);
		var unknown = post("/api/v1/tenants/nosuchtenant/termination", stranger, "{\"confirm\": \"nosuchtenant\"}");
		assertThat(foreign.status()).isEqualTo(404);
		assertThat(foreign.contentType()).startsWith("application/problem+json");
		assertThat(foreign.body().get("detail")).isEqualTo(unknown.body().get("detail"));
		assertThat(post(path, dpo, confirm).status()).isEqualTo(403);
		var unconfirmed = post(path, admin, "{\"confirm\": \"" + other + "\"}");
		assertThat(unconfirmed.status()).isEqualTo(422);
		assertThat(unconfirmed.body().get("field").asString()).isEqualTo("confirm");
		assertThat(keys.hasKeys(tenant)).isTrue();

		var done = post(path, admin, confirm);
		assertThat(done.status()).isEqualTo(200);
		assertThat(done.body().get("certificate").get("tenant").asString()).isEqualTo(tenant);
		var certificate = new DeletionCertificate(done.body().get("payload").asString(), done.body().get("signature").asString(),
				done.body().get("algorithm").asString());
		assertThat(certificate.verify(termination.publicKeyset())).isTrue();
		assertThat(post(path, admin, confirm).status()).as("its keys are revoked").isEqualTo(401);
		assertThat(keys.hasKeys(other)).isTrue();
	}

	/**
	 * Reads a channel to its end with plain reads: on JDK 25 {@code Channels.newInputStream(..).readAllBytes()} asks a
	 * seekable channel for its size first, which Tink's decrypting channel answers only after a read.
	 */
	static byte[] readAll(java.nio.channels.ReadableByteChannel channel) throws IOException {
		var out = new java.io.ByteArrayOutputStream();
		var buffer = java.nio.ByteBuffer.allocate(64 * 1024);
		while (channel.read(buffer) >= 0) {
			buffer.flip();
			out.write(buffer.array(), 0, buffer.limit());
			buffer.clear();
		}
		return out.toByteArray();
	}

	static boolean contains(Path dir, byte[] needle) throws IOException {
		if (!Files.exists(dir)) {
			return false;
		}
		String wanted = new String(needle, StandardCharsets.ISO_8859_1);
		try (Stream<Path> files = Files.walk(dir)) {
			for (Path file : files.filter(Files::isRegularFile).toList()) {
				if (new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1).contains(wanted)) {
					return true;
				}
			}
		}
		return false;
	}
}

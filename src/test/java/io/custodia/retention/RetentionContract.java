package io.custodia.retention;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import io.custodia.Examples;
import io.custodia.MutableClock;
import io.custodia.records.NewRecord;
import io.custodia.records.RecordManagement;
import io.custodia.records.RecordNotFoundException;
import io.custodia.records.RecordStatus;
import io.custodia.retention.RetentionReport.Outcome;
import io.custodia.tenancy.TenantManagement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The Belgian seed's schedule (R2), rule by rule, at its boundaries: the day before due the record is kept,
 * on the due day it is acted on. Time moves by the test clock.
 */
abstract class RetentionContract {

	@Autowired
	MutableClock clock;

	@Autowired
	TenantManagement tenants;

	@Autowired
	RecordManagement records;

	@Autowired
	RetentionRuns retention;

	@Autowired
	LegalHolds holds;

	@Autowired
	javax.sql.DataSource dataSource;

	@Autowired
	io.custodia.audit.AuditTrail audit;

	String tenant;

	@BeforeEach
	void tenant() {
		clock.setDay(LocalDate.of(2026, 1, 15));
		tenant = "r" + UUID.randomUUID().toString().substring(0, 8);
		tenants.create(tenant, "imengine.yaml", Examples.text("imengine"));
	}

	UUID store(String email, String activity, String category, Map<String, Object> fields, Map<String, String> facts) {
		var subject = records.findOrCreateSubject(tenant, Map.of("email", email), "test");
		return records.store(tenant, subject.id(), new NewRecord(activity, category, fields, facts, null), "test").id();
	}

	RetentionReport runOn(LocalDate day) {
		clock.setDay(day);
		return retention.run(tenant, null, false, "test");
	}

	static Outcome outcome(RetentionReport report, UUID record) {
		return report.items().stream().filter(i -> i.recordId().equals(record)).map(RetentionReport.Item::outcome)
			.findFirst().orElse(null);
	}

	boolean exists(UUID record) {
		try {
			records.read(tenant, record, "test");
			return true;
		}
		catch (RecordNotFoundException ex) {
			return false;
		}
	}

	@Test
	void serverLogsAreDeIdentifiedSixMonthsAfterTheVisit() {
		UUID log = store("visitor@example.test", "server_logs", "technical",
				Map.of("ip_address", "203.0.113.7", "user_agent", "Firefox 140", "requested_url", "/jobs"),
				Map.of("visit", "2026-01-15"));
		assertThat(outcome(runOn(LocalDate.of(2026, 7, 14)), log)).isNull();
		assertThat(records.read(tenant, log, "test").fields()).containsKey("ip_address");
		assertThat(outcome(runOn(LocalDate.of(2026, 7, 15)), log)).isEqualTo(Outcome.DEIDENTIFIED);
		// R4: nothing links what is kept to the subject. The audit names the record's old id with its subject, so the
		// kept row has a new id, found by nothing the subject or the audit knows, and only the day of its times
		assertThat(exists(log)).as("the old id, which the audit pairs with the subject").isFalse();
		var jdbc = new org.springframework.jdbc.core.JdbcTemplate(dataSource);
		var row = jdbc.queryForMap("select id, subject_id, client_record_id, created_at, updated_at from personal_record "
				+ "where tenant_id = ? and status = 'DEIDENTIFIED'", tenant);
		UUID keptId = (UUID) row.get("id");
		assertThat(row.get("subject_id")).isNull();
		assertThat(row.get("client_record_id")).isNull();
		assertThat(jdbc.queryForObject("select count(*) from audit_entry where tenant_id = ? and (record_id = ? or details like ?)",
				Long.class, tenant, keptId, "%" + keptId + "%")).as("the new id in no audit entry").isZero();
		var kept = records.read(tenant, keptId, "test");
		assertThat(kept.status()).isEqualTo(RecordStatus.DEIDENTIFIED);
		assertThat(kept.subjectId()).isNull();
		assertThat(kept.fields()).containsOnlyKeys("user_agent", "requested_url");
		assertThat(kept.createdAt()).isEqualTo(java.time.Instant.parse("2026-01-15T00:00:00Z"));
		assertThat(kept.updatedAt()).isEqualTo(java.time.Instant.parse("2026-07-15T00:00:00Z"));
	}

	@Test
	void closedTicketsGoFiveYearsAfterClosingAndOpenOnesAreReviewedAfterAYear() {
		UUID closed = store("a@example.test", "contact_form", "message", Map.of("content", "Hello"),
				Map.of("ticket", "closed", "ticket_closed", "2026-01-31"));
		UUID open = store("b@example.test", "contact_form", "message", Map.of("content", "Still waiting"),
				Map.of("ticket", "open"));
		assertThat(outcome(runOn(LocalDate.of(2027, 1, 14)), open)).isNull();
		assertThat(outcome(runOn(LocalDate.of(2027, 1, 15)), open)).isEqualTo(Outcome.QUEUED_FOR_REVIEW);
		assertThat(exists(open)).isTrue();
		assertThat(outcome(runOn(LocalDate.of(2031, 1, 30)), closed)).isNull();
		// only content, which identifies: nothing would remain, so de-identification deletes
		assertThat(outcome(runOn(LocalDate.of(2031, 1, 31)), closed)).isEqualTo(Outcome.DELETED);
		assertThat(exists(closed)).isFalse();
	}

	@Test
	void contractDataIsKeptAtLeastSevenYearsThenGoesToReviewCountingLeapDays() {
		UUID contract = store("c@example.test", "contracts_individuals", "identity_contact", Map.of("name", "C"),
				Map.of("contract_ended", "2024-02-29"));
		assertThat(outcome(runOn(LocalDate.of(2031, 2, 27)), contract)).isNull();
		assertThat(outcome(runOn(LocalDate.of(2031, 2, 28)), contract)).isEqualTo(Outcome.QUEUED_FOR_REVIEW);
		assertThat(exists(contract)).isTrue();
		assertThat(retention.reviewQueue(tenant)).extracting(RetentionRuns.ReviewItem::recordId).containsExactly(contract);
		runOn(LocalDate.of(2031, 3, 1));
		assertThat(retention.reviewQueue(tenant)).hasSize(1);
	}

	@Test
	void applicantsFollowTheirOutcome() {
		UUID hired = store("h@example.test", "recruitment", "identity_contact", Map.of("name", "H"),
				Map.of("outcome", "hired", "employment_ended", "2026-03-31"));
		UUID interviewed = store("i@example.test", "recruitment", "identity_contact", Map.of("name", "I"),
				Map.of("outcome", "interviewed", "assessment_closed", "2026-01-31"));
		UUID reserve = store("r@example.test", "recruitment_reserve", "identity_contact", Map.of("name", "R"),
				Map.of("received", "2026-01-31"));
		assertThat(outcome(runOn(LocalDate.of(2031, 1, 30)), interviewed)).isNull();
		var due = runOn(LocalDate.of(2031, 1, 31));
		assertThat(outcome(due, interviewed)).isEqualTo(Outcome.DELETED);
		assertThat(outcome(due, reserve)).isEqualTo(Outcome.DELETED);
		assertThat(outcome(runOn(LocalDate.of(2036, 3, 30)), hired)).isNull();
		assertThat(outcome(runOn(LocalDate.of(2036, 3, 31)), hired)).isEqualTo(Outcome.DELETED);
	}

	@Test
	void recordsWhoseClockHasNotStartedAreCountedForTheDpoByActivityAndRule() {
		store("w1@example.test", "recruitment", "identity_contact", Map.of("name", "W1"), Map.of("outcome", "hired"));
		clock.setDay(LocalDate.of(2026, 6, 3));
		store("w2@example.test", "recruitment", "identity_contact", Map.of("name", "W2"), Map.of("outcome", "hired"));
		store("w3@example.test", "recruitment", "identity_contact", Map.of("name", "W3"),
				Map.of("outcome", "hired", "employment_ended", "2026-03-31"));

		var report = retention.run(tenant, LocalDate.of(2040, 1, 1), true, "test");

		assertThat(report.waiting()).singleElement().satisfies(waiting -> {
			assertThat(waiting.activity()).isEqualTo("recruitment");
			assertThat(waiting.waitingFor()).isEqualTo("employment_ended");
			assertThat(waiting.records()).as("the one whose employment ended is not waiting").isEqualTo(2);
			assertThat(waiting.oldestStored()).isEqualTo(LocalDate.of(2026, 1, 15));
		});
		assertThat(report.waiting().get(0).ruleId()).isNotBlank();
	}

	@Test
	void aHoldIsNotPlacedOnASubjectOrRecordThatIsGoneByTheTimeItIsStored() {
		UUID record = store("gone@example.test", "server_logs", "technical", Map.of("ip_address", "198.51.100.9"),
				Map.of("visit", "2026-01-15"));
		UUID subject = records.findOrCreateSubject(tenant, Map.of("email", "gone@example.test"), "test").id();
		records.eraseSubject(tenant, subject, "test", "test");

		assertThatThrownBy(() -> holds.place(tenant, "COURT-2026-41", HoldScope.SUBJECT, subject.toString(), "claim",
				LocalDate.of(2027, 1, 1), "test")).isInstanceOf(LegalHolds.HoldTargetNotFound.class);
		assertThatThrownBy(() -> holds.place(tenant, "COURT-2026-42", HoldScope.RECORD, record.toString(), "claim",
				LocalDate.of(2027, 1, 1), "test")).isInstanceOf(LegalHolds.HoldTargetNotFound.class);
		assertThat(holds.active(tenant)).isEmpty();
	}

	@Test
	void aChunkLeavesAloneWhatAHoldPlacedAfterTheRunReadTheHoldsCovers(
			@Autowired org.springframework.transaction.PlatformTransactionManager transactions) {
		UUID log = store("chunk@example.test", "server_logs", "technical", Map.of("ip_address", "198.51.100.7", "user_agent", "X"),
				Map.of("visit", "2026-01-15"));
		UUID other = store("other@example.test", "server_logs", "technical", Map.of("ip_address", "198.51.100.8"),
				Map.of("visit", "2026-01-15"));
		// the run read no hold; this one is placed before the chunk takes its locks
		holds.place(tenant, "COURT-2026-40", HoldScope.RECORD, log.toString(), "claim", LocalDate.of(2027, 1, 1), "test");
		clock.setDay(LocalDate.of(2026, 7, 15));

		var done = new org.springframework.transaction.support.TransactionTemplate(transactions)
			.execute(status -> records.expireAll(tenant, List.of(
					new io.custodia.records.Expiring(log, io.custodia.records.ExpiryAction.DELETE, "rule:server_logs/six_months"),
					new io.custodia.records.Expiring(other, io.custodia.records.ExpiryAction.DELETE, "rule:server_logs/six_months")),
					"test"));

		assertThat(done.get(log).heldBy()).isEqualTo("COURT-2026-40");
		assertThat(done.get(log).deleted()).isFalse();
		assertThat(exists(log)).isTrue();
		assertThat(done.get(other).deleted()).isTrue();
		assertThat(exists(other)).isFalse();
		assertThat(audit.entries(tenant, null, log, 100))
			.filteredOn(entry -> entry.action() == io.custodia.audit.AuditAction.HOLD_BLOCKED).singleElement()
			.satisfies(entry -> assertThat(entry.reason()).isEqualTo("hold:COURT-2026-40"));
	}

	@Test
	void aSubjectWhoseLastRecordGoesIsErasedWithItsKey() {
		UUID reserve = store("last@example.test", "recruitment_reserve", "identity_contact", Map.of("name", "L"),
				Map.of("received", "2026-01-31"));
		UUID subject = records.read(tenant, reserve, "test").subjectId();
		runOn(LocalDate.of(2031, 1, 31));
		assertThatThrownBy(() -> records.recordsOf(tenant, subject, "test")).isInstanceOf(RecordNotFoundException.class);
		var again = records.findOrCreateSubject(tenant, Map.of("email", "last@example.test"), "test");
		assertThat(again.created()).isTrue();
	}

	@Test
	void aLegalHoldBlocksRetentionUntilReleased() {
		UUID interviewed = store("held@example.test", "recruitment", "identity_contact", Map.of("name", "Held"),
				Map.of("outcome", "interviewed", "assessment_closed", "2026-01-31"));
		UUID subject = records.read(tenant, interviewed, "test").subjectId();
		var hold = holds.place(tenant, "COURT-2030-17", HoldScope.SUBJECT, subject.toString(), "labour court case",
				LocalDate.of(2031, 6, 30), "dpo");
		var held = runOn(LocalDate.of(2031, 1, 31));
		assertThat(outcome(held, interviewed)).isEqualTo(Outcome.HELD);
		assertThat(held.items()).filteredOn(i -> i.recordId().equals(interviewed)).singleElement()
			.satisfies(i -> assertThat(i.hold()).isEqualTo("COURT-2030-17"));
		assertThat(exists(interviewed)).isTrue();
		assertThat(holds.pastReview(tenant, LocalDate.of(2031, 7, 1))).extracting(LegalHold::reference)
			.containsExactly("COURT-2030-17");
		holds.release(tenant, hold.id(), "dpo");
		assertThat(outcome(runOn(LocalDate.of(2031, 7, 2)), interviewed)).isEqualTo(Outcome.DELETED);
	}

	@Test
	void aHoldNamingTheRecordInCapitalsStillHoldsIt() {
		UUID interviewed = store("capitals@example.test", "recruitment", "identity_contact", Map.of("name", "Held"),
				Map.of("outcome", "interviewed", "assessment_closed", "2026-01-31"));
		var hold = holds.place(tenant, "COURT-2030-18", HoldScope.RECORD, interviewed.toString().toUpperCase(java.util.Locale.ROOT),
				"labour court case", LocalDate.of(2031, 6, 30), "dpo");
		assertThat(hold.scopeId()).isEqualTo(interviewed.toString());
		assertThat(outcome(runOn(LocalDate.of(2031, 1, 31)), interviewed)).isEqualTo(Outcome.HELD);
		assertThat(exists(interviewed)).isTrue();
	}

	@Test
	void aHoldStoredInCapitalsByAnEarlierReleaseStillHoldsItsSubject() {
		UUID interviewed = store("stored-capitals@example.test", "recruitment", "identity_contact", Map.of("name", "Held"),
				Map.of("outcome", "interviewed", "assessment_closed", "2026-01-31"));
		UUID subject = records.read(tenant, interviewed, "test").subjectId();
		// as a release before ids were made canonical stored it
		new org.springframework.jdbc.core.JdbcTemplate(dataSource).update("""
				insert into legal_hold (id, tenant_id, reference, scope, scope_id, reason, review_date, placed_by, placed_at)
				values (?, ?, 'COURT-OLD', 'SUBJECT', ?, 'older case', ?, 'dpo', ?)""", UUID.randomUUID(), tenant,
				subject.toString().toUpperCase(java.util.Locale.ROOT), LocalDate.of(2031, 6, 30),
				java.time.OffsetDateTime.parse("2026-01-15T00:00:00Z"));
		assertThat(outcome(runOn(LocalDate.of(2031, 1, 31)), interviewed)).isEqualTo(Outcome.HELD);
		assertThat(exists(interviewed)).isTrue();
	}

	@Test
	void aHoldOrRestrictionPlacedWhileARunIsUnderWayStopsItFromThenOn() {
		var first = records.findOrCreateSubject(tenant, Map.of("email", "many@example.test"), "test");
		for (int i = 0; i < RetentionRuns.CHUNK; i++) {
			records.store(tenant, first.id(), new NewRecord("server_logs", "technical", Map.of("user_agent", "Firefox " + i),
					Map.of("visit", "2026-01-15"), null), "test");
		}
		// stored last: in the run's second chunk, after the hold is placed
		UUID late = store("late@example.test", "server_logs", "technical", Map.of("ip_address", "203.0.113.9", "user_agent", "Lynx"),
				Map.of("visit", "2026-01-15"));
		UUID lateSubject = records.read(tenant, late, "test").subjectId();
		UUID contested = store("contested@example.test", "server_logs", "technical",
				Map.of("ip_address", "203.0.113.10", "user_agent", "Lynx"), Map.of("visit", "2026-01-15"));
		clock.setDay(LocalDate.of(2026, 7, 15));
		var placed = new java.util.concurrent.atomic.AtomicReference<LegalHold>();

		var report = retention.run(tenant, null, false, "test", acted -> {
			if (placed.get() == null) {
				placed.set(holds.place(tenant, "COURT-2026-31", HoldScope.SUBJECT, lateSubject.toString(), "claim",
						LocalDate.of(2027, 1, 1), "dpo"));
				records.restrict(tenant, contested, "accuracy contested", "dpo");
			}
		});

		assertThat(report.items()).filteredOn(i -> i.outcome() == Outcome.DEIDENTIFIED).hasSize(RetentionRuns.CHUNK);
		assertThat(report.items()).filteredOn(i -> i.recordId().equals(late)).singleElement()
			.satisfies(i -> assertThat(i.outcome()).isEqualTo(Outcome.HELD))
			.satisfies(i -> assertThat(i.hold()).isEqualTo("COURT-2026-31"));
		assertThat(records.read(tenant, late, "test").fields()).containsKey("ip_address");
		assertThat(records.read(tenant, contested, "test").status()).isEqualTo(RecordStatus.RESTRICTED);
		assertThat(records.read(tenant, contested, "test").fields()).containsKey("ip_address");
		assertThat(audit.entries(tenant, lateSubject, late, 100))
			.filteredOn(entry -> entry.action() == io.custodia.audit.AuditAction.HOLD_BLOCKED).singleElement()
			.satisfies(entry -> assertThat(entry.reason()).isEqualTo("hold:COURT-2026-31"));
	}

	@Test
	void aRestrictedRecordIsLeftOutOfRetention() {
		UUID reserve = store("restricted@example.test", "recruitment_reserve", "identity_contact", Map.of("name", "X"),
				Map.of("received", "2026-01-31"));
		records.restrict(tenant, reserve, "accuracy contested", "test");
		assertThat(outcome(runOn(LocalDate.of(2031, 1, 31)), reserve)).isEqualTo(Outcome.RESTRICTED_SKIPPED);
		assertThat(exists(reserve)).isTrue();
	}

	@Test
	void aDryRunForecastsWhatFallsDueWithoutTouchingAnything() {
		UUID log = store("f1@example.test", "server_logs", "technical", Map.of("ip_address", "198.51.100.1"),
				Map.of("visit", "2026-01-15"));
		UUID hired = store("f2@example.test", "recruitment", "identity_contact", Map.of("name", "F"),
				Map.of("outcome", "hired", "employment_ended", "2026-03-31"));
		UUID pending = store("f3@example.test", "recruitment", "identity_contact", Map.of("name", "P"),
				Map.of("outcome", "pending"));
		var forecast = retention.run(tenant, LocalDate.of(2031, 12, 31), true, "test");
		assertThat(forecast.dryRun()).isTrue();
		// both fall due on 15 July 2026; the forecast lists by date, then activity
		assertThat(forecast.items()).extracting(RetentionReport.Item::recordId).containsExactly(pending, log);
		assertThat(forecast.items().get(0).ruleId()).isEqualTo("pending_review");
		assertThat(forecast.items().get(0).outcome()).isEqualTo(Outcome.WOULD_QUEUE_FOR_REVIEW);
		assertThat(forecast.items().get(1).due()).isEqualTo(LocalDate.of(2026, 7, 15));
		assertThat(forecast.items().get(1).outcome()).isEqualTo(Outcome.WOULD_DEIDENTIFY);
		assertThat(exists(log)).isTrue();
		assertThat(exists(hired)).isTrue();
		assertThat(retention.run(tenant, LocalDate.of(2036, 3, 31), true, "test").items())
			.extracting(RetentionReport.Item::recordId).contains(hired);
		assertThat(List.of(log, hired, pending)).allSatisfy(r -> assertThat(exists(r)).isTrue());
	}

	@Test
	void aForecastDeletesWhereTheCategoryKeepsNothingThatDoesNotIdentifyAsTheRunDoes() {
		// a policy whose messages have no field that does not identify: de-identifying one keeps nothing (R4)
		tenant = "r" + UUID.randomUUID().toString().substring(0, 8);
		tenants.create(tenant, "imengine.yaml", Examples.text("imengine")
			.replace("      received_at: { identifying: false }\n      channel: { identifying: false }\n      device: { identifying: false }",
					"      received_at: { identifying: true }\n      channel: { identifying: true }\n      device: { identifying: true }"));
		UUID closed = store("t1@example.test", "contact_form", "message", Map.of("content", "Hello", "channel", "web"),
				Map.of("ticket", "closed", "ticket_closed", "2026-01-31"));
		var forecast = retention.run(tenant, LocalDate.of(2031, 1, 31), true, "test");
		assertThat(forecast.items()).filteredOn(i -> i.recordId().equals(closed)).singleElement()
			.satisfies(i -> assertThat(i.action()).isEqualTo("de_identify"))
			.satisfies(i -> assertThat(i.outcome()).isEqualTo(Outcome.WOULD_DELETE));
		assertThat(outcome(runOn(LocalDate.of(2031, 1, 31)), closed)).isEqualTo(Outcome.DELETED);
	}

	@Test
	void aForecastPastAnAnnouncedVersionUsesItsRulesForWhatFallsDueAfterItTakesEffect() {
		clock.setDay(LocalDate.of(2026, 2, 20));
		UUID log = store("v1@example.test", "server_logs", "technical", Map.of("ip_address", "198.51.100.2", "user_agent", "X"),
				Map.of("visit", "2026-02-20"));
		String shorter = Examples.text("imengine").replaceFirst("(?m)^version: .*$", "version: \"2026.2\"")
			.replaceFirst("(?m)^effective: .*$", "effective: 2026-04-01")
			.replace("      - id: logs_6_months\n        from: visit\n        period: P6M",
					"      - id: logs_1_month\n        from: visit\n        period: P1M");
		assertThat(shorter).contains("logs_1_month");
		tenants.publish(tenant, "imengine.yaml", shorter);

		// before the new version takes effect the record falls due under today's rules only, on 20 August
		assertThat(outcome(retention.run(tenant, LocalDate.of(2026, 3, 31), true, "test"), log)).isNull();
		// the new version takes effect on 1 April: the record falls due then (its month ran out on 20 March)
		var forecast = retention.run(tenant, LocalDate.of(2026, 4, 30), true, "test");
		assertThat(forecast.items()).filteredOn(i -> i.recordId().equals(log)).singleElement().satisfies(item -> {
			assertThat(item.ruleId()).isEqualTo("logs_1_month");
			assertThat(item.due()).isEqualTo(LocalDate.of(2026, 4, 1));
			assertThat(item.outcome()).isEqualTo(Outcome.WOULD_DEIDENTIFY);
		});
	}
}

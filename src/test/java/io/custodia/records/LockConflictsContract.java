package io.custodia.records;

import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;

import io.custodia.DatabaseBusyException;
import io.custodia.Examples;
import io.custodia.MutableClock;
import io.custodia.retention.RetentionReport;
import io.custodia.retention.RetentionRuns;
import io.custodia.tenancy.ApiKeys;
import io.custodia.tenancy.Role;
import io.custodia.tenancy.TenantManagement;
import tools.jackson.databind.json.JsonMapper;

import static io.custodia.records.OpenTransactions.async;
import static io.custodia.records.OpenTransactions.holdOpen;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Work that waits for rows another transaction holds past the database's lock timeout (H2's 2 s; on PostgreSQL the
 * tests set {@code lock_timeout} to 2 s, as operations.md advises): a request is answered 503 and keeps nothing, an
 * import batch and a retention chunk are done again once the rows are free, and given up with a clear error if they
 * stay held. The other transaction is held open on a thread of its own.
 */
@ExtendWith(OutputCaptureExtension.class)
abstract class LockConflictsContract {

	@LocalServerPort
	int port;

	@Autowired
	TenantManagement tenants;

	@Autowired
	javax.sql.DataSource dataSource;

	@Autowired
	ApiKeys apiKeys;

	@Autowired
	RecordManagement records;

	@Autowired
	BulkImport imports;

	@Autowired
	RetentionRuns retention;

	@Autowired
	MutableClock clock;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	PlatformTransactionManager transactions;

	String tenant;

	String dpo;

	@BeforeEach
	void tenant() {
		tenant = "l" + UUID.randomUUID().toString().substring(0, 8);
		tenants.create(tenant, "imengine.yaml", Examples.text("imengine"));
		// before anything is held: issuing a key is audited, and an open transaction holds the audit's head
		dpo = apiKeys.issue(tenant, Role.DPO, "test dpo").token();
	}

	private UUID subject(String email) {
		return records.findOrCreateSubject(tenant, Map.of("email", email), "test").id();
	}

	@Test
	void anErasureThatWaitsTooLongForItsSubjectIsAnswered503AndKeepsNothing(CapturedOutput output) throws Exception {
		UUID subject = subject("someone@example.test");
		var held = holdOpen(transactions, () -> records.store(tenant, subject, record("held"), "test"));

		var answer = erase(subject);

		assertThat(answer.statusCode()).isEqualTo(503);
		assertThat(answer.headers().firstValue("Retry-After")).hasValue("1");
		assertThat(answer.headers().firstValue("Content-Type")).hasValueSatisfying(
				type -> assertThat(type).startsWith("application/problem+json"));
		var problem = JsonMapper.shared().readTree(answer.body());
		assertThat(problem.get("retry_after_seconds").asInt()).isEqualTo(1);
		assertThat(problem.get("detail").asString()).contains("the transaction that waited kept nothing");
		held.commit();
		// the erasure kept nothing: the subject and the record stored meanwhile are there
		assertThat(records.recordsOf(tenant, subject, "test")).hasSize(1);
		// sent again, it erases
		assertThat(erase(subject).statusCode()).isEqualTo(200);
		assertThatThrownBy(() -> records.recordsOf(tenant, subject, "test")).isInstanceOf(RecordNotFoundException.class);
		// H2's message quotes the row it waited for (the subject's wrapped key): neither the log nor the answer has it
		assertThat(output.getAll()).contains("met a lock conflict (").doesNotContain("is locked by tx")
			.doesNotContain("Timeout trying to lock");
		assertThat(answer.body()).doesNotContain("lock table").doesNotContain("SQL");
	}

	@Test
	void anImportBatchThatWaitsTooLongForTheErasureLockIsDoneAgainAndReportsNoLineAsRefused(CapturedOutput output)
			throws Exception {
		UUID other = subject("someone@example.test");
		// an erasure in progress holds the tenant's erasure lock, which every import batch takes
		var held = holdOpen(transactions, () -> records.eraseSubject(tenant, other, "request", "test"));
		var run = async(() -> imports.run(tenant, new StringReader(ImportFiles.line("c-1", "one@example.test", "One")
				+ ImportFiles.line("c-2", "two@example.test", "Two") + ImportFiles.line("c-3", "three@example.test", "Three")),
				"test", (line, stored) -> {
				}));
		awaitLogged(output, "the import batch from line 1 met a lock conflict");
		held.commit();

		var report = run.get(30, TimeUnit.SECONDS);
		assertThat(report.errors()).isEmpty();
		assertThat(report.stored()).isEqualTo(3);
		assertThat(clientIds()).isEqualTo(3);
	}

	@Test
	void anImportBatchThatKeepsWaitingIsGivenUpAndARunAgainGoesOnFromIt(CapturedOutput output) throws Exception {
		UUID other = subject("someone@example.test");
		String file = ImportFiles.line("g-1", "one@example.test", "One") + ImportFiles.line("g-2", "two@example.test", "Two");
		var held = holdOpen(transactions, () -> records.eraseSubject(tenant, other, "request", "test"));
		var run = async(() -> imports.run(tenant, new StringReader(file), "test", (line, stored) -> {
		}));
		try {
			assertThatThrownBy(() -> run.get(60, TimeUnit.SECONDS)).cause()
				.isInstanceOf(DatabaseBusyException.class)
				.hasMessageContaining("the import batch from line 1")
				.hasMessageContaining("nothing of it was kept");
			assertThat(clientIds()).isZero();
		}
		finally {
			held.commit();
		}
		var again = imports.run(tenant, new StringReader(file), "test", (line, stored) -> {
		});
		assertThat(again.stored()).isEqualTo(2);
		assertThat(again.errors()).isEmpty();
		assertThat(output.getAll()).contains("was given up after 4 lock conflicts").doesNotContain("is locked by tx");
	}

	@Test
	void aRetentionChunkThatWaitsTooLongForTheErasureLockIsDoneAgain(CapturedOutput output) throws Exception {
		clock.set(Instant.parse("2026-01-15T12:00:00Z"));
		var visitor = records.findOrCreateSubject(tenant, Map.of("email", "visitor@example.test"), "test");
		UUID log = records.store(tenant, visitor.id(), new NewRecord("server_logs", "technical",
				Map.of("ip_address", "203.0.113.7", "user_agent", "Firefox 140"), Map.of("visit", "2026-01-15"), null), "test")
			.id();
		UUID other = subject("someone@example.test");
		clock.set(Instant.parse("2026-07-15T12:00:00Z"));
		// the chunk de-identifies the visitor's only record, so it erases the visitor and takes the erasure lock
		var held = holdOpen(transactions, () -> records.eraseSubject(tenant, other, "request", "test"));
		var run = async(() -> retention.run(tenant, LocalDate.of(2026, 7, 15), false, "test"));
		awaitLogged(output, "the retention chunk of tenant " + tenant);
		held.commit();

		var report = run.get(30, TimeUnit.SECONDS);
		assertThat(report.items()).extracting(RetentionReport.Item::recordId).containsExactly(log);
		assertThat(report.items().get(0).outcome()).isEqualTo(RetentionReport.Outcome.DEIDENTIFIED);
		assertThat(records.hasRecord(tenant, log)).as("kept under a new id (R4)").isFalse();
		assertThat(new org.springframework.jdbc.core.JdbcTemplate(dataSource).queryForObject(
				"select count(*) from personal_record where tenant_id = ? and status = 'DEIDENTIFIED' and subject_id is null",
				Long.class, tenant)).isEqualTo(1);
	}

	private HttpResponse<String> erase(UUID subject) throws Exception {
		return HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/v1/subjects/" + subject))
				.DELETE()
				.header("Authorization", "Bearer " + dpo)
				.build(), HttpResponse.BodyHandlers.ofString());
	}

	private long clientIds() {
		return jdbc.sql("select count(*) from personal_record where tenant_id = ? and client_record_id is not null")
			.param(tenant)
			.query(Long.class)
			.single();
	}

	private static NewRecord record(String clientId) {
		return new NewRecord("recruitment", "identity_contact", Map.of("name", "Held"), Map.of(), clientId);
	}

	/** Waits (at most 20 s) until the log has {@code text}: the other side has lost a lock conflict and will try again. */
	private static void awaitLogged(CapturedOutput output, String text) throws InterruptedException {
		long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
		while (!output.getAll().contains(text)) {
			assertThat(System.nanoTime()).as("logged: " + text).isLessThan(until);
			Thread.sleep(20);
		}
	}
}

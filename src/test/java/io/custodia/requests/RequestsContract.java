package io.custodia.requests;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.ZipInputStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.event.EventListener;
import org.springframework.test.context.DynamicPropertyRegistry;

import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;

import io.custodia.Examples;
import io.custodia.MutableClock;
import io.custodia.outbox.Outbox;
import io.custodia.retention.HoldScope;
import io.custodia.retention.LegalHolds;
import io.custodia.retention.RetentionReport;
import io.custodia.tenancy.ApiKeys;
import io.custodia.tenancy.Role;
import io.custodia.tenancy.TenantManagement;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every request type end to end over HTTP, as a privacy centre (application key) and the DPO use it: the code
 * read from a real SMTP server, packages unzipped and checked against the published schema, webhooks received
 * by a local listener and their signatures checked with the JDK's own HMAC.
 */
abstract class RequestsContract {

	static final String NAME = "Zyxwvu Qwertyson";

	static final Schema PACKAGE_SCHEMA = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
		.getSchema(read(Path.of("docs/access-package.schema.json")));

	static void settings(DynamicPropertyRegistry registry) {
		registry.add("spring.mail.host", () -> "127.0.0.1");
		registry.add("spring.mail.port", Mailbox::port);
		registry.add("custodia.outbox.poll-interval", () -> "PT1H");
		registry.add("custodia.outbox.max-attempts", () -> "3");
	}

	@LocalServerPort
	int port;

	@Autowired
	TenantManagement tenants;

	@Autowired
	ApiKeys apiKeys;

	@Autowired
	Outbox outbox;

	@Autowired
	MutableClock clock;

	@Autowired
	LegalHolds holds;

	@Autowired
	io.custodia.retention.RetentionRuns retention;

	@Autowired
	io.custodia.audit.AuditTrail audit;

	@Autowired
	org.springframework.jdbc.core.simple.JdbcClient jdbc;

	@Autowired
	org.springframework.transaction.PlatformTransactionManager transactions;

	@Autowired
	javax.sql.DataSource dataSource;

	final HttpClient http = HttpClient.newHttpClient();

	WebhookListener listener;

	String tenant;

	String app;

	String dpo;

	String admin;

	String stranger;

	String email;

	String secret;

	@BeforeEach
	void setUp() throws Exception {
		clock.set(Instant.parse("2026-01-15T12:00:00Z"));
		tenant = "t" + UUID.randomUUID().toString().substring(0, 8);
		tenants.create(tenant, "imengine.yaml", Examples.text("imengine"));
		app = apiKeys.issue(tenant, Role.APPLICATION, "privacy centre").token();
		dpo = apiKeys.issue(tenant, Role.DPO, "dpo").token();
		admin = apiKeys.issue(tenant, Role.TENANT_ADMIN, "admin").token();
		String other = "o" + UUID.randomUUID().toString().substring(0, 8);
		tenants.create(other, "imengine.yaml", Examples.text("imengine"));
		stranger = apiKeys.issue(other, Role.TENANT_ADMIN, "other tenant admin").token();
		email = "zyx." + UUID.randomUUID().toString().substring(0, 8) + "@example.test";
		listener = new WebhookListener();
		var tooLong = call("PUT", "/api/v1/webhooks/staff_suppliers", admin,
				"{\"url\": \"" + listener.url("/hooks?" + "q".repeat(1000)) + "\"}");
		assertThat(tooLong.status()).as(tooLong.raw()).isBetween(400, 422);
		assertThat(tooLong.raw()).contains("url: at most 1000 characters");
		var configured = call("PUT", "/api/v1/webhooks/staff_suppliers", admin, "{\"url\": \"" + listener.url("/hooks") + "\"}");
		assertThat(configured.status()).as(configured.raw()).isEqualTo(200);
		secret = configured.body().get("signing_secret").asString();
		Events.withdrawals.clear();
	}

	@AfterEach
	void stopListener() {
		listener.close();
	}

	record Answer(int status, JsonNode body, String raw, byte[] bytes, String contentType) {
	}

	Answer call(String method, String path, String key, String json) throws IOException, InterruptedException {
		var request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
			.method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json))
			.header("Content-Type", "application/json");
		if (key != null) {
			request.header("Authorization", "Bearer " + key);
		}
		var response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
		String raw = new String(response.body(), StandardCharsets.UTF_8);
		boolean json2 = response.headers().firstValue("Content-Type").orElse("").contains("json");
		return new Answer(response.statusCode(), json2 && !raw.isBlank() ? JsonMapper.shared().readTree(raw) : null, raw,
				response.body(), response.headers().firstValue("Content-Type").orElse(""));
	}

	String subject() throws Exception {
		var answer = call("POST", "/api/v1/subjects", app, "{\"identifiers\": {\"email\": \"" + email + "\"}}");
		assertThat(answer.status()).as(answer.raw()).isIn(200, 201);
		return answer.body().get("id").asString();
	}

	String store(String subject, String activity, String category, String fields, String facts) throws Exception {
		var answer = call("POST", "/api/v1/subjects/" + subject + "/records", app,
				"{\"activity\": \"" + activity + "\", \"category\": \"" + category + "\", \"fields\": " + fields
						+ (facts == null ? "" : ", \"facts\": " + facts) + "}");
		assertThat(answer.status()).as(answer.raw()).isEqualTo(201);
		return answer.body().get("id").asString();
	}

	String application(String subject) throws Exception {
		return store(subject, "recruitment", "identity_contact",
				"{\"name\": \"" + NAME + "\", \"email\": \"" + email + "\", \"job_title\": \"Engineer\"}", "{\"outcome\": \"pending\"}");
	}

	/** Submits as the privacy centre, confirms the code read from the mailbox; returns the request id. */
	String verifiedRequest(String type) throws Exception {
		String id = submit(type, email);
		outbox.deliverDue();
		String code = Mailbox.find(email, "code is (\\d{6})");
		var verified = call("POST", "/api/v1/requests/" + id + "/verification", app, "{\"code\": \"" + code + "\"}");
		assertThat(verified.status()).as(verified.raw()).isEqualTo(200);
		assertThat(verified.body().get("state").asString()).isEqualTo("verified");
		return id;
	}

	String submit(String type, String address) throws Exception {
		var answer = call("POST", "/api/v1/requests", app,
				"{\"type\": \"" + type + "\", \"email\": \"" + address + "\", \"details\": \"please, " + NAME + "\"}");
		assertThat(answer.status()).as(answer.raw()).isEqualTo(202);
		assertThat(answer.body().get("state").asString()).isEqualTo("received");
		return answer.body().get("id").asString();
	}

	JsonNode fulfil(String id, String body) throws Exception {
		var answer = call("POST", "/api/v1/requests/" + id + "/fulfilment", dpo, body);
		assertThat(answer.status()).as(answer.raw()).isEqualTo(200);
		assertThat(answer.body().get("state").asString()).isEqualTo("completed");
		return answer.body().get("answer");
	}

	Map<String, byte[]> download(String id) throws Exception {
		outbox.deliverDue();
		String code = Mailbox.find(email, "Download code: (\\S+)");
		var zip = call("GET", "/api/v1/requests/" + id + "/package?code=" + code, app, null);
		assertThat(zip.status()).as(zip.raw()).isEqualTo(200);
		assertThat(call("GET", "/api/v1/requests/" + id + "/package?code=" + code, app, null).status())
			.as("downloaded once, then deleted").isEqualTo(404);
		var files = new LinkedHashMap<String, byte[]>();
		try (var in = new ZipInputStream(new ByteArrayInputStream(zip.bytes()))) {
			for (var entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
				files.put(entry.getName(), in.readAllBytes());
			}
		}
		return files;
	}

	static JsonNode valid(byte[] json) {
		JsonNode node = JsonMapper.shared().readTree(json);
		assertThat(PACKAGE_SCHEMA.validate(node)).as("schema errors").isEmpty();
		return node;
	}

	List<JsonNode> webhooks(String event) {
		return listener.calls.stream().filter(c -> event.equals(c.header("Custodia-Event"))).map(c -> {
			assertThat(WebhookListener.signatureValid(c, secret)).as("signature").isTrue();
			assertThat(c.header("Idempotency-Key")).isNotBlank();
			return JsonMapper.shared().readTree(c.body());
		}).toList();
	}

	// ---------------------------------------------------------------- one test per request type

	@Test
	void anAccessRequestDeliversEveryRecordRestrictedOnesMarkedAsAZipMatchingItsSchemaOnce() throws Exception {
		String subject = subject();
		application(subject);
		String note = store(subject, "communication", "message", "{\"content\": \"call me, " + NAME + "\"}", null);
		call("POST", "/api/v1/records/" + note + "/restriction", dpo, "{\"reason\": \"disputed\"}");
		assertThat(call("GET", "/api/v1/subjects/" + subject + "/records", dpo, null).body().size())
			.as("the restricted record is in no listing").isEqualTo(1);

		String id = verifiedRequest("access");
		assertThat(call("GET", "/api/v1/requests/" + id, dpo, null).body().get("subject_id").asString()).isEqualTo(subject);
		var answer = fulfil(id, null);
		assertThat(answer.get("records").asInt()).isEqualTo(2);

		var files = download(id);
		assertThat(files).containsKeys("access.json", "records.csv", "README.txt");
		JsonNode pkg = valid(files.get("access.json"));
		assertThat(pkg.get("kind").asString()).isEqualTo("access");
		assertThat(pkg.get("records").size()).isEqualTo(2);
		var restricted = pkg.get("records").valueStream().filter(r -> r.get("restricted").asBoolean()).toList();
		assertThat(restricted).hasSize(1);
		assertThat(restricted.get(0).get("id").asString()).isEqualTo(note);
		assertThat(pkg.get("requests").valueStream().map(r -> r.get("id").asString()).toList()).contains(id);
		var activities = pkg.get("information").get("activities");
		assertThat(activities.valueStream().map(a -> a.get("activity").asString()).toList())
			.containsExactlyInAnyOrder("recruitment", "communication");
		assertThat(activities.get(0).get("recipients").size()).isPositive();
		assertThat(pkg.get("information").get("supervisory_authority").get("country").asString()).isEqualTo("BE");
		assertThat(pkg.get("sections").get("consents").isArray()).isTrue();
		String csv = new String(files.get("records.csv"), StandardCharsets.UTF_8);
		assertThat(csv).startsWith("record_id,activity,category,status,field,value").contains(NAME).contains("restricted");
	}

	@Test
	void aPortabilityPackageHoldsOnlyWhatTheSubjectProvided() throws Exception {
		String subject = subject();
		String cv = application(subject);
		store(subject, "server_logs", "technical", "{\"ip_address\": \"192.0.2.7\", \"user_agent\": \"x\"}", null);
		String id = verifiedRequest("portability");
		assertThat(fulfil(id, null).get("records").asInt()).isEqualTo(1);
		var files = download(id);
		JsonNode pkg = valid(files.get("portability.json"));
		assertThat(pkg.get("kind").asString()).isEqualTo("portability");
		assertThat(pkg.get("records").valueStream().map(r -> r.get("id").asString()).toList()).containsExactly(cv);
		assertThat(new String(files.get("records.csv"), StandardCharsets.UTF_8)).doesNotContain("192.0.2.7");
	}

	@Test
	void aRectificationChangesTheRecordAndTellsItsRecipientsThroughASignedWebhook() throws Exception {
		String subject = subject();
		String cv = application(subject);
		String id = verifiedRequest("rectification");
		var answer = fulfil(id, "{\"changes\": {\"" + cv + "\": {\"job_title\": \"Architect\"}}}");
		assertThat(answer.get("recipients_notified").valueStream().map(JsonNode::asString).toList()).containsExactly("staff_suppliers");
		assertThat(call("GET", "/api/v1/records/" + cv, dpo, null).body().get("fields").get("job_title").asString())
			.isEqualTo("Architect");
		outbox.deliverDue();
		var hooks = webhooks("subject.rectified");
		assertThat(hooks).hasSize(1);
		assertThat(hooks.get(0).get("payload").get("subject_id").asString()).isEqualTo(subject);
		assertThat(hooks.get(0).get("payload").get("record_ids").get(0).asString()).isEqualTo(cv);
		assertThat(Mailbox.find(email, "(completed your rectification request)")).isNotNull();
	}

	@Test
	void whatAnErasureKeptGoesOnceNothingKeepsItAndItsRestrictionCannotBeLifted() throws Exception {
		String subject = subject();
		String disclosure = store(subject, "legal_obligations", "identity_contact", "{\"name\": \"" + NAME + "\"}",
				"{\"disclosed\": \"2026-01-10\"}");
		String message = store(subject, "communication", "message", "{\"content\": \"hello\"}", null);
		var hold = holds.place(tenant, "COURT-2026-18", HoldScope.RECORD, message, "pending claim", LocalDate.of(2027, 1, 1),
				"test");
		var answer = fulfil(verifiedRequest("erasure"), null);
		assertThat(answer.get("kept").size()).isEqualTo(2);

		var lift = call("DELETE", "/api/v1/records/" + disclosure + "/restriction", dpo, null);
		assertThat(lift.status()).as(lift.raw()).isEqualTo(422);
		assertThat(lift.body().get("detail").asString()).contains("asked for this record to be erased");

		// the hold released: the message goes at the next run, whatever its own retention says
		holds.release(tenant, hold.id(), "test");
		var afterRelease = retention.run(tenant, null, false, "test");
		assertThat(afterRelease.items()).filteredOn(i -> i.recordId().toString().equals(message)).singleElement()
			.satisfies(i -> assertThat(i.outcome()).isEqualTo(RetentionReport.Outcome.DELETED))
			.satisfies(i -> assertThat(i.ruleId()).isEqualTo("erasure_requested"));
		assertThat(call("GET", "/api/v1/records/" + message, dpo, null).status()).isEqualTo(404);

		// the legal obligation: kept through the day before the answer's "until", deleted on it, and the subject with it
		clock.setDay(LocalDate.of(2033, 1, 9));
		assertThat(retention.run(tenant, null, false, "test").items()).noneMatch(i -> i.recordId().toString().equals(disclosure));
		assertThat(call("GET", "/api/v1/records/" + disclosure, dpo, null).body().get("status").asString()).isEqualTo("RESTRICTED");
		clock.setDay(LocalDate.of(2033, 1, 10));
		var due = retention.run(tenant, null, false, "test");
		assertThat(due.items()).filteredOn(i -> i.recordId().toString().equals(disclosure)).singleElement()
			.satisfies(i -> assertThat(i.outcome()).isEqualTo(RetentionReport.Outcome.DELETED));
		assertThat(call("GET", "/api/v1/records/" + disclosure, dpo, null).status()).isEqualTo(404);
		assertThat(call("GET", "/api/v1/subjects/" + subject + "/records", dpo, null).status())
			.as("its last record gone, the subject is erased with its key").isEqualTo(404);
	}

	@Test
	void aRecordWaitingForErasureLeavesNoMarkBehindWhenSomethingElseDeletesIt() throws Exception {
		String subject = subject();
		String message = store(subject, "communication", "message", "{\"content\": \"hello\"}", null);
		var hold = holds.place(tenant, "COURT-2026-19", HoldScope.RECORD, message, "pending claim", LocalDate.of(2027, 1, 1),
				"test");
		fulfil(verifiedRequest("erasure"), null);
		assertThat(pendingMarks()).as("kept for the hold, marked for erasure").isEqualTo(1);

		// not retention but the DPO's outright erasure deletes it, once the hold is released
		holds.release(tenant, hold.id(), "test");
		assertThat(call("DELETE", "/api/v1/subjects/" + subject, dpo, null).status()).isEqualTo(200);

		assertThat(call("GET", "/api/v1/records/" + message, dpo, null).status()).isEqualTo(404);
		assertThat(pendingMarks()).as("the mark went with its record").isZero();
	}

	private long pendingMarks() {
		return jdbc.sql("select count(*) from erasure_pending where tenant_id = ?").param(tenant).query(Long.class).single();
	}

	@Test
	void anErasureDeletesWhatItMayRestrictsWhatLawOrAHoldKeepsSaysUntilWhenAndRetriesTheWebhook() throws Exception {
		String subject = subject();
		String cv = application(subject);
		String disclosure = store(subject, "legal_obligations", "identity_contact", "{\"name\": \"" + NAME + "\"}",
				"{\"disclosed\": \"2026-01-10\"}");
		String message = store(subject, "communication", "message", "{\"content\": \"hello\"}", null);
		holds.place(tenant, "COURT-2026-17", HoldScope.RECORD, message, "pending claim", LocalDate.of(2027, 1, 1), "test");

		String id = verifiedRequest("erasure");
		var answer = fulfil(id, null);
		assertThat(answer.get("deleted").asInt()).isEqualTo(1);
		assertThat(answer.get("key_destroyed").asBoolean()).isFalse();
		var kept = new LinkedHashMap<String, String>();
		answer.get("kept").valueStream().forEach(k -> kept.put(k.get("record_id").asString(), k.get("until").asString()));
		assertThat(kept).containsEntry(disclosure, "2033-01-10").containsEntry(message, "2027-01-01").doesNotContainKey(cv);
		assertThat(answer.get("recipients_without_webhook").valueStream().map(JsonNode::asString).toList()).contains("authorities");
		assertThat(call("GET", "/api/v1/records/" + cv, dpo, null).status()).isEqualTo(404);
		assertThat(call("GET", "/api/v1/records/" + disclosure, dpo, null).body().get("status").asString()).isEqualTo("RESTRICTED");
		assertThat(call("GET", "/api/v1/subjects/" + subject + "/records", dpo, null).body().size())
			.as("kept records are restricted: in no listing").isZero();
		assertThat(audit.entries(tenant, UUID.fromString(subject), UUID.fromString(message), 100))
			.filteredOn(entry -> entry.action() == io.custodia.audit.AuditAction.HOLD_BLOCKED).singleElement()
			.satisfies(entry -> {
				assertThat(entry.reason()).isEqualTo("hold:COURT-2026-17");
				assertThat(entry.details()).containsEntry("blocked", "erasure request");
			});

		listener.failures.set(1);
		outbox.deliverDue();
		assertThat(webhooks("subject.erased")).as("the receiver failed once").isEmpty();
		clock.set(clock.instant().plus(Duration.ofSeconds(30)));
		outbox.deliverDue();
		assertThat(webhooks("subject.erased")).as("not before the backoff has run").isEmpty();
		clock.set(clock.instant().plus(Duration.ofMinutes(2)));
		outbox.deliverDue();
		var hooks = webhooks("subject.erased");
		assertThat(hooks).hasSize(1);
		assertThat(hooks.get(0).get("payload").get("kept_record_ids").size()).isEqualTo(2);
		assertThat(Mailbox.find(email, "(2033-01-10)")).isNotNull();

		var trail = audit.entries(tenant, null, null, 1000).stream()
			.filter(e -> ("request:" + id).equals(e.reason()))
			.map(e -> e.action().name())
			.toList();
		assertThat(trail).containsSubsequence("REQUEST_RECEIVED", "REQUEST_VERIFIED", "REQUEST_STARTED", "RECORD_DELETED",
				"RECIPIENTS_NOTIFIED", "REQUEST_COMPLETED");
		assertThat(audit.entries(tenant, null, null, 1000).stream().map(e -> String.valueOf(e.details()) + e.reason()).toList())
			.as("no personal data in the trail").noneMatch(text -> text.contains(email) || text.contains(NAME));
		assertThat(audit.verify(tenant).intact()).isTrue();
	}

	@Test
	void aRequestWaitingForARecordAnotherChangeHoldsDoesNotHoldTheAuditTrailMeanwhile() throws Exception {
		String subject = subject();
		UUID record = UUID.fromString(application(subject));
		String id = verifiedRequest("restriction");
		var answer = whileAnotherChangeHolds(subject, record,
				() -> call("POST", "/api/v1/requests/" + id + "/fulfilment", dpo, null));
		assertThat(answer.status()).as(answer.raw()).isEqualTo(200);
		assertThat(answer.body().get("answer").get("restricted").asInt()).isEqualTo(1);
	}

	@Test
	void compellingGroundsWaitingForARestrictedRecordDoNotHoldTheAuditTrailMeanwhile() throws Exception {
		String subject = subject();
		UUID message = UUID.fromString(store(subject, "communication", "message", "{\"content\": \"hello\"}", null));
		fulfil(verifiedRequest("objection"), null);
		var answer = whileAnotherChangeHolds(subject, message,
				() -> call("POST", "/api/v1/subjects/" + subject + "/objections/communication/compelling-grounds", dpo,
						"{\"grounds\": \"pending litigation needs the correspondence\"}"));
		assertThat(answer.status()).as(answer.raw()).isEqualTo(200);
		assertThat(call("GET", "/api/v1/subjects/" + subject + "/records", app, null).body().size()).isEqualTo(1);
	}

	/**
	 * Runs {@code request} while another change (a retention chunk, a rectification) holds the record's row and then,
	 * once the request is seen waiting, writes its audit entry. A request that wrote its own audit entry first would
	 * hold the audit's head while waiting for the record: each would wait for the other until the database gave one
	 * of them up (503). Both must finish, and the trail stay intact.
	 */
	private Answer whileAnotherChangeHolds(String subject, UUID record, java.util.concurrent.Callable<Answer> request)
			throws Exception {
		var locked = new java.util.concurrent.CountDownLatch(1);
		var go = new java.util.concurrent.CountDownLatch(1);
		var other = new java.util.concurrent.CompletableFuture<Void>();
		new Thread(() -> {
			try {
				new org.springframework.transaction.support.TransactionTemplate(transactions).executeWithoutResult(status -> {
					jdbc.sql("update personal_record set updated_at = updated_at where tenant_id = ? and id = ?")
						.params(tenant, record)
						.update();
					locked.countDown();
					try {
						go.await(30, java.util.concurrent.TimeUnit.SECONDS);
					}
					catch (InterruptedException ex) {
						Thread.currentThread().interrupt();
					}
					audit.record(new io.custodia.audit.AuditEvent(tenant, "test", io.custodia.audit.AuditAction.RECORD_RECTIFIED,
							UUID.fromString(subject), record, "test", Map.of()));
				});
				other.complete(null);
			}
			catch (Throwable ex) {
				other.completeExceptionally(ex);
			}
		}).start();
		assertThat(locked.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
		var answer = new java.util.concurrent.CompletableFuture<Answer>();
		new Thread(() -> {
			try {
				answer.complete(request.call());
			}
			catch (Throwable ex) {
				answer.completeExceptionally(ex);
			}
		}).start();
		io.custodia.LockWaits.awaitOneWaiting(dataSource);
		assertThat(answer).as("the request waits for the record").isNotDone();
		go.countDown();

		other.get(30, java.util.concurrent.TimeUnit.SECONDS);
		var result = answer.get(30, java.util.concurrent.TimeUnit.SECONDS);
		assertThat(audit.verify(tenant).intact()).isTrue();
		return result;
	}

	@Test
	void aRestrictionKeepsEveryRecordOutOfEveryListingButTheSubjectsOwnPackage() throws Exception {
		String subject = subject();
		application(subject);
		store(subject, "communication", "message", "{\"content\": \"hello\"}", null);
		String id = verifiedRequest("restriction");
		assertThat(fulfil(id, null).get("restricted").asInt()).isEqualTo(2);
		assertThat(call("GET", "/api/v1/subjects/" + subject + "/records", dpo, null).body().size()).isZero();
		outbox.deliverDue();
		assertThat(webhooks("subject.restricted")).hasSize(1);
		String access = verifiedRequest("access");
		fulfil(access, null);
		JsonNode pkg = valid(download(access).get("access.json"));
		assertThat(pkg.get("records").valueStream().filter(r -> r.get("restricted").asBoolean()).count()).isEqualTo(2);
	}

	@Test
	void anObjectionStopsLegitimateInterestProcessingUntilTheDpoRecordsCompellingGrounds() throws Exception {
		String subject = subject();
		String message = store(subject, "communication", "message", "{\"content\": \"hello\"}", null);
		String contract = store(subject, "contracts_individuals", "identity_contact", "{\"name\": \"" + NAME + "\"}", null);
		String id = verifiedRequest("objection");
		var answer = fulfil(id, null);
		assertThat(answer.get("stopped").valueStream().map(JsonNode::asString).toList()).containsExactly("communication");
		assertThat(answer.get("not_applicable").valueStream().map(JsonNode::asString).toList()).containsExactly("contracts_individuals");
		String check = "/api/v1/suppressions/check?subject_id=" + subject + "&activity=communication";
		assertThat(call("GET", check, app, null).body().get("suppressed").asBoolean()).isTrue();
		assertThat(call("GET", "/api/v1/suppressions/check?subject_id=" + subject + "&activity=contracts_individuals", app, null)
			.body().get("suppressed").asBoolean()).isFalse();
		var listed = call("GET", "/api/v1/subjects/" + subject + "/records", app, null).body();
		assertThat(listed.valueStream().map(r -> r.get("id").asString()).toList()).containsExactly(contract);

		var tooLong = call("POST", "/api/v1/subjects/" + subject + "/objections/communication/compelling-grounds", dpo,
				"{\"grounds\": \"" + "g".repeat(1001) + "\"}");
		assertThat(tooLong.status()).as(tooLong.raw()).isEqualTo(422);
		assertThat(tooLong.raw()).contains("grounds", "at most 1000 characters");
		assertThat(call("GET", check, app, null).body().get("suppressed").asBoolean()).as("still suppressed").isTrue();
		var grounds = call("POST", "/api/v1/subjects/" + subject + "/objections/communication/compelling-grounds", dpo,
				"{\"grounds\": \"pending litigation needs the correspondence\"}");
		assertThat(grounds.status()).as(grounds.raw()).isEqualTo(200);
		assertThat(call("GET", check, app, null).body().get("suppressed").asBoolean()).isFalse();
		assertThat(call("GET", "/api/v1/subjects/" + subject + "/records", app, null).body().valueStream()
			.map(r -> r.get("id").asString()).toList()).containsExactlyInAnyOrder(contract, message);
	}

	@Test
	void anObjectionToDirectMarketingIsAbsoluteAndPutsTheSubjectOnTheSuppressionList() throws Exception {
		String shop = "m" + UUID.randomUUID().toString().substring(0, 8);
		tenants.create(shop, "imig.yaml", Examples.text("imig"));
		String shopApp = apiKeys.issue(shop, Role.APPLICATION, "app").token();
		String shopDpo = apiKeys.issue(shop, Role.DPO, "dpo").token();
		var created = call("POST", "/api/v1/subjects", shopApp, "{\"identifiers\": {\"email\": \"" + email + "\"}}");
		String subject = created.body().get("id").asString();
		var stored = call("POST", "/api/v1/subjects/" + subject + "/records", shopApp,
				"{\"activity\": \"marketing\", \"category\": \"contact\", \"fields\": {\"email\": \"" + email
						+ "\"}, \"facts\": {\"status\": \"receiving\"}}");
		assertThat(stored.status()).as(stored.raw()).isEqualTo(201);
		assertThat(call("GET", "/api/v1/marketing/marketing/audience", shopApp, null).raw()).contains(subject);
		String id = call("POST", "/api/v1/requests", shopApp, "{\"type\": \"objection\", \"email\": \"" + email + "\"}").body()
			.get("id").asString();
		outbox.deliverDue();
		String code = Mailbox.find(email, "code is (\\d{6})");
		assertThat(call("POST", "/api/v1/requests/" + id + "/verification", shopApp, "{\"code\": \"" + code + "\"}").status()).isEqualTo(200);
		var done = call("POST", "/api/v1/requests/" + id + "/fulfilment", shopDpo, "{\"activities\": [\"marketing\"]}");
		assertThat(done.body().get("answer").get("marketing_suppressed").asBoolean()).isTrue();
		assertThat(call("GET", "/api/v1/suppressions/check?subject_id=" + subject + "&activity=marketing", shopApp, null).body()
			.get("suppressed").asBoolean()).isTrue();
		var audience = call("GET", "/api/v1/marketing/marketing/audience", shopApp, null);
		assertThat(audience.status()).isEqualTo(200);
		assertThat(audience.raw()).as("the marketing export honours the suppression list").doesNotContain(subject);
		assertThat(call("GET", "/api/v1/marketing/recruitment/audience", app, null).status()).isEqualTo(422);
		var grounds = call("POST", "/api/v1/subjects/" + subject + "/objections/marketing/compelling-grounds", shopDpo,
				"{\"grounds\": \"we would like to\"}");
		assertThat(grounds.status()).isEqualTo(422);
		assertThat(grounds.body().get("field").asString()).isEqualTo("activity");
	}

	@Test
	void aConsentWithdrawalRequestErasesTheDataHeldOnlyOnThatConsentAndKeepsTheRest() throws Exception {
		String subject = subject();
		String application = application(subject);
		var consent = call("POST", "/api/v1/consents", app, """
				{"subject_id": "%s", "purposes": ["recruitment_reserve"], "method": "form", "language": "en",
				 "how": {"action": "ticked the reserve box"}}""".formatted(subject));
		assertThat(consent.status()).as(consent.raw()).isEqualTo(201);
		String reserve = store(subject, "recruitment_reserve", "identity_contact", "{\"name\": \"" + NAME + "\"}",
				"{\"received\": \"2026-01-10\"}");
		String id = verifiedRequest("consent_withdrawal");
		var answer = fulfil(id, "{\"purposes\": [\"recruitment_reserve\"]}");
		assertThat(answer.get("forwarded_to").asString()).isEqualTo("consent ledger");
		assertThat(call("GET", "/api/v1/records/" + reserve, dpo, null).status()).as("held only on the consent").isEqualTo(404);
		assertThat(call("GET", "/api/v1/records/" + application, dpo, null).status()).as("held on another basis").isEqualTo(200);
		assertThat(call("GET", "/api/v1/consents/subjects/" + subject, dpo, null).body().get("purposes")
			.get("recruitment_reserve").asString()).isEqualTo("withdrawn");

		String access = verifiedRequest("access");
		fulfil(access, null);
		JsonNode pkg = valid(download(access).get("access.json"));
		assertThat(pkg.get("sections").get("consents").valueStream().map(r -> r.get("kind").asString()).toList())
			.as("the access package shows the consent given and its withdrawal")
			.containsExactly("GRANTED", "WITHDRAWN");
		assertThat(Events.withdrawals).singleElement().satisfies(event -> {
			assertThat(event.tenantId()).isEqualTo(tenant);
			assertThat(event.requestId()).hasToString(id);
			assertThat(event.subjectId()).hasToString(subject);
			assertThat(event.purposes()).containsExactly("recruitment_reserve");
		});
	}

	// ---------------------------------------------------------------- verification, deadlines, refusal

	@Test
	void intakeAnswersAlikeForKnownAndUnknownAddressesAndLimitsCodesPerAddress() throws Exception {
		subject();
		String stranger2 = "nobody." + UUID.randomUUID().toString().substring(0, 8) + "@example.test";
		var known = call("POST", "/api/v1/requests", app, "{\"type\": \"access\", \"email\": \"" + email + "\"}");
		var unknown = call("POST", "/api/v1/requests", app, "{\"type\": \"access\", \"email\": \"" + stranger2 + "\"}");
		assertThat(known.status()).isEqualTo(unknown.status());
		assertThat(fieldNames(known.body())).isEqualTo(fieldNames(unknown.body()));
		assertThat(known.body().get("subject_id").isNull()).isTrue();
		assertThat(unknown.body().get("subject_id").isNull()).isTrue();
		call("POST", "/api/v1/requests", app, "{\"type\": \"access\", \"email\": \"" + stranger2 + "\"}");
		call("POST", "/api/v1/requests", app, "{\"type\": \"access\", \"email\": \"" + stranger2 + "\"}");
		var fourth = call("POST", "/api/v1/requests", app, "{\"type\": \"access\", \"email\": \"" + stranger2 + "\"}");
		assertThat(fourth.status()).isEqualTo(202);
		outbox.deliverDue();
		assertThat(Mailbox.to(email)).hasSize(1);
		assertThat(Mailbox.to(stranger2)).as("three codes an hour per address").hasSize(3);
	}

	@Test
	void aCodeExpiresAndAllowsOnlyAFewWrongTries() throws Exception {
		String id = submit("access", email);
		outbox.deliverDue();
		String code = Mailbox.find(email, "code is (\\d{6})");
		String wrong = code.equals("000000") ? "111111" : "000000";
		for (int i = 0; i < RequestManagement.CODE_TRIES; i++) {
			var refused = call("POST", "/api/v1/requests/" + id + "/verification", app, "{\"code\": \"" + wrong + "\"}");
			assertThat(refused.status()).isEqualTo(422);
			assertThat(refused.body().get("field").asString()).isEqualTo("code");
		}
		assertThat(call("POST", "/api/v1/requests/" + id + "/verification", app, "{\"code\": \"" + code + "\"}").status())
			.as("exhausted").isEqualTo(422);

		String late = submit("access", "late." + email);
		outbox.deliverDue();
		String lateCode = Mailbox.find("late." + email, "code is (\\d{6})");
		clock.set(clock.instant().plus(Duration.ofMinutes(31)));
		assertThat(call("POST", "/api/v1/requests/" + late + "/verification", app, "{\"code\": \"" + lateCode + "\"}").status())
			.as("expired").isEqualTo(422);
	}

	@Test
	void staffMayRecordAnotherVerificationWithAReason() throws Exception {
		String subject = subject();
		var letter = call("POST", "/api/v1/requests", dpo, "{\"type\": \"access\", \"channel\": \"letter\"}");
		assertThat(letter.status()).as(letter.raw()).isEqualTo(202);
		String id = letter.body().get("id").asString();
		var noReason = call("POST", "/api/v1/requests/" + id + "/verification/manual", dpo,
				"{\"subject_id\": \"" + subject + "\", \"method\": \"id-document\"}");
		assertThat(noReason.status()).isEqualTo(422);
		var manual = call("POST", "/api/v1/requests/" + id + "/verification/manual", dpo,
				"{\"subject_id\": \"" + subject + "\", \"method\": \"id-document\", \"reason\": \"passport seen at reception\"}");
		assertThat(manual.status()).as(manual.raw()).isEqualTo(200);
		assertThat(manual.body().get("verification_method").asString()).isEqualTo("id-document");
		assertThat(call("POST", "/api/v1/requests/" + id + "/verification/manual", app, "{}").status()).isEqualTo(403);

		// no address to send the download code to: staff get it once, to hand over the way the request came
		String code = fulfil(id, null).get("download_code").asString();
		assertThat(call("GET", "/api/v1/requests/" + id, dpo, null).body().get("answer").has("download_code")).isFalse();
		var zip = call("GET", "/api/v1/requests/" + id + "/package?code=" + code, dpo, null);
		assertThat(zip.status()).isEqualTo(200);
	}

	@Test
	void theDeadlineIsOneMonthExtendableWithAReasonOnlyWithinItAndOverdueRequestsAreListed() throws Exception {
		clock.set(Instant.parse("2026-01-31T10:00:00Z"));
		String id = submit("access", email);
		var request = call("GET", "/api/v1/requests/" + id, dpo, null).body();
		assertThat(request.get("due_on").asString()).isEqualTo("2026-02-28");
		String late = submit("erasure", "other." + email);

		var withoutReason = call("POST", "/api/v1/requests/" + id + "/extension", dpo, "{\"months\": 2}");
		assertThat(withoutReason.status()).isEqualTo(422);
		assertThat(withoutReason.body().get("field").asString()).isEqualTo("reason");
		var extended = call("POST", "/api/v1/requests/" + id + "/extension", dpo,
				"{\"months\": 2, \"reason\": \"many records across systems\"}");
		assertThat(extended.status()).as(extended.raw()).isEqualTo(200);
		assertThat(extended.body().get("state").asString()).isEqualTo("extended");
		assertThat(extended.body().get("due_on").asString()).isEqualTo("2026-04-30");
		outbox.deliverDue();
		assertThat(Mailbox.find(email, "(many records across systems)")).isNotNull();

		clock.set(Instant.parse("2026-02-25T10:00:00Z"));
		var soon = call("GET", "/api/v1/requests?view=due_soon&days=7", dpo, null).body();
		assertThat(soon.valueStream().map(r -> r.get("id").asString()).toList()).containsExactly(late);
		clock.set(Instant.parse("2026-03-01T10:00:00Z"));
		var tooLate = call("POST", "/api/v1/requests/" + late + "/extension", dpo, "{\"months\": 1, \"reason\": \"busy\"}");
		assertThat(tooLate.status()).isEqualTo(422);
		assertThat(tooLate.raw()).contains("2026-02-28");
		var overdue = call("GET", "/api/v1/requests?view=overdue", dpo, null).body();
		assertThat(overdue.valueStream().map(r -> r.get("id").asString()).toList()).containsExactly(late);
	}

	@Test
	void aRefusalNamesTheReasonAndTheSupervisoryAuthority() throws Exception {
		String id = submit("erasure", email);
		var refused = call("POST", "/api/v1/requests/" + id + "/refusal", dpo, "{\"reason\": \"manifestly unfounded\"}");
		assertThat(refused.status()).as(refused.raw()).isEqualTo(200);
		assertThat(refused.body().get("state").asString()).isEqualTo("refused");
		assertThat(refused.body().get("answer").get("supervisory_authority").get("country").asString()).isEqualTo("BE");
		outbox.deliverDue();
		assertThat(Mailbox.find(email, "(gegevensbeschermingsautoriteit)")).isNotNull();
		assertThat(call("POST", "/api/v1/requests/" + id + "/refusal", dpo, "{\"reason\": \"again\"}").status()).isEqualTo(422);
	}

	// ---------------------------------------------------------------- outbox, isolation, announcements

	@Test
	void aWebhookThatKeepsFailingGoesToTheDeadLetterListAndARetryDeliversIt() throws Exception {
		String subject = subject();
		application(subject);
		String id = verifiedRequest("restriction");
		fulfil(id, null);
		listener.failures.set(100);
		for (int i = 0; i < 3; i++) {
			outbox.deliverDue();
			clock.set(clock.instant().plus(Duration.ofHours(7)));
		}
		var dead = call("GET", "/api/v1/outbox/dead-letters", admin, null).body();
		assertThat(dead.size()).isEqualTo(1);
		assertThat(dead.get(0).get("destination").asString()).isEqualTo("staff_suppliers");
		assertThat(dead.get(0).get("last_error").asString()).contains("503");
		String message = dead.get(0).get("id").asString();
		assertThat(call("POST", "/api/v1/outbox/" + message + "/retry", stranger, null).status()).isEqualTo(404);
		listener.failures.set(0);
		assertThat(call("POST", "/api/v1/outbox/" + message + "/retry", admin, null).status()).isEqualTo(200);
		assertThat(call("POST", "/api/v1/outbox/deliveries", admin, null).body().get("delivered").asInt()).isEqualTo(1);
		assertThat(webhooks("subject.restricted")).hasSize(1);
		assertThat(listener.calls.get(0).header("Idempotency-Key")).isEqualTo(message);
	}

	@Test
	void anotherTenantsKeyFindsNoneOfTheRequestEndpoints() throws Exception {
		String subject = subject();
		application(subject);
		String id = verifiedRequest("objection");
		fulfil(id, null);
		String open = submit("access", "open." + email);
		for (var probe : List.of(new String[] { "GET", "/api/v1/requests/" + id, null },
				new String[] { "POST", "/api/v1/requests/" + open + "/verification", "{\"code\": \"123456\"}" },
				new String[] { "POST", "/api/v1/requests/" + open + "/verification/manual", "{\"method\": \"x\", \"reason\": \"y\"}" },
				new String[] { "POST", "/api/v1/requests/" + open + "/start", null },
				new String[] { "POST", "/api/v1/requests/" + open + "/extension", "{\"months\": 1, \"reason\": \"r\"}" },
				new String[] { "POST", "/api/v1/requests/" + open + "/refusal", "{\"reason\": \"r\"}" },
				new String[] { "POST", "/api/v1/requests/" + open + "/fulfilment", "{}" },
				new String[] { "GET", "/api/v1/requests/" + id + "/package?code=x", null },
				new String[] { "POST", "/api/v1/subjects/" + subject + "/objections/communication/compelling-grounds", "{\"grounds\": \"g\"}" })) {
			var answer = call(probe[0], probe[1], stranger, probe[2]);
			assertThat(answer.status()).as(probe[0] + " " + probe[1] + ": " + answer.raw()).isEqualTo(404);
			assertThat(answer.raw()).doesNotContain(tenant);
		}
		var unknown = call("GET", "/api/v1/requests/" + UUID.randomUUID(), dpo, null);
		assertThat(unknown.status()).isEqualTo(404);
		assertThat(call("GET", "/api/v1/requests", stranger, null).body().valueStream().map(r -> r.get("id").asString()).toList())
			.doesNotContain(id, open);
		assertThat(call("GET", "/api/v1/webhooks", stranger, null).body().has("staff_suppliers")).isFalse();
	}

	/**
	 * Acceptance (tenant isolation): every request, suppression and marketing endpoint, called with another tenant's
	 * key and this tenant's real ids, download code, confirmation code and subject's address, answers exactly as for
	 * ids that exist nowhere (status, body with the ids replaced, Content-Type); what the other tenant creates is its
	 * own; and nothing here changes.
	 */
	@Test
	void everyRequestsEndpointAnswersAnotherTenantsKeyAsIfNothingExisted() throws Exception {
		String subject = subject();
		application(subject);
		store(subject, "communication", "message", "{\"content\": \"call me, " + NAME + "\"}", null);
		String done = verifiedRequest("objection");
		fulfil(done, null);
		String check = "/api/v1/suppressions/check?subject_id=" + subject + "&activity=communication";
		assertThat(call("GET", check, app, null).body().get("suppressed").asBoolean()).as("suppressed here").isTrue();
		String access = verifiedRequest("access");
		assertThat(fulfil(access, null).get("records").asInt()).isPositive();
		outbox.deliverDue();
		String downloadCode = Mailbox.find(email, "Download code: (\\S+)");
		String openAddress = "open." + email;
		String open = submit("access", openAddress);
		outbox.deliverDue();
		String openCode = Mailbox.find(openAddress, "code is (\\d{6})");
		// a third code to the subject's address this hour: the most this tenant sends it
		submit("erasure", email);
		outbox.deliverDue();
		int mails = Mailbox.to(email).size();
		var mine = call("GET", "/api/v1/requests?view=all", dpo, null);
		assertThat(mine.body().size()).isEqualTo(4);

		String nobody = UUID.randomUUID().toString();
		String[][] probes = { { "GET", "/api/v1/requests/" + done, null, "404" },
				{ "GET", "/api/v1/requests/" + open, null, "404" },
				{ "POST", "/api/v1/requests/" + open + "/verification", "{\"code\": \"" + openCode + "\"}", "404" },
				{ "POST", "/api/v1/requests/" + open + "/verification/manual",
						"{\"subject_id\": \"" + subject + "\", \"method\": \"id-document\", \"reason\": \"passport\"}", "404" },
				{ "POST", "/api/v1/requests/" + open + "/start", null, "404" },
				{ "POST", "/api/v1/requests/" + open + "/extension", "{\"months\": 1, \"reason\": \"r\"}", "404" },
				{ "POST", "/api/v1/requests/" + open + "/refusal", "{\"reason\": \"r\"}", "404" },
				{ "POST", "/api/v1/requests/" + open + "/fulfilment", "{}", "404" },
				{ "POST", "/api/v1/requests/" + done + "/fulfilment", null, "404" },
				{ "GET", "/api/v1/requests/" + access + "/package?code=" + downloadCode, null, "404" },
				{ "POST", "/api/v1/subjects/" + subject + "/objections/communication/compelling-grounds",
						"{\"grounds\": \"g\"}", "404" },
				{ "GET", check, null, "200" } };
		for (String[] probe : probes) {
			var answer = call(probe[0], probe[1], stranger, probe[2]);
			var reference = call(probe[0], unknown(probe[1], nobody, done, open, access, subject), stranger,
					probe[2] == null ? null : unknown(probe[2], nobody, done, open, access, subject));
			String what = probe[0] + " " + probe[1];
			assertThat(answer.status()).as(what + ": " + answer.raw()).isEqualTo(Integer.parseInt(probe[3]))
				.isEqualTo(reference.status());
			assertThat(unknown(answer.raw(), "ID", done, open, access, subject)).as(what)
				.isEqualTo(reference.raw().replace(nobody, "ID"));
			assertThat(answer.contentType()).as(what).isEqualTo(reference.contentType());
			assertThat(answer.raw()).as(what).doesNotContain(tenant).doesNotContain(NAME).doesNotContain(email);
		}
		assertThat(call("GET", check, stranger, null).body().get("suppressed").asBoolean()).isFalse();
		var theirList = call("GET", "/api/v1/requests?view=all", stranger, null);
		assertThat(theirList.status()).isEqualTo(200);
		assertThat(theirList.raw()).isEqualTo("[]");

		// intake with this tenant's subject's address lands in the other tenant, linked to nothing of this one's; this
		// tenant's codes to the address do not count against the other's, and answers alike for an unknown address
		var theirs = call("POST", "/api/v1/requests", stranger, "{\"type\": \"access\", \"email\": \"" + email + "\"}");
		var fresh = call("POST", "/api/v1/requests", stranger,
				"{\"type\": \"access\", \"email\": \"fresh." + email + "\"}");
		assertThat(theirs.status()).as(theirs.raw()).isEqualTo(202).isEqualTo(fresh.status());
		assertThat(theirs.contentType()).isEqualTo(fresh.contentType());
		String theirsId = theirs.body().get("id").asString();
		assertThat(theirs.raw().replace(theirsId, "ID"))
			.isEqualTo(fresh.raw().replace(fresh.body().get("id").asString(), "ID"));
		assertThat(theirs.raw()).doesNotContain(subject);
		outbox.deliverDue();
		assertThat(Mailbox.to(email)).as("the other tenant's code is sent").hasSize(mails + 1);
		String theirCode = Mailbox.find(email, "code is (\\d{6})");
		var verified = call("POST", "/api/v1/requests/" + theirsId + "/verification", stranger,
				"{\"code\": \"" + theirCode + "\"}");
		assertThat(verified.status()).as(verified.raw()).isEqualTo(200);
		assertThat(verified.body().get("subject_id").isNull()).as("no subject of the other tenant has the address").isTrue();
		var theirAnswer = call("POST", "/api/v1/requests/" + theirsId + "/fulfilment", stranger, null);
		assertThat(theirAnswer.status()).as(theirAnswer.raw()).isEqualTo(200);
		assertThat(theirAnswer.body().get("answer").get("records").asInt()).isZero();
		outbox.deliverDue();
		String theirDownload = Mailbox.find(email, "Download code: (\\S+)");
		assertThat(theirDownload).isNotEqualTo(downloadCode);
		var theirPackage = call("GET", "/api/v1/requests/" + theirsId + "/package?code=" + theirDownload, stranger, null);
		assertThat(theirPackage.status()).isEqualTo(200);
		var packaged = new StringBuilder();
		try (var in = new ZipInputStream(new ByteArrayInputStream(theirPackage.bytes()))) {
			for (var entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
				packaged.append(new String(in.readAllBytes(), StandardCharsets.UTF_8));
			}
		}
		assertThat(packaged.toString()).contains(theirsId).doesNotContain(NAME).doesNotContain(subject)
			.doesNotContain(done).doesNotContain(access);
		assertThat(call("GET", "/api/v1/requests?view=all", stranger, null).body().valueStream()
			.map(r -> r.get("id").asString()).toList()).containsExactlyInAnyOrder(theirsId, fresh.body().get("id").asString());

		// nothing of this tenant's changed
		assertThat(call("GET", "/api/v1/requests?view=all", dpo, null).raw()).isEqualTo(mine.raw());
		assertThat(call("GET", "/api/v1/requests/" + open, dpo, null).body().get("state").asString()).isEqualTo("received");
		assertThat(call("GET", check, app, null).body().get("suppressed").asBoolean()).isTrue();
		assertThat(call("POST", "/api/v1/requests/" + open + "/verification", app, "{\"code\": \"" + openCode + "\"}").status())
			.as("the code the other tenant tried is still good").isEqualTo(200);
		var zip = call("GET", "/api/v1/requests/" + access + "/package?code=" + downloadCode, app, null);
		assertThat(zip.status()).as("the download code the other tenant tried is still good").isEqualTo(200);
	}

	/**
	 * Acceptance (tenant isolation): the marketing audience of another tenant with the same policy holds only its own
	 * subjects, never this tenant's, even with the same address.
	 */
	@Test
	void theMarketingAudienceOfAnotherTenantHoldsNoneOfThisTenantsSubjects() throws Exception {
		String shop = "m" + UUID.randomUUID().toString().substring(0, 8);
		tenants.create(shop, "imig.yaml", Examples.text("imig"));
		String shopApp = apiKeys.issue(shop, Role.APPLICATION, "app").token();
		String otherShop = "n" + UUID.randomUUID().toString().substring(0, 8);
		tenants.create(otherShop, "imig.yaml", Examples.text("imig"));
		String otherApp = apiKeys.issue(otherShop, Role.APPLICATION, "other app").token();
		String subject = marketingSubject(shopApp);
		var audience = call("GET", "/api/v1/marketing/marketing/audience", shopApp, null);
		assertThat(audience.body().valueStream().map(JsonNode::asString).toList()).containsExactly(subject);

		var empty = call("GET", "/api/v1/marketing/marketing/audience", otherApp, null);
		assertThat(empty.status()).as(empty.raw()).isEqualTo(200);
		assertThat(empty.raw()).isEqualTo("[]");
		String theirs = marketingSubject(otherApp);
		assertThat(theirs).isNotEqualTo(subject);
		var their = call("GET", "/api/v1/marketing/marketing/audience", otherApp, null);
		assertThat(their.body().valueStream().map(JsonNode::asString).toList()).containsExactly(theirs);
		assertThat(call("GET", "/api/v1/marketing/marketing/audience", shopApp, null).raw()).isEqualTo(audience.raw());
		// a tenant whose policy has no such activity is refused alike whether or not another tenant has one
		var undeclared = call("GET", "/api/v1/marketing/marketing/audience", stranger, null);
		var nowhere = call("GET", "/api/v1/marketing/nowhere_activity/audience", stranger, null);
		assertThat(undeclared.status()).isEqualTo(nowhere.status());
		assertThat(undeclared.contentType()).isEqualTo(nowhere.contentType());
		assertThat(undeclared.raw()).doesNotContain(subject).doesNotContain(theirs);
	}

	String marketingSubject(String key) throws Exception {
		var created = call("POST", "/api/v1/subjects", key, "{\"identifiers\": {\"email\": \"" + email + "\"}}");
		assertThat(created.status()).as(created.raw()).isIn(200, 201);
		String subject = created.body().get("id").asString();
		var stored = call("POST", "/api/v1/subjects/" + subject + "/records", key,
				"{\"activity\": \"marketing\", \"category\": \"contact\", \"fields\": {\"email\": \"" + email
						+ "\"}, \"facts\": {\"status\": \"receiving\"}}");
		assertThat(stored.status()).as(stored.raw()).isEqualTo(201);
		return subject;
	}

	static String unknown(String text, String replacement, String... ids) {
		for (String id : ids) {
			text = text.replace(id, replacement);
		}
		return text;
	}

	/**
	 * Acceptance (tenant isolation): another tenant configuring the same recipient's webhook, rotating its signing
	 * key, listing its dead letters, retrying this tenant's dead letter by its real id or delivering on demand
	 * reaches nothing of this tenant's: its webhook, signing key, dead letters and due messages stay as they were.
	 */
	@Test
	void everyWebhookAndOutboxEndpointAnswersAnotherTenantsKeyAsIfNothingExisted() throws Exception {
		try (var theirListener = new WebhookListener()) {
			var configured = call("PUT", "/api/v1/webhooks/staff_suppliers", stranger,
					"{\"url\": \"" + theirListener.url("/theirs") + "\"}");
			assertThat(configured.status()).as(configured.raw()).isEqualTo(200);
			String theirSecret = configured.body().get("signing_secret").asString();
			assertThat(theirSecret).as("the other tenant's first endpoint gets its own key").isNotBlank().isNotEqualTo(secret);
			var rotated = call("POST", "/api/v1/webhooks/signing-key", stranger, null);
			assertThat(rotated.status()).as(rotated.raw()).isEqualTo(200);
			assertThat(rotated.body().get("signing_secret").asString()).isNotEqualTo(secret).isNotEqualTo(theirSecret);
			assertThat(call("GET", "/api/v1/webhooks", stranger, null).body().get("staff_suppliers").asString())
				.isEqualTo(theirListener.url("/theirs"));
			assertThat(call("GET", "/api/v1/webhooks", admin, null).body().get("staff_suppliers").asString())
				.as("this tenant's endpoint").isEqualTo(listener.url("/hooks"));
			var again = call("PUT", "/api/v1/webhooks/staff_suppliers", admin, "{\"url\": \"" + listener.url("/hooks") + "\"}");
			assertThat(again.body().get("signing_secret").isNull()).as("this tenant still has its key").isTrue();

			String subject = subject();
			application(subject);
			String id = verifiedRequest("restriction");
			fulfil(id, null);
			var delivered = call("POST", "/api/v1/outbox/deliveries", stranger, null);
			assertThat(delivered.status()).as(delivered.raw()).isEqualTo(200);
			assertThat(delivered.body().get("delivered").asInt()).as("this tenant's due messages are not the other's")
				.isZero();
			assertThat(listener.calls).isEmpty();
			assertThat(theirListener.calls).isEmpty();

			listener.failures.set(100);
			for (int i = 0; i < 3; i++) {
				outbox.deliverDue();
				clock.set(clock.instant().plus(Duration.ofHours(7)));
			}
			var dead = call("GET", "/api/v1/outbox/dead-letters", admin, null);
			assertThat(dead.body().size()).as(dead.raw()).isEqualTo(1);
			String message = dead.body().get(0).get("id").asString();
			var theirDead = call("GET", "/api/v1/outbox/dead-letters", stranger, null);
			assertThat(theirDead.status()).isEqualTo(200);
			assertThat(theirDead.raw()).isEqualTo("[]");

			String nobody = UUID.randomUUID().toString();
			var retry = call("POST", "/api/v1/outbox/" + message + "/retry", stranger, null);
			var unknownRetry = call("POST", "/api/v1/outbox/" + nobody + "/retry", stranger, null);
			assertThat(retry.status()).as(retry.raw()).isEqualTo(404).isEqualTo(unknownRetry.status());
			assertThat(retry.raw().replace(message, "ID")).isEqualTo(unknownRetry.raw().replace(nobody, "ID"));
			assertThat(retry.contentType()).isEqualTo(unknownRetry.contentType());
			assertThat(retry.raw()).doesNotContain("staff_suppliers").doesNotContain(subject).doesNotContain(tenant);
			assertThat(call("GET", "/api/v1/outbox/dead-letters", admin, null).raw()).as("still dead here").isEqualTo(dead.raw());

			listener.failures.set(0);
			assertThat(call("POST", "/api/v1/outbox/deliveries", stranger, null).body().get("delivered").asInt()).isZero();
			assertThat(call("POST", "/api/v1/outbox/" + message + "/retry", admin, null).status()).isEqualTo(200);
			assertThat(call("POST", "/api/v1/outbox/deliveries", stranger, null).body().get("delivered").asInt()).isZero();
			assertThat(listener.calls).isEmpty();
			assertThat(call("POST", "/api/v1/outbox/deliveries", admin, null).body().get("delivered").asInt()).isEqualTo(1);
			// signed with this tenant's own key, which the other's rotation left alone, and sent to its own endpoint
			assertThat(webhooks("subject.restricted")).hasSize(1);
			assertThat(listener.calls).singleElement().satisfies(c -> assertThat(c.path()).isEqualTo("/hooks"));
			assertThat(theirListener.calls).isEmpty();
		}
	}

	@Test
	void aMaterialPolicyChangeIsAnnouncedByEmailToTheSubjectsItAffects() throws Exception {
		String subject = subject();
		application(subject);
		String source = Examples.text("imengine")
			.replace("version: \"2020.1\"", "version: \"2026.2\"")
			.replace("effective: 2020-09-02", "effective: 2026-03-01")
			.replace("id: archive_3_years\n        from: last_contact\n        period: P3Y", "id: archive_3_years\n        from: last_contact\n        period: P4Y");
		assertThat(source).contains("P4Y");
		String unaffected = "unaffected." + email;
		call("POST", "/api/v1/subjects", app, "{\"identifiers\": {\"email\": \"" + unaffected + "\"}}");
		tenants.publish(tenant, "imengine.yaml", source);
		outbox.deliverDue();
		assertThat(Mailbox.to(email)).isEmpty();

		String talker = "talker." + email;
		var created = call("POST", "/api/v1/subjects", app, "{\"identifiers\": {\"email\": \"" + talker + "\"}}");
		store(created.body().get("id").asString(), "communication", "identity_contact", "{\"email\": \"" + talker + "\"}", null);
		tenants.publish(tenant, "imengine.yaml", source.replace("2026.2", "2026.3").replace("P4Y", "P5Y"));
		outbox.deliverDue();
		assertThat(Mailbox.find(talker, "(changes on 2026-03-01)")).isNotNull();
		assertThat(Mailbox.to(unaffected)).isEmpty();
	}

	private static List<String> fieldNames(JsonNode node) {
		return node.propertyNames().stream().sorted().toList();
	}

	static JsonNode read(Path path) {
		try {
			return JsonMapper.shared().readTree(Files.readString(path));
		}
		catch (IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
	}

	/** Collects what the requests module publishes for the consent ledger. */
	@TestConfiguration(proxyBeanMethods = false)
	static class Events {

		static final List<ConsentWithdrawalRequested> withdrawals = new CopyOnWriteArrayList<>();

		@Bean
		Object withdrawalCollector() {
			return new Object() {
				@EventListener
				void on(ConsentWithdrawalRequested event) {
					withdrawals.add(event);
				}
			};
		}
	}
}

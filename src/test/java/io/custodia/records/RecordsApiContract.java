package io.custodia.records;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.custodia.Examples;
import io.custodia.tenancy.ApiKeys;
import io.custodia.tenancy.Role;
import io.custodia.tenancy.TenantManagement;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/** The personal-data API as an application and a DPO use it, on whatever database is under it. */
abstract class RecordsApiContract {

	/** Values distinctive enough to be found by a scan if they were ever stored or logged in the clear. */
	static final String NAME = "Zyxwvu Qwertyson";

	static final String EMAIL = "zyxwvu.qwertyson@example.test";

	@LocalServerPort
	int port;

	@Autowired
	TenantManagement tenants;

	@Autowired
	ApiKeys apiKeys;

	@Autowired
	javax.sql.DataSource dataSource;

	final HttpClient http = HttpClient.newHttpClient();

	String tenant;

	String app;

	String dpo;

	String reader;

	String stranger;

	@BeforeEach
	void tenants() {
		tenant = "t" + UUID.randomUUID().toString().substring(0, 8);
		tenants.create(tenant, "imengine.yaml", Examples.text("imengine"));
		app = apiKeys.issue(tenant, Role.APPLICATION, "test app").token();
		dpo = apiKeys.issue(tenant, Role.DPO, "test dpo").token();
		reader = apiKeys.issue(tenant, Role.READ_ONLY, "test reader").token();
		String other = "o" + UUID.randomUUID().toString().substring(0, 8);
		tenants.create(other, "imengine.yaml", Examples.text("imengine"));
		stranger = apiKeys.issue(other, Role.TENANT_ADMIN, "other tenant admin").token();
	}

	record Answer(int status, JsonNode body, String raw, String contentType) {
	}

	Answer call(String method, String path, String key, String json) throws IOException, InterruptedException {
		var request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
			.method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json))
			.header("Content-Type", "application/json");
		if (key != null) {
			request.header("Authorization", "Bearer " + key);
		}
		var response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
		JsonNode body = response.body().isBlank() ? null : JsonMapper.shared().readTree(response.body());
		return new Answer(response.statusCode(), body, response.body(),
				response.headers().firstValue("Content-Type").orElse(""));
	}

	String subject(String key) throws Exception {
		var answer = call("POST", "/api/v1/subjects", key, "{\"identifiers\": {\"email\": \" " + EMAIL.toUpperCase() + " \"}}");
		assertThat(answer.status()).as(answer.raw()).isIn(200, 201);
		return answer.body().get("id").asString();
	}

	String application(String subject) throws Exception {
		var answer = call("POST", "/api/v1/subjects/" + subject + "/records", app, """
				{"activity": "recruitment", "category": "identity_contact",
				 "fields": {"name": "%s", "email": "%s", "job_title": "Engineer"},
				 "facts": {"outcome": "pending"}, "client_record_id": "cv-%s"}""".formatted(NAME, EMAIL, UUID.randomUUID()));
		assertThat(answer.status()).as(answer.raw()).isEqualTo(201);
		return answer.body().get("id").asString();
	}

	@Test
	void anApplicationStoresAndReadsBackARecordOfADeclaredActivity() throws Exception {
		String subject = subject(app);
		String record = application(subject);
		var read = call("GET", "/api/v1/records/" + record, reader, null);
		assertThat(read.status()).isEqualTo(200);
		assertThat(read.body().get("fields").get("name").asString()).isEqualTo(NAME);
		assertThat(read.body().get("facts").get("outcome").asString()).isEqualTo("pending");
		assertThat(read.body().get("status").asString()).isEqualTo("ACTIVE");
		var list = call("GET", "/api/v1/subjects/" + subject + "/records", reader, null);
		assertThat(list.body().size()).isEqualTo(1);
	}

	@Test
	void theSameIdentifiersFindTheSameSubject() throws Exception {
		String first = subject(app);
		var again = call("POST", "/api/v1/subjects", app, "{\"identifiers\": {\"email\": \"" + EMAIL + "\"}}");
		assertThat(again.status()).isEqualTo(200);
		assertThat(again.body().get("id").asString()).isEqualTo(first);
		assertThat(again.body().get("created").asBoolean()).isFalse();
	}

	@Test
	void storingTwiceWithOneClientRecordIdStoresOnce() throws Exception {
		String subject = subject(app);
		String body = """
				{"activity": "recruitment", "category": "identity_contact", "fields": {"name": "%s"},
				 "client_record_id": "same-%s"}""".formatted(NAME, subject);
		var first = call("POST", "/api/v1/subjects/" + subject + "/records", app, body);
		var second = call("POST", "/api/v1/subjects/" + subject + "/records", app, body);
		assertThat(second.body().get("id").asString()).isEqualTo(first.body().get("id").asString());
		assertThat(call("GET", "/api/v1/subjects/" + subject + "/records", app, null).body().size()).isEqualTo(1);
	}

	@Test
	void dataNoActivityDeclaresIsRefusedNamingWhatThePolicyAllows() throws Exception {
		String subject = subject(app);
		var activity = call("POST", "/api/v1/subjects/" + subject + "/records", app,
				"{\"activity\": \"profiling\", \"category\": \"identity_contact\", \"fields\": {\"name\": \"x\"}}");
		assertThat(activity.status()).isEqualTo(422);
		assertThat(activity.contentType()).startsWith("application/problem+json");
		assertThat(activity.body().get("field").asString()).isEqualTo("activity");
		assertThat(activity.raw()).contains("recruitment", "server_logs");
		var category = call("POST", "/api/v1/subjects/" + subject + "/records", app,
				"{\"activity\": \"server_logs\", \"category\": \"identity_contact\", \"fields\": {\"name\": \"x\"}}");
		assertThat(category.status()).isEqualTo(422);
		assertThat(category.body().get("allowed").toString()).isEqualTo("[\"technical\"]");
		var field = call("POST", "/api/v1/subjects/" + subject + "/records", app,
				"{\"activity\": \"recruitment\", \"category\": \"identity_contact\", \"fields\": {\"religion\": \"" + NAME + "\"}}");
		assertThat(field.status()).isEqualTo(422);
		assertThat(field.body().get("field").asString()).isEqualTo("fields.religion");
		assertThat(field.raw()).contains("job_title").doesNotContain(NAME);
		var fact = call("POST", "/api/v1/subjects/" + subject + "/records", app,
				"{\"activity\": \"recruitment\", \"category\": \"identity_contact\", \"fields\": {\"name\": \"x\"}, \"facts\": {\"outcome\": \"maybe\"}}");
		assertThat(fact.status()).isEqualTo(422);
		assertThat(fact.raw()).contains("hired", "not_interviewed");
	}

	@Test
	void rectificationChangesTheGivenFieldsAndKeepsTheOthers() throws Exception {
		String record = application(subject(app));
		var rectified = call("PATCH", "/api/v1/records/" + record, app, "{\"fields\": {\"job_title\": \"Architect\"}}");
		assertThat(rectified.status()).as(rectified.raw()).isEqualTo(200);
		assertThat(rectified.body().get("fields").get("job_title").asString()).isEqualTo("Architect");
		assertThat(rectified.body().get("fields").get("name").asString()).isEqualTo(NAME);
	}

	@Test
	void aRestrictedRecordIsKeptButLeftOutOfTheListing() throws Exception {
		String subject = subject(app);
		String record = application(subject);
		assertThat(call("POST", "/api/v1/records/" + record + "/restriction", dpo, "{\"reason\": \"accuracy contested\"}").status())
			.isEqualTo(204);
		assertThat(call("GET", "/api/v1/subjects/" + subject + "/records", app, null).body().size()).isZero();
		assertThat(call("GET", "/api/v1/records/" + record, dpo, null).body().get("status").asString()).isEqualTo("RESTRICTED");
		assertThat(call("DELETE", "/api/v1/records/" + record + "/restriction", dpo, null).status()).isEqualTo(204);
		assertThat(call("GET", "/api/v1/subjects/" + subject + "/records", app, null).body().size()).isEqualTo(1);
	}

	@Test
	void lifecycleFactsAreCheckedAgainstTheActivity() throws Exception {
		String record = application(subject(app));
		var facts = call("POST", "/api/v1/records/" + record + "/facts", app,
				"{\"facts\": {\"outcome\": \"interviewed\", \"assessment_closed\": \"2026-01-31\"}}");
		assertThat(facts.status()).as(facts.raw()).isEqualTo(200);
		assertThat(facts.body().get("facts").get("assessment_closed").asString()).isEqualTo("2026-01-31");
		var badDate = call("POST", "/api/v1/records/" + record + "/facts", app, "{\"facts\": {\"assessment_closed\": \"31/01/2026\"}}");
		assertThat(badDate.status()).isEqualTo(422);
		assertThat(badDate.raw()).contains("YYYY-MM-DD");
	}

	@Test
	void factsOfAnEarlierPolicyVersionStayAndAFactThatWouldOverflowTheRecordIsRefusedNamingTheField() throws Exception {
		String record = application(subject(app));
		var jdbc = new org.springframework.jdbc.core.JdbcTemplate(dataSource);
		// as an earlier policy version left it: a state today's policy no longer declares. 7,990 characters in all,
		// and today's date fact would add 33
		String earlier = "{\"outcome\":\"pending\",\"screening.note\":\"" + "x".repeat(7949) + "\"}";
		assertThat(earlier).hasSize(7990);
		jdbc.update("update personal_record set facts = ? where id = ?", earlier, UUID.fromString(record));

		var refused = call("POST", "/api/v1/records/" + record + "/facts", app, "{\"facts\": {\"assessment_closed\": \"2026-01-31\"}}");

		assertThat(refused.status()).as(refused.raw()).isEqualTo(422);
		assertThat(refused.contentType()).startsWith("application/problem+json");
		assertThat(refused.body().get("field").asString()).isEqualTo("facts");
		assertThat(refused.body().get("detail").asString()).contains("screening.note", "8023", "8000");
		assertThat(jdbc.queryForObject("select facts from personal_record where id = ?", String.class, UUID.fromString(record)))
			.as("nothing written").isEqualTo(earlier);

		// a fact that still fits is recorded beside the earlier version's
		var recorded = call("POST", "/api/v1/records/" + record + "/facts", app, "{\"facts\": {\"outcome\": \"hired\"}}");
		assertThat(recorded.status()).as(recorded.raw()).isEqualTo(200);
		assertThat(recorded.body().get("facts").get("outcome").asString()).isEqualTo("hired");
		assertThat(recorded.body().get("facts").get("screening.note").asString()).hasSize(7949);
	}

	@Test
	void erasingASubjectLeavesNothingToRead() throws Exception {
		String subject = subject(app);
		String record = application(subject);
		assertThat(call("DELETE", "/api/v1/subjects/" + subject, app, null).status()).isEqualTo(403);
		var erased = call("DELETE", "/api/v1/subjects/" + subject, dpo, null);
		assertThat(erased.status()).isEqualTo(200);
		assertThat(erased.body().get("deleted_records").asInt()).isEqualTo(1);
		assertThat(call("GET", "/api/v1/records/" + record, dpo, null).status()).isEqualTo(404);
		assertThat(call("GET", "/api/v1/subjects/" + subject + "/records", dpo, null).status()).isEqualTo(404);
		var again = call("POST", "/api/v1/subjects", app, "{\"identifiers\": {\"email\": \"" + EMAIL + "\"}}");
		assertThat(again.body().get("id").asString()).isNotEqualTo(subject);
	}

	@Test
	void withoutAValidKeyTheApiAnswersUnauthorizedAndAReaderCannotWrite() throws Exception {
		var none = call("GET", "/api/v1/records/" + UUID.randomUUID(), null, null);
		assertThat(none.status()).isEqualTo(401);
		assertThat(none.contentType()).startsWith("application/problem+json");
		assertThat(none.body().get("detail").asString()).contains("Authorization: Bearer");
		assertThat(none.raw()).doesNotContain("null");
		assertThat(call("GET", "/api/v1/records/" + UUID.randomUUID(), "cst_0000_nope", null).status()).isEqualTo(401);
		String revoked = apiKeys.issue(tenant, Role.APPLICATION, "soon revoked").token();
		apiKeys.revoke(tenant, revoked.substring(4, revoked.indexOf('_', 4)));
		assertThat(call("POST", "/api/v1/subjects", revoked, "{\"identifiers\": {\"email\": \"a@b.c\"}}").status()).isEqualTo(401);
		var write = call("POST", "/api/v1/subjects", reader, "{\"identifiers\": {\"email\": \"a@b.c\"}}");
		assertThat(write.status()).isEqualTo(403);
		assertThat(write.contentType()).startsWith("application/problem+json");
	}

	@Autowired
	io.custodia.audit.AuditTrail audit;

	@Test
	void valuesLongerThanWhatIsStoredAreRefusedNamingTheFieldAndTheLimitAndKeepNothing() throws Exception {
		// before, each reached the database, which refused it: a 500 whose message quoted the value
		String subject = subject(app);
		var clientId = call("POST", "/api/v1/subjects/" + subject + "/records", app, """
				{"activity": "recruitment", "category": "identity_contact", "fields": {"name": "%s"},
				 "client_record_id": "%s"}""".formatted(NAME, "c".repeat(201)));
		assertThat(clientId.status()).as(clientId.raw()).isEqualTo(422);
		assertThat(clientId.body().get("field").asString()).isEqualTo("client_record_id");
		assertThat(clientId.raw()).contains("longer than 200 characters");

		var fields = call("POST", "/api/v1/subjects/" + subject + "/records", app, """
				{"activity": "recruitment", "category": "identity_contact", "fields": {"name": "%s"}}"""
			.formatted("n".repeat(1_000_001)));
		assertThat(fields.status()).isEqualTo(422);
		assertThat(fields.body().get("field").asString()).isEqualTo("fields");
		assertThat(fields.body().get("detail").asString()).contains("at most 1000000");
		String stored = application(subject);
		var rectified = call("PATCH", "/api/v1/records/" + stored, app,
				"{\"fields\": {\"job_title\": \"%s\"}}".formatted("j".repeat(1_000_001)));
		assertThat(rectified.status()).isEqualTo(422);
		assertThat(call("GET", "/api/v1/records/" + stored, reader, null).body().get("fields").get("job_title").asString())
			.isEqualTo("Engineer");

		String hold = "{\"reference\": \"%s\", \"scope\": \"SUBJECT\", \"scope_id\": \"%s\", \"reason\": \"%s\", "
				+ "\"review_date\": \"2027-01-01\"}";
		var reference = call("POST", "/api/v1/holds", dpo, hold.formatted("R".repeat(201), subject, "case"));
		assertThat(reference.status()).isEqualTo(400);
		assertThat(reference.body().get("detail").asString()).startsWith("reference: at most 200 characters");
		var reason = call("POST", "/api/v1/holds", dpo, hold.formatted("COURT-2", subject, "r".repeat(1001)));
		assertThat(reason.body().get("detail").asString()).startsWith("reason: at most 1000 characters");
		assertThat(reason.body().get("field").asString()).isEqualTo("reason");
		var noScope = call("POST", "/api/v1/holds", dpo, "{\"reference\": \"COURT-3\", \"scope_id\": \"" + subject
				+ "\", \"reason\": \"case\", \"review_date\": \"2027-01-01\"}");
		assertThat(noScope.status()).isEqualTo(400);
		assertThat(noScope.contentType()).startsWith("application/problem+json");
		assertThat(noScope.body().get("field").asString()).isEqualTo("scope");
		assertThat(noScope.body().get("allowed").valueStream().map(v -> v.asString()).toList())
			.containsExactly("SUBJECT", "RECORD", "ACTIVITY");
		var noReview = call("POST", "/api/v1/holds", dpo, hold.formatted("COURT-4", subject, "case")
			.replace(", \"review_date\": \"2027-01-01\"", ""));
		assertThat(noReview.body().get("field").asString()).as(noReview.raw()).isEqualTo("review_date");
		assertThat(call("GET", "/api/v1/holds", dpo, null).body().size()).isZero();
		assertThat(call("GET", "/api/v1/subjects/" + subject + "/records", reader, null).body().size()).isEqualTo(1);
		// custodia tenant issue-key --label
		org.assertj.core.api.Assertions.assertThatThrownBy(() -> apiKeys.issue(tenant, Role.READ_ONLY, "l".repeat(201)))
			.isInstanceOf(IllegalArgumentException.class)
			.hasMessageContaining("1 to 200 characters");
	}

	@Test
	void anOutrightErasureOfAHeldSubjectErasesNothingNamesTheHoldAndGoesAheadOnceItIsReleased() throws Exception {
		String subject = subject(app);
		String record = application(subject);
		var placed = call("POST", "/api/v1/holds", dpo, """
				{"reference": "COURT-9", "scope": "RECORD", "scope_id": "%s", "reason": "case", "review_date": "2027-03-01"}"""
			.formatted(record.toUpperCase(java.util.Locale.ROOT)));
		assertThat(placed.status()).as(placed.raw()).isEqualTo(201);

		var refused = call("DELETE", "/api/v1/subjects/" + subject, dpo, null);

		assertThat(refused.status()).as(refused.raw()).isEqualTo(409);
		assertThat(refused.contentType()).startsWith("application/problem+json");
		assertThat(refused.body().get("holds").get(0).get("reference").asString()).isEqualTo("COURT-9");
		assertThat(refused.body().get("holds").get(0).get("review_date").asString()).isEqualTo("2027-03-01");
		assertThat(refused.body().get("detail").asString()).contains("nothing was erased", "erasure request");
		assertThat(call("GET", "/api/v1/records/" + record, dpo, null).body().get("fields").get("name").asString())
			.isEqualTo(NAME);
		assertThat(audit.entries(tenant, UUID.fromString(subject), UUID.fromString(record), 100))
			.filteredOn(entry -> entry.action() == io.custodia.audit.AuditAction.HOLD_BLOCKED).singleElement()
			.satisfies(entry -> assertThat(entry.reason()).isEqualTo("hold:COURT-9"));

		assertThat(call("DELETE", "/api/v1/holds/" + placed.body().get("id").asString(), dpo, null).status()).isEqualTo(204);
		var erased = call("DELETE", "/api/v1/subjects/" + subject, dpo, null);
		assertThat(erased.status()).as(erased.raw()).isEqualTo(200);
		assertThat(erased.body().get("deleted_records").asInt()).isEqualTo(1);
	}

	@Test
	void aValueOfTheWrongTypeIsNamedByItsParameterAndNeverQuoted() throws Exception {
		var wrong = call("GET", "/api/v1/records/" + EMAIL, reader, null);
		assertThat(wrong.status()).as(wrong.raw()).isEqualTo(400);
		assertThat(wrong.contentType()).startsWith("application/problem+json");
		assertThat(wrong.body().get("field").asString()).isEqualTo("recordId");
		assertThat(wrong.body().get("detail").asString()).isEqualTo("'recordId' must be a UUID");
		// only "instance" has it: the path the caller sent (a query value would not be in it either)
		assertThat(wrong.raw().replace("\"instance\":\"/api/v1/records/" + EMAIL + "\"", "")).doesNotContain("zyxwvu");
	}

	@Test
	void anApplicationCanRestrictButOnlyTheDpoOrAdminReadsOrLiftsARestrictedRecord() throws Exception {
		String subject = subject(app);
		String record = application(subject);
		assertThat(call("POST", "/api/v1/records/" + record + "/restriction", app, "{\"reason\": \"contested\"}").status())
			.isEqualTo(204);
		var lifted = call("DELETE", "/api/v1/records/" + record + "/restriction", app, null);
		assertThat(lifted.status()).as(lifted.raw()).isEqualTo(403);
		assertThat(call("GET", "/api/v1/subjects/" + subject + "/records", app, null).body().size()).as("still restricted").isZero();
		var readByApp = call("GET", "/api/v1/records/" + record, app, null);
		assertThat(readByApp.status()).as("kept, not processed").isEqualTo(409);
		assertThat(readByApp.raw()).contains("restricted").doesNotContain(NAME);
		assertThat(call("GET", "/api/v1/records/" + record, reader, null).status()).isEqualTo(409);
		assertThat(call("GET", "/api/v1/records/" + record, dpo, null).body().get("fields").get("name").asString()).isEqualTo(NAME);
		assertThat(call("DELETE", "/api/v1/records/" + record + "/restriction", dpo, null).status()).isEqualTo(204);
		assertThat(call("GET", "/api/v1/subjects/" + subject + "/records", app, null).body().size()).isEqualTo(1);
	}

	@Test
	void aHoldOnASubjectWithoutRecordsKeepsItsIdentifiersFromAnOutrightErasure() throws Exception {
		String subject = subject(app);
		var placed = call("POST", "/api/v1/holds", dpo, """
				{"reference": "COURT-12", "scope": "SUBJECT", "scope_id": "%s", "reason": "case", "review_date": "2027-03-01"}"""
			.formatted(subject));
		assertThat(placed.status()).as(placed.raw()).isEqualTo(201);

		var refused = call("DELETE", "/api/v1/subjects/" + subject, dpo, null);

		assertThat(refused.status()).as(refused.raw()).isEqualTo(409);
		assertThat(refused.body().get("holds").get(0).get("reference").asString()).isEqualTo("COURT-12");
		assertThat(call("POST", "/api/v1/subjects", app, "{\"identifiers\": {\"email\": \"" + EMAIL + "\"}}")
			.body().get("id").asString()).as("still found by its e-mail").isEqualTo(subject);
		assertThat(audit.entries(tenant, UUID.fromString(subject), null, 100))
			.filteredOn(entry -> entry.action() == io.custodia.audit.AuditAction.HOLD_BLOCKED).singleElement()
			.satisfies(entry -> assertThat(entry.recordId()).isNull());
		assertThat(call("DELETE", "/api/v1/holds/" + placed.body().get("id").asString(), dpo, null).status()).isEqualTo(204);
		assertThat(call("DELETE", "/api/v1/subjects/" + subject, dpo, null).status()).isEqualTo(200);
	}

	@Test
	void anApplicationCannotRectifyOrRecordFactsOnARestrictedRecordButTheDpoCan() throws Exception {
		String subject = subject(app);
		String record = application(subject);
		assertThat(call("POST", "/api/v1/records/" + record + "/restriction", app, "{\"reason\": \"contested\"}").status())
			.isEqualTo(204);
		var rectified = call("PATCH", "/api/v1/records/" + record, app, "{\"fields\": {\"name\": \"Someone Else\"}}");
		assertThat(rectified.status()).as("kept, not processed: " + rectified.raw()).isEqualTo(409);
		assertThat(rectified.raw()).contains("restricted").doesNotContain(NAME);
		var facts = call("POST", "/api/v1/records/" + record + "/facts", app, "{\"facts\": {\"outcome\": \"hired\"}}");
		assertThat(facts.status()).as(facts.raw()).isEqualTo(409);
		var read = call("GET", "/api/v1/records/" + record, dpo, null).body();
		assertThat(read.get("fields").get("name").asString()).as("nothing changed").isEqualTo(NAME);
		assertThat(read.get("facts").get("outcome").asString()).isEqualTo("pending");
		// the DPO rectifies what the subject contested, then lifts the restriction
		var byDpo = call("PATCH", "/api/v1/records/" + record, dpo, "{\"fields\": {\"name\": \"Someone Else\"}}");
		assertThat(byDpo.status()).as(byDpo.raw()).isEqualTo(200);
		assertThat(byDpo.body().get("fields").get("name").asString()).isEqualTo("Someone Else");
	}

	@Test
	void holdsRetentionAndImportsStayWithinTheCallersTenant() throws Exception {
		String subject = subject(app);
		String record = application(subject);
		String strangerSubject = call("POST", "/api/v1/subjects", stranger, "{\"identifiers\": {\"email\": \"s@example.test\"}}")
			.body().get("id").asString();
		String hold = "{\"reference\": \"COURT-1\", \"scope\": \"SUBJECT\", \"scope_id\": \"%s\", \"reason\": \"case\", \"review_date\": \"2027-01-01\"}";
		var placed = call("POST", "/api/v1/holds", dpo, hold.formatted(subject));
		assertThat(placed.status()).as(placed.raw()).isEqualTo(201);
		String holdId = placed.body().get("id").asString();
		// another tenant can neither hold this tenant's subject, nor see or release its hold
		assertThat(call("POST", "/api/v1/holds", stranger, hold.formatted(subject)).status()).isEqualTo(404);
		assertThat(call("GET", "/api/v1/holds", stranger, null).raw()).doesNotContain(holdId).doesNotContain("COURT-1");
		assertThat(call("DELETE", "/api/v1/holds/" + holdId, stranger, null).status()).isEqualTo(404);
		assertThat(call("POST", "/api/v1/holds", dpo, hold.formatted(strangerSubject)).status()).isEqualTo(404);
		assertThat(call("GET", "/api/v1/holds", dpo, null).raw()).contains(holdId);
		// a forecast lists only the caller's records
		var forecast = call("POST", "/api/v1/retention/runs?dry_run=true&as_of=2040-01-01", stranger, null);
		assertThat(forecast.status()).isEqualTo(200);
		assertThat(forecast.raw()).doesNotContain(record);
		assertThat(call("POST", "/api/v1/retention/runs?dry_run=true&as_of=2040-01-01", dpo, null).raw()).contains(record);
		assertThat(call("POST", "/api/v1/retention/runs", app, null).status()).isEqualTo(403);
		// an import lands in the importer's tenant only
		var request = java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://localhost:" + port + "/api/v1/imports"))
			.header("Authorization", "Bearer " + stranger)
			.header("Content-Type", "application/x-ndjson")
			.POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"client_record_id\": \"imp-1\", \"identifiers\": {\"email\": \""
					+ EMAIL + "\"}, \"activity\": \"recruitment\", \"category\": \"identity_contact\", \"fields\": {\"name\": \"Imported\"}}\n"))
			.build();
		var imported = http.send(request, java.net.http.HttpResponse.BodyHandlers.ofString());
		assertThat(imported.statusCode()).as(imported.body()).isEqualTo(200);
		assertThat(imported.body()).contains("\"stored\":1");
		assertThat(call("GET", "/api/v1/subjects/" + subject + "/records", app, null).body().size()).isEqualTo(1);
	}

	/**
	 * Acceptance (tenant isolation): the review queue, retention runs and legal holds, called with another tenant's key
	 * and this tenant's real subject, record and hold ids, answer as for ids that exist nowhere (status, body with the
	 * ids replaced, Content-Type), list only the other tenant's own, and change nothing here.
	 */
	@Test
	void everyRetentionAndHoldEndpointAnswersAnotherTenantsKeyAsIfNothingExisted() throws Exception {
		String subject = subject(app);
		String record = application(subject);
		// ended long ago: a run today queues it for review
		var stored = call("POST", "/api/v1/subjects/" + subject + "/records", app, """
				{"activity": "contracts_individuals", "category": "identity_contact", "fields": {"name": "%s"},
				 "facts": {"contract_ended": "2010-01-29"}}""".formatted(NAME));
		assertThat(stored.status()).as(stored.raw()).isEqualTo(201);
		String contract = stored.body().get("id").asString();
		var run = call("POST", "/api/v1/retention/runs?dry_run=false", dpo, null);
		assertThat(run.status()).as(run.raw()).isEqualTo(200);
		var reviews = call("GET", "/api/v1/retention/reviews", dpo, null);
		assertThat(reviews.body().valueStream().map(r -> r.get("record_id").asString()).toList()).containsExactly(contract);
		String hold = "{\"reference\": \"COURT-ZYX-77\", \"scope\": \"%s\", \"scope_id\": \"%s\", \"reason\": \"case\", "
				+ "\"review_date\": \"2027-01-01\"}";
		var placed = call("POST", "/api/v1/holds", dpo, hold.formatted("SUBJECT", subject));
		assertThat(placed.status()).as(placed.raw()).isEqualTo(201);
		String holdId = placed.body().get("id").asString();
		var holds = call("GET", "/api/v1/holds", dpo, null);
		assertThat(holds.raw()).contains(holdId, "COURT-ZYX-77");

		// lists: the other tenant's own, which are empty
		for (String path : List.of("/api/v1/retention/reviews", "/api/v1/holds", "/api/v1/holds?past_review=true")) {
			var theirs = call("GET", path, stranger, null);
			assertThat(theirs.status()).as(path).isEqualTo(200);
			assertThat(theirs.raw()).as(path).isEqualTo("[]");
		}
		var theirRun = call("POST", "/api/v1/retention/runs?dry_run=false", stranger, null);
		assertThat(theirRun.status()).as(theirRun.raw()).isEqualTo(200);
		assertThat(theirRun.raw()).doesNotContain(contract).doesNotContain(record);
		var theirForecast = call("POST", "/api/v1/retention/runs?dry_run=true&as_of=2040-01-01", stranger, null);
		assertThat(theirForecast.raw()).doesNotContain(contract).doesNotContain(record).doesNotContain(subject);
		assertThat(call("GET", "/api/v1/retention/reviews", stranger, null).raw()).isEqualTo("[]");

		// by id: as for an id that exists nowhere
		String nobody = UUID.randomUUID().toString();
		String[][] calls = { { "POST", "/api/v1/holds", hold.formatted("SUBJECT", subject) },
				{ "POST", "/api/v1/holds", hold.formatted("RECORD", record) },
				{ "POST", "/api/v1/holds", hold.formatted("RECORD", contract) },
				{ "DELETE", "/api/v1/holds/" + holdId, null } };
		for (String[] c : calls) {
			var answer = call(c[0], c[1], stranger, c[2]);
			var reference = call(c[0], c[1].replace(holdId, nobody), stranger,
					c[2] == null ? null : c[2].replace(subject, nobody).replace(record, nobody).replace(contract, nobody));
			String what = c[0] + " " + c[1] + " " + c[2];
			assertThat(answer.status()).as(what + ": " + answer.raw()).isEqualTo(404).isEqualTo(reference.status());
			assertThat(answer.raw().replace(holdId, "ID")).as(what).isEqualTo(reference.raw().replace(nobody, "ID"));
			assertThat(answer.contentType()).as(what).isEqualTo(reference.contentType());
			assertThat(answer.raw()).as(what).doesNotContain(NAME).doesNotContain(tenant);
		}
		// a hold on an activity both policies declare is the caller's own
		var theirHold = call("POST", "/api/v1/holds", stranger, hold.formatted("ACTIVITY", "contracts_individuals"));
		assertThat(theirHold.status()).as(theirHold.raw()).isEqualTo(201);
		String theirHoldId = theirHold.body().get("id").asString();
		assertThat(call("GET", "/api/v1/holds", stranger, null).body().valueStream().map(h -> h.get("id").asString()).toList())
			.containsExactly(theirHoldId);

		// nothing here changed: the hold still holds, the queue still waits, the records are as stored
		assertThat(call("GET", "/api/v1/holds", dpo, null).raw()).isEqualTo(holds.raw());
		assertThat(call("GET", "/api/v1/retention/reviews", dpo, null).raw()).isEqualTo(reviews.raw());
		var refused = call("DELETE", "/api/v1/subjects/" + subject, dpo, null);
		assertThat(refused.status()).as("still held: " + refused.raw()).isEqualTo(409);
		assertThat(refused.raw()).contains("COURT-ZYX-77");
		assertThat(call("GET", "/api/v1/records/" + record, dpo, null).body().get("fields").get("name").asString()).isEqualTo(NAME);
		assertThat(call("GET", "/api/v1/records/" + contract, dpo, null).body().get("status").asString()).isEqualTo("ACTIVE");
		assertThat(call("DELETE", "/api/v1/holds/" + theirHoldId, dpo, null).status()).as("nor may this tenant release theirs")
			.isEqualTo(404);
	}

	@Test
	void everyActIsAuditedWithItsActorAndWithoutItsValues() throws Exception {
		String subject = subject(app);
		String record = application(subject);
		call("GET", "/api/v1/records/" + record, reader, null);
		call("PATCH", "/api/v1/records/" + record, app, "{\"fields\": {\"job_title\": \"Architect\"}}");
		call("POST", "/api/v1/records/" + record + "/restriction", dpo, "{\"reason\": \"accuracy contested\"}");
		call("DELETE", "/api/v1/subjects/" + subject, dpo, null);
		var entries = audit.entries(tenant, null, null, 1000);
		assertThat(entries).extracting(e -> e.action().name()).containsSubsequence("TENANT_CREATED", "KEY_CREATED",
				"POLICY_PUBLISHED", "API_KEY_ISSUED", "SUBJECT_CREATED", "RECORD_STORED", "RECORD_READ", "RECORD_RECTIFIED",
				"RECORD_RESTRICTED", "SUBJECT_ERASED");
		assertThat(entries).filteredOn(e -> e.action().name().equals("RECORD_RECTIFIED")).singleElement()
			.satisfies(e -> {
				assertThat(e.actor()).startsWith("api-key:");
				assertThat(e.details()).containsEntry("fields", "job_title");
			});
		assertThat(entries.toString()).doesNotContain(NAME).doesNotContain(EMAIL).doesNotContain("Architect")
			.doesNotContain("Engineer");
		assertThat(audit.verify(tenant).intact()).isTrue();
	}

	/** A server-log record whose visit is long past: the first retention run de-identifies it (imengine: 6 months). */
	String oldServerLog(String subject) throws Exception {
		var answer = call("POST", "/api/v1/subjects/" + subject + "/records", app, """
				{"activity": "server_logs", "category": "technical",
				 "fields": {"ip_address": "198.51.100.77", "user_agent": "Firefox", "requested_url": "/jobs"},
				 "facts": {"visit": "2020-01-02"}}""");
		assertThat(answer.status()).as(answer.raw()).isEqualTo(201);
		return answer.body().get("id").asString();
	}

	@Test
	void whatRetentionDeidentifiedIsListedPageByPageWithoutItsSubjectOrItsIdentifyingFields() throws Exception {
		String subject = subject(app);
		String first = oldServerLog(subject);
		String second = oldServerLog(subject);
		application(subject);
		assertThat(call("POST", "/api/v1/retention/runs?dry_run=false", dpo, null).status()).isEqualTo(200);
		assertThat(call("GET", "/api/v1/records/" + first, dpo, null).status()).as("the old id").isEqualTo(404);

		var all = call("GET", "/api/v1/deidentified-records?activity=server_logs", reader, null);
		assertThat(all.status()).as(all.raw()).isEqualTo(200);
		assertThat(all.body().get("records")).hasSize(2).allSatisfy(record -> {
			assertThat(record.get("status").asString()).isEqualTo("DEIDENTIFIED");
			assertThat(record.get("subject_id").isNull()).isTrue();
			assertThat(record.get("id").asString()).isNotIn(first, second);
			assertThat(record.get("fields").propertyNames()).containsExactlyInAnyOrder("user_agent", "requested_url");
			assertThat(record.get("created_at").asString()).endsWith("T00:00:00Z");
			assertThat(record.get("facts").get("visit").asString()).isEqualTo("2020-01-02");
			assertThat(record.get("client_record_id").isNull()).isTrue();
		});
		assertThat(all.body().get("next").isNull()).isTrue();
		assertThat(all.raw()).doesNotContain("198.51.100.77").doesNotContain(subject).doesNotContain(NAME);

		var page = call("GET", "/api/v1/deidentified-records?limit=1", app, null);
		assertThat(page.body().get("records")).hasSize(1);
		String next = page.body().get("next").asString();
		assertThat(next).isEqualTo(all.body().get("records").get(0).get("id").asString());
		var rest = call("GET", "/api/v1/deidentified-records?limit=1&after=" + next, app, null);
		assertThat(rest.body().get("records").get(0).get("id").asString()).isEqualTo(all.body().get("records").get(1).get("id").asString());
		assertThat(call("GET", "/api/v1/deidentified-records?limit=1&after=" + rest.body().get("next").asString(), app, null)
			.body().get("records")).isEmpty();
		assertThat(call("GET", "/api/v1/deidentified-records?activity=recruitment", dpo, null).body().get("records")).isEmpty();
		assertThat(call("GET", "/api/v1/deidentified-records?activity=&category=", dpo, null).body().get("records"))
			.as("empty filters filter nothing").hasSize(2);

		var tooMany = call("GET", "/api/v1/deidentified-records?limit=5000", dpo, null);
		assertThat(tooMany.status()).isEqualTo(400);
		assertThat(tooMany.contentType()).startsWith("application/problem+json");
		assertThat(tooMany.body().get("field").asString()).isEqualTo("limit");
		assertThat(tooMany.body().get("allowed").get(0).asString()).isEqualTo("1 to 1000");

		// another tenant's key lists its own, which are none
		var theirs = call("GET", "/api/v1/deidentified-records", stranger, null);
		assertThat(theirs.status()).isEqualTo(200);
		assertThat(theirs.body().get("records")).isEmpty();
	}

	@Autowired
	RecordManagement management;

	@Test
	void aPageOfDeidentifiedRecordsLooksAtABoundedNumberOfRecordsAndItsNextLeadsThroughAllOfThem() throws Exception {
		String subject = subject(app);
		oldServerLog(subject);
		oldServerLog(subject);
		for (int i = 0; i < 3; i++) {
			application(subject);
		}
		// another tenant's records are not looked at: they would make a page more
		String theirSubject = call("POST", "/api/v1/subjects", stranger, "{\"identifiers\": {\"email\": \"x@example.test\"}}")
			.body().get("id").asString();
		assertThat(call("POST", "/api/v1/subjects/" + theirSubject + "/records", stranger, """
				{"activity": "server_logs", "category": "technical", "fields": {"user_agent": "Firefox"},
				 "facts": {"visit": "2020-01-02"}}""").status()).isEqualTo(201);
		assertThat(call("POST", "/api/v1/retention/runs?dry_run=false", dpo, null).status()).isEqualTo(200);
		var everything = management.deidentified(tenant, null, null, null, 1000, "test").records().stream()
			.map(RecordView::id).toList();
		assertThat(everything).hasSize(2);

		// five records (two de-identified, three in use) looked at two at a time: three pages, the last without next
		var seen = new java.util.ArrayList<UUID>();
		var pages = 0;
		UUID after = null;
		do {
			var page = management.deidentified(tenant, null, null, after, 1000, "test", 2);
			assertThat(page.records()).hasSizeLessThanOrEqualTo(2);
			page.records().forEach(record -> seen.add(record.id()));
			after = page.next();
			pages++;
		}
		while (after != null && pages < 10);
		assertThat(pages).isEqualTo(3);
		assertThat(seen).containsExactlyElementsOf(everything);
	}

	@Autowired
	io.custodia.keys.KeyManagement keys;

	@Test
	void anIdentifierSharingItsLookUpKeyWithAStoredOneIsRefusedAndNeverTakenForItsSubject() throws Exception {
		String first = subject(app);
		// a stored identifier whose look-up key (the first 8 bytes of its blind index, V60) is the second's and whose
		// blind index is not: about one pair in 2^64, made here by hand
		byte[] second = keys.blindIndex(tenant, "email", "second.person@example.test");
		byte[] other = second.clone();
		other[31] ^= 1;
		new org.springframework.jdbc.core.JdbcTemplate(dataSource).update(
				"insert into subject_identifier (lookup, tenant_id, kind, blind_index, subject_id) values (?, ?, 'email', ?, ?)",
				Subjects.lookup(second), tenant, other, UUID.fromString(first));

		var refused = call("POST", "/api/v1/subjects", app, "{\"identifiers\": {\"email\": \"Second.Person@example.test\"}}");
		assertThat(refused.status()).as(refused.raw()).isEqualTo(409);
		assertThat(refused.contentType()).startsWith("application/problem+json");
		assertThat(refused.body().get("field").asString()).isEqualTo("identifiers");
		assertThat(refused.raw()).doesNotContain(first).doesNotContainIgnoringCase("second.person");
		assertThat(new org.springframework.jdbc.core.JdbcTemplate(dataSource)
			.queryForObject("select count(*) from subject where tenant_id = ?", Long.class, tenant)).as("no subject made").isEqualTo(1);
		assertThat(call("POST", "/api/v1/subjects", app, "{\"identifiers\": {\"email\": \"" + EMAIL + "\"}}").body().get("id")
			.asString()).as("the stored one is still found").isEqualTo(first);
	}

	@Test
	void everyEndpointAnswersAnotherTenantsKeyAsIfNothingExisted() throws Exception {
		String subject = subject(app);
		String record = application(subject);
		String[][] calls = { { "GET", "/api/v1/records/" + record, null },
				{ "PATCH", "/api/v1/records/" + record, "{\"fields\": {\"name\": \"x\"}}" },
				{ "POST", "/api/v1/records/" + record + "/facts", "{\"facts\": {\"outcome\": \"hired\"}}" },
				{ "POST", "/api/v1/records/" + record + "/restriction", "{\"reason\": \"x\"}" },
				{ "DELETE", "/api/v1/records/" + record + "/restriction", null },
				{ "GET", "/api/v1/subjects/" + subject + "/records", null },
				{ "POST", "/api/v1/subjects/" + subject + "/records",
						"{\"activity\": \"recruitment\", \"category\": \"identity_contact\", \"fields\": {\"name\": \"x\"}}" },
				{ "DELETE", "/api/v1/subjects/" + subject, null } };
		String nobody = UUID.randomUUID().toString();
		for (String[] c : calls) {
			var answer = call(c[0], c[1], stranger, c[2]);
			// the same answer as for an id that exists nowhere: nothing tells the two apart
			String[] unknown = { c[0], c[1].replace(record, nobody).replace(subject, nobody), c[2] };
			var reference = call(unknown[0], unknown[1], stranger, unknown[2]);
			assertThat(answer.status()).as(c[0] + " " + c[1]).isEqualTo(404).isEqualTo(reference.status());
			assertThat(answer.raw().replace(record, "ID").replace(subject, "ID")).as(c[0] + " " + c[1])
				.isEqualTo(reference.raw().replace(nobody, "ID"));
			assertThat(answer.raw()).doesNotContain(NAME).doesNotContain("Engineer");
		}
		var sameIdentifiers = call("POST", "/api/v1/subjects", stranger, "{\"identifiers\": {\"email\": \"" + EMAIL + "\"}}");
		assertThat(sameIdentifiers.body().get("id").asString()).isNotEqualTo(subject);
		assertThat(sameIdentifiers.body().get("created").asBoolean()).isTrue();
		var mine = call("GET", "/api/v1/records/" + record, app, null);
		assertThat(mine.body().get("fields").get("name").asString()).isEqualTo(NAME);
		assertThat(mine.body().get("status").asString()).isEqualTo("ACTIVE");
	}
}

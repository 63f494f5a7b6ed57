package io.custodia.activity;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.custodia.Examples;
import io.custodia.MutableClock;
import io.custodia.audit.AuditAction;
import io.custodia.audit.AuditEntry;
import io.custodia.audit.AuditTrail;
import io.custodia.tenancy.ApiKeys;
import io.custodia.tenancy.Role;
import io.custodia.tenancy.TenantManagement;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/** The activity log as applications, support, billing and the DPO use it, on whatever database is under it. */
abstract class ActivityApiContract {

	/** Values distinctive enough to be found by a scan if they were ever stored or logged in the clear. */
	static final String USER = "Qzxuser.Wolperting";

	static final String USER_LOWER = USER.toLowerCase();

	static final String IP = "198.51.100.237";

	static final String IPV6 = "2001:db8:4f3a::7e21";

	static final String HOST = "wks-qzx-4711.plant.example";

	static final String MAC = "9c:2d:7e:41:aa:3f";

	static final List<String> CLEAR = List.of(USER, USER_LOWER, IP, IPV6, "2001:db8:4f3a:0:0:0:0:7e21", HOST,
			HOST.toUpperCase(), MAC, MAC.toUpperCase().replace(':', '-'), "qzxuser", "wks-qzx-4711");

	static final Instant START = Instant.parse("2026-01-15T12:00:00Z");

	@LocalServerPort
	int port;

	@Autowired
	TenantManagement tenants;

	@Autowired
	ApiKeys apiKeys;

	@Autowired
	MutableClock clock;

	@Autowired
	AuditTrail audit;

	final HttpClient http = HttpClient.newHttpClient();

	String tenant;

	String app;

	String dpo;

	String support;

	String stranger;

	String otherTenant;

	@BeforeEach
	void tenants() {
		clock.set(START);
		tenant = "a" + UUID.randomUUID().toString().substring(0, 8);
		tenants.create(tenant, "imk.yaml", Examples.text("imk"));
		app = apiKeys.issue(tenant, Role.APPLICATION, "hub").token();
		dpo = apiKeys.issue(tenant, Role.DPO, "dpo").token();
		support = apiKeys.issue(tenant, Role.READ_ONLY, "support").token();
		otherTenant = "o" + UUID.randomUUID().toString().substring(0, 8);
		tenants.create(otherTenant, "imk.yaml", Examples.text("imk"));
		stranger = apiKeys.issue(otherTenant, Role.TENANT_ADMIN, "other tenant admin").token();
	}

	record Answer(int status, JsonNode body, String raw, String contentType) {
	}

	Answer call(String method, String path, String key, String json) throws IOException, InterruptedException {
		return call(method, path, key, json, "application/json");
	}

	Answer call(String method, String path, String key, String body, String contentType)
			throws IOException, InterruptedException {
		var request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
			.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
			.header("Content-Type", contentType);
		if (key != null) {
			request.header("Authorization", "Bearer " + key);
		}
		var response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
		JsonNode json = response.body().isBlank() ? null : JsonMapper.shared().readTree(response.body());
		return new Answer(response.statusCode(), json, response.body(), response.headers().firstValue("Content-Type").orElse(""));
	}

	static String event(String type, String at, String user, String ip, String host, String mac, String product) {
		var json = new StringBuilder("{\"type\": \"" + type + "\", \"at\": \"" + at + "\"");
		if (user != null) {
			json.append(", \"user_name\": \"").append(user).append('"');
		}
		if (ip != null) {
			json.append(", \"ip_address\": \"").append(ip).append('"');
		}
		if (host != null) {
			json.append(", \"host_name\": \"").append(host).append('"');
		}
		if (mac != null) {
			json.append(", \"mac_address\": \"").append(mac).append('"');
		}
		if (product != null) {
			json.append(", \"product\": \"").append(product).append('"');
		}
		if (type.startsWith("log")) {
			json.append(", \"browser_name\": \"Firefox\", \"browser_version\": \"128.0\"");
		}
		return json.append('}').toString();
	}

	Answer ingest(String key, String eventJson) throws Exception {
		return call("POST", "/api/v1/activity/events", key, eventJson);
	}

	/** A working day in January through every way in: one event, a batch and JSON lines. */
	void aDayOfUse() throws Exception {
		assertThat(ingest(app, event("login", "2026-01-12T08:00:00Z", USER, IP, HOST, MAC, null)).status()).isEqualTo(201);
		var batch = call("POST", "/api/v1/activity/events/batch", app, "[" + String.join(",",
				event("product_start", "2026-01-12T08:05:00+01:00", USER_LOWER, IP, HOST.toUpperCase(), MAC.toUpperCase(), "ema Work Designer"),
				event("product_end", "2026-01-12T10:35:00+01:00", " " + USER + " ", IP, HOST + ".", MAC.replace(":", "-"), "ema Work Designer"))
				+ "]");
		assertThat(batch.status()).as(batch.raw()).isEqualTo(200);
		assertThat(batch.body().get("stored").asInt()).isEqualTo(2);
		var lines = call("POST", "/api/v1/activity/imports", app, String.join("\n",
				event("product_start", "2026-01-12T11:00:00Z", USER, IPV6, HOST, MAC, "ema Plant Designer"),
				event("product_end", "2026-01-12T12:00:00Z", USER, IPV6, HOST, MAC, "ema Plant Designer"),
				event("logout", "2026-01-12T16:00:00Z", USER, IP, HOST, MAC, null)), "application/x-ndjson");
		assertThat(lines.status()).as(lines.raw()).isEqualTo(200);
		assertThat(lines.body().get("stored").asInt()).isEqualTo(3);
	}

	List<JsonNode> events(String key, String from, String to) throws Exception {
		var answer = call("GET", "/api/v1/activity/events?from=" + from + "&to=" + to, key, null);
		assertThat(answer.status()).as(answer.raw()).isEqualTo(200);
		var list = new ArrayList<JsonNode>();
		answer.body().forEach(list::add);
		return list;
	}

	@Test
	void eventsAreStoredWithPseudonymsOnlyAndOneUserKeepsOnePseudonymWithinTheMonth() throws Exception {
		aDayOfUse();
		var events = events(support, "2026-01-01T00:00:00Z", "2026-02-01T00:00:00Z");
		assertThat(events).hasSize(6);
		assertThat(events).extracting(e -> e.get("user_pseudonym").asString()).containsOnly(events.get(0).get("user_pseudonym").asString());
		assertThat(events.get(0).get("user_pseudonym").asString()).matches("u-[0-9a-f]{24}");
		assertThat(events).extracting(e -> e.get("host_pseudonym").asString()).containsOnly(events.get(0).get("host_pseudonym").asString());
		assertThat(events).extracting(e -> e.get("mac_pseudonym").asString()).containsOnly(events.get(0).get("mac_pseudonym").asString());
		assertThat(events).extracting(e -> e.get("period").asString()).containsOnly("2026-01");
		assertThat(events.get(1).get("browser_name").asString()).as("the login, after the product start at 07:05").isEqualTo("Firefox");
		assertThat(events.get(3).get("ip_pseudonym").asString()).startsWith("ip-").isNotEqualTo(events.get(0).get("ip_pseudonym").asString());
		String all = events.toString();
		assertThat(CLEAR).allSatisfy(value -> assertThat(all).doesNotContainIgnoringCase(value));
	}

	@Test
	void theSameUserGetsAnotherPseudonymInTheNextMonth() throws Exception {
		clock.set(Instant.parse("2026-01-20T09:00:00Z"));
		ingest(app, event("login", "2026-01-20T08:00:00Z", USER, IP, HOST, MAC, null));
		clock.set(Instant.parse("2026-02-10T09:00:00Z"));
		ingest(app, event("login", "2026-02-10T08:00:00Z", USER, IP, HOST, MAC, null));
		// the month is the tenant's (Europe/Berlin): 23:30 UTC on 31 January is already February there
		ingest(app, event("logout", "2026-01-31T23:30:00Z", USER, IP, HOST, MAC, null));
		var january = events(support, "2026-01-01T00:00:00Z", "2026-01-31T23:00:00Z");
		var february = events(support, "2026-01-31T23:00:00Z", "2026-03-01T00:00:00Z");
		assertThat(january).hasSize(1);
		assertThat(february).hasSize(2);
		assertThat(february).extracting(e -> e.get("period").asString()).containsOnly("2026-02");
		String inJanuary = january.get(0).get("user_pseudonym").asString();
		assertThat(february).extracting(e -> e.get("user_pseudonym").asString()).doesNotContain(inJanuary)
			.containsOnly(february.get(0).get("user_pseudonym").asString());
		assertThat(february.get(0).get("ip_pseudonym").asString()).isNotEqualTo(january.get(0).get("ip_pseudonym").asString());
	}

	@Test
	void supportFindsAUsersEventsByTheUserNameAndTheLookUpIsAuditedWithoutTheName() throws Exception {
		aDayOfUse();
		ingest(app, event("login", "2026-01-13T08:00:00Z", "someone.else", "192.0.2.1", "other-host", null, null));
		var found = call("POST", "/api/v1/activity/searches", support,
				"{\"user_name\": \"" + USER.toUpperCase() + "\", \"from\": \"2025-12\", \"to\": \"2026-01\"}");
		assertThat(found.status()).as(found.raw()).isEqualTo(200);
		assertThat(found.body().get("events").size()).isEqualTo(6);
		List<AuditEntry> entries = audit.entries(tenant, null, null, 5);
		AuditEntry lookUp = entries.get(entries.size() - 1);
		assertThat(lookUp.action()).isEqualTo(AuditAction.ACTIVITY_SEARCHED);
		assertThat(lookUp.details()).containsEntry("events_found", "6").containsEntry("periods_with_key", "2026-01");
		assertThat(lookUp.toString()).doesNotContainIgnoringCase(USER);
		var byApplication = call("POST", "/api/v1/activity/searches", app,
				"{\"user_name\": \"" + USER + "\", \"from\": \"2026-01\", \"to\": \"2026-01\"}");
		assertThat(byApplication.status()).isEqualTo(403);
	}

	@Test
	void theDpoAloneConfirmsWhoIsBehindAPseudonymAndEveryConfirmationIsAudited() throws Exception {
		aDayOfUse();
		String pseudonym = events(support, "2026-01-01T00:00:00Z", "2026-02-01T00:00:00Z").get(0).get("user_pseudonym").asString();
		String request = "{\"pseudonym\": \"%s\", \"period\": \"2026-01\", \"candidate\": \"%s\"}";
		var yes = call("POST", "/api/v1/activity/reidentifications", dpo, request.formatted(pseudonym, USER_LOWER));
		assertThat(yes.status()).as(yes.raw()).isEqualTo(200);
		assertThat(yes.body().get("match").asBoolean()).isTrue();
		var no = call("POST", "/api/v1/activity/reidentifications", dpo, request.formatted(pseudonym, "somebody"));
		assertThat(no.body().get("match").asBoolean()).isFalse();
		assertThat(call("POST", "/api/v1/activity/reidentifications", support, request.formatted(pseudonym, USER)).status())
			.isEqualTo(403);
		List<AuditEntry> entries = audit.entries(tenant, null, null, 2);
		assertThat(entries).extracting(AuditEntry::action).containsOnly(AuditAction.PSEUDONYM_CONFIRMED);
		assertThat(entries).extracting(e -> e.details().get("match")).containsExactly("true", "false");
		assertThat(entries.toString()).doesNotContainIgnoringCase(USER).doesNotContain("somebody");
	}

	@Test
	void billingReportsUsagePerProductAndMonthFromPseudonymsOnly() throws Exception {
		aDayOfUse();
		ingest(app, event("product_start", "2026-01-14T09:00:00Z", "second.user", IP, "host-2", null, "ema Work Designer"));
		ingest(app, event("product_end", "2026-01-14T09:30:00Z", "second.user", IP, "host-2", null, "ema Work Designer"));
		ingest(app, event("product_start", "2026-01-14T10:00:00Z", USER, IP, HOST, null, "ema Work Designer"));
		assertThat(call("GET", "/api/v1/activity/reports/usage?month=2026-01", app, null).status())
			.as("an application key only writes events").isEqualTo(403);
		var report = call("GET", "/api/v1/activity/reports/usage?month=2026-01", support, null);
		assertThat(report.status()).as(report.raw()).isEqualTo(200);
		JsonNode products = report.body().get("products");
		assertThat(products.size()).isEqualTo(2);
		JsonNode plant = products.get(0);
		assertThat(plant.get("product").asString()).isEqualTo("ema Plant Designer");
		assertThat(plant.get("distinct_users").asLong()).isEqualTo(1);
		assertThat(plant.get("hours").decimalValue()).isEqualByComparingTo("1.00");
		JsonNode work = products.get(1);
		assertThat(work.get("distinct_users").asLong()).isEqualTo(2);
		assertThat(work.get("sessions").asLong()).isEqualTo(3);
		assertThat(work.get("hours").decimalValue()).isEqualByComparingTo("3.00");
		assertThat(work.get("open_sessions").asLong()).isEqualTo(1);
		assertThat(CLEAR).allSatisfy(value -> assertThat(report.raw()).doesNotContainIgnoringCase(value));
	}

	@Test
	void whenTheLogRetentionEndsTheEventsAreAnonymousAndTheMonthsKeyIsGone() throws Exception {
		aDayOfUse();
		clock.set(Instant.parse("2026-03-05T09:00:00Z"));
		ingest(app, event("login", "2026-03-05T08:00:00Z", USER, IP, HOST, MAC, null));
		String pseudonym = events(support, "2026-01-01T00:00:00Z", "2026-02-01T00:00:00Z").get(0).get("user_pseudonym").asString();
		// imk.yaml keeps log files at most six months (usage_logs/logs_6_months): January's last event expires mid-July
		clock.set(Instant.parse("2026-07-13T09:00:00Z"));
		var early = call("POST", "/api/v1/activity/expiries", dpo, null);
		assertThat(early.status()).as(early.raw()).isEqualTo(200);
		assertThat(early.body().get("events").asLong()).isEqualTo(6);
		assertThat(early.body().get("periods_destroyed").size()).as("January's key lives until its last day expires").isZero();
		clock.set(Instant.parse("2026-08-01T09:00:00Z"));
		var expired = call("POST", "/api/v1/activity/expiries", dpo, null);
		assertThat(expired.body().get("periods_destroyed").toString()).contains("2026-01").doesNotContain("2026-03");
		var january = events(support, "2026-01-01T00:00:00Z", "2026-02-01T00:00:00Z");
		assertThat(january).hasSize(6).allSatisfy(e -> {
			assertThat(e.get("user_pseudonym").isNull()).isTrue();
			assertThat(e.get("ip_pseudonym").isNull()).isTrue();
			assertThat(e.get("host_pseudonym").isNull()).isTrue();
			assertThat(e.get("mac_pseudonym").isNull()).isTrue();
		});
		assertThat(january.get(0).get("product").asString()).isEqualTo("ema Work Designer");
		var confirm = call("POST", "/api/v1/activity/reidentifications", dpo,
				"{\"pseudonym\": \"%s\", \"period\": \"2026-01\", \"candidate\": \"%s\"}".formatted(pseudonym, USER));
		assertThat(confirm.body().get("match").asBoolean()).isFalse();
		assertThat(confirm.body().get("key_destroyed").asBoolean()).isTrue();
		var search = call("POST", "/api/v1/activity/searches", support,
				"{\"user_name\": \"" + USER + "\", \"from\": \"2026-01\", \"to\": \"2026-03\"}");
		assertThat(search.body().get("events").size()).as("March is still pseudonymous and found").isEqualTo(1);
		var late = ingest(app, event("login", "2026-01-20T08:00:00Z", USER, IP, HOST, MAC, null));
		assertThat(late.status()).isEqualTo(422);
		assertThat(late.body().get("field").asString()).isEqualTo("at");
	}

	@Test
	void aLegalHoldOnTheLogsActivityKeepsEveryEventAndKeyUntilItIsReleased() throws Exception {
		aDayOfUse();
		var placed = call("POST", "/api/v1/holds", dpo, """
				{"reference": "AUDIT-2026-4", "scope": "ACTIVITY", "scope_id": "usage_logs", "reason": "licence audit",
				 "review_date": "2026-12-31"}""");
		assertThat(placed.status()).as(placed.raw()).isEqualTo(201);
		clock.set(Instant.parse("2026-08-01T09:00:00Z"));

		var held = call("POST", "/api/v1/activity/expiries", dpo, null);

		assertThat(held.status()).as(held.raw()).isEqualTo(200);
		assertThat(held.body().get("held_by").asString()).isEqualTo("AUDIT-2026-4");
		assertThat(held.body().get("events").asLong()).isZero();
		assertThat(held.body().get("periods_destroyed").size()).isZero();
		assertThat(events(support, "2026-01-01T00:00:00Z", "2026-02-01T00:00:00Z"))
			.allSatisfy(e -> assertThat(e.get("user_pseudonym").isNull()).as("still pseudonymous, not anonymous").isFalse());
		assertThat(audit.entries(tenant, null, null, 1000))
			.filteredOn(entry -> entry.action() == io.custodia.audit.AuditAction.HOLD_BLOCKED).singleElement()
			.satisfies(entry -> assertThat(entry.reason()).isEqualTo("hold:AUDIT-2026-4"));

		assertThat(call("DELETE", "/api/v1/holds/" + placed.body().get("id").asString(), dpo, null).status()).isEqualTo(204);
		var expired = call("POST", "/api/v1/activity/expiries", dpo, null);
		assertThat(expired.body().get("held_by") == null || expired.body().get("held_by").isNull()).as(expired.raw()).isTrue();
		assertThat(expired.body().get("events").asLong()).isEqualTo(6);
		assertThat(expired.body().get("periods_destroyed").toString()).contains("2026-01");
	}

	/** A batch of ten logins of one user, one a day from 10 to 19 January at 08:00 UTC. */
	Answer tenDaysOfLogins(String key) throws Exception {
		clock.set(Instant.parse("2026-01-20T12:00:00Z"));
		var events = new ArrayList<String>();
		for (int day = 10; day < 20; day++) {
			events.add(event("login", "2026-01-" + day + "T08:00:00Z", USER, IP, HOST, MAC, null));
		}
		var batch = call("POST", "/api/v1/activity/events/batch", key, "[" + String.join(",", events) + "]");
		assertThat(batch.status()).as(batch.raw()).isEqualTo(200);
		assertThat(batch.body().get("stored").asInt()).as(batch.raw()).isEqualTo(10);
		return batch;
	}

	static List<JsonNode> list(JsonNode array) {
		var list = new ArrayList<JsonNode>();
		array.forEach(list::add);
		return list;
	}

	static String ids(List<JsonNode> events) {
		return events.stream().map(e -> e.get("id").asString()).toList().toString();
	}

	@Test
	void aBatchSpanningTwoMonthsIsKeptPerMonthEachWithItsOwnPseudonyms() throws Exception {
		clock.set(Instant.parse("2026-02-02T09:00:00Z"));
		var batch = call("POST", "/api/v1/activity/events/batch", app, "[" + String.join(",",
				event("login", "2026-01-31T22:30:00Z", USER, IP, HOST, MAC, null),
				// 00:30 on 1 February in Europe/Berlin
				event("logout", "2026-01-31T23:30:00Z", USER, IP, HOST, MAC, null),
				event("login", "2026-01-20T08:00:00Z", USER, IP, HOST, MAC, null),
				event("login", "2026-02-01T08:00:00Z", USER, IP, HOST, MAC, null)) + "]");
		assertThat(batch.body().get("stored").asInt()).isEqualTo(4);
		var events = events(support, "2026-01-01T00:00:00Z", "2026-03-01T00:00:00Z");
		assertThat(events).extracting(e -> e.get("at").asString()).containsExactly("2026-01-20T08:00:00Z",
				"2026-01-31T22:30:00Z", "2026-01-31T23:30:00Z", "2026-02-01T08:00:00Z");
		assertThat(events).extracting(e -> e.get("period").asString()).containsExactly("2026-01", "2026-01", "2026-02", "2026-02");
		assertThat(events.get(0).get("user_pseudonym")).isEqualTo(events.get(1).get("user_pseudonym"));
		assertThat(events.get(2).get("user_pseudonym")).isEqualTo(events.get(3).get("user_pseudonym"))
			.isNotEqualTo(events.get(1).get("user_pseudonym"));
		var found = call("POST", "/api/v1/activity/searches", support,
				"{\"user_name\": \"" + USER + "\", \"from\": \"2026-01\", \"to\": \"2026-02\"}");
		assertThat(list(found.body().get("events"))).isEqualTo(events);
		assertThat(events(support, "2026-01-01T00:00:00Z", "2026-03-01T00:00:00Z")).as("read twice, the same").isEqualTo(events);
		var first = call("GET", "/api/v1/activity/events?from=2026-01-01T00:00:00Z&to=2026-03-01T00:00:00Z&limit=2", support, null);
		assertThat(list(first.body())).isEqualTo(events.subList(0, 2));
	}

	@Test
	void whenTheRetentionEndsInTheMiddleOfABatchItsOlderEventsBecomeAnonymousAndTheRestAreStillFound() throws Exception {
		tenDaysOfLogins(app);
		var before = events(support, "2026-01-01T00:00:00Z", "2026-02-01T00:00:00Z");
		// six months after 14 January 09:00: the logins of 10 to 14 January are due, those of 15 to 19 are not
		clock.set(Instant.parse("2026-07-14T09:00:00Z"));
		var expiry = call("POST", "/api/v1/activity/expiries", dpo, null);
		assertThat(expiry.body().get("events").asLong()).isEqualTo(5);
		assertThat(call("POST", "/api/v1/activity/expiries", dpo, null).body().get("events").asLong()).as("done once").isZero();
		var after = events(support, "2026-01-01T00:00:00Z", "2026-02-01T00:00:00Z");
		assertThat(ids(after)).as("every event keeps its id").isEqualTo(ids(before));
		assertThat(after.subList(0, 5)).allSatisfy(e -> assertThat(e.get("user_pseudonym").isNull()).isTrue())
			.allSatisfy(e -> assertThat(e.get("mac_pseudonym").isNull()).isTrue())
			.allSatisfy(e -> assertThat(e.get("browser_name").asString()).isEqualTo("Firefox"));
		assertThat(after.subList(5, 10)).allSatisfy(e -> assertThat(e.get("user_pseudonym").asString())
			.isEqualTo(before.get(0).get("user_pseudonym").asString()));
		var found = call("POST", "/api/v1/activity/searches", support,
				"{\"user_name\": \"" + USER + "\", \"from\": \"2026-01\", \"to\": \"2026-01\"}");
		assertThat(list(found.body().get("events"))).isEqualTo(after.subList(5, 10));
	}

	@Test
	void whenTheRetentionRuleDeletesTheOlderEventsOfABatchGoAndTheRestKeepTheirIds() throws Exception {
		String deleting = "d" + UUID.randomUUID().toString().substring(0, 8);
		String imk = Examples.text("imk");
		String deleteRule = imk.replace("        bound: at_most\n        action: de_identify\n    security_measures:\n"
				+ "      - en: Reports and log files", "        bound: at_most\n        action: delete\n    security_measures:\n"
						+ "      - en: Reports and log files");
		assertThat(deleteRule).isNotEqualTo(imk);
		tenants.create(deleting, "imk.yaml", deleteRule);
		String writer = apiKeys.issue(deleting, Role.APPLICATION, "hub").token();
		String admin = apiKeys.issue(deleting, Role.TENANT_ADMIN, "admin").token();
		tenDaysOfLogins(writer);
		var before = events(admin, "2026-01-01T00:00:00Z", "2026-02-01T00:00:00Z");
		clock.set(Instant.parse("2026-07-14T09:00:00Z"));
		var expiry = call("POST", "/api/v1/activity/expiries", admin, null);
		assertThat(expiry.body().get("deleted").asBoolean()).isTrue();
		assertThat(expiry.body().get("events").asLong()).isEqualTo(5);
		var after = events(admin, "2026-01-01T00:00:00Z", "2026-02-01T00:00:00Z");
		assertThat(ids(after)).isEqualTo(ids(before.subList(5, 10)));
		assertThat(after).isEqualTo(before.subList(5, 10));
		clock.set(Instant.parse("2026-08-01T09:00:00Z"));
		assertThat(call("POST", "/api/v1/activity/expiries", admin, null).body().get("events").asLong()).isEqualTo(5);
		assertThat(events(admin, "2026-01-01T00:00:00Z", "2026-02-01T00:00:00Z")).isEmpty();
	}

	static String withId(String eventJson, String eventId) {
		return eventJson.substring(0, eventJson.length() - 1) + ", \"event_id\": \"" + eventId + "\"}";
	}

	@Test
	void eventsSentAgainWithTheirEventIdsAreStoredOnceAndTheAnswerSaysSo() throws Exception {
		String lines = String.join("\n", withId(event("login", "2026-01-12T08:00:00Z", USER, IP, HOST, MAC, null), "evt-1"),
				withId(event("logout", "2026-01-12T16:00:00Z", USER, IP, HOST, MAC, null), "evt-2"),
				event("login", "2026-01-13T08:00:00Z", USER, IP, HOST, MAC, null));
		var first = call("POST", "/api/v1/activity/imports", app, lines, "application/x-ndjson");
		assertThat(first.body().get("stored").asInt()).as(first.raw()).isEqualTo(3);
		assertThat(first.body().get("duplicates").asInt()).isZero();
		// the import runs again after an interruption, with a line more
		var again = call("POST", "/api/v1/activity/imports", app,
				lines + "\n" + withId(event("login", "2026-01-14T08:00:00Z", USER, IP, HOST, MAC, null), "evt-3"),
				"application/x-ndjson");
		assertThat(again.body().get("received").asInt()).isEqualTo(4);
		assertThat(again.body().get("stored").asInt()).as("the new line, and the line without an id once more").isEqualTo(2);
		assertThat(again.body().get("duplicates").asInt()).isEqualTo(2);
		var twice = call("POST", "/api/v1/activity/events/batch", app, "[" + String.join(",",
				withId(event("login", "2026-01-14T09:00:00Z", USER, IP, HOST, MAC, null), "evt-4"),
				withId(event("login", "2026-01-14T09:00:00Z", USER, IP, HOST, MAC, null), "evt-4"),
				// the same id at another time is another event
				withId(event("login", "2026-01-14T10:00:00Z", USER, IP, HOST, MAC, null), "evt-4")) + "]");
		assertThat(twice.body().get("stored").asInt()).isEqualTo(2);
		assertThat(twice.body().get("duplicates").asInt()).isEqualTo(1);
		var one = ingest(app, withId(event("logout", "2026-01-12T16:00:00Z", USER, IP, HOST, MAC, null), "evt-2"));
		assertThat(one.status()).as("nothing new created").isEqualTo(200);
		assertThat(one.body().get("stored").asInt()).isZero();
		assertThat(events(support, "2026-01-01T00:00:00Z", "2026-02-01T00:00:00Z")).hasSize(7)
			.allSatisfy(e -> assertThat(e.toString()).doesNotContain("evt-"));
		String otherApp = apiKeys.issue(otherTenant, Role.APPLICATION, "other hub").token();
		assertThat(ingest(otherApp, withId(event("logout", "2026-01-12T16:00:00Z", USER, IP, HOST, MAC, null), "evt-2")).status())
			.as("another tenant's ids are its own").isEqualTo(201);
	}

	@Test
	void anInvalidEventIsRefusedNamingTheFieldAndWhatIsAllowedWithoutRepeatingTheValue() throws Exception {
		var ip = ingest(app, event("login", "2026-01-12T08:00:00Z", USER, "198.51.100.999", HOST, MAC, null));
		assertThat(ip.status()).isEqualTo(422);
		assertThat(ip.contentType()).startsWith("application/problem+json");
		assertThat(ip.body().get("field").asString()).isEqualTo("ip_address");
		assertThat(ip.raw()).doesNotContain("198.51.100.999").doesNotContain(USER);
		var mac = ingest(app, event("login", "2026-01-12T08:00:00Z", USER, IP, HOST, "9c:2d:7e:41:aa", null));
		assertThat(mac.body().get("field").asString()).isEqualTo("mac_address");
		var type = ingest(app, event("dance", "2026-01-12T08:00:00Z", USER, IP, HOST, MAC, null));
		assertThat(type.body().get("allowed").asString()).contains("login, logout, product_start, product_end");
		var product = ingest(app, event("product_start", "2026-01-12T08:00:00Z", USER, IP, HOST, MAC, null));
		assertThat(product.body().get("field").asString()).isEqualTo("product");
		var lines = call("POST", "/api/v1/activity/imports", app, event("login", "2026-01-12T08:00:00Z", USER, IP, HOST, MAC, null)
				+ "\n{\"type\": \"login\", \"at\": \"2026-01-12T08:00:00Z\", \"password\": \"x\"}\n", "application/x-ndjson");
		assertThat(lines.body().get("stored").asInt()).isEqualTo(1);
		assertThat(lines.body().get("errors").get(0).get("line").asInt()).isEqualTo(2);
		assertThat(lines.body().get("errors").get(0).get("field").asString()).isEqualTo("password");
		var tooLong = call("POST", "/api/v1/activity/imports", app, "{\"type\": \"" + "x".repeat(ActivityLog.MAX_LINE) + "\"}\n"
				+ event("login", "2026-01-12T09:00:00Z", USER, IP, HOST, MAC, null) + "\n", "application/x-ndjson");
		assertThat(tooLong.body().get("stored").asInt()).isEqualTo(1);
		assertThat(tooLong.body().get("errors").get(0).get("line").asInt()).isEqualTo(1);
		assertThat(tooLong.body().get("errors").get(0).get("message").asString()).contains("longer than 1,000,000 characters");
	}

	@Test
	void anotherTenantsKeyReachesNoneOfTheTenantsActivity() throws Exception {
		aDayOfUse();
		String pseudonym = events(support, "2026-01-01T00:00:00Z", "2026-02-01T00:00:00Z").get(0).get("user_pseudonym").asString();
		assertThat(events(stranger, "2026-01-01T00:00:00Z", "2026-02-01T00:00:00Z")).isEmpty();
		var search = call("POST", "/api/v1/activity/searches", stranger,
				"{\"user_name\": \"" + USER + "\", \"from\": \"2026-01\", \"to\": \"2026-01\"}");
		assertThat(search.body().get("events").size()).isZero();
		var report = call("GET", "/api/v1/activity/reports/usage?month=2026-01", stranger, null);
		assertThat(report.body().get("products").size()).isZero();
		var expiry = call("POST", "/api/v1/activity/expiries", stranger, null);
		assertThat(expiry.body().get("events").asLong()).isZero();
		String strangerDpo = apiKeys.issue(otherTenant, Role.DPO, "other dpo").token();
		var confirm = call("POST", "/api/v1/activity/reidentifications", strangerDpo,
				"{\"pseudonym\": \"%s\", \"period\": \"2026-01\", \"candidate\": \"%s\"}".formatted(pseudonym, USER));
		assertThat(confirm.body().get("match").asBoolean()).isFalse();
		assertThat(events(support, "2026-01-01T00:00:00Z", "2026-02-01T00:00:00Z")).hasSize(6);
		assertThat(call("GET", "/api/v1/activity/events?from=2026-01-01T00:00:00Z&to=2026-02-01T00:00:00Z", null, null).status())
			.isEqualTo(401);
	}

	/**
	 * Acceptance (tenant isolation): events sent with another tenant's key that carry this tenant's event ids, user,
	 * host and times, one by one, in a batch and as JSON lines, are answered as events whose ids were never used
	 * (status, body, Content-Type), are stored in that tenant under pseudonyms of its own, and leave this tenant's
	 * events and usage as they were.
	 */
	@Test
	void everyActivityWriteWithAnotherTenantsKeyLandsInThatTenantAndAnswersAsIfNothingExisted() throws Exception {
		var mine = List.of(withId(event("login", "2026-01-12T08:00:00Z", USER, IP, HOST, MAC, null), "evt-a"),
				withId(event("product_start", "2026-01-12T09:00:00Z", USER, IP, HOST, MAC, "ema Work Designer"), "evt-b"),
				withId(event("product_end", "2026-01-12T10:00:00Z", USER, IP, HOST, MAC, "ema Work Designer"), "evt-c"),
				withId(event("logout", "2026-01-12T16:00:00Z", USER, IP, HOST, MAC, null), "evt-d"));
		var never = mine.stream().map(e -> e.replace("\"evt-", "\"never-")).toList();
		assertThat(ingest(app, mine.get(0)).status()).isEqualTo(201);
		var batch = call("POST", "/api/v1/activity/events/batch", app, "[" + mine.get(1) + "," + mine.get(2) + "]");
		assertThat(batch.body().get("stored").asInt()).as(batch.raw()).isEqualTo(2);
		var lines = call("POST", "/api/v1/activity/imports", app, mine.get(3), "application/x-ndjson");
		assertThat(lines.body().get("stored").asInt()).as(lines.raw()).isEqualTo(1);
		assertThat(ingest(app, mine.get(0)).status()).as("here, a duplicate").isEqualTo(200);
		var before = events(support, "2026-01-01T00:00:00Z", "2026-02-01T00:00:00Z");
		assertThat(before).hasSize(4);
		var usage = call("GET", "/api/v1/activity/reports/usage?month=2026-01", support, null);

		var writes = List.<java.util.function.Function<List<String>, Answer>>of(events -> unchecked(() -> ingest(stranger, events.get(0))),
				events -> unchecked(() -> call("POST", "/api/v1/activity/events/batch", stranger,
						"[" + events.get(1) + "," + events.get(2) + "]")),
				events -> unchecked(() -> call("POST", "/api/v1/activity/imports", stranger, events.get(3), "application/x-ndjson")));
		for (var write : writes) {
			var answer = write.apply(mine);
			var reference = write.apply(never);
			assertThat(answer.status()).as(answer.raw()).isIn(200, 201).isEqualTo(reference.status());
			assertThat(answer.raw()).as("stored as new, not as a duplicate of this tenant's").isEqualTo(reference.raw())
				.doesNotContain("\"stored\":0");
			assertThat(answer.contentType()).isEqualTo(reference.contentType());
		}
		var again = call("POST", "/api/v1/activity/events/batch", stranger, "[" + mine.get(1) + "," + mine.get(2) + "]");
		assertThat(again.body().get("duplicates").asInt()).as("its own ids are its own duplicates").isEqualTo(2);

		var theirs = events(stranger, "2026-01-01T00:00:00Z", "2026-02-01T00:00:00Z");
		assertThat(theirs).hasSize(8);
		var ourIds = before.stream().map(e -> e.get("id").asString()).toList();
		var ourUser = before.get(0).get("user_pseudonym").asString();
		var ourHost = before.get(0).get("host_pseudonym").asString();
		assertThat(theirs).allSatisfy(e -> {
			assertThat(ourIds).doesNotContain(e.get("id").asString());
			assertThat(e.get("user_pseudonym").asString()).as("a pseudonym of its own").isNotEqualTo(ourUser);
			assertThat(e.get("host_pseudonym").asString()).isNotEqualTo(ourHost);
		});
		String all = theirs.toString();
		assertThat(CLEAR).allSatisfy(value -> assertThat(all).doesNotContainIgnoringCase(value));

		// nothing here changed
		assertThat(events(support, "2026-01-01T00:00:00Z", "2026-02-01T00:00:00Z")).isEqualTo(before);
		assertThat(call("GET", "/api/v1/activity/reports/usage?month=2026-01", support, null).raw()).isEqualTo(usage.raw());
	}

	interface Call {

		Answer run() throws Exception;
	}

	static Answer unchecked(Call call) {
		try {
			return call.run();
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}
}

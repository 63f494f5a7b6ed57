package io.custodia.consent;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.custodia.Examples;
import io.custodia.audit.AuditTrail;
import io.custodia.notice.NoticeFormat;
import io.custodia.notice.Notices;
import io.custodia.policy.Language;
import io.custodia.retention.HoldScope;
import io.custodia.retention.LegalHolds;
import io.custodia.tenancy.ApiKeys;
import io.custodia.tenancy.Role;
import io.custodia.tenancy.TenantManagement;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/** The consent ledger as a banner, an application and a DPO use it, on whatever database is under it. */
abstract class ConsentApiContract {

	static final String VISITOR = "visitor-Zyxwvu-4711";

	static final String ACTION = "clicked Zyxwvu accept";

	@LocalServerPort
	int port;

	@Autowired
	TenantManagement tenants;

	@Autowired
	ApiKeys apiKeys;

	@Autowired
	AuditTrail audit;

	@Autowired
	LegalHolds holds;

	@Autowired
	io.custodia.retention.RetentionRuns retention;

	final HttpClient http = HttpClient.newHttpClient();

	/** A tenant on the IMENGINE policy (recruitment reserve on consent) and one on IMIG (partner offers on consent). */
	Tenant imengine;

	Tenant imig;

	String stranger;

	record Tenant(String id, String app, String dpo, String reader) {
	}

	Tenant tenant(String policy) {
		String id = "t" + UUID.randomUUID().toString().substring(0, 8);
		tenants.create(id, policy + ".yaml", Examples.text(policy));
		return new Tenant(id, apiKeys.issue(id, Role.APPLICATION, "app").token(), apiKeys.issue(id, Role.DPO, "dpo").token(),
				apiKeys.issue(id, Role.READ_ONLY, "reader").token());
	}

	@BeforeEach
	void tenants() {
		imengine = tenant("imengine");
		imig = tenant("imig");
		stranger = tenant("imengine").dpo();
	}

	record Answer(int status, JsonNode body, String raw, String contentType) {
	}

	Answer call(String method, String path, String key, String json, String... headers) throws IOException, InterruptedException {
		var request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
			.method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json))
			.header("Content-Type", "application/json");
		if (key != null) {
			request.header("Authorization", "Bearer " + key);
		}
		if (headers.length > 0) {
			request.headers(headers);
		}
		var response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
		JsonNode body = response.body().isBlank() ? null : JsonMapper.shared().readTree(response.body());
		return new Answer(response.statusCode(), body, response.body(), response.headers().firstValue("Content-Type").orElse(""));
	}

	String subject(Tenant tenant, String email) throws Exception {
		var answer = call("POST", "/api/v1/subjects", tenant.app(), "{\"identifiers\": {\"email\": \"" + email + "\"}}");
		assertThat(answer.status()).as(answer.raw()).isIn(200, 201);
		return answer.body().get("id").asString();
	}

	String store(Tenant tenant, String subject, String activity, String category, String fields, String facts) throws Exception {
		var answer = storing(tenant, subject, activity, category, fields, facts);
		assertThat(answer.status()).as(answer.raw()).isEqualTo(201);
		return answer.body().get("id").asString();
	}

	Answer storing(Tenant tenant, String subject, String activity, String category, String fields, String facts) throws Exception {
		return call("POST", "/api/v1/subjects/" + subject + "/records", tenant.app(),
				"{\"activity\": \"%s\", \"category\": \"%s\", \"fields\": %s, \"facts\": %s}".formatted(activity, category, fields, facts));
	}

	Answer consent(Tenant tenant, String who, String purposes, String... headers) throws Exception {
		return call("POST", "/api/v1/consents", tenant.app(), """
				{%s, "purposes": %s, "method": "banner", "how": {"action": "%s"}}""".formatted(who, purposes, ACTION), headers);
	}

	static String subjectRef(String subject) {
		return "\"subject_id\": \"" + subject + "\"";
	}

	static String sha256(String text) throws Exception {
		return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
	}

	@Test
	void aReceiptNamesTheNoticeVersionAndTheHashOfTheTextShownAndTheEvidenceHoldsThatText() throws Exception {
		String subject = subject(imengine, "anna@example.test");
		var given = call("POST", "/api/v1/consents", imengine.app(), """
				{"subject_id": "%s", "purposes": ["recruitment_reserve"], "cookie_categories": ["statistics"],
				 "method": "form", "language": "en", "how": {"action": "%s"}}""".formatted(subject, ACTION),
				"User-Agent", "Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0");
		assertThat(given.status()).as(given.raw()).isEqualTo(201);
		JsonNode receipt = given.body().get("receipts").get(0);
		String expected = sha256(Notices.render(Examples.policy("imengine"), Language.EN, NoticeFormat.MD));
		assertThat(receipt.get("kind").asString()).isEqualTo("GRANTED");
		assertThat(receipt.get("notice_version").asString()).isEqualTo("2020.1");
		assertThat(receipt.get("notice_sha256").asString()).isEqualTo(expected);
		assertThat(receipt.get("method").asString()).isEqualTo("FORM");
		assertThat(receipt.get("user_agent_class").asString()).isEqualTo("desktop browser");
		assertThat(receipt.get("recorded_at").isNull()).isFalse();

		var evidence = call("GET", "/api/v1/consents/subjects/" + subject + "/evidence", imengine.dpo(), null);
		assertThat(evidence.status()).as(evidence.raw()).isEqualTo(200);
		assertThat(evidence.body().get("purposes").get("recruitment_reserve").asString()).isEqualTo("granted");
		assertThat(evidence.body().get("cookie_categories").get("statistics").asString()).isEqualTo("granted");
		assertThat(evidence.body().get("receipts").get(0).get("action").asString()).isEqualTo(ACTION);
		String text = evidence.body().get("notices").get(expected).get("text").asString();
		assertThat(sha256(text)).isEqualTo(expected);
		assertThat(text).contains("IMENGINE bv");
		assertThat(audit.entries(imengine.id(), UUID.fromString(subject), null, 100))
			.extracting(e -> e.action().name())
			.contains("CONSENT_GIVEN", "CONSENT_EVIDENCE_EXPORTED");
	}

	@Test
	void withdrawingTheRecruitmentReserveConsentErasesExactlyTheDataHeldOnIt() throws Exception {
		String applicant = subject(imengine, "applicant@example.test");
		assertThat(consent(imengine, subjectRef(applicant), "[\"recruitment_reserve\"]").status()).isEqualTo(201);
		String application = store(imengine, applicant, "recruitment", "application", "{\"cv\": \"cv text\"}",
				"{\"outcome\": \"interviewed\", \"assessment_closed\": \"2026-01-10\"}");
		String contact = store(imengine, applicant, "recruitment", "identity_contact", "{\"name\": \"Anna\"}", "{\"outcome\": \"interviewed\"}");
		String reserveCv = store(imengine, applicant, "recruitment_reserve", "application", "{\"cv\": \"cv text\"}",
				"{\"received\": \"2026-01-10\"}");
		String reserveContact = store(imengine, applicant, "recruitment_reserve", "identity_contact", "{\"name\": \"Anna\"}",
				"{\"received\": \"2026-01-10\"}");

		var withdrawal = call("POST", "/api/v1/consents/withdrawals", imengine.app(), """
				{"subject_id": "%s", "purposes": ["recruitment_reserve"], "method": "email", "how": {"action": "wrote an e-mail"}}"""
			.formatted(applicant));
		assertThat(withdrawal.status()).as(withdrawal.raw()).isEqualTo(200);
		var erased = new ArrayList<String>();
		withdrawal.body().get("erased").forEach(r -> erased.add(r.get("record_id").asString()));
		assertThat(erased).containsExactlyInAnyOrder(reserveCv, reserveContact);
		assertThat(withdrawal.body().get("kept").isEmpty()).isTrue();
		assertThat(withdrawal.body().get("receipt").get("kind").asString()).isEqualTo("WITHDRAWN");

		var left = call("GET", "/api/v1/subjects/" + applicant + "/records", imengine.app(), null);
		var ids = new ArrayList<String>();
		left.body().forEach(r -> ids.add(r.get("id").asString()));
		assertThat(ids).containsExactlyInAnyOrder(application, contact);
		assertThat(call("GET", "/api/v1/records/" + reserveCv, imengine.app(), null).status()).isEqualTo(404);
		assertThat(audit.entries(imengine.id(), UUID.fromString(applicant), null, 100))
			.filteredOn(e -> e.action().name().equals("RECORD_DELETED"))
			.extracting(e -> e.recordId().toString())
			.containsExactlyInAnyOrder(reserveCv, reserveContact);
		assertThat(call("GET", "/api/v1/consents/subjects/" + applicant, imengine.reader(), null).body().get("purposes")
			.get("recruitment_reserve").asString()).isEqualTo("withdrawn");
	}

	@Test
	void theContractDataOfACustomerWhoWithdrawsMarketingConsentStays() throws Exception {
		String customer = subject(imig, "customer@example.test");
		assertThat(consent(imig, subjectRef(customer), "[\"partner_offers\"]").status()).isEqualTo(201);
		String order = store(imig, customer, "purchases", "orders", "{\"order_id\": \"A-1\", \"price\": 20}", "{}");
		String shared = store(imig, customer, "partner_offers", "contact", "{\"email\": \"customer@example.test\"}",
				"{\"consent_given\": \"2026-01-02\"}");

		var withdrawal = call("POST", "/api/v1/consents/withdrawals", imig.app(),
				"{\"subject_id\": \"" + customer + "\", \"purposes\": [\"partner_offers\"], \"method\": \"in_product\", \"how\": {\"action\": \"unticked the box\"}}");
		assertThat(withdrawal.status()).as(withdrawal.raw()).isEqualTo(200);
		assertThat(withdrawal.body().get("erased").get(0).get("record_id").asString()).isEqualTo(shared);
		assertThat(withdrawal.body().get("erased").size()).isEqualTo(1);
		var read = call("GET", "/api/v1/records/" + order, imig.app(), null);
		assertThat(read.status()).isEqualTo(200);
		assertThat(read.body().get("fields").get("order_id").asString()).isEqualTo("A-1");
	}

	@Test
	void aRecordUnderALegalHoldIsRestrictedNotErasedAndTheAnswerSaysWhy() throws Exception {
		String customer = subject(imig, "held@example.test");
		consent(imig, subjectRef(customer), "[\"partner_offers\"]");
		String shared = store(imig, customer, "partner_offers", "contact", "{\"email\": \"held@example.test\"}",
				"{\"consent_given\": \"2026-01-02\"}");
		var hold = holds.place(imig.id(), "COURT-2026-17", HoldScope.RECORD, shared, "claim pending", LocalDate.of(2027, 1, 1),
				"test");
		var withdrawal = call("POST", "/api/v1/consents/withdrawals", imig.app(),
				"{\"subject_id\": \"" + customer + "\", \"purposes\": [\"partner_offers\"], \"method\": \"form\", \"how\": {\"action\": \"sent the form\"}}");
		assertThat(withdrawal.body().get("erased").isEmpty()).isTrue();
		assertThat(withdrawal.body().get("kept").get(0).get("reason").asString()).contains("COURT-2026-17", "2027-01-01");
		assertThat(call("GET", "/api/v1/records/" + shared, imig.app(), null).status()).as("not the application's to read")
			.isEqualTo(409);
		assertThat(call("GET", "/api/v1/records/" + shared, imig.dpo(), null).body().get("status").asString()).isEqualTo("RESTRICTED");
		assertThat(audit.entries(imig.id(), UUID.fromString(customer), UUID.fromString(shared), 100))
			.filteredOn(entry -> entry.action() == io.custodia.audit.AuditAction.HOLD_BLOCKED).singleElement()
			.satisfies(entry -> {
				assertThat(entry.reason()).isEqualTo("hold:COURT-2026-17");
				assertThat(entry.details()).containsEntry("blocked", "consent withdrawal");
			});
		// the consent withdrawn, the record goes once the hold no longer keeps it
		holds.release(imig.id(), hold.id(), "test");
		retention.run(imig.id(), null, false, "test");
		assertThat(call("GET", "/api/v1/records/" + shared, imig.app(), null).status()).isEqualTo(404);
	}

	@Test
	void theGlobalPrivacyControlSignalIsRecordedAsAnObjectionAndGrantsNoSharingOrMarketing() throws Exception {
		var given = consent(imig, "\"visitor_id\": \"" + VISITOR + "\"", "[\"analytics\", \"partner_offers\"]", "Sec-GPC", "1");
		assertThat(given.status()).as(given.raw()).isEqualTo(201);
		JsonNode objection = given.body().get("receipts").get(0);
		assertThat(objection.get("kind").asString()).isEqualTo("OBJECTED");
		assertThat(objection.get("gpc").asBoolean()).isTrue();
		assertThat(objection.get("purposes").toString()).contains("partner_offers", "marketing");
		JsonNode granted = given.body().get("receipts").get(1);
		assertThat(granted.get("kind").asString()).isEqualTo("GRANTED");
		assertThat(granted.get("purposes").toString()).contains("analytics").doesNotContain("partner_offers");

		var evidence = call("POST", "/api/v1/consents/visitors/evidence", imig.dpo(), "{\"visitor_id\": \"" + VISITOR + "\"}");
		assertThat(evidence.status()).as(evidence.raw()).isEqualTo(200);
		assertThat(evidence.body().get("visitor").asBoolean()).isTrue();
		assertThat(evidence.body().get("purposes").get("partner_offers").asString()).isEqualTo("objected");
		assertThat(evidence.body().get("purposes").get("analytics").asString()).isEqualTo("granted");
		assertThat(evidence.body().get("notices").size()).isEqualTo(1);
	}

	@Test
	void whatIsNotAConsentPurposeOfThePolicyIsRefusedNamingWhatIsAllowed() throws Exception {
		String subject = subject(imengine, "refused@example.test");
		var contract = consent(imengine, subjectRef(subject), "[\"recruitment\"]");
		assertThat(contract.status()).isEqualTo(422);
		assertThat(contract.contentType()).startsWith("application/problem+json");
		assertThat(contract.body().get("field").asString()).isEqualTo("purposes");
		assertThat(contract.body().get("allowed").toString()).contains("recruitment_reserve");
		var cookie = call("POST", "/api/v1/consents", imengine.app(), """
				{"visitor_id": "v1", "cookie_categories": ["necessary"], "method": "banner", "how": {"action": "clicked"}}""");
		assertThat(cookie.body().get("field").asString()).isEqualTo("cookie_categories");
		assertThat(cookie.body().get("allowed").toString()).contains("statistics");
		var implied = call("POST", "/api/v1/consents", imengine.app(),
				"{\"visitor_id\": \"v1\", \"cookie_categories\": [\"statistics\"], \"method\": \"banner\"}");
		assertThat(implied.body().get("field").asString()).isEqualTo("how.action");
		var method = call("POST", "/api/v1/consents", imengine.app(),
				"{\"visitor_id\": \"v1\", \"cookie_categories\": [\"statistics\"], \"method\": \"by use\", \"how\": {\"action\": \"scrolled\"}}");
		assertThat(method.body().get("field").asString()).isEqualTo("method");
		assertThat(method.raw()).doesNotContain("Exception");
	}

	@Test
	void aChildsConsentBasedDataIsRefusedUnlessAParentConsented() throws Exception {
		String child = subject(imig, "child@example.test");
		var age = call("PUT", "/api/v1/consents/subjects/" + child + "/birth-date", imig.app(),
				"{\"birth_date\": \"" + LocalDate.now().minusYears(12) + "\"}");
		assertThat(age.status()).as(age.raw()).isEqualTo(200);
		assertThat(age.body().get("under_age").asBoolean()).isTrue();
		assertThat(age.body().get("age_of_consent").asInt()).isEqualTo(16);

		var own = consent(imig, subjectRef(child), "[\"partner_offers\"]");
		assertThat(own.status()).isEqualTo(422);
		assertThat(own.body().get("field").asString()).isEqualTo("given_by");
		var refused = storing(imig, child, "partner_offers", "contact", "{\"email\": \"child@example.test\"}", "{}");
		assertThat(refused.status()).isEqualTo(422);
		assertThat(refused.body().get("field").asString()).isEqualTo("activity");
		assertThat(refused.raw()).contains("age of consent (16)");
		var lines = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/v1/imports"))
			.header("Authorization", "Bearer " + imig.app())
			.header("Content-Type", "application/x-ndjson")
			.POST(HttpRequest.BodyPublishers.ofString("{\"client_record_id\": \"kid-offer\", \"identifiers\": {\"email\": \"child@example.test\"}, "
					+ "\"activity\": \"partner_offers\", \"category\": \"contact\", \"fields\": {\"email\": \"child@example.test\"}}\n"))
			.build();
		JsonNode report = JsonMapper.shared().readTree(http.send(lines, HttpResponse.BodyHandlers.ofString()).body());
		assertThat(report.get("stored").asLong()).as(report.toString()).isZero();
		assertThat(report.get("errors").get(0).get("field").asString()).isEqualTo("activity");
		// data on another basis is not held on consent: the child's account is stored
		store(imig, child, "accounts", "account", "{\"account_id\": \"kid-1\"}", "{\"account\": \"open\"}");

		var parent = call("POST", "/api/v1/consents", imig.app(), """
				{"subject_id": "%s", "purposes": ["partner_offers"], "method": "paper", "given_by": "parent",
				 "how": {"action": "signed the parental form"}}""".formatted(child));
		assertThat(parent.status()).as(parent.raw()).isEqualTo(201);
		assertThat(parent.body().get("receipts").get(0).get("given_by").asString()).isEqualTo("PARENT");
		assertThat(storing(imig, child, "partner_offers", "contact", "{\"email\": \"child@example.test\"}", "{}").status())
			.isEqualTo(201);
	}

	@Test
	void consentBasedDataOfASubjectFoundLaterToBeAChildIsErased() throws Exception {
		String child = subject(imig, "later@example.test");
		consent(imig, subjectRef(child), "[\"analytics\"]");
		String analytics = store(imig, child, "analytics", "analytics", "{\"pages_viewed\": 3}", "{\"event\": \"2026-01-01\"}");
		String account = store(imig, child, "accounts", "account", "{\"account_id\": \"kid-2\"}", "{\"account\": \"open\"}");
		var age = call("PUT", "/api/v1/consents/subjects/" + child + "/birth-date", imig.app(),
				"{\"birth_date\": \"" + LocalDate.now().minusYears(14) + "\"}");
		assertThat(age.status()).as(age.raw()).isEqualTo(200);
		assertThat(age.body().get("erased").get(0).get("record_id").asString()).isEqualTo(analytics);
		assertThat(age.body().get("erased").size()).isEqualTo(1);
		assertThat(call("GET", "/api/v1/records/" + analytics, imig.app(), null).status()).isEqualTo(404);
		assertThat(call("GET", "/api/v1/records/" + account, imig.app(), null).status()).isEqualTo(200);

		String adult = subject(imig, "adult@example.test");
		consent(imig, subjectRef(adult), "[\"analytics\"]");
		String kept = store(imig, adult, "analytics", "analytics", "{\"pages_viewed\": 3}", "{\"event\": \"2026-01-01\"}");
		var adultAge = call("PUT", "/api/v1/consents/subjects/" + adult + "/birth-date", imig.app(),
				"{\"birth_date\": \"" + LocalDate.now().minusYears(16).minusDays(2) + "\"}");
		assertThat(adultAge.body().get("under_age").asBoolean()).isFalse();
		assertThat(call("GET", "/api/v1/records/" + kept, imig.app(), null).status()).isEqualTo(200);
	}

	@Test
	void onlyApplicationsAndStaffRecordAndOnlyTheDpoAndTenantAdminsExport() throws Exception {
		String subject = subject(imengine, "roles@example.test");
		var reader = call("POST", "/api/v1/consents", imengine.reader(),
				"{\"subject_id\": \"" + subject + "\", \"purposes\": [\"recruitment_reserve\"], \"method\": \"form\", \"how\": {\"action\": \"x\"}}");
		assertThat(reader.status()).isEqualTo(403);
		assertThat(reader.contentType()).startsWith("application/problem+json");
		assertThat(consent(imengine, subjectRef(subject), "[\"recruitment_reserve\"]").status()).isEqualTo(201);
		assertThat(call("GET", "/api/v1/consents/subjects/" + subject + "/evidence", imengine.app(), null).status()).isEqualTo(403);
		assertThat(call("POST", "/api/v1/consents/visitors/evidence", imengine.app(), "{\"visitor_id\": \"v\"}").status())
			.isEqualTo(403);
		assertThat(call("GET", "/api/v1/consents/subjects/" + subject + "/evidence", imengine.dpo(), null).status()).isEqualTo(200);
	}

	@Test
	void anotherTenantsKeyIsAnsweredOnEveryEndpointExactlyAsAnUnknownId() throws Exception {
		String subject = subject(imengine, "isolated@example.test");
		assertThat(consent(imengine, subjectRef(subject), "[\"recruitment_reserve\"]").status()).isEqualTo(201);
		assertThat(consent(imengine, "\"visitor_id\": \"" + VISITOR + "\"", "[\"recruitment_reserve\"]").status()).isEqualTo(201);
		String unknown = UUID.randomUUID().toString();
		for (String id : List.of(subject, unknown)) {
			var answers = List.of(
					call("POST", "/api/v1/consents", stranger,
							"{\"subject_id\": \"" + id + "\", \"purposes\": [\"recruitment_reserve\"], \"method\": \"form\", \"how\": {\"action\": \"x\"}}"),
					call("POST", "/api/v1/consents/withdrawals", stranger,
							"{\"subject_id\": \"" + id + "\", \"purposes\": [\"recruitment_reserve\"], \"method\": \"form\"}"),
					call("GET", "/api/v1/consents/subjects/" + id, stranger, null),
					call("PUT", "/api/v1/consents/subjects/" + id + "/birth-date", stranger, "{\"birth_date\": \"2000-01-01\"}"),
					call("GET", "/api/v1/consents/subjects/" + id + "/evidence", stranger, null));
			assertThat(answers).allSatisfy(a -> {
				assertThat(a.status()).as(a.raw()).isEqualTo(404);
				assertThat(a.contentType()).startsWith("application/problem+json");
				assertThat(a.body().get("detail").asString()).isEqualTo("subject not found");
			});
		}
		for (String visitor : List.of(VISITOR, "never-seen")) {
			var answer = call("POST", "/api/v1/consents/visitors/evidence", stranger, "{\"visitor_id\": \"" + visitor + "\"}");
			assertThat(answer.status()).isEqualTo(404);
			assertThat(answer.body().get("detail").asString()).isEqualTo("visitor not found");
		}
		assertThat(call("GET", "/api/v1/consents/subjects/" + subject, imengine.reader(), null).body().get("purposes")
			.get("recruitment_reserve").asString()).isEqualTo("granted");
	}
}

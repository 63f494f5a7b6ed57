package io.custodia.licensing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.custodia.Examples;
import io.custodia.MutableClock;
import io.custodia.activity.ActivityLog;
import io.custodia.activity.StoredEvent;
import io.custodia.tenancy.ApiKeys;
import io.custodia.tenancy.Role;
import io.custodia.tenancy.TenantManagement;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Entitlements and floating licences as a tenant's admin and its clients use them, on whatever database is under it. */
abstract class LicensingApiContract {

	static final String USER = "Plimsoll.Quandary";

	static final String HOST = "cad-ws-plimsoll-88";

	static final String IP = "203.0.113.177";

	static final String MAC = "3a:7f:11:c4:9e:02";

	static final List<String> CLEAR = List.of(USER, USER.toLowerCase(), HOST, IP, MAC, "plimsoll");

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
	ActivityLog activity;

	final HttpClient http = HttpClient.newBuilder().executor(Executors.newFixedThreadPool(16)).build();

	String tenant;

	String admin;

	String client;

	String stranger;

	@BeforeEach
	void tenants() {
		clock.set(START);
		tenant = "l" + UUID.randomUUID().toString().substring(0, 8);
		tenants.create(tenant, "imk.yaml", Examples.text("imk"));
		admin = apiKeys.issue(tenant, Role.TENANT_ADMIN, "admin").token();
		client = apiKeys.issue(tenant, Role.APPLICATION, "licence client").token();
		String other = "o" + UUID.randomUUID().toString().substring(0, 8);
		tenants.create(other, "imk.yaml", Examples.text("imk"));
		stranger = apiKeys.issue(other, Role.TENANT_ADMIN, "other tenant admin").token();
	}

	record Answer(int status, JsonNode body, String raw, String contentType) {
	}

	HttpRequest request(String method, String path, String key, String json) {
		var request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
			.method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json))
			.header("Content-Type", "application/json")
			.timeout(Duration.ofSeconds(60));
		if (key != null) {
			request.header("Authorization", "Bearer " + key);
		}
		return request.build();
	}

	static Answer answer(HttpResponse<String> response) {
		JsonNode json = response.body().isBlank() ? null : JsonMapper.shared().readTree(response.body());
		return new Answer(response.statusCode(), json, response.body(), response.headers().firstValue("Content-Type").orElse(""));
	}

	Answer call(String method, String path, String key, String json) throws IOException, InterruptedException {
		return answer(http.send(request(method, path, key, json), HttpResponse.BodyHandlers.ofString()));
	}

	String entitlement(String product, int seats) throws Exception {
		var granted = call("POST", "/api/v1/licensing/entitlements", admin, """
				{"product": "%s", "seats": %d, "valid_from": "2026-01-01T00:00:00Z", "valid_until": "2027-01-01T00:00:00Z"}"""
			.formatted(product, seats));
		assertThat(granted.status()).as(granted.raw()).isEqualTo(201);
		return granted.body().get("id").asString();
	}

	static String checkoutBody(String product, String user, String host) {
		return """
				{"product": "%s", "user_name": "%s", "host_name": "%s", "ip_address": "%s", "mac_address": "%s"}"""
			.formatted(product, user, host, IP, MAC);
	}

	Answer checkout(String key, String product) throws Exception {
		return call("POST", "/api/v1/licensing/leases", key, checkoutBody(product, USER, HOST));
	}

	@Test
	void twoHundredClientsRacingForTenSeatsGetExactlyTenLeases() throws Exception {
		String entitlement = entitlement("ema Work Designer", 10);
		int clients = 200;
		var start = new CountDownLatch(1);
		ExecutorService pool = Executors.newFixedThreadPool(clients);
		try {
			var futures = new ArrayList<Future<Answer>>();
			for (int i = 0; i < clients; i++) {
				String body = checkoutBody("ema Work Designer", "racer-" + i, "host-" + i);
				futures.add(pool.submit(() -> {
					start.await();
					return call("POST", "/api/v1/licensing/leases", client, body);
				}));
			}
			start.countDown();
			var answers = new ArrayList<Answer>();
			for (Future<Answer> future : futures) {
				answers.add(future.get());
			}
			assertThat(answers).extracting(Answer::status).containsOnly(201, 409);
			var won = answers.stream().filter(a -> a.status() == 201).toList();
			assertThat(won).hasSize(10);
			assertThat(won).extracting(a -> a.body().get("slot").asInt()).containsExactlyInAnyOrder(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
			assertThat(answers.stream().filter(a -> a.status() == 409).findFirst().orElseThrow().contentType())
				.startsWith("application/problem+json");
		}
		finally {
			pool.shutdownNow();
		}
		var held = call("GET", "/api/v1/licensing/entitlements/" + entitlement, admin, null);
		assertThat(held.body().get("seats_in_use").asInt()).isEqualTo(10);
	}

	@Test
	void aSeatNotRenewedWithinTheLeaseTimeIsFreedAndTakenByTheNextClient() throws Exception {
		entitlement("ema Plant Designer", 2);
		var first = checkout(client, "ema Plant Designer");
		var second = checkout(client, "ema Plant Designer");
		assertThat(first.status()).isEqualTo(201);
		assertThat(second.status()).isEqualTo(201);
		assertThat(checkout(client, "ema Plant Designer").status()).isEqualTo(409);
		clock.set(START.plus(Duration.ofMinutes(4)));
		var renewed = call("POST", "/api/v1/licensing/leases/" + first.body().get("lease_id").asString() + "/heartbeat", client, null);
		assertThat(renewed.status()).as(renewed.raw()).isEqualTo(200);
		assertThat(Instant.parse(renewed.body().get("expires_at").asString())).isEqualTo(START.plus(Duration.ofMinutes(9)));
		clock.set(START.plus(Duration.ofMinutes(5)).plusSeconds(1));
		// the second lease was not renewed: its seat is free again, lazily at this checkout
		var third = checkout(client, "ema Plant Designer");
		assertThat(third.status()).as(third.raw()).isEqualTo(201);
		assertThat(third.body().get("slot").asInt()).isEqualTo(second.body().get("slot").asInt());
		var late = call("POST", "/api/v1/licensing/leases/" + second.body().get("lease_id").asString() + "/heartbeat", client, null);
		assertThat(late.status()).isEqualTo(404);
		assertThat(checkout(client, "ema Plant Designer").status()).isEqualTo(409);
	}

	@Test
	void theScheduledSweepAndCheckInFreeSeats() throws Exception {
		String entitlement = entitlement("ema Work Designer", 3);
		var kept = checkout(client, "ema Work Designer");
		checkout(client, "ema Work Designer");
		checkout(client, "ema Work Designer");
		assertThat(call("DELETE", "/api/v1/licensing/leases/" + kept.body().get("lease_id").asString(), client, null).status())
			.isEqualTo(204);
		assertThat(call("DELETE", "/api/v1/licensing/leases/" + kept.body().get("lease_id").asString(), client, null).status())
			.isEqualTo(404);
		assertThat(call("GET", "/api/v1/licensing/entitlements/" + entitlement, admin, null).body().get("seats_in_use").asInt())
			.isEqualTo(2);
		clock.set(START.plus(Duration.ofMinutes(6)));
		var swept = call("POST", "/api/v1/licensing/sweeps", admin, null);
		assertThat(swept.body().get("released").asInt()).isEqualTo(2);
		assertThat(call("GET", "/api/v1/licensing/entitlements/" + entitlement, admin, null).body().get("seats_in_use").asInt())
			.isZero();
	}

	@Test
	void aLeaseTokenVerifiesOfflineWithThePublishedPublicKeysetAndNotOtherwise() throws Exception {
		entitlement("ema Work Designer", 1);
		var lease = checkout(client, "ema Work Designer");
		String token = lease.body().get("token").asString();
		var published = call("GET", "/api/v1/licensing/public-keyset", client, null);
		assertThat(published.status()).isEqualTo(200);
		assertThat(published.raw()).doesNotContain("privateKey").contains("primaryKeyId");
		LeaseTokens.Claims claims = LeaseTokens.verify(published.raw(), token);
		assertThat(claims.leaseId().toString()).isEqualTo(lease.body().get("lease_id").asString());
		assertThat(claims.tenant()).isEqualTo(tenant);
		assertThat(claims.product()).isEqualTo("ema Work Designer");
		assertThat(claims.validAt(START)).isTrue();
		assertThat(claims.validAt(START.plus(Duration.ofMinutes(5)))).isFalse();
		assertThat(new String(java.util.Base64.getUrlDecoder().decode(token.substring(0, token.indexOf('.')))))
			.doesNotContainIgnoringCase("plimsoll");
		String tampered = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(new String(java.util.Base64
			.getUrlDecoder().decode(token.substring(0, token.indexOf('.')))).replace("\"slot\":0", "\"slot\":7").getBytes())
				+ token.substring(token.indexOf('.'));
		assertThatThrownBy(() -> LeaseTokens.verify(published.raw(), tampered)).isInstanceOf(GeneralSecurityException.class);
		String otherKeyset = call("GET", "/api/v1/licensing/public-keyset", stranger, null).raw();
		assertThatThrownBy(() -> LeaseTokens.verify(otherKeyset, token)).isInstanceOf(GeneralSecurityException.class);
	}

	@Test
	void licenceUseIsInTheActivityLogUnderPseudonymsOnly() throws Exception {
		entitlement("ema Work Designer", 1);
		checkout(client, "ema Work Designer");
		clock.set(START.plus(Duration.ofMinutes(90)));
		// the first lease was never renewed: this checkout releases it, and its product end is dated at its expiry
		var again = checkout(client, "ema Work Designer");
		assertThat(again.status()).isEqualTo(201);
		assertThat(call("DELETE", "/api/v1/licensing/leases/" + again.body().get("lease_id").asString(), client, null).status())
			.isEqualTo(204);
		List<StoredEvent> events = activity.events(tenant, START.minusSeconds(1), START.plus(Duration.ofHours(2)), 10);
		assertThat(events).extracting(StoredEvent::type).containsExactly("product_start", "product_end", "product_start", "product_end");
		assertThat(events).extracting(StoredEvent::at).containsExactly(START, START.plus(Duration.ofMinutes(5)),
				START.plus(Duration.ofMinutes(90)), START.plus(Duration.ofMinutes(90)));
		assertThat(events).extracting(StoredEvent::product).containsOnly("ema Work Designer");
		assertThat(events).extracting(StoredEvent::userPseudonym).containsOnly(events.get(0).userPseudonym());
		assertThat(events.get(0).userPseudonym()).startsWith("u-");
		assertThat(events).extracting(StoredEvent::hostPseudonym).containsOnly(events.get(0).hostPseudonym());
		assertThat(events.toString()).doesNotContainIgnoringCase("plimsoll").doesNotContain(IP).doesNotContain(MAC);
		var usage = activity.usage(tenant, java.time.YearMonth.of(2026, 1));
		assertThat(usage.products().get(0).sessions()).isEqualTo(2);
		assertThat(usage.products().get(0).distinctUsers()).isEqualTo(1);
		assertThat(usage.products().get(0).hours()).isEqualByComparingTo("0.08");
	}

	@Test
	void checkoutsAreRefusedWithoutAValidEntitlementOrWithTheWrongRole() throws Exception {
		var none = checkout(client, "ema Plant Designer");
		assertThat(none.status()).isEqualTo(409);
		assertThat(none.body().get("detail").asString()).contains("no entitlement");
		var bad = call("POST", "/api/v1/licensing/entitlements", admin,
				"{\"product\": \"x\", \"seats\": 0, \"valid_from\": \"2026-01-01T00:00:00Z\", \"valid_until\": \"2027-01-01T00:00:00Z\"}");
		assertThat(bad.status()).isEqualTo(422);
		assertThat(bad.body().get("field").asString()).isEqualTo("seats");
		assertThat(call("POST", "/api/v1/licensing/entitlements", client,
				"{\"product\": \"x\", \"seats\": 1, \"valid_from\": \"2026-01-01T00:00:00Z\", \"valid_until\": \"2027-01-01T00:00:00Z\"}")
			.status()).isEqualTo(403);
		var expired = call("POST", "/api/v1/licensing/entitlements", admin,
				"{\"product\": \"old\", \"seats\": 1, \"valid_from\": \"2025-01-01T00:00:00Z\", \"valid_until\": \"2026-01-01T00:00:00Z\"}");
		assertThat(expired.status()).isEqualTo(201);
		assertThat(checkout(client, "old").status()).isEqualTo(409);
		entitlement("ema Work Designer", 1);
		var badIp = call("POST", "/api/v1/licensing/leases", client,
				"{\"product\": \"ema Work Designer\", \"user_name\": \"u\", \"ip_address\": \"300.1.1.1\"}");
		assertThat(badIp.status()).isEqualTo(422);
		assertThat(badIp.body().get("field").asString()).isEqualTo("ip_address");
		var longName = call("POST", "/api/v1/licensing/leases", client,
				"{\"product\": \"ema Work Designer\", \"user_name\": \"  " + "u".repeat(300) + "\"}");
		assertThat(longName.status()).isEqualTo(422);
		assertThat(longName.body().get("field").asString()).isEqualTo("user_name");
		assertThat(longName.raw()).contains("longer than 300 characters");
		assertThat(checkout(client, "ema Work Designer").status()).as("the refused checkouts took no seat").isEqualTo(201);
	}

	@Test
	void aHolderWithLongNonAsciiNamesWithinTheLimitsChecksOut() throws Exception {
		// 255 characters of 3 bytes each, twice: before, more than the sealed holder's column held on H2
		entitlement("ema Plant Designer", 1);
		var lease = call("POST", "/api/v1/licensing/leases", client,
				checkoutBody("ema Plant Designer", "€".repeat(255), "€".repeat(63) + "." + "€".repeat(63)));
		assertThat(lease.status()).as(lease.raw()).isEqualTo(201);
	}

	@Test
	void anotherTenantsKeyReachesNoneOfTheTenantsLicences() throws Exception {
		String entitlement = entitlement("ema Work Designer", 1);
		var lease = checkout(client, "ema Work Designer");
		String leaseId = lease.body().get("lease_id").asString();
		var unknownEntitlement = call("GET", "/api/v1/licensing/entitlements/" + UUID.randomUUID(), stranger, null);
		var otherEntitlement = call("GET", "/api/v1/licensing/entitlements/" + entitlement, stranger, null);
		assertThat(otherEntitlement.status()).isEqualTo(404);
		assertThat(otherEntitlement.body().get("detail")).isEqualTo(unknownEntitlement.body().get("detail"));
		assertThat(call("GET", "/api/v1/licensing/entitlements", stranger, null).body().size()).isZero();
		var unknownLease = call("POST", "/api/v1/licensing/leases/" + UUID.randomUUID() + "/heartbeat", stranger, null);
		var otherLease = call("POST", "/api/v1/licensing/leases/" + leaseId + "/heartbeat", stranger, null);
		assertThat(otherLease.status()).isEqualTo(404);
		assertThat(otherLease.body().get("detail")).isEqualTo(unknownLease.body().get("detail"));
		assertThat(call("DELETE", "/api/v1/licensing/leases/" + leaseId, stranger, null).status()).isEqualTo(404);
		assertThat(call("POST", "/api/v1/licensing/leases", stranger, checkoutBody("ema Work Designer", USER, HOST)).status())
			.isEqualTo(409);
		assertThat(call("POST", "/api/v1/licensing/sweeps", stranger, null).body().get("released").asInt()).isZero();
		assertThat(call("POST", "/api/v1/licensing/leases/" + leaseId + "/heartbeat", client, null).status()).isEqualTo(200);
	}

	/**
	 * Acceptance (tenant isolation): every licensing endpoint, called with another tenant's key and this tenant's real
	 * entitlement and lease ids, answers as for ids that exist nowhere (status, body with the ids replaced,
	 * Content-Type); an entitlement the other tenant grants for the same product is its own and leaves this tenant's
	 * seats as they were.
	 */
	@Test
	void everyLicensingEndpointAnswersAnotherTenantsKeyAsIfNothingExisted() throws Exception {
		String entitlement = entitlement("ema Work Designer", 1);
		var lease = checkout(client, "ema Work Designer");
		assertThat(lease.status()).as(lease.raw()).isEqualTo(201);
		String leaseId = lease.body().get("lease_id").asString();
		var entitlements = call("GET", "/api/v1/licensing/entitlements", admin, null);
		assertThat(entitlements.body().get(0).get("seats_in_use").asInt()).isEqualTo(1);

		String nobody = UUID.randomUUID().toString();
		String[][] calls = { { "GET", "/api/v1/licensing/entitlements/" + entitlement },
				{ "POST", "/api/v1/licensing/leases/" + leaseId + "/heartbeat" },
				{ "DELETE", "/api/v1/licensing/leases/" + leaseId } };
		for (String[] c : calls) {
			var answer = call(c[0], c[1], stranger, null);
			var reference = call(c[0], c[1].replace(entitlement, nobody).replace(leaseId, nobody), stranger, null);
			String what = c[0] + " " + c[1];
			assertThat(answer.status()).as(what + ": " + answer.raw()).isEqualTo(404).isEqualTo(reference.status());
			assertThat(answer.raw().replace(entitlement, "ID").replace(leaseId, "ID")).as(what)
				.isEqualTo(reference.raw().replace(nobody, "ID"));
			assertThat(answer.contentType()).as(what).isEqualTo(reference.contentType());
			assertThat(answer.raw()).as(what).doesNotContain("ema Work Designer").doesNotContain(tenant);
		}
		assertThat(call("GET", "/api/v1/licensing/entitlements", stranger, null).raw()).isEqualTo("[]");

		// the same product granted with the other tenant's key is that tenant's entitlement
		var granted = call("POST", "/api/v1/licensing/entitlements", stranger, """
				{"product": "ema Work Designer", "seats": 3, "valid_from": "2026-01-01T00:00:00Z", "valid_until": "2027-01-01T00:00:00Z"}""");
		assertThat(granted.status()).as(granted.raw()).isEqualTo(201);
		String theirs = granted.body().get("id").asString();
		assertThat(theirs).isNotEqualTo(entitlement);
		assertThat(granted.body().get("seats_in_use").asInt()).isZero();
		var theirLease = checkout(stranger, "ema Work Designer");
		assertThat(theirLease.status()).as(theirLease.raw()).isEqualTo(201);
		var theirList = call("GET", "/api/v1/licensing/entitlements", stranger, null).body();
		assertThat(theirList.size()).isEqualTo(1);
		assertThat(theirList.get(0).get("id").asString()).isEqualTo(theirs);
		assertThat(theirList.get(0).get("seats").asInt()).isEqualTo(3);
		assertThat(theirList.get(0).get("seats_in_use").asInt()).as("this tenant's lease is not theirs").isEqualTo(1);
		assertThat(call("GET", "/api/v1/licensing/entitlements/" + theirs, admin, null).status()).isEqualTo(404);

		// nothing here changed: one seat, still taken by this tenant's lease, and no more seats from theirs
		assertThat(call("GET", "/api/v1/licensing/entitlements", admin, null).raw()).isEqualTo(entitlements.raw());
		assertThat(checkout(client, "ema Work Designer").status()).isEqualTo(409);
		assertThat(call("POST", "/api/v1/licensing/leases/" + leaseId + "/heartbeat", client, null).status()).isEqualTo(200);
		assertThat(call("GET", "/api/v1/licensing/entitlements", admin, null).raw()).isEqualTo(entitlements.raw());
	}
}

package io.custodia.vault;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.event.ApplicationEvents;

import io.custodia.Examples;
import io.custodia.MutableClock;
import io.custodia.audit.AuditAction;
import io.custodia.audit.AuditTrail;
import io.custodia.tenancy.ApiKeys;
import io.custodia.tenancy.Role;
import io.custodia.tenancy.TenantManagement;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import com.google.crypto.tink.StreamingAead;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The file vault and operator access as tenants and operators use them, on whatever database is under it. */
abstract class VaultApiContract {

	/** Content no AEAD would ever produce by chance: found by a scan only if stored in the clear. */
	static final String SECRET_TEXT = "Zyxwvu-bracket-design-rev7 confidential";

	static final String SECRET_NAME = "Qwertyson-housing.stl";

	@LocalServerPort
	int port;

	@Autowired
	TenantManagement tenants;

	@Autowired
	ApiKeys apiKeys;

	@Autowired
	Operators operators;

	@Autowired
	Vault vault;

	@Autowired
	LocalDiskBlobStore blobs;

	@Autowired
	FileKeys fileKeys;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	AuditTrail audit;

	@Autowired
	MutableClock clock;

	@Autowired
	ApplicationEvents events;

	final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

	String tenant;

	String admin;

	String app;

	String dpo;

	String reader;

	String stranger;

	String operator;

	String operatorId;

	@BeforeEach
	void tenants() {
		tenant = "t" + UUID.randomUUID().toString().substring(0, 8);
		tenants.create(tenant, "imengine.yaml", Examples.text("imengine"));
		admin = apiKeys.issue(tenant, Role.TENANT_ADMIN, "test admin").token();
		app = apiKeys.issue(tenant, Role.APPLICATION, "test app").token();
		dpo = apiKeys.issue(tenant, Role.DPO, "test dpo").token();
		reader = apiKeys.issue(tenant, Role.READ_ONLY, "test reader").token();
		String other = "o" + UUID.randomUUID().toString().substring(0, 8);
		tenants.create(other, "imengine.yaml", Examples.text("imengine"));
		stranger = apiKeys.issue(other, Role.TENANT_ADMIN, "other tenant admin").token();
		var issued = operators.issue("support engineer on duty");
		operator = issued.token();
		operatorId = issued.operatorId();
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
		return answer(http.send(request.build(), HttpResponse.BodyHandlers.ofString()));
	}

	static Answer answer(HttpResponse<String> response) {
		JsonNode body = response.body().isBlank() ? null : JsonMapper.shared().readTree(response.body());
		return new Answer(response.statusCode(), body, response.body(), response.headers().firstValue("Content-Type").orElse(""));
	}

	Answer upload(String key, String path, byte[] content) throws Exception {
		return upload(key, path, HttpRequest.BodyPublishers.ofByteArray(content));
	}

	Answer upload(String key, String path, HttpRequest.BodyPublisher body) throws Exception {
		var request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/v1/vault/files?path="
				+ java.net.URLEncoder.encode(path, StandardCharsets.UTF_8)))
			.POST(body)
			.header("Content-Type", "application/octet-stream")
			.header("Authorization", "Bearer " + key);
		return answer(http.send(request.build(), HttpResponse.BodyHandlers.ofString()));
	}

	String stored(String key, String path, byte[] content) throws Exception {
		Answer answer = upload(key, path, content);
		assertThat(answer.status()).as(answer.raw()).isEqualTo(201);
		return answer.body().get("id").asString();
	}

	HttpResponse<byte[]> get(String path, String key, String... headers) throws Exception {
		var request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).GET();
		if (key != null) {
			request.header("Authorization", "Bearer " + key);
		}
		for (int i = 0; i < headers.length; i += 2) {
			request.header(headers[i], headers[i + 1]);
		}
		return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
	}

	@Test
	void aTenantStoresListsMovesAndDeletesItsFiles() throws Exception {
		String id = stored(app, "/projects/alpha/" + SECRET_NAME, SECRET_TEXT.getBytes(StandardCharsets.UTF_8));
		stored(app, "/projects/alpha/notes.txt", "notes".getBytes(StandardCharsets.UTF_8));
		stored(app, "/projects/beta/plan.pdf", "plan".getBytes(StandardCharsets.UTF_8));

		Answer root = call("GET", "/api/v1/vault/files?folder=/projects", reader, null);
		assertThat(root.status()).isEqualTo(200);
		assertThat(root.body().get("folders").toString()).isEqualTo("[\"alpha\",\"beta\"]");
		assertThat(root.body().get("files").size()).isZero();
		Answer alpha = call("GET", "/api/v1/vault/files?folder=/projects/alpha", reader, null);
		assertThat(alpha.body().get("files").findValuesAsString("name")).containsExactly(SECRET_NAME, "notes.txt");
		Answer all = call("GET", "/api/v1/vault/files?folder=/&recursive=true", reader, null);
		assertThat(all.body().get("files").size()).isEqualTo(3);

		var content = get("/api/v1/vault/files/" + id + "/content", reader);
		assertThat(content.statusCode()).isEqualTo(200);
		assertThat(new String(content.body(), StandardCharsets.UTF_8)).isEqualTo(SECRET_TEXT);
		assertThat(content.headers().firstValue("Accept-Ranges")).contains("bytes");

		Answer moved = call("PATCH", "/api/v1/vault/files/" + id, app, "{\"path\": \"/archive/housing-final.stl\"}");
		assertThat(moved.status()).as(moved.raw()).isEqualTo(200);
		assertThat(moved.body().get("folder").asString()).isEqualTo("/archive");
		Answer found = call("GET", "/api/v1/vault/lookup?path=/archive/housing-final.stl", reader, null);
		assertThat(found.body().get("id").asString()).isEqualTo(id);
		assertThat(call("GET", "/api/v1/vault/lookup?path=/projects/alpha/" + SECRET_NAME, reader, null).status()).isEqualTo(404);
		assertThat(new String(get("/api/v1/vault/files/" + id + "/content", reader).body(), StandardCharsets.UTF_8))
			.isEqualTo(SECRET_TEXT);

		Answer usage = call("GET", "/api/v1/vault/usage", reader, null);
		assertThat(usage.body().get("used_files").asLong()).isEqualTo(3);
		assertThat(usage.body().get("used_bytes").asLong()).isEqualTo(SECRET_TEXT.length() + 5 + 4);

		assertThat(call("DELETE", "/api/v1/vault/files/" + id, app, null).status()).isEqualTo(204);
		assertThat(get("/api/v1/vault/files/" + id + "/content", reader).statusCode()).isEqualTo(404);
		assertThat(call("GET", "/api/v1/vault/usage", reader, null).body().get("used_files").asLong()).isEqualTo(2);
		assertThat(Files.exists(blobs.path(tenant, UUID.fromString(id)))).as("the blob is removed").isFalse();
		// events are recorded on the test's thread: delete the next one here
		UUID notes = UUID.fromString(call("GET", "/api/v1/vault/lookup?path=/projects/alpha/notes.txt", reader, null).body().get("id").asString());
		vault.delete(tenant, notes, "test");
		assertThat(events.stream(FileDeleted.class)).singleElement().satisfies(event -> {
			assertThat(event.tenantId()).isEqualTo(tenant);
			assertThat(event.fileId()).isEqualTo(notes);
			assertThat(event.at()).isEqualTo(clock.instant());
		});
		assertThat(audit.entries(tenant, null, null, 100)).extracting(e -> e.action())
			.contains(AuditAction.FILE_STORED, AuditAction.FILE_READ, AuditAction.FILE_MOVED, AuditAction.FILE_DELETED);
	}

	@Test
	void pathsAreCheckedAndAPathHoldsOneFile() throws Exception {
		stored(app, "/a/b.txt", new byte[] { 1 });
		Answer taken = upload(app, "/a/b.txt", new byte[] { 2 });
		assertThat(taken.status()).isEqualTo(409);
		assertThat(taken.contentType()).startsWith("application/problem+json");
		assertThat(taken.body().get("field").asString()).isEqualTo("path");
		Answer dots = upload(app, "/a/../etc/passwd", new byte[] { 2 });
		assertThat(dots.status()).isEqualTo(400);
		assertThat(dots.body().get("field").asString()).isEqualTo("path");
		assertThat(dots.body().get("allowed").asString()).contains("absolute path");
		assertThat(upload(app, "relative.txt", new byte[] { 2 }).status()).isEqualTo(400);
		assertThat(upload(reader, "/c.txt", new byte[] { 2 }).status()).as("a read-only key stores nothing").isEqualTo(403);
	}

	/** Tens of megabytes generated as they are sent, read back whole and in ranges across segment boundaries. */
	@Test
	void aLargeFileStreamsInAndOutAndEveryRangeReadsTheRightBytes() throws Exception {
		long size = 24L * 1024 * 1024 + 12_345;
		Answer answer = upload(app, "/big/scan.bin",
				HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(() -> new Generated(size)), size));
		assertThat(answer.status()).as(answer.raw()).isEqualTo(201);
		assertThat(answer.body().get("size").asLong()).isEqualTo(size);
		String id = answer.body().get("id").asString();
		assertThat(Files.size(blobs.path(tenant, UUID.fromString(id)))).as("ciphertext: a little larger").isGreaterThan(size)
			.isLessThan(size + 64 * 1024);

		var whole = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/v1/vault/files/" + id + "/content"))
			.header("Authorization", "Bearer " + reader)
			.build(), HttpResponse.BodyHandlers.ofInputStream());
		assertThat(whole.statusCode()).isEqualTo(200);
		assertThat(whole.headers().firstValueAsLong("Content-Length").orElse(-1)).isEqualTo(size);
		try (InputStream body = whole.body(); InputStream expected = new Generated(size)) {
			assertSameStream(body, expected, size);
		}

		long segment = 1 << 20;
		for (long[] range : new long[][] { { 0, 0 }, { segment - 10, segment + 10 }, { 3 * segment - 1, 5 * segment + 7 },
				{ size - 100, size - 1 } }) {
			var part = get("/api/v1/vault/files/" + id + "/content", reader, "Range", "bytes=" + range[0] + "-" + range[1]);
			assertThat(part.statusCode()).isEqualTo(206);
			assertThat(part.headers().firstValue("Content-Range")).contains("bytes " + range[0] + "-" + range[1] + "/" + size);
			assertThat(part.body()).isEqualTo(Generated.bytes(range[0], range[1] - range[0] + 1));
		}
		var suffix = get("/api/v1/vault/files/" + id + "/content", reader, "Range", "bytes=-500");
		assertThat(suffix.statusCode()).isEqualTo(206);
		assertThat(suffix.body()).isEqualTo(Generated.bytes(size - 500, 500));
		var open = get("/api/v1/vault/files/" + id + "/content", reader, "Range", "bytes=" + (size - 3) + "-");
		assertThat(open.body()).isEqualTo(Generated.bytes(size - 3, 3));
		var beyond = get("/api/v1/vault/files/" + id + "/content", reader, "Range", "bytes=" + size + "-");
		assertThat(beyond.statusCode()).isEqualTo(416);
		assertThat(beyond.headers().firstValue("Content-Range")).contains("bytes */" + size);
		assertThat(beyond.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
		// positions beyond what a long holds: past any file, not a failure
		var huge = get("/api/v1/vault/files/" + id + "/content", reader, "Range", "bytes=9999999999999999999-");
		assertThat(huge.statusCode()).isEqualTo(416);
		assertThat(huge.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
		var hugeEnd = get("/api/v1/vault/files/" + id + "/content", reader, "Range", "bytes=" + (size - 3) + "-9999999999999999999");
		assertThat(hugeEnd.statusCode()).isEqualTo(206);
		assertThat(hugeEnd.body()).isEqualTo(Generated.bytes(size - 3, 3));
		var hugeSuffix = get("/api/v1/vault/files/" + id + "/content", reader, "Range", "bytes=-9999999999999999999");
		assertThat(hugeSuffix.statusCode()).isEqualTo(206);
		assertThat(hugeSuffix.body()).isEqualTo(Generated.bytes(0, size));
		var stale = get("/api/v1/vault/files/" + id + "/content", reader, "Range", "bytes=0-9", "If-Range", "\"other\"");
		assertThat(stale.statusCode()).as("a Range under a stale If-Range is ignored").isEqualTo(200);
	}

	@Test
	void aChangedBlobIsDetectedOnReadAndNothingOfItIsServed() throws Exception {
		byte[] content = Generated.bytes(0, 3 * (1 << 20));
		String id = stored(app, "/tampered.bin", content);
		Path blob = blobs.path(tenant, UUID.fromString(id));
		flipByteAt(blob, 100);
		var read = get("/api/v1/vault/files/" + id + "/content", reader);
		assertThat(read.statusCode()).isEqualTo(500);
		assertThat(read.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
		assertThat(new String(read.body(), StandardCharsets.UTF_8)).contains("integrity");
		var later = get("/api/v1/vault/files/" + id + "/content", reader, "Range", "bytes=2097152-2097161");
		assertThat(later.statusCode()).as("each 1 MiB segment is verified alone: an untouched one still reads").isEqualTo(206);
		assertThat(later.body()).isEqualTo(Generated.bytes(2097152, 10));

		String second = stored(app, "/tampered-late.bin", content);
		flipByteAt(blobs.path(tenant, UUID.fromString(second)), Files.size(blobs.path(tenant, UUID.fromString(second))) - 5);
		assertThatThrownBy(() -> {
			try (InputStream body = http
				.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/v1/vault/files/" + second + "/content"))
					.header("Authorization", "Bearer " + reader)
					.build(), HttpResponse.BodyHandlers.ofInputStream())
				.body()) {
				body.transferTo(java.io.OutputStream.nullOutputStream());
			}
		}).as("damage in the last segment cuts the download short of its length").isInstanceOf(IOException.class);
	}

	/** As a backup would: the blob's bytes are copied before deletion and put back after it. */
	@Test
	void aDeletedFileStaysUnreadableFromACopyOfItsBlobTakenBefore() throws Exception {
		String id = stored(app, "/contracts/" + SECRET_NAME, SECRET_TEXT.getBytes(StandardCharsets.UTF_8));
		String kept = stored(app, "/contracts/kept.txt", "kept".getBytes(StandardCharsets.UTF_8));
		Path blob = blobs.path(tenant, UUID.fromString(id));
		byte[] backup = Files.readAllBytes(blob);
		assertThat(new String(backup, StandardCharsets.ISO_8859_1)).doesNotContain(SECRET_TEXT);

		assertThat(call("DELETE", "/api/v1/vault/files/" + id, admin, null).status()).isEqualTo(204);
		assertThat(jdbc.sql("select count(*) from vault_file where id = ?").param(UUID.fromString(id)).query(Long.class).single())
			.as("the wrapped key went with the row").isZero();
		Files.createDirectories(blob.getParent());
		Files.write(blob, backup);

		assertThat(get("/api/v1/vault/files/" + id + "/content", admin).statusCode()).isEqualTo(404);
		// nothing the database still holds opens the copy: try every file key the tenant has left
		List<byte[]> wrappedKeys = jdbc.sql("select wrapped_key from vault_file where tenant_id = ?")
			.param(tenant)
			.query((rs, n) -> rs.getBytes(1))
			.list();
		assertThat(wrappedKeys).hasSize(1);
		StreamingAead other = fileKeys.unwrap(tenant, UUID.fromString(kept), wrappedKeys.get(0));
		assertThatThrownBy(() -> {
			try (var channel = other.newSeekableDecryptingChannel(Files.newByteChannel(blob),
					FileKeys.contentContext(tenant, UUID.fromString(id)))) {
				channel.read(ByteBuffer.allocate(64));
			}
		}).isInstanceOf(IOException.class);
	}

	@Test
	void quotasRefuseWhatDoesNotFitAndNameTheQuota() throws Exception {
		vault.setQuota(tenant, 100_000L, 2L);
		stored(app, "/one.bin", new byte[60_000]);
		Answer bytes = upload(app, "/two.bin", new byte[60_000]);
		assertThat(bytes.status()).as(bytes.raw()).isEqualTo(413);
		assertThat(bytes.contentType()).startsWith("application/problem+json");
		assertThat(bytes.body().get("quota").asString()).isEqualTo("quota_bytes");
		assertThat(bytes.body().get("limit").asLong()).isEqualTo(100_000);
		Answer chunked = upload(app, "/two.bin",
				HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(new byte[60_000])));
		assertThat(chunked.status()).as("without a length the bytes read are counted").isEqualTo(413);
		stored(app, "/two.bin", new byte[30_000]);
		Answer files = upload(app, "/three.bin", new byte[1]);
		assertThat(files.status()).isEqualTo(413);
		assertThat(files.body().get("quota").asString()).isEqualTo("quota_files");
		Answer usage = call("GET", "/api/v1/vault/usage", reader, null);
		assertThat(usage.body().get("used_bytes").asLong()).isEqualTo(90_000);
		assertThat(usage.body().get("quota_bytes").asLong()).isEqualTo(100_000);
		try (var dir = Files.list(blobs.root().resolve(tenant).resolve(".incoming"))) {
			assertThat(dir.toList()).as("refused uploads leave nothing behind").isEmpty();
		}
	}

	/** Acceptance: a tenant's files are unreachable with another tenant's credentials. */
	@Test
	void anotherTenantsKeyReachesNoneOfTheFilesOrGrantsAndAnswersAsForAnUnknownId() throws Exception {
		String id = stored(app, "/private/" + SECRET_NAME, SECRET_TEXT.getBytes(StandardCharsets.UTF_8));
		String grant = requestGrant(Map.of("folder", "/private")).body().get("id").asString();
		String unknown = UUID.randomUUID().toString();
		for (String fileId : List.of(id, unknown)) {
			assertNotFound(call("GET", "/api/v1/vault/files/" + fileId, stranger, null));
			var content = get("/api/v1/vault/files/" + fileId + "/content", stranger);
			assertThat(content.statusCode()).isEqualTo(404);
			assertThat(new String(content.body(), StandardCharsets.UTF_8)).doesNotContain(SECRET_TEXT);
			assertNotFound(call("PATCH", "/api/v1/vault/files/" + fileId, stranger, "{\"path\": \"/stolen.stl\"}"));
			assertNotFound(call("DELETE", "/api/v1/vault/files/" + fileId, stranger, null));
		}
		for (String grantId : List.of(grant, unknown)) {
			assertNotFound(call("GET", "/api/v1/vault/grants/" + grantId, stranger, null));
			assertNotFound(call("POST", "/api/v1/vault/grants/" + grantId + "/approval", stranger, "{}"));
			assertNotFound(call("POST", "/api/v1/vault/grants/" + grantId + "/denial", stranger, null));
			assertNotFound(call("POST", "/api/v1/vault/grants/" + grantId + "/revocation", stranger, null));
			assertNotFound(call("GET", "/api/v1/vault/operator-reads?grant_id=" + grantId, stranger, null));
		}
		assertNotFound(call("GET", "/api/v1/vault/lookup?path=/private/" + SECRET_NAME, stranger, null));
		assertNotFound(call("GET", "/api/v1/vault/lookup?path=/nothing-here", stranger, null));
		Answer list = call("GET", "/api/v1/vault/files?recursive=true", stranger, null);
		assertThat(list.body().get("files").size()).isZero();
		assertThat(call("GET", "/api/v1/vault/grants", stranger, null).body().size()).isZero();
		assertThat(call("GET", "/api/v1/vault/operator-reads", stranger, null).body().size()).isZero();
		assertThat(call("GET", "/api/v1/vault/usage", stranger, null).body().get("used_files").asLong()).isZero();
		// the file is untouched
		assertThat(new String(get("/api/v1/vault/files/" + id + "/content", reader).body(), StandardCharsets.UTF_8))
			.isEqualTo(SECRET_TEXT);
	}

	/**
	 * Acceptance (tenant isolation): another tenant storing a file at the very path where this tenant keeps one, while
	 * this tenant's vault is full, stores its own file and is answered as for a path that is free everywhere; this
	 * tenant's file, listing and usage are untouched.
	 */
	@Test
	void anUploadWithAnotherTenantsKeyAtThisTenantsPathLandsInItsOwnVaultAndRevealsNothing() throws Exception {
		String path = "/private/" + SECRET_NAME;
		String id = stored(app, path, SECRET_TEXT.getBytes(StandardCharsets.UTF_8));
		// full: a quota or a path counted across tenants would refuse the other's upload
		vault.setQuota(tenant, 100_000L, 1L);
		assertThat(upload(app, "/private/more.txt", new byte[] { 1 }).status()).as("full here").isEqualTo(413);
		Answer usage = call("GET", "/api/v1/vault/usage", reader, null);
		Answer listing = call("GET", "/api/v1/vault/files?folder=/&recursive=true", reader, null);

		byte[] theirBytes = "their own drawing, same length as ours!".getBytes(StandardCharsets.UTF_8);
		Answer taken = upload(stranger, path, theirBytes);
		String freePath = "/free-" + UUID.randomUUID() + "/plan.stl";
		Answer free = upload(stranger, freePath, theirBytes);
		assertThat(taken.status()).as(taken.raw()).isEqualTo(201).isEqualTo(free.status());
		assertThat(taken.contentType()).isEqualTo(free.contentType());
		String theirId = taken.body().get("id").asString();
		assertThat(theirId).isNotEqualTo(id);
		assertThat(taken.raw().replace(theirId, "ID").replace(path, "PATH").replace("/private", "FOLDER").replace(SECRET_NAME, "NAME"))
			.as("the same answer but for its id and path")
			.isEqualTo(free.raw().replace(free.body().get("id").asString(), "ID").replace(freePath, "PATH")
				.replace(freePath.substring(0, freePath.lastIndexOf('/')), "FOLDER").replace("plan.stl", "NAME"));
		assertThat(taken.raw()).doesNotContain(id).doesNotContain(tenant);

		// the other tenant has its own file there
		Answer theirLookup = call("GET", "/api/v1/vault/lookup?path=" + path, stranger, null);
		assertThat(theirLookup.body().get("id").asString()).isEqualTo(theirId);
		assertThat(get("/api/v1/vault/files/" + theirId + "/content", stranger).body()).isEqualTo(theirBytes);
		assertThat(call("GET", "/api/v1/vault/files?folder=/&recursive=true", stranger, null).body().get("files")
			.findValuesAsString("id")).containsExactlyInAnyOrder(theirId, free.body().get("id").asString());
		assertThat(call("GET", "/api/v1/vault/usage", stranger, null).body().get("used_files").asLong()).isEqualTo(2);
		assertThat(call("GET", "/api/v1/vault/files/" + theirId, reader, null).status()).as("and this tenant cannot see it")
			.isEqualTo(404);

		// nothing here changed
		assertThat(call("GET", "/api/v1/vault/lookup?path=" + path, reader, null).body().get("id").asString()).isEqualTo(id);
		assertThat(new String(get("/api/v1/vault/files/" + id + "/content", reader).body(), StandardCharsets.UTF_8))
			.isEqualTo(SECRET_TEXT);
		assertThat(call("GET", "/api/v1/vault/usage", reader, null).raw()).isEqualTo(usage.raw());
		assertThat(call("GET", "/api/v1/vault/files?folder=/&recursive=true", reader, null).raw()).isEqualTo(listing.raw());
	}

	void assertNotFound(Answer answer) {
		assertThat(answer.status()).as(answer.raw()).isEqualTo(404);
		assertThat(answer.contentType()).startsWith("application/problem+json");
		assertThat(answer.raw()).doesNotContain(SECRET_NAME).doesNotContain(tenant);
	}

	Answer requestGrant(Map<String, String> scope) throws Exception {
		var body = new java.util.LinkedHashMap<String, Object>();
		body.put("tenant_id", tenant);
		body.putAll(scope);
		body.put("reason", "ticket SUP-4711: customer reports a broken file");
		body.put("duration_minutes", 60);
		Answer answer = call("POST", "/api/v1/operator/grants", operator, JsonMapper.shared().writeValueAsString(body));
		assertThat(answer.status()).as(answer.raw()).isEqualTo(201);
		return answer;
	}

	@Test
	void anOperatorReadsOnlyWhatTheTenantApprovedForAsLongAsItApprovedAndTheTenantSeesEveryRead() throws Exception {
		String inScope = stored(app, "/support/" + SECRET_NAME, SECRET_TEXT.getBytes(StandardCharsets.UTF_8));
		String outOfScope = stored(app, "/finance/salaries.xlsx", "salaries".getBytes(StandardCharsets.UTF_8));
		assertThat(call("GET", "/api/v1/operator/grants", admin, null).status()).as("a tenant key is no operator key").isEqualTo(401);
		assertThat(get("/api/v1/vault/files/" + inScope + "/content", operator).statusCode())
			.as("an operator key opens no tenant endpoint").isEqualTo(401);

		Answer requested = requestGrant(Map.of("folder", "/support"));
		String grant = requested.body().get("id").asString();
		assertThat(requested.body().get("status").asString()).isEqualTo("PENDING");
		assertThat(call("GET", "/api/v1/operator/grants/" + grant + "/files", operator, null).status())
			.as("nothing before approval").isEqualTo(409);
		assertThat(get("/api/v1/operator/grants/" + grant + "/files/" + inScope + "/content", operator).statusCode()).isEqualTo(409);

		Answer pending = call("GET", "/api/v1/vault/grants", dpo, null);
		assertThat(pending.body().get(0).get("reason").asString()).contains("SUP-4711");
		assertThat(pending.body().get(0).get("operator_label").asString()).isEqualTo("support engineer on duty");
		assertThat(call("POST", "/api/v1/vault/grants/" + grant + "/approval", dpo, "{}").status())
			.as("only the tenant admin approves").isEqualTo(403);
		Answer tooLong = call("POST", "/api/v1/vault/grants/" + grant + "/approval", admin, "{\"duration_minutes\": 600}");
		assertThat(tooLong.status()).isEqualTo(400);
		assertThat(tooLong.body().get("field").asString()).isEqualTo("duration_minutes");
		Answer approved = call("POST", "/api/v1/vault/grants/" + grant + "/approval", admin, "{\"duration_minutes\": 30}");
		assertThat(approved.status()).as(approved.raw()).isEqualTo(200);
		assertThat(approved.body().get("status").asString()).isEqualTo("APPROVED");

		Answer files = call("GET", "/api/v1/operator/grants/" + grant + "/files", operator, null);
		assertThat(files.body().get("files").findValuesAsString("id")).containsExactly(inScope);
		var read = get("/api/v1/operator/grants/" + grant + "/files/" + inScope + "/content", operator, "Range", "bytes=0-5");
		assertThat(read.statusCode()).isEqualTo(206);
		assertThat(new String(read.body(), StandardCharsets.UTF_8)).isEqualTo(SECRET_TEXT.substring(0, 6));
		assertThat(get("/api/v1/operator/grants/" + grant + "/files/" + outOfScope + "/content", operator).statusCode())
			.as("outside the grant's folder: as if it did not exist").isEqualTo(404);
		String otherOperator = operators.issue("another operator").token();
		assertThat(get("/api/v1/operator/grants/" + grant + "/files/" + inScope + "/content", otherOperator).statusCode())
			.as("a grant serves only its operator").isEqualTo(404);

		clock.set(clock.instant().plus(Duration.ofMinutes(31)));
		Answer expired = call("GET", "/api/v1/operator/grants/" + grant + "/files", operator, null);
		assertThat(expired.status()).isEqualTo(409);
		assertThat(expired.body().get("detail").asString()).contains("expired");
		assertThat(get("/api/v1/operator/grants/" + grant + "/files/" + inScope + "/content", operator).statusCode()).isEqualTo(409);

		Answer reads = call("GET", "/api/v1/vault/operator-reads?grant_id=" + grant, dpo, null);
		assertThat(reads.body().findValuesAsString("kind")).containsExactly("READ", "LIST");
		assertThat(reads.body().get(0).get("file_id").asString()).isEqualTo(inScope);
		assertThat(reads.body().get(0).get("byte_range").asString()).isEqualTo("bytes=0-5");
		assertThat(reads.body().get(0).get("operator_id").asString()).isEqualTo(operatorId);
		assertThat(audit.entries(tenant, null, null, 100)).filteredOn(e -> e.action() == AuditAction.OPERATOR_READ)
			.hasSize(2)
			.allSatisfy(e -> assertThat(e.actor()).isEqualTo("operator:" + operatorId));
		assertThat(audit.entries(tenant, null, null, 100)).extracting(e -> e.action())
			.contains(AuditAction.OPERATOR_ACCESS_REQUESTED, AuditAction.OPERATOR_ACCESS_APPROVED);
	}

	@Test
	void aTenantDeniesOrRevokesAccessAndAFileGrantCoversThatFileAlone() throws Exception {
		String file = stored(app, "/support/one.stl", "one".getBytes(StandardCharsets.UTF_8));
		String sibling = stored(app, "/support/two.stl", "two".getBytes(StandardCharsets.UTF_8));
		String denied = requestGrant(Map.of("folder", "/")).body().get("id").asString();
		assertThat(call("POST", "/api/v1/vault/grants/" + denied + "/denial", admin, null).body().get("status").asString())
			.isEqualTo("DENIED");
		assertThat(call("GET", "/api/v1/operator/grants/" + denied + "/files", operator, null).status()).isEqualTo(409);
		assertThat(call("POST", "/api/v1/vault/grants/" + denied + "/approval", admin, "{}").status())
			.as("a denied grant stays denied").isEqualTo(409);

		String grant = requestGrant(Map.of("file_id", file)).body().get("id").asString();
		call("POST", "/api/v1/vault/grants/" + grant + "/approval", admin, null);
		assertThat(get("/api/v1/operator/grants/" + grant + "/files/" + file + "/content", operator).body())
			.isEqualTo("one".getBytes(StandardCharsets.UTF_8));
		assertThat(get("/api/v1/operator/grants/" + grant + "/files/" + sibling + "/content", operator).statusCode()).isEqualTo(404);
		assertThat(call("POST", "/api/v1/vault/grants/" + grant + "/revocation", admin, null).body().get("status").asString())
			.isEqualTo("REVOKED");
		assertThat(get("/api/v1/operator/grants/" + grant + "/files/" + file + "/content", operator).statusCode()).isEqualTo(409);
		Answer unknownTenant = call("POST", "/api/v1/operator/grants", operator,
				"{\"tenant_id\": \"no-such-tenant\", \"folder\": \"/\", \"reason\": \"x\", \"duration_minutes\": 5}");
		assertThat(unknownTenant.status()).isEqualTo(404);
		Answer both = call("POST", "/api/v1/operator/grants", operator, "{\"tenant_id\": \"" + tenant + "\", \"folder\": \"/\", \"file_id\": \""
				+ file + "\", \"reason\": \"x\", \"duration_minutes\": 5}");
		assertThat(both.status()).isEqualTo(400);
		assertThat(both.body().get("field").asString()).isEqualTo("file_id");
	}

	@Test
	void deletingATenantsWholeVaultRemovesEveryFileKeyAndBlob() throws Exception {
		stored(app, "/a/1.bin", new byte[1000]);
		stored(app, "/a/2.bin", new byte[2000]);
		requestGrant(Map.of("folder", "/a"));
		VaultPurge purge = vault.deleteAllOf(tenant);
		assertThat(purge).isEqualTo(new VaultPurge(tenant, 2, 3000, 2));
		assertThat(jdbc.sql("select count(*) from vault_file where tenant_id = ?").param(tenant).query(Long.class).single()).isZero();
		assertThat(jdbc.sql("select count(*) from vault_grant where tenant_id = ?").param(tenant).query(Long.class).single()).isZero();
		assertThat(Files.exists(blobs.root().resolve(tenant))).isFalse();
		assertThat(call("GET", "/api/v1/vault/usage", reader, null).body().get("used_bytes").asLong()).isZero();
	}

	static void flipByteAt(Path file, long position) throws IOException {
		try (var channel = java.nio.channels.FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
			ByteBuffer one = ByteBuffer.allocate(1);
			channel.read(one, position);
			one.put(0, (byte) (one.get(0) ^ 0x01)).rewind();
			channel.write(one, position);
		}
	}

	static void assertSameStream(InputStream actual, InputStream expected, long size) throws IOException {
		byte[] a = new byte[64 * 1024];
		byte[] e = new byte[64 * 1024];
		long offset = 0;
		int read;
		while ((read = actual.readNBytes(a, 0, a.length)) > 0) {
			assertThat(expected.readNBytes(e, 0, read)).isEqualTo(read);
			if (!java.util.Arrays.equals(a, 0, read, e, 0, read)) {
				throw new AssertionError("the content differs in the 64 KiB from byte " + offset);
			}
			offset += read;
		}
		assertThat(offset).isEqualTo(size);
	}

	/** Content as a function of its position: generated on the fly, never stored, any range recomputed. */
	static final class Generated extends InputStream {

		private static final byte[] BLOCK = new byte[65_521];

		static {
			new SplittableRandom(42).nextBytes(BLOCK);
		}

		private final long size;

		private long position;

		Generated(long size) {
			this.size = size;
		}

		static byte at(long position) {
			return (byte) (BLOCK[(int) (position % BLOCK.length)] ^ (position / BLOCK.length));
		}

		static byte[] bytes(long from, long length) {
			byte[] bytes = new byte[(int) length];
			for (int i = 0; i < length; i++) {
				bytes[i] = at(from + i);
			}
			return bytes;
		}

		@Override
		public int read() {
			return position < size ? at(position++) & 0xff : -1;
		}

		@Override
		public int read(byte[] buffer, int offset, int length) {
			if (position >= size) {
				return -1;
			}
			int n = (int) Math.min(length, size - position);
			for (int i = 0; i < n; i++) {
				buffer[offset + i] = at(position++);
			}
			return n;
		}
	}
}

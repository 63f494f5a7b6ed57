package io.custodia.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.simple.JdbcClient;

import io.custodia.audit.AuditTrail;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Killing the service hard while a banner records consents loses no receipt it acknowledged: the service runs
 * in a child JVM on the embedded database and gets SIGKILL in the middle of the load.
 */
class ConsentCrashRecoveryIntegrationTests {

	static final int ACKNOWLEDGED_BEFORE_KILL = 200;

	@TempDir
	Path dir;

	List<String> settings() {
		return List.of("--data-dir", dir.resolve("data").toString(), "--custodia.keys.root=" + dir.resolve("keys/root.json"),
				"--custodia.clock=2026-06-01T12:00:00Z");
	}

	String custodia(String... args) {
		var all = new ArrayList<>(List.of(args));
		all.addAll(settings());
		var out = new StringWriter();
		var err = new StringWriter();
		int code = Cli.run(new PrintWriter(out, true), new PrintWriter(err, true), all.toArray(String[]::new));
		assertThat(code).as(err.toString()).isZero();
		return out.toString();
	}

	@Test
	void noAcknowledgedReceiptIsLostWhenTheServiceIsKilledHard() throws Exception {
		// the tenant-admin key printed at creation may record consents too; one context start less
		String created = custodia("tenant", "create", "acme", "--policy", "examples/policies/imig.yaml");
		String key = created.substring(created.indexOf("cst_")).trim();
		int port;
		try (var socket = new ServerSocket(0)) {
			port = socket.getLocalPort();
		}
		var command = new ArrayList<String>();
		command.add(ProcessHandle.current().info().command().orElse("java"));
		command.add("-cp");
		command.add(System.getProperty("java.class.path"));
		command.add(Cli.class.getName());
		command.addAll(List.of("serve", "--port", Integer.toString(port), "--logging.level.root=WARN"));
		command.addAll(settings());
		Process child = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
			.redirectError(ProcessBuilder.Redirect.DISCARD)
			.start();
		var http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
		Set<String> acknowledged = ConcurrentHashMap.newKeySet();
		try {
			awaitHealthy(http, port, child);
			var killed = new AtomicBoolean();
			ExecutorService load = Executors.newFixedThreadPool(4);
			for (int t = 0; t < 4; t++) {
				load.submit(() -> {
					while (!killed.get()) {
						try {
							var response = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/v1/consents"))
								.header("Authorization", "Bearer " + key)
								.header("Content-Type", "application/json")
								.POST(HttpRequest.BodyPublishers.ofString("{\"visitor_id\": \"" + UUID.randomUUID()
										+ "\", \"purposes\": [\"analytics\"], \"method\": \"banner\", \"how\": {\"action\": \"clicked accept\"}}"))
								.build(), HttpResponse.BodyHandlers.ofString());
							if (response.statusCode() == 201) {
								acknowledged.add(JsonMapper.shared().readTree(response.body()).get("receipts").get(0).get("id").asString());
							}
						}
						catch (IOException | InterruptedException ex) {
							return null;
						}
					}
					return null;
				});
			}
			long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
			while (acknowledged.size() < ACKNOWLEDGED_BEFORE_KILL && System.nanoTime() < deadline) {
				Thread.sleep(5);
			}
			child.destroyForcibly();
			child.waitFor(30, TimeUnit.SECONDS);
			killed.set(true);
			load.shutdown();
			assertThat(load.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
		}
		finally {
			child.destroyForcibly();
		}
		assertThat(acknowledged).hasSizeGreaterThanOrEqualTo(ACKNOWLEDGED_BEFORE_KILL);

		try (var context = ServiceContext.start(dir.resolve("data"), settings().subList(2, 4))) {
			var jdbc = context.getBean(JdbcClient.class);
			var stored = Set.copyOf(jdbc.sql("select id from consent_receipt where tenant_id = 'acme'")
				.query((rs, n) -> rs.getObject(1, UUID.class).toString())
				.list());
			assertThat(stored).containsAll(acknowledged);
			// every stored receipt has its audit entry: none was half written
			assertThat(jdbc.sql("select count(*) from audit_entry where tenant_id = 'acme' and action = 'CONSENT_GIVEN'")
				.query(Long.class)
				.single()).isEqualTo(stored.size());
			assertThat(context.getBean(AuditTrail.class).verify("acme").intact()).isTrue();
		}
	}

	private static void awaitHealthy(HttpClient http, int port, Process child) throws InterruptedException {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
		while (System.nanoTime() < deadline) {
			if (!child.isAlive()) {
				throw new AssertionError("the service exited with " + child.exitValue() + " before it was healthy");
			}
			try {
				var response = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/actuator/health")).build(),
						HttpResponse.BodyHandlers.ofString());
				if (response.statusCode() == 200) {
					return;
				}
			}
			catch (IOException notYet) {
				// not listening yet
			}
			Thread.sleep(200);
		}
		throw new AssertionError("the service did not become healthy within 2 minutes");
	}
}

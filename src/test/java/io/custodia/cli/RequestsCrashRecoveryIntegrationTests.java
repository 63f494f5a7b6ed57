package io.custodia.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.simple.JdbcClient;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.sun.net.httpserver.HttpServer;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * No request, e-mail or webhook is lost when the process is killed hard: a served instance is killed while
 * requests are coming in and being fulfilled, then a delivery run is killed while it sends; afterwards every
 * acknowledged request is stored with its outcome, and every message it caused is delivered, repeats carrying the
 * same Idempotency-Key.
 */
class RequestsCrashRecoveryIntegrationTests {

	@TempDir
	Path dir;

	GreenMail mail;

	HttpServer receiver;

	final List<String[]> received = new CopyOnWriteArrayList<>();

	volatile long receiverDelay;

	@BeforeEach
	void servers() throws IOException {
		mail = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
		mail.start();
		receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		receiver.createContext("/", exchange -> {
			String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
			try {
				Thread.sleep(receiverDelay);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			received.add(new String[] { exchange.getRequestHeaders().getFirst("Idempotency-Key"), body });
			exchange.sendResponseHeaders(200, -1);
			exchange.close();
		});
		receiver.start();
	}

	@AfterEach
	void stop() {
		mail.stop();
		receiver.stop(0);
	}

	List<String> settings(String clock) {
		return List.of("--data-dir", dir.resolve("data").toString(), "--custodia.keys.root=" + dir.resolve("keys/root.json"),
				"--custodia.clock=" + clock, "--spring.mail.host=127.0.0.1", "--spring.mail.port=" + mail.getSmtp().getPort(),
				"--custodia.outbox.poll-interval=PT1H");
	}

	String custodia(String clock, String... args) {
		var all = new ArrayList<>(List.of(args));
		all.addAll(settings(clock));
		var out = new StringWriter();
		var err = new StringWriter();
		int code = Cli.run(new PrintWriter(out, true), new PrintWriter(err, true), all.toArray(String[]::new));
		assertThat(code).as(err.toString()).isZero();
		return out.toString();
	}

	Process child(String clock, String... args) throws IOException {
		var command = new ArrayList<String>();
		command.add(ProcessHandle.current().info().command().orElse("java"));
		command.add("-cp");
		command.add(System.getProperty("java.class.path"));
		command.add(Cli.class.getName());
		command.addAll(List.of(args));
		command.addAll(settings(clock));
		return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
	}

	static final String T0 = "2026-06-01T12:00:00Z";

	@Test
	void killingTheServiceWhileRequestsArriveAndTheDelivererWhileItSendsLosesNothing() throws Exception {
		String out = custodia(T0, "tenant", "create", "acme", "--policy", "examples/policies/imengine.yaml");
		String key = out.substring(out.indexOf("cst_")).strip();

		int port;
		try (var socket = new ServerSocket(0)) {
			port = socket.getLocalPort();
		}
		Process service = child(T0, "serve", "--port", Integer.toString(port));
		var http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
		String base = "http://127.0.0.1:" + port;
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
		while (true) {
			try {
				if (http.send(HttpRequest.newBuilder(URI.create(base + "/actuator/health")).build(), HttpResponse.BodyHandlers.discarding())
					.statusCode() == 200) {
					break;
				}
			}
			catch (IOException notYet) {
				// starting
			}
			assertThat(System.nanoTime()).as("the service started").isLessThan(deadline);
			Thread.sleep(250);
		}

		var hook = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/webhooks/staff_suppliers"))
			.header("Authorization", "Bearer " + key)
			.header("Content-Type", "application/json")
			.PUT(HttpRequest.BodyPublishers.ofString("{\"url\": \"http://127.0.0.1:" + receiver.getAddress().getPort() + "/hooks\"}"))
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(hook.statusCode()).as(hook.body()).isEqualTo(200);

		// requests come in and are fulfilled until the service dies under them; only acknowledged ones count
		var submitted = new CopyOnWriteArrayList<String>();
		var fulfilled = new CopyOnWriteArrayList<String>();
		var worker = new Thread(() -> {
			try {
				for (int i = 0; i < 1000; i++) {
					String email = "person" + i + "@example.test";
					JsonNode subject = post(http, base + "/api/v1/subjects", key, "{\"identifiers\": {\"email\": \"" + email + "\"}}");
					String subjectId = subject.get("id").asString();
					post(http, base + "/api/v1/subjects/" + subjectId + "/records", key,
							"{\"activity\": \"recruitment\", \"category\": \"identity_contact\", \"fields\": {\"email\": \"" + email + "\"}}");
					String id = post(http, base + "/api/v1/requests", key, "{\"type\": \"erasure\", \"email\": \"" + email + "\"}")
						.get("id").asString();
					submitted.add(id);
					post(http, base + "/api/v1/requests/" + id + "/verification/manual", key,
							"{\"subject_id\": \"" + subjectId + "\", \"method\": \"id-document\", \"reason\": \"seen\"}");
					post(http, base + "/api/v1/requests/" + id + "/fulfilment", key, "{}");
					fulfilled.add(id);
				}
			}
			catch (IOException | InterruptedException | RuntimeException died) {
				// the service was killed
			}
		});
		worker.start();
		while (fulfilled.size() < 3 && worker.isAlive()) {
			Thread.sleep(20);
		}
		service.destroyForcibly();
		service.waitFor(30, TimeUnit.SECONDS);
		worker.join(30_000);
		assertThat(fulfilled).hasSizeGreaterThanOrEqualTo(3);

		// the deliverer is killed after its first message; the one in flight may go twice, with the same key
		receiverDelay = 300;
		Process deliverer = child(T0, "outbox", "deliver", "--tenant", "acme");
		try (var lines = new BufferedReader(new InputStreamReader(deliverer.getInputStream(), StandardCharsets.UTF_8))) {
			String line;
			while ((line = lines.readLine()) != null && !line.startsWith("delivered ")) {
				// wait for the first delivery
			}
			assertThat(line).as("the deliverer delivered something before it was killed").isNotNull();
		}
		deliverer.destroyForcibly();
		deliverer.waitFor(30, TimeUnit.SECONDS);
		receiverDelay = 0;
		// a message claimed by the killed deliverer waits out its five-minute lease
		custodia("2026-06-01T12:10:00Z", "outbox", "deliver", "--tenant", "acme");

		try (var context = ServiceContext.start(dir.resolve("data"), settings("2026-06-01T12:10:00Z").subList(2, 7))) {
			var jdbc = context.getBean(JdbcClient.class);
			Set<String> stored = new HashSet<>(jdbc.sql("select cast(id as varchar) from data_request where tenant_id = 'acme'").query(String.class).list());
			assertThat(stored).containsAll(submitted);
			Set<String> completed = new HashSet<>(jdbc.sql("select cast(id as varchar) from data_request where state = 'COMPLETED'").query(String.class).list());
			assertThat(completed).containsAll(fulfilled);
			assertThat(jdbc.sql("select count(*) from outbox_message where delivered_at is null").query(Integer.class).single())
				.as("every message delivered").isZero();
			Set<String> webhookIds = new HashSet<>(jdbc.sql("select cast(id as varchar) from outbox_message where kind = 'WEBHOOK'").query(String.class).list());
			assertThat(webhookIds).hasSize(completed.size());
			assertThat(received.stream().map(r -> r[0]).toList()).containsAll(webhookIds);
			assertThat(new HashSet<>(received.stream().map(r -> r[0]).toList())).isEqualTo(webhookIds);
			Set<String> notified = new HashSet<>();
			for (String[] call : received) {
				notified.add(JsonMapper.shared().readTree(call[1]).get("payload").get("request_id").asString());
			}
			assertThat(notified).containsAll(fulfilled);
			int mails = jdbc.sql("select count(*) from outbox_message where kind = 'EMAIL'").query(Integer.class).single();
			assertThat(mail.getReceivedMessages().length).as("codes and answers, each at least once").isGreaterThanOrEqualTo(mails);
			assertThat(mails).isGreaterThanOrEqualTo(submitted.size() + fulfilled.size());
		}
	}

	private static JsonNode post(HttpClient http, String url, String key, String json) throws IOException, InterruptedException {
		var response = http.send(HttpRequest.newBuilder(URI.create(url))
			.header("Authorization", "Bearer " + key)
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(json))
			.timeout(Duration.ofSeconds(30))
			.build(), HttpResponse.BodyHandlers.ofString());
		if (response.statusCode() >= 300) {
			throw new IllegalStateException("HTTP " + response.statusCode() + ": " + response.body());
		}
		return JsonMapper.shared().readTree(response.body());
	}

	@SuppressWarnings("unused")
	private static Map<String, String> none() {
		return Map.of();
	}
}

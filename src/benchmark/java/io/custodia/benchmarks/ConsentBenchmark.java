package io.custodia.benchmarks;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import io.custodia.CustodiaApplication;
import io.custodia.tenancy.ApiKeys;
import io.custodia.tenancy.ApiPrincipal;
import io.custodia.tenancy.Role;
import io.custodia.tenancy.TenantManagement;

/**
 * Consent receipts over HTTP on loopback against a baseline endpoint of the same server that does one plain
 * JDBC insert of the request body, both behind the same API-key filter, on the embedded database. A closed-loop
 * load generator (java.net.http, one platform thread per connection) drives each for a warm-up and a measured
 * period. Reports requests per second, p50/p99 latency, and whether the receipts stored equal those
 * acknowledged. Arguments: seconds connections.
 *
 * <p>The baseline endpoint is in this benchmark source set only, and is switched on by a property: it does
 * not exist in the product.
 */
public final class ConsentBenchmark {

	static final String TENANT = "bench";

	/** One plain insert per request, the floor any endpoint that stores something pays. */
	@RestController
	@ConditionalOnProperty("custodia.benchmark.baseline")
	static class Baseline {

		private final JdbcClient jdbc;

		Baseline(JdbcClient jdbc) {
			this.jdbc = jdbc;
			jdbc.sql("create table if not exists benchmark_baseline (id uuid primary key, tenant_id varchar(63) not null, "
					+ "body varchar(4000) not null, at timestamp with time zone not null)").update();
		}

		@PostMapping("/api/v1/benchmark/baseline")
		ResponseEntity<Map<String, String>> insert(@AuthenticationPrincipal ApiPrincipal caller, @RequestBody String body) {
			UUID id = UUID.randomUUID();
			jdbc.sql("insert into benchmark_baseline (id, tenant_id, body, at) values (?, ?, ?, ?)")
				.params(id, caller.tenantId(), body, OffsetDateTime.now(ZoneOffset.UTC))
				.update();
			return ResponseEntity.status(201).body(Map.of("id", id.toString()));
		}
	}

	record Result(String name, long ok, long failed, double seconds, long[] latenciesMicros) {

		double rate() {
			return ok / seconds;
		}

		double percentileMillis(double p) {
			if (latenciesMicros.length == 0) {
				return Double.NaN;
			}
			return latenciesMicros[(int) Math.min(latenciesMicros.length - 1, Math.ceil(p * latenciesMicros.length) - 1)] / 1000.0;
		}
	}

	public static void main(String[] args) throws Exception {
		int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 20;
		int connections = args.length > 1 ? Integer.parseInt(args[1]) : 16;
		Path dir = Files.createTempDirectory("custodia-consent-bench");
		System.out.printf("ConsentBenchmark: %d s per endpoint after %d s warm-up, %d connections, H2 file database in %s, %d cores, %s%n",
				seconds, Math.max(3, seconds / 4), connections, dir, Runtime.getRuntime().availableProcessors(),
				System.getProperty("java.version"));
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(CustodiaApplication.class, Baseline.class)
			.logStartupInfo(false)
			.run("--server.port=0", "--custodia.data-dir=" + dir.resolve("data"),
					"--custodia.keys.root=" + dir.resolve("keys/root.json"), "--custodia.benchmark.baseline=true",
					"--logging.level.root=WARN", "--server.tomcat.threads.max=" + Math.max(32, connections * 2))) {
			context.getBean(TenantManagement.class).create(TENANT, "imig.yaml", Files.readString(Path.of("examples/policies/imig.yaml")));
			String key = context.getBean(ApiKeys.class).issue(TENANT, Role.APPLICATION, "benchmark").token();
			int port = ((WebServerApplicationContext) context).getWebServer().getPort();
			JdbcClient jdbc = context.getBean(JdbcClient.class);
			var http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

			var baseline = load("baseline (one JDBC insert)", http, port, "/api/v1/benchmark/baseline", key, seconds, connections);
			print(baseline);
			long before = count(jdbc);
			AtomicLong acknowledged = new AtomicLong();
			var consent = load("consent receipt", http, port, "/api/v1/consents", key, seconds, connections, acknowledged);
			print(consent);
			long stored = count(jdbc) - before;
			System.out.printf("consent receipts: acknowledged %,d, stored %,d: %s%n", acknowledged.get(), stored,
					acknowledged.get() == stored ? "equal" : "DIFFERENT");
			System.out.printf("ratio consent / baseline: %.2f (target >= 0.5); consent p99 %.1f ms (target < 50 ms)%n",
					consent.rate() / baseline.rate(), consent.percentileMillis(0.99));
		}
	}

	static Result load(String name, HttpClient http, int port, String path, String key, int seconds, int connections)
			throws InterruptedException {
		return load(name, http, port, path, key, seconds, connections, new AtomicLong());
	}

	/** Warm-up, then the measured period; every 201 of either phase counts as acknowledged. */
	static Result load(String name, HttpClient http, int port, String path, String key, int seconds, int connections,
			AtomicLong acknowledged) throws InterruptedException {
		long warmUpEnd = System.nanoTime() + Math.max(3, seconds / 4) * 1_000_000_000L;
		long end = warmUpEnd + seconds * 1_000_000_000L;
		var latencies = new ArrayList<long[]>();
		var counts = new long[connections][2];
		var done = new CountDownLatch(connections);
		for (int c = 0; c < connections; c++) {
			int connection = c;
			long[] mine = new long[200_000];
			latencies.add(mine);
			new Thread(() -> {
				int n = 0;
				try {
					while (true) {
						long start = System.nanoTime();
						if (start >= end) {
							break;
						}
						String body = "{\"visitor_id\": \"" + UUID.randomUUID() + "\", \"purposes\": [\"analytics\"], "
								+ "\"cookie_categories\": [\"preferences\"], \"method\": \"banner\", \"language\": \"de\", "
								+ "\"how\": {\"action\": \"clicked accept all\"}}";
						int status;
						try {
							status = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
								.header("Authorization", "Bearer " + key)
								.header("Content-Type", "application/json")
								.header("User-Agent", "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Firefox/140.0")
								.POST(HttpRequest.BodyPublishers.ofString(body))
								.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
						}
						catch (Exception ex) {
							status = -1;
						}
						long took = System.nanoTime() - start;
						if (status == 201) {
							acknowledged.incrementAndGet();
						}
						if (start >= warmUpEnd) {
							if (status == 201) {
								counts[connection][0]++;
								if (n < mine.length) {
									mine[n++] = took / 1000;
								}
							}
							else {
								counts[connection][1]++;
							}
						}
					}
				}
				finally {
					mine[mine.length - 1] = n;
					done.countDown();
				}
			}, "load-" + c).start();
		}
		done.await();
		long ok = Arrays.stream(counts).mapToLong(c -> c[0]).sum();
		long failed = Arrays.stream(counts).mapToLong(c -> c[1]).sum();
		long[] all = latencies.stream()
			.flatMapToLong(l -> Arrays.stream(l, 0, (int) l[l.length - 1]))
			.sorted()
			.toArray();
		return new Result(name, ok, failed, seconds, all);
	}

	static void print(Result result) {
		System.out.printf("%-28s %,10d ok %,6d failed  %,9.0f req/s  p50 %6.1f ms  p99 %6.1f ms%n", result.name(), result.ok(),
				result.failed(), result.rate(), result.percentileMillis(0.5), result.percentileMillis(0.99));
	}

	static long count(JdbcClient jdbc) {
		return jdbc.sql("select count(*) from consent_receipt where tenant_id = ?").param(TENANT).query(Long.class).single();
	}

	private ConsentBenchmark() {
	}

}

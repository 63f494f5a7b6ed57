package io.custodia.benchmarks;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import io.custodia.CustodiaApplication;
import io.custodia.activity.ActivityEvent;
import io.custodia.activity.ActivityLog;
import io.custodia.activity.EventType;
import io.custodia.tenancy.TenantManagement;

import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.prf.PredefinedPrfParameters;
import com.google.crypto.tink.prf.PrfConfig;
import com.google.crypto.tink.prf.PrfSet;

/**
 * Activity ingest against the bare keyed HMAC in the same JVM and run: the whole ingest path (checking, normalising,
 * four keyed pseudonyms per event with the month's key, one segment per batch of 1,000 written into the H2 file
 * database, one transaction and one audit entry per batch) against computing the same four HMAC-SHA256 PRFs per
 * event with a Tink PRF keyset and nothing else. Each side runs {@code rounds} times over the same events,
 * alternating, after one warm-up round of each that is printed but not counted; the best round of each counts. For context: the keying alone, a plain JDBC insert of one row per
 * event (the storage before segments), and a support look-up of one user over the month that was ingested.
 * Arguments: events rounds.
 */
public final class ActivityBenchmark {

	static final String TENANT = "bench";

	public static void main(String[] args) throws Exception {
		int events = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
		int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
		Path dir = Files.createTempDirectory("custodia-activity-bench");
		System.out.printf("ActivityBenchmark: %,d events x %d rounds, H2 file database in %s, max heap %d MiB, Java %s, %d cpus%n",
				events, rounds, dir, Runtime.getRuntime().maxMemory() >> 20, System.getProperty("java.version"),
				Runtime.getRuntime().availableProcessors());
		List<ActivityEvent> all = events(events);
		PrfConfig.register();
		PrfSet bare = KeysetHandle.generateNew(PredefinedPrfParameters.HMAC_SHA256_PRF)
			.getPrimitive(RegistryConfiguration.get(), PrfSet.class);
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(CustodiaApplication.class)
			.web(WebApplicationType.NONE)
			.logStartupInfo(false)
			.run("--custodia.data-dir=" + dir.resolve("data"), "--custodia.keys.root=" + dir.resolve("keys/root.json"),
					"--custodia.clock=2026-06-01T12:00:00Z", "--logging.level.root=WARN")) {
			context.getBean(TenantManagement.class).create(TENANT, "imk.yaml",
					Files.readString(Path.of("examples/policies/imk.yaml")));
			ActivityLog log = context.getBean(ActivityLog.class);
			DataSource dataSource = context.getBean(DataSource.class);
			// a warm-up round of every path, as measured but not counted: the ingest path has far more code for the
			// JIT to compile than the bare HMAC, and its first rounds measured that compilation rather than the path
			double warmHmac = hmacRate(bare, all);
			double warmPseudonymise = pseudonymiseRate(log, all);
			double warmIngest = ingestRate(log, all);
			double warmPlain = plainInsertRate(dataSource, all);
			System.out.printf("warm-up (not counted): bare keyed HMAC %,.0f events/s; pseudonymisation %,.0f events/s (ratio %.2f); "
					+ "ingest %,.0f events/s (ratio %.2f); plain insert %,.0f rows/s%n", warmHmac, warmPseudonymise,
					warmPseudonymise / warmHmac, warmIngest, warmIngest / warmHmac, warmPlain);
			double bestHmac = 0;
			double bestPseudonymise = 0;
			double bestIngest = 0;
			double bestPlain = 0;
			for (int round = 1; round <= rounds; round++) {
				double hmac = hmacRate(bare, all);
				double pseudonymise = pseudonymiseRate(log, all);
				double ingest = ingestRate(log, all);
				double plain = plainInsertRate(dataSource, all);
				System.out.printf("round %d: bare keyed HMAC (4 per event) %,.0f events/s (%,.0f HMACs/s); pseudonymisation "
						+ "%,.0f events/s (ratio %.2f); ingest into the database %,.0f events/s (ratio %.2f); plain JDBC batch "
						+ "insert of the same rows %,.0f rows/s (ingest/plain %.2f)%n", round, hmac, hmac * 4, pseudonymise,
						pseudonymise / hmac, ingest, ingest / hmac, plain, ingest / plain);
				bestHmac = Math.max(bestHmac, hmac);
				bestPseudonymise = Math.max(bestPseudonymise, pseudonymise);
				bestIngest = Math.max(bestIngest, ingest);
				bestPlain = Math.max(bestPlain, plain);
			}
			System.out.printf("best: bare keyed HMAC %,.0f events/s; pseudonymisation %,.0f events/s, ratio %.2f; ingest %,.0f events/s, "
					+ "ratio %.2f (required: at least 0.40); plain insert %,.0f rows/s, ingest/plain %.2f%n", bestHmac, bestPseudonymise,
					bestPseudonymise / bestHmac, bestIngest, bestIngest / bestHmac, bestPlain, bestIngest / bestPlain);
			lookUp(log, context.getBean(DataSource.class));
		}
	}

	/** A month of events of 2,000 users on 2,000 hosts: logins, product starts and ends, logouts. */
	static List<ActivityEvent> events(int count) {
		var list = new ArrayList<ActivityEvent>(count);
		Instant base = Instant.parse("2026-05-01T06:00:00Z");
		EventType[] types = EventType.values();
		for (int i = 0; i < count; i++) {
			int user = i % 2000;
			EventType type = types[(i / 2000) % types.length];
			list.add(new ActivityEvent(type, base.plusSeconds(i * 11L % 2_500_000), "User." + user, "10." + (user >> 8) + "."
					+ (user & 255) + ".7", "WKS-" + user + ".plant.example", String.format("02:00:00:00:%02x:%02x", user >> 8, user & 255),
					type == EventType.LOGIN || type == EventType.LOGOUT ? "Firefox" : null,
					type == EventType.LOGIN || type == EventType.LOGOUT ? "128.0" : null,
					type == EventType.PRODUCT_START || type == EventType.PRODUCT_END ? "ema Work Designer" : null));
		}
		return list;
	}

	/** The baseline: the four keyed HMACs an event needs, over the same values, and nothing else. */
	static double hmacRate(PrfSet prf, List<ActivityEvent> events) throws Exception {
		long sink = 0;
		long start = System.nanoTime();
		for (ActivityEvent event : events) {
			sink += prf.computePrimary(("USER\u0000" + event.userName()).getBytes(StandardCharsets.UTF_8), 12)[0];
			sink += prf.computePrimary(("IP\u0000" + event.ipAddress()).getBytes(StandardCharsets.UTF_8), 12)[0];
			sink += prf.computePrimary(("HOST\u0000" + event.hostName()).getBytes(StandardCharsets.UTF_8), 12)[0];
			sink += prf.computePrimary(("MAC\u0000" + event.macAddress()).getBytes(StandardCharsets.UTF_8), 12)[0];
		}
		double seconds = (System.nanoTime() - start) / 1e9;
		if (sink == 42) {
			System.out.print("");
		}
		return events.size() / seconds;
	}

	/** Checking, normalising and keying each event as ingest does (ActivityLog.prepareAll, batches of 1,000), without writing. */
	static double pseudonymiseRate(ActivityLog log, List<ActivityEvent> events) {
		long start = System.nanoTime();
		int sink = 0;
		for (int from = 0; from < events.size(); from += 1000) {
			sink += log.prepareAll(TENANT, events.subList(from, Math.min(events.size(), from + 1000))).size();
		}
		double seconds = (System.nanoTime() - start) / 1e9;
		if (sink == -1) {
			System.out.print("");
		}
		return events.size() / seconds;
	}

	static int plainTable;

	/**
	 * The raw storage baseline of one row per event, as the log stored events before segments: the same number of
	 * rows with values shaped like the stored ones (a period, the type, the time, the labels and four 27-character
	 * pseudonym strings), JDBC batches of 1,000, one commit per batch, into a table of the old activity_event's
	 * shape and indexes, with no keying, no checks and no audit.
	 */
	static double plainInsertRate(DataSource dataSource, List<ActivityEvent> events) throws Exception {
		String table = "bench_activity_" + (plainTable++);
		try (Connection connection = dataSource.getConnection()) {
			connection.createStatement().execute("create table " + table + " (id bigint generated by default as identity primary key, "
					+ "tenant_id varchar(63) not null, period varchar(7) not null, kind varchar(16) not null, occurred_at timestamp "
					+ "with time zone not null, product varchar(100), browser_name varchar(100), browser_version varchar(50), "
					+ "user_pseudonym varchar(40), ip_pseudonym varchar(40), host_pseudonym varchar(40), mac_pseudonym varchar(40), "
					+ "received_at timestamp with time zone not null)");
			connection.createStatement().execute("create index " + table + "_user on " + table + " (tenant_id, period, user_pseudonym)");
			connection.createStatement().execute("create index " + table + "_time on " + table + " (tenant_id, occurred_at)");
			connection.setAutoCommit(false);
			long start = System.nanoTime();
			try (PreparedStatement insert = connection.prepareStatement("insert into " + table + " (tenant_id, period, kind, "
					+ "occurred_at, product, browser_name, browser_version, user_pseudonym, ip_pseudonym, host_pseudonym, "
					+ "mac_pseudonym, received_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
				OffsetDateTime received = OffsetDateTime.now(ZoneOffset.UTC);
				int n = 0;
				for (ActivityEvent event : events) {
					insert.setString(1, TENANT);
					insert.setString(2, "2026-05");
					insert.setString(3, event.type().wire());
					insert.setObject(4, OffsetDateTime.ofInstant(event.at(), ZoneOffset.UTC));
					insert.setString(5, event.product());
					insert.setString(6, event.browserName());
					insert.setString(7, event.browserVersion());
					insert.setString(8, pad("u-", event.userName()));
					insert.setString(9, pad("ip-", event.ipAddress()));
					insert.setString(10, pad("h-", event.hostName()));
					insert.setString(11, pad("m-", event.macAddress()));
					insert.setObject(12, received);
					insert.addBatch();
					if (++n % 1000 == 0) {
						insert.executeBatch();
						connection.commit();
					}
				}
				insert.executeBatch();
				connection.commit();
			}
			double seconds = (System.nanoTime() - start) / 1e9;
			connection.setAutoCommit(true);
			connection.createStatement().execute("drop table " + table);
			return events.size() / seconds;
		}
	}

	/** A string of a pseudonym's length that differs per value, as the stored ones do. */
	private static String pad(String prefix, String value) {
		String hex = Integer.toHexString(value.hashCode());
		return prefix + (hex + "000000000000000000000000").substring(0, 24);
	}

	/**
	 * Support's look-up of one user over the month everything was ingested in: the user name keyed once, the Bloom
	 * filters of the month's segments read, and only the segments that may hold the user decoded.
	 */
	static void lookUp(ActivityLog log, DataSource dataSource) throws Exception {
		long segments;
		long stored;
		try (Connection connection = dataSource.getConnection();
				var result = connection.createStatement().executeQuery("select count(*), sum(events), sum(octet_length(data)), "
						+ "sum(octet_length(user_bloom)) from activity_segment where tenant_id = '" + TENANT + "'")) {
			result.next();
			segments = result.getLong(1);
			stored = result.getLong(2);
			System.out.printf("stored: %,d events in %,d segments, %.1f bytes per event and %.1f bytes of Bloom filter per event%n",
					stored, segments, result.getDouble(3) / stored, result.getDouble(4) / stored);
		}
		int lookUps = 20;
		int found = 0;
		log.findByUser(TENANT, "User.1", YearMonth.of(2026, 5), YearMonth.of(2026, 5), "benchmark");
		long start = System.nanoTime();
		for (int i = 0; i < lookUps; i++) {
			found += log.findByUser(TENANT, "User." + (i * 97 % 2000), YearMonth.of(2026, 5), YearMonth.of(2026, 5), "benchmark").size();
		}
		double ms = (System.nanoTime() - start) / 1e6 / lookUps;
		System.out.printf("support look-up of one user over the month: %.1f ms on average (%,d events found per look-up, of %,d)%n", ms,
				found / lookUps, stored);
	}

	static double ingestRate(ActivityLog log, List<ActivityEvent> events) {
		long start = System.nanoTime();
		var report = log.ingest(TENANT, events, "benchmark");
		double seconds = (System.nanoTime() - start) / 1e9;
		if (report.stored() != events.size()) {
			throw new IllegalStateException("stored " + report.stored() + " of " + events.size() + ": "
					+ report.errors().stream().limit(3).toList());
		}
		return events.size() / seconds;
	}
}

package io.custodia.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import javax.sql.DataSource;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import io.custodia.CustodiaApplication;
import io.custodia.licensing.Lease;
import io.custodia.licensing.LicensingException;
import io.custodia.licensing.LicensingManagement;
import io.custodia.tenancy.TenantManagement;

/**
 * Floating licences under load: {@code leases} active leases (10 products with 10 % spare seats each) renewed by
 * heartbeat once a minute each (spread evenly), while checkouts and check-ins go on; checkout latency (release of
 * expired leases, free seat taken by a conditional update, holder sealed, product start pseudonymised into the
 * activity log, token signed) is measured through LicensingManagement on the H2 file database, against a bare
 * single-row JDBC update of the seat table in the same run. Arguments: leases seconds.
 */
public final class LicensingBenchmark {

	static final String TENANT = "bench";

	static final int PRODUCTS = 10;

	public static void main(String[] args) throws Exception {
		int leases = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
		int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 60;
		Path dir = Files.createTempDirectory("custodia-licensing-bench");
		System.out.printf("LicensingBenchmark: %,d active leases renewed every minute, %d s of steady state, H2 file database in %s, "
				+ "max heap %d MiB, Java %s, %d cpus%n", leases, seconds, dir, Runtime.getRuntime().maxMemory() >> 20,
				System.getProperty("java.version"), Runtime.getRuntime().availableProcessors());
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(CustodiaApplication.class)
			.web(WebApplicationType.NONE)
			.logStartupInfo(false)
			.run("--custodia.data-dir=" + dir.resolve("data"), "--custodia.keys.root=" + dir.resolve("keys/root.json"),
					"--logging.level.root=WARN")) {
			context.getBean(TenantManagement.class).create(TENANT, "imk.yaml",
					Files.readString(Path.of("examples/policies/imk.yaml")));
			var licensing = context.getBean(LicensingManagement.class);
			int perProduct = leases / PRODUCTS;
			Instant now = Instant.now();
			for (int p = 0; p < PRODUCTS; p++) {
				licensing.grant(TENANT, "product-" + p, perProduct + perProduct / 10, now.minusSeconds(3600),
						now.plusSeconds(86_400), "benchmark");
			}
			var random = new Random(7);
			// 1. fill: every lease checked out once
			var active = new CopyOnWriteArrayList<Lease>();
			double[] fill = new double[leases];
			for (int i = 0; i < leases; i++) {
				long t = System.nanoTime();
				active.add(licensing.checkout(TENANT, "product-" + (i % PRODUCTS), holder(i)));
				fill[i] = (System.nanoTime() - t) / 1e6;
			}
			System.out.printf("fill: %,d checkouts, p50 %.3f ms, p99 %.3f ms, max %.3f ms%n", leases, percentile(fill, 50),
					percentile(fill, 99), percentile(fill, 100));

			// 2. steady state: every lease renewed once a minute, spread evenly; meanwhile check-in and checkout again
			var stop = new AtomicBoolean();
			var heartbeats = new AtomicLong();
			var heartbeatTimes = new ConcurrentLinkedQueue<Double>();
			Thread heartbeat = new Thread(() -> {
				long intervalNanos = TimeUnit.MINUTES.toNanos(1) / leases;
				long next = System.nanoTime();
				int i = 0;
				while (!stop.get()) {
					Lease lease = active.get(i++ % active.size());
					long t = System.nanoTime();
					try {
						licensing.heartbeat(TENANT, lease.leaseId());
						heartbeats.incrementAndGet();
						heartbeatTimes.add((System.nanoTime() - t) / 1e6);
					}
					catch (LicensingException ex) {
						// checked in meanwhile by the churn below
					}
					next += intervalNanos;
					long sleep = next - System.nanoTime();
					if (sleep > 0) {
						try {
							TimeUnit.NANOSECONDS.sleep(sleep);
						}
						catch (InterruptedException ex) {
							return;
						}
					}
				}
			}, "heartbeats");
			heartbeat.start();
			var checkouts = new ArrayList<Double>();
			long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
			int churn = 0;
			while (System.nanoTime() < end) {
				int index = random.nextInt(active.size());
				Lease old = active.get(index);
				licensing.checkin(TENANT, old.leaseId());
				long t = System.nanoTime();
				Lease fresh = licensing.checkout(TENANT, old.product(), holder(leases + churn++));
				checkouts.add((System.nanoTime() - t) / 1e6);
				active.set(index, fresh);
				Thread.sleep(20);
			}
			stop.set(true);
			heartbeat.join();
			double[] steady = checkouts.stream().mapToDouble(Double::doubleValue).toArray();
			double[] beats = heartbeatTimes.stream().mapToDouble(Double::doubleValue).toArray();
			double[] bare = bareUpdates(context.getBean(DataSource.class), active, 2000);
			System.out.printf("steady state over %d s: %,d heartbeats (%.0f/s, p99 %.3f ms); %,d checkouts with %,d leases active: "
					+ "p50 %.3f ms, p99 %.3f ms, max %.3f ms (required: p99 under 20 ms); bare single-row JDBC update of a seat: "
					+ "p50 %.3f ms, p99 %.3f ms; checkout p99 / bare p99 %.1f%n", seconds, heartbeats.get(),
					heartbeats.get() / (double) seconds, percentile(beats, 99), steady.length, leases, percentile(steady, 50),
					percentile(steady, 99), percentile(steady, 100), percentile(bare, 50), percentile(bare, 99),
					percentile(steady, 99) / percentile(bare, 99));
		}
	}

	static LicensingManagement.Holder holder(int i) {
		return new LicensingManagement.Holder("user." + i, "ws-" + i + ".plant.example", "10.1." + (i >> 8 & 255) + "." + (i & 255), null);
	}

	/** The raw baseline: renewing a lease by a bare prepared update by lease id, autocommit, no service around it. */
	static double[] bareUpdates(DataSource dataSource, List<Lease> leases, int count) throws Exception {
		double[] times = new double[count];
		var random = new Random(11);
		try (Connection connection = dataSource.getConnection();
				PreparedStatement update = connection.prepareStatement("update licence_seat set expires_at = ? where lease_id = ?")) {
			for (int i = 0; i < count; i++) {
				long t = System.nanoTime();
				update.setObject(1, OffsetDateTime.now(ZoneOffset.UTC).plusMinutes(5));
				update.setObject(2, leases.get(random.nextInt(leases.size())).leaseId());
				update.executeUpdate();
				times[i] = (System.nanoTime() - t) / 1e6;
			}
		}
		return times;
	}

	static double percentile(double[] values, double p) {
		double[] sorted = values.clone();
		Arrays.sort(sorted);
		if (sorted.length == 0) {
			return Double.NaN;
		}
		int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
		return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
	}

}

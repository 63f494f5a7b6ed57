package io.custodia.benchmarks;

import java.io.IOException;
import java.io.Reader;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import javax.sql.DataSource;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import io.custodia.CustodiaApplication;
import io.custodia.records.BulkImport;
import io.custodia.records.RecordManagement;
import io.custodia.retention.RetentionRuns;
import io.custodia.tenancy.TenantManagement;

/**
 * The personal-data store's whole paths against raw baselines in the same run, on the same embedded database:
 * import against a plain JDBC batch insert of the same rows unencrypted into one table; reading a subject's
 * records by e-mail (audit entry included) against a bare indexed read; erasure; a retention run over every
 * record against a plain SQL delete. Arguments: records subjects.
 */
public final class StoreBenchmark {

	static final String TENANT = "bench";


	public static void main(String[] args) throws Exception {
		int records = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
		int subjects = args.length > 1 ? Integer.parseInt(args[1]) : records / 4;
		String importIn = System.getProperty("benchmark.import", "command");
		if (!List.of("command", "service").contains(importIn)) {
			throw new IllegalArgumentException("-Dbenchmark.import=" + importIn + ": use command (the default) or service");
		}
		// -Dbenchmark.dir=DIR keeps the database: a second run against the same DIR skips the import and measures
		// reads and erasures only (for working on them; the figures in docs/benchmarks.md come from fresh runs)
		String kept = System.getProperty("benchmark.dir");
		Path dir = kept == null ? Files.createTempDirectory("custodia-bench") : Files.createDirectories(Path.of(kept));
		// written once the import has finished, removed before a retention run empties the database
		Path imported = dir.resolve("imported");
		boolean reused = Files.exists(imported);
		if (reused && !Files.readString(imported).equals(records + " " + subjects)) {
			throw new IllegalArgumentException(dir + " holds an import of " + Files.readString(imported) + " (records subjects), not "
					+ records + " " + subjects);
		}
		if (!reused && Files.exists(dir.resolve("data"))) {
			throw new IllegalArgumentException(dir + " holds a database that cannot be measured again (its import did not "
					+ "finish, or a retention run emptied it); use another directory");
		}
		String database = System.getProperty("spring.datasource.url", "H2 file database in " + dir);
		System.out.printf("StoreBenchmark: %,d records of %,d subjects, %s, max heap %d MiB, %s%n", records, subjects,
				database, Runtime.getRuntime().maxMemory() >> 20, System.getProperty("java.version"));
		// the import runs as `custodia import` runs it (-Dbenchmark.import=command, the default): in a JVM of its own,
		// with this one's heap limit and the collector bin/custodia gives every command but serve; the reads, erasures
		// and the retention run are then measured here, in the service's configuration, on the database it left.
		// -Dbenchmark.import=service imports in this JVM instead, as an import through a running service's API does
		boolean importHere = !reused && importIn.equals("service");
		if (!reused && !importHere) {
			importInAJvmOfItsOwn(dir, records, subjects);
			if (Boolean.getBoolean("benchmark.importOnly")) {
				return;
			}
		}
		int importWarmUp = Integer.getInteger("benchmark.importWarmUp", 100_000);
		if (importHere && importWarmUp > 0) {
			warmUpImports(dir.resolve("warm-up"), importWarmUp);
		}
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(CustodiaApplication.class)
			.web(WebApplicationType.NONE)
			.logStartupInfo(false)
			// outside the embedded default (e.g. on PostgreSQL) no root keyset is generated: -Dbenchmark.rootKey=FILE
			.run("--custodia.data-dir=" + dir.resolve("data"),
					"--custodia.keys.root=" + System.getProperty("benchmark.rootKey", dir.resolve("keys/root.json").toString()),
					"--custodia.clock=2026-06-01T12:00:00Z", "--logging.level.root=WARN")) {
			DataSource dataSource = context.getBean(DataSource.class);
			// each figure is printed when it is measured: a long run that fails later still reports what it got
			java.util.function.Consumer<String> results = line -> {
				System.out.println(line);
				System.out.flush();
			};

			if (importHere) {
				context.getBean(TenantManagement.class).create(TENANT, "imengine.yaml",
						Files.readString(Path.of("examples/policies/imengine.yaml")));
				importAll(context, dataSource, records, subjects, results);
				Files.writeString(imported, records + " " + subjects);
				if (Boolean.getBoolean("benchmark.importOnly")) {
					// for profiling the import alone (-Dbenchmark.importOnly=true)
					return;
				}
			}
			// subjects erased by an earlier run against the same database are the highest numbered: not read again
			int erasedBefore = (int) count(dataSource, "select count(*) from subject where tenant_id = 'bench' and erased_at is not null");
			int live = subjects - erasedBefore;
			int eraseWarmUp = Integer.getInteger("benchmark.eraseWarmUp", 2_000);
			if (live < eraseWarmUp + 1000 + 1) {
				throw new IllegalArgumentException("only " + live + " subjects left to read and erase; the erasures need "
						+ (eraseWarmUp + 1000) + " and the reads some more");
			}

			// 2. reading all records of one subject found by e-mail, audit entries included
			var store = context.getBean(RecordManagement.class);
			var random = new Random(42);
			// warm-up, not measured: the JIT compiles the read path and H2 pages its indexes in, as in a service
			// that has been running. 150,000 reads: after 10,000, and still after 40,000, the JIT's second tier was
			// compiling for most of the measured reads, on one of the two cores (60-70 % of it, per-thread CPU read
			// from /proc), and the reads it delayed set the p99 (docs/benchmarks.md, sessions 5 and 9). Among
			// 1,000,000 subjects they also fill the key cache, so that its evictions are measured as in a service
			var warmUp = new Random(7);
			for (int i = 0; i < Integer.getInteger("benchmark.warmUp", 150_000); i++) {
				var subject = store.findOrCreateSubject(TENANT, Map.of("email", "person" + warmUp.nextInt(live) + "@example.test"), "benchmark");
				store.recordsOf(TENANT, subject.id(), "benchmark");
			}
			double[] read = new double[5000];
			boolean[] readInGc = new boolean[read.length];
			for (int i = 0; i < read.length; i++) {
				String email = "person" + random.nextInt(live) + "@example.test";
				long gcs = collections();
				long t = System.nanoTime();
				var subject = store.findOrCreateSubject(TENANT, Map.of("email", email), "benchmark");
				var found = store.recordsOf(TENANT, subject.id(), "benchmark");
				read[i] = (System.nanoTime() - t) / 1e6;
				readInGc[i] = collections() != gcs;
				if (found.isEmpty()) {
					throw new IllegalStateException("no records for a known subject");
				}
			}
			double[] bare = bareRead(dataSource, subjects, random);
			results.accept(String.format("read one subject's records by e-mail (audited): p50 %.3f ms, p99 %.3f ms; bare indexed read p99 %.3f ms",
					percentile(read, 50), percentile(read, 99), percentile(bare, 99)));
			results.accept(String.format("  (diagnostic: %d of %d reads had a garbage collection in them; p99 of the others %.3f ms)",
					count(readInGc), read.length, percentile(without(read, readInGc), 99)));

			// 3. erasure, audit entry included. Warmed up like the reads (its own code: the deletes, the key's
			// destruction, the erasure ledger), on the highest-numbered subjects, which no measured erasure uses.
			for (int i = 0; i < eraseWarmUp; i++) {
				var subject = store.findOrCreateSubject(TENANT, Map.of("email", "person" + (live - 1 - i) + "@example.test"), "benchmark");
				store.eraseSubject(TENANT, subject.id(), "benchmark", "benchmark");
			}
			// the floor under an erasure: its erasure-ledger line must be on disk before the erasure commits. One
			// forced append of a line of the same size to a file on the same disk after each erasure, so the floor
			// is measured under the same conditions (the database's own writes and frees going on) as the erasures
			double[] erase = new double[1000];
			double[] forced = new double[erase.length];
			boolean[] eraseInGc = new boolean[erase.length];
			try (var baseline = new ForcedAppends(dir.resolve("fsync-baseline.log"))) {
				for (int i = 0; i < erase.length; i++) {
					String email = "person" + (live - 1 - eraseWarmUp - i) + "@example.test";
					var subject = store.findOrCreateSubject(TENANT, Map.of("email", email), "benchmark");
					long gcs = collections();
					long t = System.nanoTime();
					store.eraseSubject(TENANT, subject.id(), "benchmark", "benchmark");
					erase[i] = (System.nanoTime() - t) / 1e6;
					eraseInGc[i] = collections() != gcs;
					forced[i] = baseline.next();
				}
			}
			results.accept(String.format("erase one subject (key destroyed, audited): p50 %.3f ms, p99 %.3f ms; forced append of one "
					+ "ledger-sized line (raw fsync) p50 %.3f ms, p99 %.3f ms", percentile(erase, 50), percentile(erase, 99),
					percentile(forced, 50), percentile(forced, 99)));
			results.accept(String.format("  (diagnostic: %d of %d erasures had a garbage collection in them; p99 of the others %.3f ms)",
					count(eraseInGc), erase.length, percentile(without(erase, eraseInGc), 99)));

			if (reused || !Boolean.parseBoolean(System.getProperty("benchmark.retention", "true"))) {
				// reads and erasures among as many subjects as records (-Dbenchmark.retention=false): the run stops here
				return;
			}
			// 4. a retention run over every record (all due) against a plain delete of the same number of rows;
			// it empties the database, which cannot be used again after it
			Files.deleteIfExists(imported);
			long remaining = count(dataSource, "select count(*) from personal_record where tenant_id = 'bench'");
			long start = System.nanoTime();
			var run = context.getBean(RetentionRuns.class).run(TENANT, null, false, "benchmark");
			double retentionSeconds = (System.nanoTime() - start) / 1e9;
			start = System.nanoTime();
			int deleted;
			try (Connection connection = dataSource.getConnection()) {
				deleted = connection.createStatement().executeUpdate("delete from bench_plain");
			}
			double deleteSeconds = (System.nanoTime() - start) / 1e9;
			results.accept(String.format("retention run over %,d due records (%d acted on): %.1f s; plain SQL delete of %,d rows: %.2f s; ratio %.1f",
					remaining, run.items().size(), retentionSeconds, deleted, deleteSeconds, retentionSeconds / deleteSeconds));

		}
	}

	/**
	 * The collector {@code bin/custodia} runs every command but {@code serve} under (LauncherUnitTests checks the
	 * launcher's side): G1's concurrent marking takes a core the import's second thread needs.
	 */
	static final String COMMAND_COLLECTOR = "-XX:+UseParallelGC";

	/**
	 * 1, as {@code custodia import} runs it: this class again, importing only, in a JVM of its own with this one's
	 * heap limit and system properties (the database, the root key, the warm-up), the launcher's collector and
	 * {@code -Dbenchmark.importJvm=OPTIONS} if given (e.g. a flight recording of the import alone); it prints its
	 * figures and leaves the database in {@code dir}.
	 */
	static void importInAJvmOfItsOwn(Path dir, int records, int subjects) throws Exception {
		var command = new ArrayList<String>();
		command.add(ProcessHandle.current().info().command().orElse("java"));
		for (String option : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
			boolean ours = option.startsWith("-Dbenchmark.import=") || option.startsWith("-Dbenchmark.importOnly=")
					|| option.startsWith("-Dbenchmark.dir=") || option.startsWith("-Dbenchmark.importJvm=");
			if (option.startsWith("-Xmx") || (option.startsWith("-D") && !ours)) {
				command.add(option);
			}
		}
		command.add(COMMAND_COLLECTOR);
		String extra = System.getProperty("benchmark.importJvm", "").strip();
		if (!extra.isEmpty()) {
			command.addAll(Arrays.asList(extra.split("\\s+")));
		}
		command.addAll(List.of("-Dbenchmark.import=service", "-Dbenchmark.importOnly=true", "-Dbenchmark.dir=" + dir, "-cp",
				System.getProperty("java.class.path"), StoreBenchmark.class.getName(), String.valueOf(records),
				String.valueOf(subjects)));
		System.out.printf("  (the import, in a JVM of its own as bin/custodia starts `custodia import`: %s)%n", COMMAND_COLLECTOR);
		System.out.flush();
		Process child = new ProcessBuilder(command).inheritIO().start();
		if (child.waitFor() != 0) {
			throw new IllegalStateException("the import's JVM failed with exit code " + child.exitValue());
		}
	}

	/** 1. import against a plain batch insert of the same rows */
	static void importAll(ConfigurableApplicationContext context, DataSource dataSource, int records, int subjects,
			java.util.function.Consumer<String> results) throws Exception {
		double plainRate = plainInsert(dataSource, records, subjects);
		var heap = new HeapWatch();
		long start = System.nanoTime();
		var report = context.getBean(BulkImport.class).run(TENANT, new Lines(records, subjects), "benchmark", (l, s) -> {
		});
		double importSeconds = (System.nanoTime() - start) / 1e9;
		heap.close();
		long peakHeap = heap.peakMiB();
		if (report.stored() != records) {
			throw new IllegalStateException("stored " + report.stored() + " of " + records + ": " + report.errors().stream().limit(3).toList());
		}
		double importRate = records / importSeconds;
		results.accept(String.format("import: %,.0f records/s; plain JDBC batch insert: %,.0f rows/s; ratio %.2f; peak heap %d MiB",
				importRate, plainRate, importRate / plainRate, peakHeap));
	}

	/**
	 * Warm-up, not measured: both import paths once, in a service and an embedded database of their own, thrown
	 * away after, as the reads and erasures are warmed. In a cold JVM the JIT's compilers took a sixth of the
	 * import's CPU on these two cores (docs/benchmarks.md, session 6), which a service that has been running has long
	 * paid; the JIT's work is the JVM's, so it carries over to the measured service. Not in the measured database:
	 * 100,000 lines imported there and deleted again left the H2 file with garbage to compact, and the read p99
	 * among 1,000,000 subjects went from 0.67 to 4.35 ms.
	 */
	static void warmUpImports(Path dir, int lines) throws Exception {
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(CustodiaApplication.class)
			.web(WebApplicationType.NONE)
			.logStartupInfo(false)
			// always the embedded database, also when the measured one is PostgreSQL
			.run("--custodia.data-dir=" + dir.resolve("data"), "--custodia.keys.root=" + dir.resolve("keys/root.json"),
					"--spring.datasource.url=jdbc:h2:file:" + dir.resolve("data/custodia") + ";DB_CLOSE_ON_EXIT=FALSE",
					"--spring.datasource.username=sa", "--spring.datasource.password=",
					"--custodia.clock=2026-06-01T12:00:00Z", "--logging.level.root=WARN")) {
			int subjects = Math.max(1, lines / 4);
			plainInsert(context.getBean(DataSource.class), lines, subjects);
			context.getBean(TenantManagement.class).create(TENANT, "imengine.yaml",
					Files.readString(Path.of("examples/policies/imengine.yaml")));
			long start = System.nanoTime();
			context.getBean(BulkImport.class).run(TENANT, new Lines(lines, subjects), "benchmark", (l, s) -> {
			});
			System.out.printf("  (warm-up, not measured: %,d lines imported cold at %,.0f lines/s, in a database of its own)%n",
					lines, lines / ((System.nanoTime() - start) / 1e9));
		}
		org.springframework.util.FileSystemUtils.deleteRecursively(dir);
	}

	/** The raw baseline: the same rows, unencrypted, one table, JDBC batches of 1,000. */
	static double plainInsert(DataSource dataSource, int records, int subjects) throws Exception {
		try (Connection connection = dataSource.getConnection()) {
			connection.createStatement().execute("""
					create table bench_plain (id uuid primary key, client_record_id varchar(200), email varchar(200),
					name varchar(200), ip_address varchar(50), job_title varchar(100), visit date)""");
			connection.createStatement().execute("create index bench_plain_email on bench_plain (email)");
			connection.setAutoCommit(false);
			long start = System.nanoTime();
			try (PreparedStatement insert = connection.prepareStatement("insert into bench_plain values (?, ?, ?, ?, ?, ?, ?)")) {
				for (int i = 0; i < records; i++) {
					insert.setObject(1, UUID.randomUUID());
					insert.setString(2, "r-" + i);
					insert.setString(3, "person" + (i % subjects) + "@example.test");
					insert.setString(4, "Person " + i);
					insert.setString(5, "198.51.100." + (i % 250));
					insert.setString(6, "Engineer");
					insert.setObject(7, java.time.LocalDate.of(2025, 10, 1));
					insert.addBatch();
					if ((i + 1) % 1000 == 0) {
						insert.executeBatch();
						connection.commit();
					}
				}
				insert.executeBatch();
				connection.commit();
			}
			return records / ((System.nanoTime() - start) / 1e9);
		}
	}

	static double[] bareRead(DataSource dataSource, int subjects, Random random) throws Exception {
		double[] times = new double[5000];
		try (Connection connection = dataSource.getConnection();
				PreparedStatement select = connection.prepareStatement("select * from bench_plain where email = ?")) {
			for (int i = 0; i < times.length; i++) {
				select.setString(1, "person" + random.nextInt(subjects) + "@example.test");
				long t = System.nanoTime();
				try (ResultSet rows = select.executeQuery()) {
					while (rows.next()) {
						rows.getString(4);
					}
				}
				times[i] = (System.nanoTime() - t) / 1e6;
			}
		}
		return times;
	}

	static long count(DataSource dataSource, String sql) throws Exception {
		try (Connection connection = dataSource.getConnection(); ResultSet rs = connection.createStatement().executeQuery(sql)) {
			rs.next();
			return rs.getLong(1);
		}
	}

	static long collections() {
		long total = 0;
		for (var gc : ManagementFactory.getGarbageCollectorMXBeans()) {
			total += gc.getCollectionCount();
		}
		return total;
	}

	static int count(boolean[] flags) {
		int n = 0;
		for (boolean flag : flags) {
			n += flag ? 1 : 0;
		}
		return n;
	}

	static double[] without(double[] values, boolean[] left) {
		return java.util.stream.IntStream.range(0, values.length).filter(i -> !left[i]).mapToDouble(i -> values[i]).toArray();
	}

	/** Appends a 250-byte line and forces it to disk, once per {@link #next}: the time of each. */
	static final class ForcedAppends implements AutoCloseable {

		private static final byte[] LINE = ("x".repeat(249) + "\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII);

		private final java.nio.channels.FileChannel channel;

		ForcedAppends(Path file) throws IOException {
			channel = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.CREATE,
					java.nio.file.StandardOpenOption.WRITE, java.nio.file.StandardOpenOption.APPEND);
		}

		double next() throws IOException {
			long t = System.nanoTime();
			channel.write(java.nio.ByteBuffer.wrap(LINE));
			channel.force(true);
			return (System.nanoTime() - t) / 1e6;
		}

		@Override
		public void close() throws IOException {
			channel.close();
		}
	}

	static double percentile(double[] values, int p) {
		double[] sorted = values.clone();
		Arrays.sort(sorted);
		return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
	}

	/**
	 * The most heap in use while it is open. The heap only grows between collections, so its peak is what was in
	 * use just before one of them (or at the end): each collection reports that figure, and nothing has to poll.
	 * Until session 6 a thread read the heap every millisecond, which cost the import 3 % of the machine's CPU.
	 */
	static final class HeapWatch implements AutoCloseable {

		private final java.util.concurrent.atomic.AtomicLong peak = new java.util.concurrent.atomic.AtomicLong();

		private final List<Runnable> removals = new ArrayList<>();

		/** JVM uptime when the watch began: a collection that started before (the one asked for here) does not count. */
		private final long since;

		/** Collections the JVM had made when the watch began, and notifications received since. */
		private final long collectionsBefore;

		private final java.util.concurrent.atomic.AtomicLong notified = new java.util.concurrent.atomic.AtomicLong();

		HeapWatch() {
			System.gc();
			since = ManagementFactory.getRuntimeMXBean().getUptime();
			collectionsBefore = collections();
			var heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
				.filter(pool -> pool.getType() == java.lang.management.MemoryType.HEAP)
				.map(java.lang.management.MemoryPoolMXBean::getName)
				.collect(java.util.stream.Collectors.toSet());
			for (var collector : ManagementFactory.getGarbageCollectorMXBeans()) {
				if (collector instanceof javax.management.NotificationEmitter emitter) {
					javax.management.NotificationListener listener = (notification, handback) -> {
						if (com.sun.management.GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION
							.equals(notification.getType())) {
							var info = com.sun.management.GarbageCollectionNotificationInfo
								.from((javax.management.openmbean.CompositeData) notification.getUserData());
							if (info.getGcInfo().getStartTime() < since) {
								return;
							}
							notified.incrementAndGet();
							long before = info.getGcInfo().getMemoryUsageBeforeGc().entrySet().stream()
								.filter(pool -> heapPools.contains(pool.getKey()))
								.mapToLong(pool -> pool.getValue().getUsed())
								.sum();
							peak.accumulateAndGet(before, Math::max);
						}
					};
					emitter.addNotificationListener(listener, null, null);
					removals.add(() -> {
						try {
							emitter.removeNotificationListener(listener);
						}
						catch (javax.management.ListenerNotFoundException ex) {
							// already gone
						}
					});
				}
			}
		}

		long peakMiB() {
			return peak.get() >> 20;
		}

		@Override
		public void close() throws InterruptedException {
			peak.accumulateAndGet(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed(), Math::max);
			// notifications come on the JVM's own thread, a little after their collection: wait for the last ones
			// (a second at most; G1's concurrent cycles are counted but not notified, so the count may never match)
			long until = System.nanoTime() + 1_000_000_000L;
			while (notified.get() < collections() - collectionsBefore && System.nanoTime() < until) {
				Thread.sleep(10);
			}
			removals.forEach(Runnable::run);
		}
	}

	/** The import file, generated as it is read: the benchmark's own memory stays flat too. */
	static final class Lines extends Reader {

		private final int records;

		private final int subjects;

		private int next;

		private String current = "";

		private int position;

		Lines(int records, int subjects) {
			this.records = records;
			this.subjects = subjects;
		}

		@Override
		public int read(char[] buffer, int offset, int length) {
			if (position == current.length()) {
				if (next == records) {
					return -1;
				}
				int i = next++;
				current = "{\"client_record_id\": \"r-" + i + "\", \"identifiers\": {\"email\": \"person" + (i % subjects)
						+ "@example.test\"}, \"activity\": \"server_logs\", \"category\": \"technical\", \"fields\": {\"ip_address\": \"198.51.100."
						+ (i % 250) + "\", \"user_agent\": \"Firefox 140\", \"requested_url\": \"/page/" + i
						+ "\"}, \"facts\": {\"visit\": \"2025-10-01\"}}\n";
				position = 0;
			}
			int n = Math.min(length, current.length() - position);
			current.getChars(position, position + n, buffer, offset);
			position += n;
			return n;
		}

		@Override
		public void close() throws IOException {
		}
	}

	private StoreBenchmark() {
	}

}

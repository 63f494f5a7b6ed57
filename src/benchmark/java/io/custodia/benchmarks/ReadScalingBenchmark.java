package io.custodia.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Comparator;
import java.util.Map;
import java.util.Random;

import javax.sql.DataSource;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import io.custodia.CustodiaApplication;
import io.custodia.records.RecordManagement;

/**
 * How a read grows with the number of subjects: reading all records of one subject found by e-mail (audit entry
 * included) among few subjects and among many, both databases open in one JVM and read in turns, blocks of 250
 * reads each, so that both sides see the same machine. Arguments: the two numbers of subjects (one record each),
 * 100,000 and 1,000,000 by default.
 * <p>
 * {@link StoreBenchmark} measures the read too, one number of subjects per run, and the ratio of two runs' p99s was
 * what docs/benchmarks.md reported until session 15. On a shared two-core host the p99 of the same database swung
 * by up to 2.5 times between runs minutes apart (the bare indexed read's too), so the ratio of two runs said more
 * about the host in each than about the store. Here a slow minute slows both sides. And 20,000 reads a side are
 * measured (-Dbenchmark.reads=N), not 5,000: a p99 is set by the slowest 1 %, 50 reads of 5,000, and three runs of
 * 5,000 against the same two databases gave ratios of 1.22, 1.90 and 1.33.
 */
public final class ReadScalingBenchmark {

	/** Reads in a turn: long enough that a turn works in its own database's cache, short enough to share the minute. */
	static final int TURN = 250;

	public static void main(String[] args) throws Exception {
		int few = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
		int many = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
		int measured = Integer.getInteger("benchmark.reads", 20_000);
		int warmUp = Integer.getInteger("benchmark.warmUp", 150_000);
		// -Dbenchmark.dir=DIR keeps the two databases (DIR/FEW and DIR/MANY) for another run, which skips the imports
		String kept = System.getProperty("benchmark.dir");
		Path dir = kept == null ? Files.createTempDirectory("custodia-reads") : Files.createDirectories(Path.of(kept));
		System.out.printf("ReadScalingBenchmark: reads among %,d and among %,d subjects (one record each), in turns of %d, "
				+ "max heap %d MiB, %s%n", few, many, TURN, Runtime.getRuntime().maxMemory() >> 20, System.getProperty("java.version"));
		try {
			Path fewDir = imported(dir.resolve(String.valueOf(few)), few);
			Path manyDir = imported(dir.resolve(String.valueOf(many)), many);
			try (var fewContext = open(fewDir); var manyContext = open(manyDir)) {
				var sides = new Side[] { new Side(fewContext, few, measured), new Side(manyContext, many, measured) };
				// warm-up as in StoreBenchmark (150,000 reads: the JIT's second tier done, pages and keys cached), in
				// the same turns
				for (int done = 0; done < warmUp; done += TURN) {
					for (Side side : sides) {
						side.reads(TURN, false);
					}
				}
				// turns, the first side alternating, so that neither is always the one read after the other
				for (int turn = 0; turn * TURN < measured; turn++) {
					for (int i = 0; i < sides.length; i++) {
						sides[(turn + i) % sides.length].reads(Math.min(TURN, measured - turn * TURN), true);
					}
				}
				for (int turn = 0; turn * TURN < measured; turn++) {
					for (int i = 0; i < sides.length; i++) {
						sides[(turn + i) % sides.length].bareReads(Math.min(TURN, measured - turn * TURN));
					}
				}
				for (Side side : sides) {
					side.close();
					System.out.printf("among %,d subjects: read one subject's records by e-mail (audited) p50 %.3f ms, p99 %.3f ms; "
							+ "bare indexed read p50 %.3f ms, p99 %.3f ms%n", side.subjects, StoreBenchmark.percentile(side.read, 50),
							StoreBenchmark.percentile(side.read, 99), StoreBenchmark.percentile(side.bare, 50),
							StoreBenchmark.percentile(side.bare, 99));
					System.out.printf("  (diagnostic: %d of %d reads had a garbage collection in them; p99 of the others %.3f ms)%n",
							StoreBenchmark.count(side.inGc), side.read.length,
							StoreBenchmark.percentile(StoreBenchmark.without(side.read, side.inGc), 99));
				}
				System.out.printf("read p99 among %,d / among %,d subjects: ratio %.2f (p50 %.2f; bare indexed read p99 %.2f)%n", many, few,
						StoreBenchmark.percentile(sides[1].read, 99) / StoreBenchmark.percentile(sides[0].read, 99),
						StoreBenchmark.percentile(sides[1].read, 50) / StoreBenchmark.percentile(sides[0].read, 50),
						StoreBenchmark.percentile(sides[1].bare, 99) / StoreBenchmark.percentile(sides[0].bare, 99));
			}
		}
		finally {
			if (kept == null) {
				delete(dir);
			}
		}
	}

	/** The directory, with an import of {@code subjects} records of as many subjects in it: made by StoreBenchmark. */
	private static Path imported(Path dir, int subjects) throws Exception {
		if (!Files.exists(dir.resolve("imported"))) {
			String[] names = { "benchmark.dir", "benchmark.importOnly" };
			String[] before = { System.getProperty(names[0]), System.getProperty(names[1]) };
			System.setProperty(names[0], dir.toString());
			System.setProperty(names[1], "true");
			try {
				StoreBenchmark.main(new String[] { String.valueOf(subjects), String.valueOf(subjects) });
			}
			finally {
				for (int i = 0; i < names.length; i++) {
					if (before[i] == null) {
						System.clearProperty(names[i]);
					}
					else {
						System.setProperty(names[i], before[i]);
					}
				}
			}
		}
		return dir;
	}

	private static ConfigurableApplicationContext open(Path dir) {
		return new SpringApplicationBuilder(CustodiaApplication.class).web(WebApplicationType.NONE)
			.logStartupInfo(false)
			.run("--custodia.data-dir=" + dir.resolve("data"), "--custodia.keys.root=" + dir.resolve("keys/root.json"),
					"--custodia.clock=2026-06-01T12:00:00Z", "--logging.level.root=WARN");
	}

	/** One database and what was measured in it. */
	private static final class Side implements AutoCloseable {

		final int subjects;

		final RecordManagement store;

		final int live;

		final Random random = new Random(42);

		final double[] read;

		final boolean[] inGc;

		final double[] bare;

		final Connection connection;

		final PreparedStatement select;

		int reads;

		int bareReads;

		Side(ConfigurableApplicationContext context, int subjects, int measured) throws Exception {
			this.subjects = subjects;
			this.store = context.getBean(RecordManagement.class);
			DataSource dataSource = context.getBean(DataSource.class);
			// subjects erased by a StoreBenchmark run against the same database are the highest numbered
			this.live = subjects - (int) StoreBenchmark.count(dataSource,
					"select count(*) from subject where tenant_id = 'bench' and erased_at is not null");
			this.read = new double[measured];
			this.inGc = new boolean[measured];
			this.bare = new double[measured];
			this.connection = dataSource.getConnection();
			this.select = connection.prepareStatement("select * from bench_plain where email = ?");
		}

		void reads(int count, boolean measure) {
			for (int i = 0; i < count; i++) {
				String email = "person" + random.nextInt(live) + "@example.test";
				long gcs = StoreBenchmark.collections();
				long t = System.nanoTime();
				var subject = store.findOrCreateSubject(StoreBenchmark.TENANT, Map.of("email", email), "benchmark");
				var found = store.recordsOf(StoreBenchmark.TENANT, subject.id(), "benchmark");
				double ms = (System.nanoTime() - t) / 1e6;
				if (found.isEmpty()) {
					throw new IllegalStateException("no records for a known subject");
				}
				if (measure) {
					read[reads] = ms;
					inGc[reads++] = StoreBenchmark.collections() != gcs;
				}
			}
		}

		void bareReads(int count) throws Exception {
			for (int i = 0; i < count; i++) {
				select.setString(1, "person" + random.nextInt(subjects) + "@example.test");
				long t = System.nanoTime();
				try (ResultSet rows = select.executeQuery()) {
					while (rows.next()) {
						rows.getString(4);
					}
				}
				bare[bareReads++] = (System.nanoTime() - t) / 1e6;
			}
		}

		@Override
		public void close() throws Exception {
			select.close();
			connection.close();
		}
	}

	private static void delete(Path dir) throws IOException {
		try (var paths = Files.walk(dir)) {
			for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
				Files.deleteIfExists(path);
			}
		}
	}
}

package io.custodia.benchmarks;

import java.io.ByteArrayOutputStream;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import javax.sql.DataSource;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import io.custodia.CustodiaApplication;
import io.custodia.records.BulkImport;
import io.custodia.records.SubjectRights;
import io.custodia.requests.RequestManagement;
import io.custodia.tenancy.TenantManagement;

/**
 * Building a subject's access package (R18) for a subject with N records (default 1,000): a request verified by
 * staff and fulfilled, which reads and decrypts every record (one audit entry each), gathers facts, requests and
 * the Art. 15 information, writes JSON and CSV, zips, seals the zip and stores it for download. Baseline in the
 * same run: a plain JDBC read of the same rows (sealed bytes, no decryption) written base64 into a zip.
 * Arguments: records iterations.
 */
public final class AccessPackageBenchmark {

	static final String TENANT = "bench";

	public static void main(String[] args) throws Exception {
		int records = args.length > 0 ? Integer.parseInt(args[0]) : 1_000;
		int iterations = args.length > 1 ? Integer.parseInt(args[1]) : 30;
		Path dir = Files.createTempDirectory("custodia-bench");
		System.out.printf("AccessPackageBenchmark: one subject with %,d records, %d packages, H2 file database, %s%n", records,
				iterations, System.getProperty("java.version"));
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(CustodiaApplication.class)
			.web(WebApplicationType.NONE)
			.logStartupInfo(false)
			.run("--custodia.data-dir=" + dir.resolve("data"), "--custodia.keys.root=" + dir.resolve("keys/root.json"),
					"--custodia.clock=2026-06-01T12:00:00Z", "--logging.level.root=WARN", "--custodia.outbox.poll-interval=PT1H")) {
			context.getBean(TenantManagement.class).create(TENANT, "imengine.yaml",
					Files.readString(Path.of("examples/policies/imengine.yaml")));
			var lines = new StringBuilder();
			for (int i = 0; i < records; i++) {
				lines.append("{\"client_record_id\": \"m-").append(i)
					.append("\", \"identifiers\": {\"email\": \"bench.subject@example.test\"}, \"activity\": \"communication\", \"category\": \"message\", \"fields\": {\"content\": \"message number ")
					.append(i).append(" with some ordinary length of text in it\", \"channel\": \"email\"}, \"facts\": {\"last_contact\": \"2026-05-01\"}}\n");
			}
			var report = context.getBean(BulkImport.class).run(TENANT, new StringReader(lines.toString()), "benchmark", (l, s) -> {
			});
			if (report.stored() != records) {
				throw new IllegalStateException("stored " + report.stored() + " of " + records);
			}
			UUID subject = context.getBean(SubjectRights.class).findSubject(TENANT, "email", "bench.subject@example.test").orElseThrow();
			DataSource dataSource = context.getBean(DataSource.class);
			var requests = context.getBean(RequestManagement.class);

			var reads = new ArrayList<Double>();
			var rights = context.getBean(SubjectRights.class);
			for (int i = 0; i < 15; i++) {
				long t = System.nanoTime();
				rights.allRecordsOf(TENANT, subject, "benchmark", "benchmark");
				if (i >= 5) {
					reads.add((System.nanoTime() - t) / 1e6);
				}
			}
			Collections.sort(reads);
			System.out.printf("of which reading the %,d records (decrypt, facts, one audit entry): median %.1f ms%n", records,
					reads.get(reads.size() / 2));
			var trail = context.getBean(io.custodia.audit.AuditTrail.class);
			var audits = new ArrayList<Double>();
			for (int i = 0; i < 15; i++) {
				var events = new ArrayList<io.custodia.audit.AuditEvent>();
				for (int r = 0; r < records; r++) {
					events.add(new io.custodia.audit.AuditEvent(TENANT, "benchmark", io.custodia.audit.AuditAction.RECORD_READ, subject,
							UUID.randomUUID(), null, java.util.Map.of()));
				}
				long t = System.nanoTime();
				trail.recordAll(TENANT, events);
				if (i >= 5) {
					audits.add((System.nanoTime() - t) / 1e6);
				}
			}
			Collections.sort(audits);
			System.out.printf("of which %,d audit entries alone: median %.1f ms%n", records, audits.get(audits.size() / 2));
			var baseline = new ArrayList<Double>();
			var measured = new ArrayList<Double>();
			for (int i = 0; i < iterations + 5; i++) {
				long start = System.nanoTime();
				int size = plain(dataSource, subject);
				double plainMillis = (System.nanoTime() - start) / 1e6;

				var request = requests.submit(TENANT, new RequestManagement.Intake("access", null, null, "letter"), "benchmark");
				requests.verifyManually(TENANT, request.id(), subject, "benchmark", "benchmark", "benchmark");
				start = System.nanoTime();
				var done = requests.fulfil(TENANT, request.id(), new RequestManagement.Fulfilment(null, null, null), "benchmark");
				double millis = (System.nanoTime() - start) / 1e6;
				if (((Number) done.answer().get("records")).intValue() != records || size == 0) {
					throw new IllegalStateException("the package holds " + done.answer().get("records") + " records");
				}
				if (i >= 5) {
					baseline.add(plainMillis);
					measured.add(millis);
				}
			}
			Collections.sort(baseline);
			Collections.sort(measured);
			double median = measured.get(measured.size() / 2);
			double p95 = measured.get((int) Math.ceil(measured.size() * 0.95) - 1);
			double baseMedian = baseline.get(baseline.size() / 2);
			System.out.printf("access package of %,d records: median %.1f ms, p95 %.1f ms, max %.1f ms (target < 250 ms)%n", records,
					median, p95, measured.get(measured.size() - 1));
			System.out.printf("baseline (plain JDBC read of the sealed rows into a zip): median %.1f ms; ratio %.1fx%n", baseMedian,
					median / baseMedian);
		}
	}

	private static int plain(DataSource dataSource, UUID subject) throws Exception {
		var zip = new ByteArrayOutputStream();
		try (Connection connection = dataSource.getConnection();
				PreparedStatement select = connection.prepareStatement("select id, activity, category, sealed_fields from personal_record where tenant_id = ? and subject_id = ?");
				ZipOutputStream out = new ZipOutputStream(zip)) {
			select.setString(1, TENANT);
			select.setObject(2, subject);
			out.putNextEntry(new ZipEntry("plain.json"));
			var json = new StringBuilder("[");
			try (ResultSet rows = select.executeQuery()) {
				while (rows.next()) {
					json.append("{\"id\":\"").append(rows.getObject(1)).append("\",\"activity\":\"").append(rows.getString(2))
						.append("\",\"category\":\"").append(rows.getString(3)).append("\",\"sealed\":\"")
						.append(Base64.getEncoder().encodeToString(rows.getBytes(4))).append("\"},");
				}
			}
			out.write(json.append("]").toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
			out.closeEntry();
		}
		return zip.size();
	}

	@SuppressWarnings("unused")
	private static List<String> none() {
		return List.of();
	}
}

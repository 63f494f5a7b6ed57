package io.custodia.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.simple.JdbcClient;

import io.custodia.audit.AuditTrail;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Killing the process hard in the middle of a bulk import or a retention run loses nothing acknowledged,
 * half-writes nothing, and running the command again completes the work. The process is a child JVM running
 * the real command line, killed with SIGKILL once it has reported progress.
 */
class CrashRecoveryIntegrationTests {

	static final int LINES = 12_000;

	@TempDir
	Path dir;

	List<String> settings() {
		return List.of("--data-dir", dir.resolve("data").toString(), "--custodia.keys.root=" + dir.resolve("keys/root.json"),
				"--custodia.clock=2026-06-01T12:00:00Z");
	}

	record Run(int code, String out, String err) {
	}

	Run custodia(String... args) {
		var all = new ArrayList<>(List.of(args));
		all.addAll(settings());
		var out = new StringWriter();
		var err = new StringWriter();
		int code = Cli.run(new PrintWriter(out, true), new PrintWriter(err, true), all.toArray(String[]::new));
		return new Run(code, out.toString(), err.toString());
	}

	/** Starts the command in a child JVM and kills it hard at the first output line the trigger accepts. */
	String killWhen(Predicate<String> trigger, String... args) throws IOException, InterruptedException {
		var command = new ArrayList<String>();
		command.add(ProcessHandle.current().info().command().orElse("java"));
		command.add("-cp");
		command.add(System.getProperty("java.class.path"));
		command.add(Cli.class.getName());
		command.addAll(List.of(args));
		command.addAll(settings());
		Process child = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
		try (var out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
			String line;
			while ((line = out.readLine()) != null) {
				if (trigger.test(line)) {
					child.destroyForcibly();
					child.waitFor(30, TimeUnit.SECONDS);
					return line;
				}
			}
		}
		child.waitFor(30, TimeUnit.SECONDS);
		throw new AssertionError("the child finished (exit " + child.exitValue() + ") before it could be killed");
	}

	Path importFile() throws IOException {
		Path file = dir.resolve("logs.jsonl");
		try (var writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
			for (int i = 0; i < LINES; i++) {
				writer.write("{\"client_record_id\": \"log-" + i + "\", \"identifiers\": {\"email\": \"visitor" + (i % 3000)
						+ "@example.test\"}, \"activity\": \"server_logs\", \"category\": \"technical\", \"fields\": {\"ip_address\": \"198.51.100."
						+ (i % 250) + "\", \"user_agent\": \"Firefox 140\", \"requested_url\": \"/page/" + i
						+ "\"}, \"facts\": {\"visit\": \"2025-10-01\"}}\n");
			}
		}
		return file;
	}

	@Test
	void aKilledImportAndAKilledRetentionRunLoseNothingAndFinishWhenRunAgain() throws Exception {
		assertThat(custodia("tenant", "create", "acme", "--policy", "examples/policies/imengine.yaml").code()).isZero();
		Path file = importFile();

		String acknowledged = killWhen(line -> line.startsWith("acknowledged through line ") && stored(line) >= 3000, "import",
				"--tenant", "acme", file.toString());
		long storedBeforeKill = stored(acknowledged);

		Run rerun = custodia("import", "--tenant", "acme", file.toString());
		assertThat(rerun.code()).as(rerun.err()).isZero();
		long storedAgain = number(rerun.out(), " stored, ");
		long already = number(rerun.out(), " already stored");
		assertThat(already).isGreaterThanOrEqualTo(storedBeforeKill);
		assertThat(storedAgain + already).isEqualTo(LINES);

		try (var context = ServiceContext.start(dir.resolve("data"), settings().subList(2, 4))) {
			var jdbc = context.getBean(JdbcClient.class);
			assertThat(count(jdbc, "select count(*) from personal_record where tenant_id = 'acme'")).isEqualTo(LINES);
			assertThat(count(jdbc, "select count(distinct client_record_id) from personal_record where tenant_id = 'acme'"))
				.isEqualTo(LINES);
			// every record with its fact, every record with its audit entry: no line was half written
			assertThat(count(jdbc, "select count(*) from personal_record where tenant_id = 'acme' and facts is not null"))
				.isEqualTo(LINES);
			// each committed batch has one entry naming its records: the entries together name every record once
			assertThat(context.getBean(AuditTrail.class).entries("acme", null, null, 100_000).stream()
				.filter(e -> e.action().name().equals("RECORDS_IMPORTED"))
				.flatMap(e -> java.util.Arrays.stream(e.details().get("record_ids").split(",")))
				.distinct()
				.count()).isEqualTo(LINES);
			assertThat(context.getBean(AuditTrail.class).verify("acme").intact()).isTrue();
		}

		killWhen(line -> line.equals("acted on 1000 records"), "retention", "run", "--tenant", "acme");

		Run finish = custodia("retention", "run", "--tenant", "acme");
		assertThat(finish.code()).as(finish.err()).isZero();

		try (var context = ServiceContext.start(dir.resolve("data"), settings().subList(2, 4))) {
			var jdbc = context.getBean(JdbcClient.class);
			assertThat(count(jdbc, "select count(*) from personal_record where tenant_id = 'acme' and status <> 'DEIDENTIFIED'"))
				.isZero();
			assertThat(count(jdbc, "select count(*) from personal_record where tenant_id = 'acme' and status = 'DEIDENTIFIED'"))
				.isEqualTo(LINES);
			assertThat(count(jdbc, "select count(*) from personal_record where tenant_id = 'acme' and subject_id is not null"))
				.isZero();
			assertThat(count(jdbc, "select count(*) from subject where tenant_id = 'acme' and wrapped_key is not null")).isZero();
			assertThat(count(jdbc, "select count(*) from audit_entry where tenant_id = 'acme' and action = 'RECORD_DEIDENTIFIED'"))
				.isEqualTo(LINES);
			assertThat(context.getBean(AuditTrail.class).verify("acme").intact()).isTrue();
		}
	}

	private static long count(JdbcClient jdbc, String sql) {
		return jdbc.sql(sql).query(Long.class).single();
	}

	private static long stored(String progress) {
		return Long.parseLong(progress.substring(progress.indexOf('(') + 1, progress.indexOf(" stored)")));
	}

	private static long number(String out, String before) {
		String summary = out.lines().filter(l -> l.contains(" lines, ")).findFirst().orElseThrow();
		String head = summary.substring(0, summary.indexOf(before));
		return Long.parseLong(head.substring(head.lastIndexOf(' ') + 1));
	}
}

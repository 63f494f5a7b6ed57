package io.custodia.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.custodia.Examples;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

class CliUnitTests {

	@TempDir
	Path dir;

	record Run(int code, String out, String err) {
	}

	static Run run(String... args) {
		var out = new StringWriter();
		var err = new StringWriter();
		int code = Cli.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
		return new Run(code, out.toString(), err.toString());
	}

	@Test
	void checkingValidPoliciesExitsZero() {
		Run run = run("policy", "check", Examples.file("imengine").toString());
		assertThat(run.code()).isZero();
		assertThat(run.out()).contains("imengine.yaml: valid (0 errors, 0 warnings)");
	}

	@Test
	void checkingAnInvalidPolicyPrintsEveryErrorAtItsPlaceAndExitsOne() throws IOException {
		Path broken = dir.resolve("broken.yaml");
		Files.writeString(broken, Examples.text("imengine")
			.replace("    legal_basis: pre_contract", "    legal_basis: hunch")
			.replace("age_of_consent: 13", "age_of_consent: 12"), StandardCharsets.UTF_8);
		Run run = run("policy", "check", broken.toString());
		assertThat(run.code()).isEqualTo(1);
		assertThat(run.err().lines().filter(l -> l.matches("^.*broken\\.yaml:\\d+:\\d+: error: .*"))).hasSize(1);
		assertThat(run.err()).contains("'hunch' is not allowed as activities.recruitment.legal_basis")
			.contains("use one of: consent, contract, pre_contract");
		assertThat(run.out()).contains("invalid (1 errors");
	}

	@Test
	void meaningErrorsAreAllReportedInOneRun() throws IOException {
		Path broken = dir.resolve("broken.yaml");
		Files.writeString(broken, Examples.text("imengine")
			.replace("age_of_consent: 13", "age_of_consent: 12")
			.replace("categories: [browsing]", "categories: [browsing, biometrics]"), StandardCharsets.UTF_8);
		Run run = run("policy", "check", broken.toString());
		assertThat(run.code()).isEqualTo(1);
		assertThat(run.err()).contains("age_of_consent 12 is below 13").contains("data category 'biometrics' is not declared");
	}

	@Test
	void aMissingFileIsReportedWithoutAStackTrace() {
		Run run = run("policy", "check", dir.resolve("nope.yaml").toString());
		assertThat(run.code()).isEqualTo(1);
		assertThat(run.err()).contains("nope.yaml:1:1: error: no such file").doesNotContain("Exception").doesNotContain("\tat ");
	}

	@Test
	void usageErrorsExitTwoAndSayWhatIsAllowed() {
		assertThat(run("policy", "frobnicate").code()).isEqualTo(2);
		assertThat(run("policy", "check").code()).isEqualTo(2);
		Run format = run("policy", "notice", Examples.file("imengine").toString(), "--format", "pdf");
		assertThat(format.code()).isEqualTo(2);
		assertThat(format.err()).contains("allowed: html, md");
		Run language = run("policy", "notice", Examples.file("imengine").toString(), "--lang", "fr");
		assertThat(language.code()).isEqualTo(2);
		assertThat(language.err()).contains("allowed: en, de, nl");
	}

	@Test
	void theNoticeIsRenderedInTheAskedLanguageAndFormat() {
		Run run = run("policy", "notice", Examples.file("imengine").toString(), "--lang", "de", "--format", "md");
		assertThat(run.code()).isZero();
		assertThat(run.out()).startsWith("# Datenschutzhinweise der IMENGINE bv").contains("Bis zu 6 Monate nach Ihrem Besuch unserer Website");
	}

	@Test
	void theRecordOfProcessingIsJsonOnRequest() {
		Run run = run("policy", "ropa", Examples.file("imengine").toString(), "--format", "json");
		assertThat(run.code()).isZero();
		assertThat(JsonMapper.shared().readTree(run.out()).get("activities").size()).isEqualTo(13);
	}

	@Test
	void diffExitsZeroWithoutMaterialChangesAndThreeWithThem() throws IOException {
		Path longer = dir.resolve("longer.yaml");
		Files.writeString(longer, Examples.text("imengine").replaceFirst("period: P6M", "period: P9M"), StandardCharsets.UTF_8);
		String base = Examples.file("imengine").toString();
		Run same = run("policy", "diff", base, base);
		assertThat(same.code()).isZero();
		assertThat(same.out()).contains("no changes");
		Run material = run("policy", "diff", base, longer.toString());
		assertThat(material.code()).isEqualTo(3);
		assertThat(material.out()).contains("MATERIAL").contains("retention-longer")
			.contains("activities.server_logs.retention.logs_6_months");
		Run json = run("policy", "diff", "--json", base, longer.toString());
		assertThat(json.code()).isEqualTo(3);
		assertThat(JsonMapper.shared().readTree(json.out()).get("material").asBoolean()).isTrue();
	}

	@Test
	void aDataCommandPassesSpringSettingsThroughAndPicocliWarnsOfNothing() {
		var err = new java.io.ByteArrayOutputStream();
		var original = System.err;
		System.setErr(new java.io.PrintStream(err, true, StandardCharsets.UTF_8));
		try {
			var commandLine = new picocli.CommandLine(new CustodiaCommand());
			// parsed twice, as a reused command line is: picocli clears the left-over arguments before each parse
			commandLine.parseArgs("import", "--tenant", "acme", "one.jsonl", "--spring.datasource.url=jdbc:h2:mem:x");
			var parsed = commandLine.parseArgs("import", "--tenant", "acme", "two.jsonl", "--logging.level.root=INFO",
					"--data-dir", dir.toString());
			var command = (ImportCommand) parsed.subcommand().commandSpec().userObject();
			assertThat(command.service.springArguments).containsExactly("--logging.level.root=INFO");
			assertThat(command.service.dataDir).isEqualTo(dir);
		}
		finally {
			System.setErr(original);
		}
		assertThat(err.toString(StandardCharsets.UTF_8)).doesNotContain("picocli");
	}

	@Test
	void aDatabaseErrorIsNamedByItsKindAndNeverQuotesTheDatabasesMessage() {
		// H2's and PostgreSQL's messages quote the rows involved (a wrapped key, a blind index, a client record id)
		String row = "X'128d0101477a7a6489c1c49000f55d19f179d864' is locked by tx 1";
		assertThat(Cli.message(new org.springframework.dao.QueryTimeoutException("Timeout trying to lock: " + row)))
			.startsWith("the database was busy (QueryTimeoutException)")
			.contains("nothing of it was kept")
			.doesNotContain(row);
		assertThat(Cli.message(new org.springframework.dao.DataIntegrityViolationException("duplicate key ('cv-ada-lovelace')")))
			.isEqualTo("the database refused the command (DataIntegrityViolationException); nothing of the failed step was kept");
		assertThat(Cli.message(new io.custodia.DatabaseBusyException("the import batch from line 2001", 4,
				new org.springframework.dao.PessimisticLockingFailureException(row))))
			.contains("the import batch from line 2001", "4 times (PessimisticLockingFailureException)", "run the same command again")
			.doesNotContain(row);
		// PostgreSQL's lock_timeout, which Spring leaves uncategorised
		assertThat(Cli.message(new org.springframework.jdbc.UncategorizedSQLException("select", "select ... for update",
				new java.sql.SQLException("canceling statement due to lock timeout: " + row, "55P03"))))
			.startsWith("the database was busy (UncategorizedSQLException)")
			.doesNotContain(row);
		// everything else is Custodia's own message, written for the user
		assertThat(Cli.message(new IllegalArgumentException("no tenant 'acme'"))).isEqualTo("no tenant 'acme'");
	}
}

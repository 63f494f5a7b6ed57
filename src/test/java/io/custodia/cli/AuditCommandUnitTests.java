package io.custodia.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

import org.junit.jupiter.api.Test;

import io.custodia.audit.AuditVerification;
import io.custodia.audit.AuditVerification.Problem;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/** What {@code custodia audit verify} prints and how it exits, for every kind of answer. */
class AuditCommandUnitTests {

	record Printed(int code, String out) {
	}

	static Printed report(AuditVerification verification, boolean json) {
		var out = new StringWriter();
		int code = AuditCommand.report(verification, json, new PrintWriter(out, true));
		return new Printed(code, out.toString());
	}

	static final AuditVerification INTACT = new AuditVerification("imengine", true, 50, null, null,
			"all 50 entries are as recorded, in order, none missing");

	static final AuditVerification EDITED = new AuditVerification("imengine", false, 23, 23L, Problem.EDITED,
			"entry 23 does not match its seal: it was changed after it was recorded");

	@Test
	void anIntactChainIsOneLineWithItsLengthAndExitsZero() {
		Printed printed = report(INTACT, false);
		assertThat(printed.code()).isZero();
		assertThat(printed.out()).isEqualTo("tenant imengine: audit intact, 50 entries" + System.lineSeparator());
		assertThat(report(new AuditVerification("imig", true, 1, null, null, "…"), false).out()).startsWith("tenant imig: audit intact, 1 entry");
	}

	@Test
	void aBrokenChainNamesTheEntryTheProblemAndWhatWasFoundAndExitsOne() {
		Printed printed = report(EDITED, false);
		assertThat(printed.code()).isEqualTo(1);
		assertThat(printed.out()).isEqualTo("tenant imengine: audit BROKEN at entry 23: EDITED — entry 23 does not match its seal:"
				+ " it was changed after it was recorded" + System.lineSeparator());
	}

	@Test
	void jsonCarriesEveryFieldAndTheSameExitCode() {
		Printed broken = report(EDITED, true);
		assertThat(broken.code()).isEqualTo(1);
		JsonNode document = JsonMapper.builder().build().readTree(broken.out());
		assertThat(document.get("tenant").asString()).isEqualTo("imengine");
		assertThat(document.get("intact").asBoolean()).isFalse();
		assertThat(document.get("entries_checked").asLong()).isEqualTo(23);
		assertThat(document.get("first_broken_sequence").asLong()).isEqualTo(23);
		assertThat(document.get("problem").asString()).isEqualTo("EDITED");
		assertThat(document.get("explanation").asString()).contains("changed after it was recorded");

		Printed intact = report(INTACT, true);
		assertThat(intact.code()).isZero();
		JsonNode fine = JsonMapper.builder().build().readTree(intact.out());
		assertThat(fine.get("intact").asBoolean()).isTrue();
		assertThat(fine.get("first_broken_sequence").isNull()).isTrue();
		assertThat(fine.get("problem").isNull()).isTrue();
	}

	@Test
	void anIntactChainWithANoticePrintsItAndStillExitsZero() {
		var unsealed = new AuditVerification("imengine", true, 50, null, null, "all 50 entries are as recorded, in order, none missing",
				"the end of the chain is not sealed yet");

		Printed line = report(unsealed, false);
		Printed json = report(unsealed, true);

		assertThat(line.code()).isZero();
		assertThat(line.out()).isEqualTo("tenant imengine: audit intact, 50 entries; note: the end of the chain is not sealed yet"
				+ System.lineSeparator());
		assertThat(json.code()).isZero();
		assertThat(JsonMapper.builder().build().readTree(json.out()).get("notice").asString()).isEqualTo("the end of the chain is not sealed yet");
		assertThat(JsonMapper.builder().build().readTree(report(INTACT, true).out()).get("notice").isNull()).isTrue();
	}

	@Test
	void verifyingWithoutATenantIsAUsageError() {
		var out = new StringWriter();
		var err = new StringWriter();
		int code = Cli.run(new PrintWriter(out, true), new PrintWriter(err, true), "audit", "verify");
		assertThat(code).isEqualTo(2);
		assertThat(err.toString()).contains("Missing required option: '--tenant=TENANT'");
	}

	@Test
	void theHelpListsTheAuditCommand() {
		var out = new StringWriter();
		Cli.run(new PrintWriter(out, true), new PrintWriter(new StringWriter(), true), "--help");
		assertThat(out.toString()).contains("audit").contains("Check the tamper-evident audit trail.");
	}
}

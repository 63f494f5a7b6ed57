package io.custodia.policy;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.custodia.Examples;

import static org.assertj.core.api.Assertions.assertThat;

class PolicyExamplesUnitTests {

	static List<Path> examples() {
		return Examples.files();
	}

	@Test
	void thereIsAnExampleForEachSeedOrganisation() {
		assertThat(examples()).extracting(p -> p.getFileName().toString())
			.contains("imengine.yaml", "imig.yaml", "imk.yaml");
	}

	@ParameterizedTest
	@MethodSource("examples")
	void everyExampleIsValidWithoutAnyWarning(Path example) {
		PolicyReport report = Policies.read(example);
		assertThat(report.findings()).as(() -> report.findings().stream().map(Finding::format).toList().toString())
			.isEmpty();
		assertThat(report.isValid()).isTrue();
	}

	@ParameterizedTest
	@MethodSource("examples")
	void everyExamplePublishesInAllThreeLanguages(Path example) {
		assertThat(Policies.read(example).orThrow().languages()).containsExactlyInAnyOrder(Language.values());
	}

	@Test
	void theBelgianScheduleIsEncodedAsTheSeedStatesIt() {
		Policy policy = Examples.policy("imengine");
		assertThat(rule(policy, "server_logs", "logs_6_months").period()).hasMonths(6);
		assertThat(rule(policy, "contact_form", "closed_ticket_5_years").period()).hasYears(5);
		var contract = rule(policy, "contracts_individuals", "contract_7_years");
		assertThat(contract.bound()).isEqualTo(Policy.Bound.AT_LEAST);
		assertThat(contract.action()).isEqualTo(Policy.RetentionAction.REVIEW);
		assertThat(contract.period()).hasYears(7);
		assertThat(rule(policy, "recruitment", "hired_10_years").from()).isEqualTo("employment_ended");
		assertThat(rule(policy, "recruitment", "hired_10_years").period()).hasYears(10);
		assertThat(rule(policy, "recruitment", "interviewed_5_years").from()).isEqualTo("assessment_closed");
		assertThat(rule(policy, "recruitment_reserve", "reserve_5_years").period()).hasYears(5);
		assertThat(policy.activities().get("recruitment_reserve").legalBasis()).isEqualTo(Policy.LegalBasis.CONSENT);
	}

	private static Policy.RetentionRule rule(Policy policy, String activity, String id) {
		return policy.activities().get(activity).retention().stream().filter(r -> r.id().equals(id)).findFirst().orElseThrow();
	}
}

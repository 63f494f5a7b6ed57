package io.custodia.demo;

import java.time.LocalDate;
import java.util.Comparator;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.custodia.Examples;
import io.custodia.policy.Policy;

import static org.assertj.core.api.Assertions.assertThat;

class SyntheticRecordsUnitTests {

	static final LocalDate TODAY = LocalDate.of(2026, 1, 15);

	/** What a value may look like: visibly made up, or a time, or an address reserved for documentation. */
	private static final Pattern SYNTHETIC_VALUE = Pattern.compile(
			"(?i).*demo.*|192\\.0\\.2\\.\\d{1,3}|00:00:5e:00:53:[0-9a-f]{2}|\\+1 202 555 01\\d\\d|Person \\d+|\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}Z");

	static final Predicate<Object> SYNTHETIC = value -> SYNTHETIC_VALUE.matcher(String.valueOf(value)).matches();

	@ParameterizedTest
	@ValueSource(strings = { "imengine", "imig", "imk" })
	void everyActivityGetsRecordsUnderEveryRuleItsStatesCanReach(String tenant) {
		Policy policy = Examples.policy(tenant);
		var plan = SyntheticRecords.plan(policy, TODAY, 1);

		assertThat(plan.stream().map(SyntheticRecords.Planned::activity).distinct())
			.containsExactlyInAnyOrderElementsOf(policy.activities().keySet());
		policy.activities().forEach((id, activity) -> assertThat(plan.stream()
			.filter(r -> r.activity().equals(id))
			.map(SyntheticRecords.Planned::ruleId)
			.collect(Collectors.toSet())).as(id)
			.isEqualTo(activity.retention().stream().map(Policy.RetentionRule::id).collect(Collectors.toSet())));
	}

	@ParameterizedTest
	@ValueSource(strings = { "imengine", "imig", "imk" })
	void recordsHoldOnlyTheirCategorysFieldsAndNothingThatCouldBeARealPersonsData(String tenant) {
		Policy policy = Examples.policy(tenant);

		for (var record : SyntheticRecords.plan(policy, TODAY, 1)) {
			assertThat(record.fields().keySet()).as(record.category())
				.isEqualTo(policy.dataCategories().get(record.category()).fieldNames());
			assertThat(record.fields()).as(record.category()).allSatisfy((name, value) -> assertThat(value).as(name).matches(SYNTHETIC));
			assertThat(record.facts()).allSatisfy((name, value) -> assertThat(value)
				.matches(v -> v.matches("\\d{4}-\\d{2}-\\d{2}") || policy.activities().get(record.activity()).states().containsKey(name)));
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "imengine", "imig", "imk" })
	void someRecordsAreDueAlreadyAndOthersWithinTheNextTwoYears(String tenant) {
		var plan = SyntheticRecords.plan(Examples.policy(tenant), TODAY, 1);

		assertThat(plan).anyMatch(r -> !r.due().isAfter(TODAY))
			.anyMatch(r -> r.due().isAfter(TODAY) && r.due().isBefore(TODAY.plusYears(2)));
		assertThat(plan.stream().filter(r -> r.facts().values().stream().anyMatch(v -> v.matches("\\d{4}-.*"))))
			.allSatisfy(r -> assertThat(r.facts().values().stream().filter(v -> v.matches("\\d{4}-.*")).map(LocalDate::parse))
				.as("a clock starts today or before").allMatch(d -> !d.isAfter(TODAY)));
	}

	@ParameterizedTest
	@ValueSource(strings = { "imengine", "imig", "imk" })
	void theSameDayAndSeedGiveTheSameSetAndTheFirstSubjectKeepsTheRecordDueLast(String tenant) {
		Policy policy = Examples.policy(tenant);
		var plan = SyntheticRecords.plan(policy, TODAY, 7);

		assertThat(SyntheticRecords.plan(policy, TODAY, 7)).isEqualTo(plan);
		var last = plan.stream().max(Comparator.comparing(SyntheticRecords.Planned::due)).orElseThrow();
		assertThat(plan.stream().filter(r -> r.due().equals(last.due()))).anyMatch(r -> r.subject() == 1);
	}
}

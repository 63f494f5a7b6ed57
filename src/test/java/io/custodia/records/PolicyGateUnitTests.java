package io.custodia.records;

import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.custodia.Examples;
import io.custodia.policy.Policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PolicyGateUnitTests {

	private static final Map<String, Object> OVER = Map.of("name", "n".repeat(PolicyGate.FIELDS_BYTES));

	@Test
	void aNameThePolicyDoesNotDeclareIsQuotedOnlyWhenItHasTheFormOfAName() {
		Policy policy = Examples.policy("imengine");
		assertThatThrownBy(() -> PolicyGate.activity(policy, "recruitmnet")).isInstanceOf(PolicyViolationException.class)
			.hasMessage("the policy declares no activity 'recruitmnet'");
		// a shifted column: the value an import line had elsewhere, personal data
		assertThatThrownBy(() -> PolicyGate.activity(policy, "Jane.Roe@example.test"))
			.isInstanceOf(PolicyViolationException.class)
			.satisfies(ex -> assertThat(ex.getMessage()).startsWith("the policy declares no activity of that name")
				.doesNotContain("Jane").doesNotContain("example"))
			.satisfies(ex -> assertThat(((PolicyViolationException) ex).allowed()).contains("recruitment"));
		var activity = policy.activities().get("recruitment");
		var category = policy.dataCategories().get("identity_contact");
		assertThatThrownBy(() -> PolicyGate.category(policy, "recruitment", activity, "jane roe"))
			.satisfies(ex -> assertThat(ex.getMessage()).doesNotContain("jane"));
		assertThatThrownBy(() -> PolicyGate.fields("identity_contact", category, Map.of("Jane Roe", "x")))
			.satisfies(ex -> assertThat(ex.getMessage()).doesNotContain("Jane"))
			.satisfies(ex -> assertThat(((PolicyViolationException) ex).field()).isEqualTo("fields"));
		assertThatThrownBy(() -> PolicyGate.fields("identity_contact", category, Map.of("nmae", "x")))
			.satisfies(ex -> assertThat(((PolicyViolationException) ex).field()).isEqualTo("fields.nmae"))
			.hasMessageContaining("'nmae'");
		assertThatThrownBy(() -> PolicyGate.facts("recruitment", activity, Map.of("+31 6 12345678", "x")))
			.satisfies(ex -> assertThat(ex.getMessage()).doesNotContain("12345678"))
			.satisfies(ex -> assertThat(((PolicyViolationException) ex).field()).isEqualTo("facts"));
		assertThatThrownBy(() -> Identifiers.normalise(Map.of("jane@example.test", "x")))
			.satisfies(ex -> assertThat(ex.getMessage()).doesNotContain("jane"))
			.satisfies(ex -> assertThat(((PolicyViolationException) ex).field()).isEqualTo("identifiers"));
	}

	@Test
	void fieldsOverWhatARecordHoldsAreRefusedNamingTheFields() {
		assertThatThrownBy(() -> PolicyGate.json(OVER, 0)).isInstanceOf(PolicyViolationException.class)
			.hasMessageContaining("at most 1000000")
			.satisfies(ex -> assertThat(((PolicyViolationException) ex).field()).isEqualTo("fields"));
		assertThat(PolicyGate.json(Map.of("name", "n".repeat(PolicyGate.FIELDS_BYTES - 20)), 0)).hasSizeLessThanOrEqualTo(
				PolicyGate.FIELDS_BYTES);
	}

	@Test
	void aRecordStoredLargerBeforeTheLimitMayBeRectifiedAsLongAsItDoesNotGrow() {
		// on PostgreSQL the column has no limit: such a record can exist, and must not become unchangeable
		int size = PolicyGate.json(OVER, Integer.MAX_VALUE).length;
		assertThat(PolicyGate.json(OVER, size)).hasSize(size);
		assertThatThrownBy(() -> PolicyGate.json(OVER, size - 1)).isInstanceOf(PolicyViolationException.class);
	}

	@Test
	void theLongestFactsAPolicyAllowsAreExactlyAsLongAsARecordStoresThem() {
		// the policy check bounds a record's facts by Activity.longestFacts(); it must count what is stored
		int activities = 0;
		for (var file : Examples.files()) {
			Policy policy = Examples.policy(file.getFileName().toString().replace(".yaml", ""));
			for (var entry : policy.activities().entrySet()) {
				var activity = entry.getValue();
				var longest = new LinkedHashMap<String, String>();
				activity.clocks().keySet().stream().filter(c -> !Policy.COLLECTED.equals(c)).forEach(c -> longest.put(c, "9999-12-31"));
				activity.states().forEach((state, values) -> longest.put(state,
						values.keySet().stream().max(java.util.Comparator.comparingInt(String::length)).orElseThrow()));
				if (longest.isEmpty()) {
					continue;
				}
				activities++;
				var stored = PersonalRecords.factsText(PolicyGate.Fact.asMap(PolicyGate.facts(entry.getKey(), activity, longest)));
				assertThat(stored).as(entry.getKey()).hasSize(activity.longestFacts());
			}
		}
		assertThat(activities).as("activities with clocks or states in the examples").isGreaterThan(3);
	}

	@Test
	void aDateFactPastTheYear9999IsRefusedAsItWouldNotBeTenCharacters() {
		Policy policy = Examples.policy("imengine");
		var withClock = policy.activities().entrySet().stream()
			.filter(e -> e.getValue().clocks().keySet().stream().anyMatch(c -> !Policy.COLLECTED.equals(c)))
			.findFirst()
			.orElseThrow();
		String clock = withClock.getValue().clocks().keySet().stream().filter(c -> !Policy.COLLECTED.equals(c)).findFirst().orElseThrow();

		assertThatThrownBy(() -> PolicyGate.facts(withClock.getKey(), withClock.getValue(), Map.of(clock, "+10000-01-01")))
			.isInstanceOf(PolicyViolationException.class)
			.hasMessageContaining("between 0000-01-01 and 9999-12-31");
		assertThat(PolicyGate.facts(withClock.getKey(), withClock.getValue(), Map.of(clock, "9999-12-31"))).hasSize(1);
	}
}

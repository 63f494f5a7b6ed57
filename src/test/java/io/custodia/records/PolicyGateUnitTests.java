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

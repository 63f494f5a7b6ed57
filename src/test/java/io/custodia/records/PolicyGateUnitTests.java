package io.custodia.records;

import java.util.Map;

import org.junit.jupiter.api.Test;

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
}

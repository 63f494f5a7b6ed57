package io.custodia.retention;

import java.time.LocalDate;
import java.time.Period;
import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.custodia.policy.Policy.Bound;
import io.custodia.policy.Policy.RetentionAction;
import io.custodia.policy.Policy.RetentionRule;

import static org.assertj.core.api.Assertions.assertThat;

/** Calendar arithmetic of due dates: month ends, leap days, minimum and maximum periods. */
class RetentionRulesUnitTests {

	@ParameterizedTest(name = "{0} + {1} ({2}) is due {4}")
	@CsvSource({ "2026-01-31, P1M, at_most, , 2026-02-28, delete", "2028-01-31, P1M, at_most, , 2028-02-29, delete",
			"2024-02-29, P1Y, at_most, , 2025-02-28, delete", "2024-02-29, P4Y, at_most, , 2028-02-29, delete",
			"2026-08-31, P6M, at_most, , 2027-02-28, delete", "2026-03-31, P1M, at_most, , 2026-04-30, delete",
			"2024-02-29, P7Y, at_least, , 2031-02-28, review", "2026-01-15, P7Y, at_least, P10Y, 2036-01-15, delete",
			"2026-12-31, P1Y6M, at_most, , 2028-06-30, delete" })
	void aRuleFallsDueOnTheCalendarDay(LocalDate start, String period, String bound, String max, LocalDate due,
			String action) {
		var rule = new RetentionRule("r", Map.of(), "clock", Period.parse(period), Bound.valueOf(bound.toUpperCase()),
				max == null ? null : Period.parse(max),
				bound.equals("at_least") && max == null ? RetentionAction.REVIEW : RetentionAction.DELETE, null);
		Due result = RetentionRules.due(rule, start);
		assertThat(result.date()).isEqualTo(due);
		assertThat(result.action().name().toLowerCase()).isEqualTo(action);
	}

	@ParameterizedTest
	@CsvSource({ "P6M" })
	void aClockThatHasNotStartedIsNotDue(String period) {
		var rule = new RetentionRule("r", Map.of(), "clock", Period.parse(period), Bound.AT_MOST, null,
				RetentionAction.DELETE, null);
		assertThat(RetentionRules.due(rule, null).isStarted()).isFalse();
	}
}

package io.custodia.requests;

import java.time.LocalDate;
import java.time.Year;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

import static org.assertj.core.api.Assertions.assertThat;

/** R17's calendar arithmetic: one month after receipt, month ends clamp, extensions only in the first month. */
class DeadlinesUnitTests {

	@Provide
	Arbitrary<LocalDate> receipts() {
		// plenty of month ends (29th, 30th, 31st) and leap years among ordinary days
		Arbitrary<LocalDate> any = Arbitraries.integers().between(0, 365 * 40).map(d -> LocalDate.of(2000, 1, 1).plusDays(d));
		Arbitrary<LocalDate> monthEnds = Arbitraries.integers().between(2000, 2040).flatMap(year -> Arbitraries.integers()
			.between(1, 12)
			.flatMap(month -> Arbitraries.integers().between(28, 31).filter(day -> day <= LocalDate.of(year, month, 1).lengthOfMonth())
				.map(day -> LocalDate.of(year, month, day))));
		return Arbitraries.oneOf(any, monthEnds);
	}

	@Property
	void theAnswerIsDueOnTheSameDayOfTheNextMonthOrItsLastDay(@ForAll("receipts") LocalDate received) {
		LocalDate due = Deadlines.due(received);
		LocalDate nextMonth = received.withDayOfMonth(1).plusMonths(1);
		assertThat(due.withDayOfMonth(1)).isEqualTo(nextMonth);
		assertThat(due.getDayOfMonth()).isEqualTo(Math.min(received.getDayOfMonth(), nextMonth.lengthOfMonth()));
		assertThat(due).isAfter(received);
	}

	@Property
	void receiptsOnTheLastDaysOfJanuaryAreDueOnTheLastDayOfFebruary(@ForAll @IntRange(min = 2000, max = 2100) int year,
			@ForAll @IntRange(min = 28, max = 31) int day) {
		LocalDate due = Deadlines.due(LocalDate.of(year, 1, day));
		int february = Year.isLeap(year) ? 29 : 28;
		assertThat(due).isEqualTo(LocalDate.of(year, 2, Math.min(day, february)));
	}

	@Property
	void anExtensionAddsOneOrTwoMonthsCountedFromReceiptAndNeverShortens(@ForAll("receipts") LocalDate received,
			@ForAll @IntRange(min = 1, max = 2) int months) {
		LocalDate extended = Deadlines.extended(received, months);
		assertThat(extended).isAfter(Deadlines.due(received));
		assertThat(extended).isEqualTo(received.plusMonths(1 + months));
		assertThat(extended).isBeforeOrEqualTo(received.plusMonths(3));
	}

	@Property
	void anExtensionIsAllowedOnlyWithinTheFirstMonthWithAReasonByOneOrTwoMonthsOnce(@ForAll("receipts") LocalDate received,
			@ForAll @IntRange(min = 0, max = 80) int daysLater, @ForAll @IntRange(min = -1, max = 4) int months,
			@ForAll boolean extendedAlready, @ForAll boolean withReason) {
		LocalDate today = received.plusDays(daysLater);
		String why = Deadlines.whyNotExtendable(received, today, months, extendedAlready, withReason ? "complex request" : " ");
		boolean allowed = !today.isAfter(Deadlines.due(received)) && months >= 1 && months <= 2 && !extendedAlready && withReason;
		assertThat(why == null).isEqualTo(allowed);
	}

	@Example
	void aLeapDayReceiptIsDueOnTheTwentyNinthOfMarch() {
		assertThat(Deadlines.due(LocalDate.of(2028, 2, 29))).isEqualTo(LocalDate.of(2028, 3, 29));
		assertThat(Deadlines.extended(LocalDate.of(2027, 12, 31), 2)).isEqualTo(LocalDate.of(2028, 3, 31));
		assertThat(Deadlines.extended(LocalDate.of(2026, 11, 30), 1)).isEqualTo(LocalDate.of(2027, 1, 30));
		assertThat(Deadlines.due(LocalDate.of(2026, 3, 31))).isEqualTo(LocalDate.of(2026, 4, 30));
	}
}

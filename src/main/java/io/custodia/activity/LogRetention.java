package io.custodia.activity;

import java.time.Duration;
import java.time.Instant;
import java.time.Period;
import java.time.ZoneId;

/**
 * How long a tenant's activity log keeps pseudonyms, from its policy: the first retention rule of the configured
 * activity, or the default. {@code delete} when that rule deletes rather than de-identifies.
 */
record LogRetention(ZoneId zone, Period period, boolean delete, String source) {

	/** Far more than calendar arithmetic can shift (month ends clamp by up to 3 days; offsets change by hours). */
	private static final Duration MARGIN = Duration.ofDays(31);

	/** Whether an event at {@code at} is still within the retention at {@code now} (in the tenant's calendar). */
	boolean keeps(Instant at, Instant now) {
		return at.atZone(zone).plus(period).toInstant().isAfter(now);
	}

	/**
	 * An instant from which on every event is certainly within the retention at {@code now}, so that a batch
	 * checks exactly only the events before it (a month of margin before the cutoff); null when the period has a
	 * negative part and every event must be checked.
	 */
	Instant surelyKeptFrom(Instant now) {
		if (period.getYears() < 0 || period.getMonths() < 0 || period.getDays() < 0) {
			return null;
		}
		return now.atZone(zone).minus(period).toInstant().plus(MARGIN);
	}
}

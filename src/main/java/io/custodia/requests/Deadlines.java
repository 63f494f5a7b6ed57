package io.custodia.requests;

import java.time.LocalDate;

/**
 * R17 in calendar terms, in the tenant's time zone: an answer is due one month after receipt (31 January →
 * the last day of February); it may be extended by up to two further months, with a reason, and only while the
 * first month runs (on the due day at the latest).
 */
public final class Deadlines {

	private Deadlines() {
	}

	public static LocalDate due(LocalDate received) {
		return received.plusMonths(1);
	}

	/** The due date after an extension of {@code months} (1 or 2) further months, counted from receipt. */
	public static LocalDate extended(LocalDate received, int months) {
		return received.plusMonths(1L + months);
	}

	/** Why an extension is not allowed, or null when it is. */
	public static String whyNotExtendable(LocalDate received, LocalDate today, int months, boolean extendedAlready,
			String reason) {
		if (months < 1 || months > 2) {
			return "months: an extension is one or two further months";
		}
		if (reason == null || reason.isBlank()) {
			return "reason: an extension needs a reason, which the requester is told";
		}
		if (extendedAlready) {
			return "months: the request was extended already";
		}
		if (today.isAfter(due(received))) {
			return "months: an extension is possible only within the first month (until " + due(received) + ")";
		}
		return null;
	}
}

package io.custodia.activity;

import java.math.BigDecimal;
import java.util.List;

/**
 * Usage of one month for billing, from pseudonyms only: per product the distinct users (distinct user
 * pseudonyms of the month), the sessions (product starts) and the hours (each start paired with the next end of
 * the same user pseudonym, host pseudonym and product; a start without an end counts as a session with no hours).
 */
public record UsageReport(String month, List<Line> products) {

	public record Line(String product, long distinctUsers, long sessions, BigDecimal hours, long openSessions) {
	}
}

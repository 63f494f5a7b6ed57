package io.custodia.retention;

import java.time.LocalDate;

import io.custodia.policy.Policy.RetentionAction;

/**
 * When and how a record's retention ends under its rule.
 *
 * @param ruleId the rule that applies (the first of the activity's rules whose conditions hold)
 * @param clock the fact that starts the period
 * @param date the day the action is due; {@code null} while the clock has not started
 */
public record Due(String ruleId, String clock, LocalDate date, RetentionAction action) {

	public boolean isStarted() {
		return date != null;
	}
}

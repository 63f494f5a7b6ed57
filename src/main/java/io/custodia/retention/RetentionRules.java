package io.custodia.retention;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Map;
import java.util.Optional;

import io.custodia.policy.Policy;
import io.custodia.policy.Policy.Activity;
import io.custodia.policy.Policy.Bound;
import io.custodia.policy.Policy.RetentionAction;
import io.custodia.policy.Policy.RetentionRule;
import io.custodia.records.RetentionCandidate;

/**
 * Which rule applies to a record and when it falls due. Pure calendar arithmetic in the tenant's zone:
 * 31 January plus one month is the last day of February, and leap days count.
 */
final class RetentionRules {

	private RetentionRules() {
	}

	/** The record's due, or empty when no rule applies yet (a state it needs is not recorded). */
	static Optional<Due> due(Policy policy, RetentionCandidate record) {
		Activity activity = policy.activities().get(record.activity());
		if (activity == null) {
			return Optional.empty();
		}
		Map<String, String> facts = record.facts();
		for (RetentionRule rule : activity.retention()) {
			if (rule.appliesTo(facts)) {
				return Optional.of(due(rule, start(policy, record, rule.from())));
			}
		}
		return Optional.empty();
	}

	/** The rule named in the report and audit for a record that goes because its subject asked for erasure. */
	static final String ERASURE_REQUESTED = "erasure_requested";

	/**
	 * When a record an erasure kept restricted (PendingErasures) is to go, always deleted: on {@code day}, unless its
	 * activity rests on a legal obligation; then once the obligation's minimum has run (the first rule that applies:
	 * its clock plus its period, also for an at-least rule, as the erasure's answer said). Legal holds are checked
	 * apart, before this.
	 */
	static Optional<Due> erasureDue(Policy policy, RetentionCandidate record, LocalDate day) {
		Activity activity = policy.activities().get(record.activity());
		if (activity == null || activity.legalBasis() != Policy.LegalBasis.LEGAL_OBLIGATION) {
			return Optional.of(new Due(ERASURE_REQUESTED, ERASURE_REQUESTED, day, RetentionAction.DELETE));
		}
		for (RetentionRule rule : activity.retention()) {
			if (rule.appliesTo(record.facts())) {
				LocalDate start = start(policy, record, rule.from());
				return Optional.of(new Due(rule.id(), rule.from(), start == null ? null : start.plus(rule.period()),
						RetentionAction.DELETE));
			}
		}
		return Optional.empty();
	}

	static Due due(RetentionRule rule, LocalDate start) {
		if (start == null) {
			return new Due(rule.id(), rule.from(), null, rule.action());
		}
		if (rule.bound() == Bound.AT_LEAST && rule.max() != null) {
			return new Due(rule.id(), rule.from(), start.plus(rule.max()), rule.action());
		}
		if (rule.bound() == Bound.AT_LEAST) {
			return new Due(rule.id(), rule.from(), start.plus(rule.period()), RetentionAction.REVIEW);
		}
		return new Due(rule.id(), rule.from(), start.plus(rule.period()), rule.action());
	}

	private static LocalDate start(Policy policy, RetentionCandidate record, String clock) {
		if (Policy.COLLECTED.equals(clock)) {
			return record.createdAt().atZone(ZoneId.of(policy.timeZone())).toLocalDate();
		}
		String value = record.facts().get(clock);
		return value == null ? null : LocalDate.parse(value);
	}
}

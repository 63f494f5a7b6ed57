package io.custodia.retention;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * What a retention run did, or (dry run) would do, record by record; and the records nothing will expire until a
 * fact is recorded ({@code waiting}), counted per activity and rule.
 */
public record RetentionReport(String tenantId, LocalDate asOf, boolean dryRun, List<Item> items, List<Waiting> waiting) {

	public enum Outcome {
		DELETED, DEIDENTIFIED, QUEUED_FOR_REVIEW, HELD, RESTRICTED_SKIPPED, WOULD_DELETE, WOULD_DEIDENTIFY,
		WOULD_QUEUE_FOR_REVIEW
	}

	/**
	 * One record that falls due.
	 *
	 * @param hold the reference of the legal hold that kept it, if one did
	 */
	public record Item(UUID recordId, String activity, String ruleId, String action, LocalDate due, Outcome outcome,
			String hold) {
	}

	/**
	 * Records whose retention has not started on the report's day, so that no run will act on them until the fact
	 * that starts it is recorded: an applicant hired but with no end of employment, a ticket never closed. A policy
	 * can promise "five years after the assessment" only if the assessment's end is recorded; these are what the DPO
	 * chases. Restricted records are counted too (they would otherwise wait unseen twice over).
	 *
	 * @param ruleId the rule that applies, or null when no rule does (the state that chooses one is not recorded)
	 * @param waitingFor the fact that starts the rule's period, or null when no rule applies
	 * @param oldestStored the day (in the tenant's zone) the oldest of them was stored
	 */
	public record Waiting(String activity, String ruleId, String waitingFor, long records, LocalDate oldestStored) {
	}

	public Map<Outcome, Long> counts() {
		return items.stream().collect(Collectors.groupingBy(Item::outcome, Collectors.counting()));
	}

	public long count(Outcome outcome) {
		return counts().getOrDefault(outcome, 0L);
	}

}

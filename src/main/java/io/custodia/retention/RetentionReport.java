package io.custodia.retention;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

/** What a retention run did, or (dry run) would do, record by record. */
public record RetentionReport(String tenantId, LocalDate asOf, boolean dryRun, List<Item> items) {

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

	public Map<Outcome, Long> counts() {
		return items.stream().collect(Collectors.groupingBy(Item::outcome, Collectors.counting()));
	}

	public long count(Outcome outcome) {
		return counts().getOrDefault(outcome, 0L);
	}

}

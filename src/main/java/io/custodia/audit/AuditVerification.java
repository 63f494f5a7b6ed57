package io.custodia.audit;

/**
 * What {@link AuditTrail#verify} found in a tenant's chain: intact, or the first problem in sequence order.
 *
 * @param tenantId the tenant whose chain was verified
 * @param intact whether every entry is as it was recorded, none is missing and none has moved
 * @param entriesChecked how many entries were read, up to and including the first broken one
 * @param firstBrokenSequence the sequence number of the first entry that is edited, missing or out of place; null
 *            when intact
 * @param problem what is wrong there; null when intact
 * @param explanation what was found, in plain words
 */
public record AuditVerification(String tenantId, boolean intact, long entriesChecked, Long firstBrokenSequence,
		Problem problem, String explanation) {

	public enum Problem {

		/** An entry's content no longer matches its MAC: a field was changed after it was recorded. */
		EDITED,

		/** A sequence number is missing: an entry was deleted from the middle of the chain. */
		REMOVED,

		/** An entry is sealed correctly but does not follow the one before it: entries were moved or spliced in. */
		REORDERED,

		/** The chain ends before the head of the chain says it does: entries were deleted from its end. */
		TRUNCATED

	}

	static AuditVerification intact(String tenantId, long entries) {
		return new AuditVerification(tenantId, true, entries, null, null,
				entries == 0 ? "no entries recorded" : "all " + entries + " entries are as recorded, in order, none missing");
	}

	static AuditVerification broken(String tenantId, long entriesChecked, long sequence, Problem problem, String explanation) {
		return new AuditVerification(tenantId, false, entriesChecked, sequence, problem, explanation);
	}
}

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
 * @param notice something to know about an intact chain that is not damage, in plain words; null when there is
 *            nothing (today only: the head of the chain is not sealed yet, see {@link #UNSEALED})
 */
public record AuditVerification(String tenantId, boolean intact, long entriesChecked, Long firstBrokenSequence,
		Problem problem, String explanation, String notice) {

	/**
	 * A head written before heads were sealed (V57) has no seal. That is not damage, so the chain is reported
	 * intact with this notice rather than broken: otherwise every chain would read as tampered with right after
	 * the upgrade, until the tenant's next audited act seals its head. The price: whoever can write the database
	 * can remove a seal, and a head set back that way reads as unsealed, not as cut.
	 */
	static final String UNSEALED = "the end of the chain is not sealed yet: its record was written before this version"
			+ " sealed it (V57), so a cut from the end could not be told from an intact chain; the tenant's next audited act"
			+ " seals it";

	/** A verdict without a notice. */
	public AuditVerification(String tenantId, boolean intact, long entriesChecked, Long firstBrokenSequence, Problem problem,
			String explanation) {
		this(tenantId, intact, entriesChecked, firstBrokenSequence, problem, explanation, null);
	}

	public enum Problem {

		/** An entry's content no longer matches its MAC: a field was changed after it was recorded. */
		EDITED,

		/** A sequence number is missing: an entry was deleted from the middle of the chain. */
		REMOVED,

		/** An entry is sealed correctly but does not follow the one before it: entries were moved or spliced in. */
		REORDERED,

		/**
		 * The chain does not end where its head says it does, the head's seal does not match it, or the whole chain
		 * is gone: entries were deleted from its end, and the record of where it ended may have been set back.
		 */
		TRUNCATED

	}

	static AuditVerification intact(String tenantId, long entries) {
		return new AuditVerification(tenantId, true, entries, null, null,
				entries == 0 ? "no entries recorded" : "all " + entries + " entries are as recorded, in order, none missing");
	}

	/** Intact, but with a head that is not sealed yet. */
	static AuditVerification intactUnsealed(String tenantId, long entries) {
		AuditVerification intact = intact(tenantId, entries);
		return new AuditVerification(tenantId, true, entries, null, null, intact.explanation(), UNSEALED);
	}

	static AuditVerification broken(String tenantId, long entriesChecked, long sequence, Problem problem, String explanation) {
		return new AuditVerification(tenantId, false, entriesChecked, sequence, problem, explanation);
	}
}

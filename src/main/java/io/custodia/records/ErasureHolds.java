package io.custodia.records;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Legal holds as an outright erasure sees them (R5). The holds are kept by the retention module, which depends on
 * this one; it implements this, and {@link RecordManagement#eraseSubjectUnlessHeld} asks it in the erasure's
 * transaction, once the subject is locked. Erasure requests work out what they keep themselves.
 */
public interface ErasureHolds {

	/**
	 * For each of the subject's records an active hold covers, that hold; for a subject without records that a hold
	 * on the subject covers, that hold under the subject's own id (its identifiers are what the hold keeps).
	 */
	Map<UUID, Hold> holding(String tenantId, UUID subjectId, List<RetentionCandidate> records);

	/** For each of these records (of any subjects) an active hold covers, that hold: for a retention chunk. */
	Map<UUID, Hold> holdingRecords(String tenantId, List<RetentionCandidate> records);

	/**
	 * Audits, in the caller's transaction, that an erasure left these records (or the subject, under its own id)
	 * alone because of their holds.
	 */
	void heldBack(String tenantId, String actor, UUID subjectId, Map<UUID, Hold> held);

	/** A hold, as much of it as the erasure's answer and audit name. */
	record Hold(UUID id, String reference, LocalDate reviewDate) {
	}
}

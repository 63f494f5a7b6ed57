package io.custodia.records;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Records a subject asked to have erased that something still keeps (a legal hold, a legal obligation): restricted
 * and marked to go once nothing keeps them. Published in the marking transaction, before it commits, so whoever
 * records erasures (the erasure ledger) has them on disk first: a restore from a backup older than the request then
 * marks them again instead of bringing them back as ordinary records. Ids only.
 */
public record RecordsAwaitingErasure(String tenantId, List<Awaiting> records, Instant at) {

	/** One record and its subject's id. */
	public record Awaiting(UUID recordId, UUID subjectId) {
	}
}

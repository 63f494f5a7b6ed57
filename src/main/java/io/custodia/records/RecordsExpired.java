package io.custodia.records;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Records whose subject stays but which were deleted or de-identified (retention, consent withdrawal, a request's
 * erasure). Published in the changing transaction, before it commits, so whoever records erasures (the erasure
 * ledger) has them on disk first; ids only. A subject erased whole is {@link SubjectErased} instead.
 */
public record RecordsExpired(String tenantId, List<Expired> records, Instant at) {

	/** One record: its id, its subject's id, and whether it was de-identified (else deleted). */
	public record Expired(UUID recordId, UUID subjectId, boolean deidentified) {
	}
}

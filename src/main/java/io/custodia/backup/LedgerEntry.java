package io.custodia.backup;

import java.time.Instant;
import java.util.UUID;

/**
 * One line of the erasure ledger: ids and a time, never personal data. {@code subjectId} is set for a subject
 * erasure, {@code fileId} for a file deletion, {@code recordId} (with the record's subject) for one record deleted or
 * de-identified; a tenant termination has neither.
 */
public record LedgerEntry(long sequence, Instant at, ErasureKind kind, String tenantId, UUID subjectId, UUID fileId,
		UUID recordId) {

	/** An entry about a subject or a file (no record). */
	public LedgerEntry(long sequence, Instant at, ErasureKind kind, String tenantId, UUID subjectId, UUID fileId) {
		this(sequence, at, kind, tenantId, subjectId, fileId, null);
	}
}

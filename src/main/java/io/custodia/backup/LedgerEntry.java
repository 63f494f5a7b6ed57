package io.custodia.backup;

import java.time.Instant;
import java.util.UUID;

/**
 * One line of the erasure ledger: ids and a time, never personal data. {@code subjectId} is set for a subject
 * erasure, {@code fileId} for a file deletion; a tenant termination has neither.
 */
public record LedgerEntry(long sequence, Instant at, ErasureKind kind, String tenantId, UUID subjectId, UUID fileId) {
}

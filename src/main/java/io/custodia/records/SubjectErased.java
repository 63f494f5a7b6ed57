package io.custodia.records;

import java.time.Instant;
import java.util.UUID;

/**
 * A subject was erased (on request, or when retention took its last record): its key is destroyed. Published in
 * the erasing transaction, before it commits; ids only.
 */
public record SubjectErased(String tenantId, UUID subjectId, Instant at) {
}

package io.custodia.records;

import java.time.Instant;
import java.util.UUID;

/**
 * A subject is erased (on request, or when retention took its last record): its records go and its key is
 * destroyed. Published in the erasing transaction before its rows go, so that a listener may do slow work (the
 * erasure ledger forcing its line to disk) while they go; the transaction commits only once listeners have
 * finished. Ids only.
 */
public record SubjectErased(String tenantId, UUID subjectId, Instant at) {
}

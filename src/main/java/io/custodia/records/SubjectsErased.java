package io.custodia.records;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Subjects erased together, when a retention chunk took their last records: one event per chunk, so that whoever
 * records erasures (the erasure ledger) can write them with one forced write. Published in the erasing transaction,
 * before it commits; ids only.
 */
public record SubjectsErased(String tenantId, List<UUID> subjectIds, Instant at) {
}

package io.custodia.records;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/** A record as its reader sees it, fields decrypted. */
public record RecordView(UUID id, UUID subjectId, String activity, String category, String clientRecordId,
		Map<String, Object> fields, Map<String, String> facts, RecordStatus status, Instant createdAt, Instant updatedAt) {
}

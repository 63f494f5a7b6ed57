package io.custodia.records;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/** What retention needs to know of a record: no field values, only where it stands and its facts. */
public record RetentionCandidate(UUID id, UUID subjectId, String activity, String category, RecordStatus status,
		Instant createdAt, Map<String, String> facts) {
}

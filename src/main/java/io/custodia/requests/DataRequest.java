package io.custodia.requests;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;
import java.util.UUID;

/**
 * A request as staff see it: no e-mail address or free text (those are sealed), only where it stands.
 *
 * @param answer what was done, once completed: ids, counts, dates; never field values
 */
public record DataRequest(UUID id, String type, String state, String channel, UUID subjectId, Instant receivedAt,
		LocalDate receivedOn, LocalDate dueOn, String extensionReason, Instant verifiedAt, String verificationMethod,
		Instant closedAt, String refusalReason, Map<String, Object> answer) {
}

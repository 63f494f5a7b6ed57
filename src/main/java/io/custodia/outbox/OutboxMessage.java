package io.custodia.outbox;

import java.time.Instant;
import java.util.UUID;

/**
 * One message as the operator sees it: no content (that is sealed), only where it goes and how delivery went.
 *
 * @param destination the recipient id for a webhook; empty for an e-mail (the address is sealed)
 */
public record OutboxMessage(UUID id, String kind, String destination, int attempts, Instant nextAttemptAt,
		Instant deliveredAt, boolean dead, String lastError) {
}

package io.custodia.retention;

import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;

/** A legal hold (R5): blocks retention and erasure of what it covers until released. */
public record LegalHold(UUID id, String reference, HoldScope scope, String scopeId, String reason, LocalDate reviewDate,
		String placedBy, Instant placedAt, Instant releasedAt) {

	public boolean isActive() {
		return releasedAt == null;
	}
}

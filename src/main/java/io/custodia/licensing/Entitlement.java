package io.custodia.licensing;

import java.time.Instant;
import java.util.UUID;

/** A tenant's right to use a product on {@code seats} machines at once, from {@code validFrom} until (excluding) {@code validUntil}. */
public record Entitlement(UUID id, String product, int seats, Instant validFrom, Instant validUntil, Instant createdAt,
		int seatsInUse) {
}

package io.custodia.licensing;

import java.time.Instant;
import java.util.UUID;

/** A seat held by a client until {@code expiresAt}, unless renewed; {@code token} proves it offline. */
public record Lease(UUID leaseId, UUID entitlementId, String product, int slot, Instant checkedOutAt, Instant expiresAt,
		String token) {
}

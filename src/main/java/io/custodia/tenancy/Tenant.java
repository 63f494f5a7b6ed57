package io.custodia.tenancy;

import java.time.Instant;

/** One organisation served by Custodia. */
public record Tenant(String id, String name, Instant createdAt) {
}

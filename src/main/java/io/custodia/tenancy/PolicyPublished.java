package io.custodia.tenancy;

import java.time.LocalDate;

/** A new version of a tenant's policy was published; it takes effect on {@code effective}. */
public record PolicyPublished(String tenantId, String version, LocalDate effective) {
}

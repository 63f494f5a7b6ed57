package io.custodia.tenancy;

import java.time.Instant;
import java.time.LocalDate;

import io.custodia.policy.Policy;

/** A version of a tenant's policy as published, with the checked policy it holds. */
public record PublishedPolicy(String tenantId, String tenantName, String version, LocalDate effective,
		Instant publishedAt, String sha256, Policy policy) {
}

package io.custodia.tenancy;

/** A newly issued API key. {@code token} is shown this once and never stored. */
public record IssuedApiKey(String keyId, String tenantId, Role role, String token) {
}

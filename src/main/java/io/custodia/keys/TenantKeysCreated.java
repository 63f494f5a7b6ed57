package io.custodia.keys;

/** Key event of a tenant, for the audit trail. */
public record TenantKeysCreated(String tenantId) {
}

/**
 * The file vault: per-tenant folders of files (engineering files, documents) of any size, each encrypted with its
 * own streaming-AEAD key (Tink AES256_GCM_HKDF_1MB) that the tenant's data key wraps and only the database holds.
 * Deleting a file deletes its wrapped key, so every copy of its blob, backups included, is unreadable; paths are
 * sealed with the tenant key and found by blind index; quotas per tenant; blobs behind {@link io.custodia.vault.BlobStore}
 * (local disk by default). Operators, the hosting provider's staff with keys of their own, read a tenant's files
 * only through an {@linkplain io.custodia.vault.AccessGrants access grant} the tenant approves, limited in time and
 * scope, every read audited and listed for the tenant (R9).
 * <p>
 * Uses {@code keys} (tenant AEAD, blind index), {@code audit}, {@code tenancy} (API principal, roles), {@code backup}
 * (the erasure ledger and its replay), {@code termination} (tenant end) and {@code records}' {@code Durability} only
 * (a deletion is forced to disk before it is acknowledged). Publishes
 * {@link io.custodia.vault.FileDeleted}; {@link io.custodia.vault.Vault#deleteAllOf} removes a tenant's whole vault
 * at tenant end.
 */
@org.springframework.modulith.ApplicationModule(displayName = "File vault")
package io.custodia.vault;

package io.custodia.vault;

/** What {@link Vault#deleteAllOf} removed: files (with their keys), bytes of content, and blobs on the store. */
public record VaultPurge(String tenantId, long files, long bytes, long blobs) {
}

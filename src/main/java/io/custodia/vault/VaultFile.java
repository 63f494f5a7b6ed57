package io.custodia.vault;

import java.time.Instant;
import java.util.UUID;

/** A file as its tenant sees it; {@code size} is the content's, not the ciphertext's. */
public record VaultFile(UUID id, String path, String folder, String name, long size, Instant createdAt, Instant updatedAt) {

	static VaultFile of(UUID id, String path, long size, Instant createdAt, Instant updatedAt) {
		return new VaultFile(id, path, VaultPaths.folderOf(path), VaultPaths.nameOf(path), size, createdAt, updatedAt);
	}
}

package io.custodia.vault;

import java.time.Instant;
import java.util.UUID;

/**
 * A file was deleted: its wrapped key is gone, so every copy of its blob (backups included) is unreadable. Published
 * in the deleting transaction; a backup restore must delete the file again.
 */
public record FileDeleted(String tenantId, UUID fileId, Instant at) {
}

package io.custodia.backup;

import java.nio.file.Path;
import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Backups ({@code custodia.backup.*}).
 *
 * @param directory where backups are written; by default {@code backups/} beside the data directory
 * @param files the files directory backed up with the database; by default the vault's ({@code custodia.vault.dir},
 *     else {@code vault/} in the data directory)
 * @param retention how long a backup lives before its key is destroyed (30 days)
 * @param replayOverlap after a restore, ledger entries are applied from this long before the backup was taken, so
 *     an erasure whose entry was written just before the backup began but committed after it is applied too
 */
@ConfigurationProperties("custodia.backup")
record BackupProperties(Path directory, Path files, Duration retention, Duration replayOverlap) {

	BackupProperties {
		retention = retention == null ? Duration.ofDays(30) : retention;
		replayOverlap = replayOverlap == null ? Duration.ofHours(1) : replayOverlap;
	}
}

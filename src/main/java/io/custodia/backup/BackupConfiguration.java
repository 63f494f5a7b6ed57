package io.custodia.backup;

import java.nio.file.Path;
import java.time.Clock;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

import io.custodia.CustodiaProperties;
import io.custodia.InvalidConfigurationException;
import io.custodia.keys.ServiceKeys;

/**
 * Where backups, the files directory and the erasure ledger are, checked at start: the ledger and the key store
 * must be outside the data directory and outside the backup directory, so that no copy of the data and no backup
 * ever holds them.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({ BackupProperties.class, LedgerProperties.class })
class BackupConfiguration {

	/** The locations, resolved against the data directory's parent. */
	record Locations(Path dataDir, Path backups, Path files, Path ledger) {
	}

	@Bean
	Locations backupLocations(CustodiaProperties custodia, BackupProperties backup, LedgerProperties ledger, ServiceKeys keys,
			Environment environment) {
		Path data = custodia.dataDir().toAbsolutePath().normalize();
		Path beside = data.getParent() == null ? data : data.getParent();
		Path backups = absolute(backup.directory(), beside.resolve("backups"));
		// the vault's blob directory unless set otherwise: custodia.vault.dir, by default vault/ in the data directory
		String vault = environment.getProperty("custodia.vault.dir", "");
		Path files = absolute(backup.files(), vault.isBlank() ? data.resolve("vault") : Path.of(vault));
		Path ledgerFile = absolute(ledger.file(), beside.resolve("erasure-ledger").resolve("erasures.log"));
		outside("custodia.erasure-ledger.file", ledgerFile, data, "the data directory");
		outside("custodia.erasure-ledger.file", ledgerFile, backups, "the backup directory (custodia.backup.directory)");
		outside("custodia.erasure-ledger.file", ledgerFile, files, "the files directory (custodia.backup.files)");
		outside("custodia.keys.store", keys.store(), backups, "the backup directory (custodia.backup.directory)");
		outside("custodia.backup.directory", backups, files, "the files directory (custodia.backup.files)");
		if (files.startsWith(backups)) {
			throw new InvalidConfigurationException("custodia.backup.files", files + " is inside the backup directory",
					"Keep the files directory and the backup directory apart.");
		}
		return new Locations(data, backups, files, ledgerFile);
	}

	@Bean
	ErasureLedger erasureLedger(Locations locations, ServiceKeys keys, Clock clock) {
		return new ErasureLedger(locations.ledger(), keys.ledgerMac(), clock);
	}

	private static Path absolute(Path configured, Path fallback) {
		return (configured == null ? fallback : configured).toAbsolutePath().normalize();
	}

	private static void outside(String setting, Path path, Path directory, String what) {
		if (path.startsWith(directory)) {
			throw new InvalidConfigurationException(setting, path + " is inside " + what + " (" + directory + ")",
					"Keep it outside: whatever is inside is copied with the data or into backups, and a restore would bring it back.");
		}
	}
}

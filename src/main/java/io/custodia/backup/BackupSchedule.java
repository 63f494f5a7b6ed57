package io.custodia.backup;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import net.javacrumbs.shedlock.spring.annotation.SchedulerLock;

/**
 * The daily backup, then pruning of expired ones (their keys destroyed). ShedLock lets one instance run it when
 * several share a database. {@code custodia.backup.schedule} is a Spring cron expression; "-" turns it off.
 */
@Component
class BackupSchedule {

	private static final Logger log = LoggerFactory.getLogger(BackupSchedule.class);

	private final Backups backups;

	BackupSchedule(Backups backups) {
		this.backups = backups;
	}

	@Scheduled(cron = "${custodia.backup.schedule:0 0 3 * * *}", zone = "UTC")
	@SchedulerLock(name = "backup", lockAtLeastFor = "PT1M", lockAtMostFor = "PT6H")
	void daily() {
		var info = backups.create();
		log.info("Backup {} written ({} bytes, {} files); it expires at {}", info.id(), info.bytes(), info.files(), info.expiresAt());
		var pruned = backups.prune();
		if (!pruned.isEmpty()) {
			log.info("Backups expired, their keys destroyed: {}", pruned);
		}
	}
}

package io.custodia.licensing;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.Scheduled;

import net.javacrumbs.shedlock.spring.annotation.SchedulerLock;

/** Releases leases not renewed in time, every minute by default; one instance at a time (ShedLock). */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(LicensingProperties.class)
class LicensingSchedule {

	private final LicensingManagement licensing;

	LicensingSchedule(LicensingManagement licensing) {
		this.licensing = licensing;
	}

	@Scheduled(cron = "${custodia.licensing.sweep-schedule:30 * * * * *}", zone = "UTC")
	@SchedulerLock(name = "licence-sweep", lockAtMostFor = "PT5M")
	void sweep() {
		licensing.sweepAll();
	}
}

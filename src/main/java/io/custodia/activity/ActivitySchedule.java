package io.custodia.activity;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.Scheduled;

import net.javacrumbs.shedlock.spring.annotation.SchedulerLock;

/**
 * The daily end of log retention: events past it become anonymous and expired months lose their keys. ShedLock
 * (the lock provider of the retention module's schedule) keeps it to one instance at a time.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ActivityProperties.class)
class ActivitySchedule {

	private final ActivityLog log;

	ActivitySchedule(ActivityLog log) {
		this.log = log;
	}

	@Scheduled(cron = "${custodia.activity.schedule:0 45 2 * * *}", zone = "UTC")
	@SchedulerLock(name = "activity-retention", lockAtLeastFor = "PT1M")
	void daily() {
		log.expireAll();
	}
}

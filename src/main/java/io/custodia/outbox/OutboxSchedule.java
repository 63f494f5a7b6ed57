package io.custodia.outbox;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.Scheduled;

import net.javacrumbs.shedlock.spring.annotation.SchedulerLock;

/**
 * Delivers due messages every {@code custodia.outbox.poll-interval}; ShedLock keeps it to one instance at a time
 * (the lock provider and scheduling are the retention module's). Messages are also claimed one by one, so a
 * delivery on demand next to the poller sends nothing twice at the same moment.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(OutboxProperties.class)
class OutboxSchedule {

	private final Outbox outbox;

	OutboxSchedule(Outbox outbox) {
		this.outbox = outbox;
	}

	@Scheduled(fixedDelayString = "${custodia.outbox.poll-interval:PT15S}", initialDelayString = "${custodia.outbox.poll-interval:PT15S}")
	@SchedulerLock(name = "outbox", lockAtMostFor = "PT10M")
	void poll() {
		outbox.deliverDue();
	}
}

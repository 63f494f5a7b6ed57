package io.custodia.requests;

import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.Scheduled;

import net.javacrumbs.shedlock.spring.annotation.SchedulerLock;

/** Deletes access packages nobody downloaded within their 7 days, hourly, on one instance at a time. */
@Configuration(proxyBeanMethods = false)
class RequestsSchedule {

	private final RequestManagement requests;

	RequestsSchedule(RequestManagement requests) {
		this.requests = requests;
	}

	@Scheduled(fixedDelayString = "PT1H", initialDelayString = "PT5M")
	@SchedulerLock(name = "request-downloads", lockAtMostFor = "PT10M")
	void deleteExpiredDownloads() {
		requests.deleteExpiredDownloads();
	}
}

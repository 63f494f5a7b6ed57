package io.custodia.retention;

import javax.sql.DataSource;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;

import net.javacrumbs.shedlock.core.LockProvider;
import net.javacrumbs.shedlock.provider.jdbctemplate.JdbcTemplateLockProvider;
import net.javacrumbs.shedlock.spring.annotation.EnableSchedulerLock;
import net.javacrumbs.shedlock.spring.annotation.SchedulerLock;

/**
 * The daily retention run. ShedLock keeps it to one instance at a time when several share a database;
 * the time comes from the database, so instances with skewed clocks still agree.
 */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
@EnableSchedulerLock(defaultLockAtMostFor = "PT6H")
class RetentionSchedule {

	private final RetentionRuns runs;

	RetentionSchedule(RetentionRuns runs) {
		this.runs = runs;
	}

	@Scheduled(cron = "${custodia.retention.schedule:0 30 2 * * *}", zone = "UTC")
	@SchedulerLock(name = "retention", lockAtLeastFor = "PT1M")
	void daily() {
		runs.runAll();
	}

	@Bean
	LockProvider lockProvider(DataSource dataSource) {
		return new JdbcTemplateLockProvider(JdbcTemplateLockProvider.Configuration.builder()
			.withJdbcTemplate(new JdbcTemplate(dataSource))
			.usingDbTime()
			.build());
	}
}

package io.custodia.activity;

import java.time.Period;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of the activity log ({@code custodia.activity.*}).
 *
 * @param policyActivity the activity of the tenant's policy whose first retention rule is the log retention
 *            (the example policy imk.yaml calls it {@code usage_logs})
 * @param defaultRetention the log retention where the tenant's policy declares no such activity
 * @param schedule when the daily expiry runs (cron, UTC)
 */
@ConfigurationProperties("custodia.activity")
public record ActivityProperties(String policyActivity, Period defaultRetention, String schedule) {

	public ActivityProperties {
		policyActivity = policyActivity == null || policyActivity.isBlank() ? "usage_logs" : policyActivity;
		defaultRetention = defaultRetention == null ? Period.ofMonths(6) : defaultRetention;
		schedule = schedule == null || schedule.isBlank() ? "0 45 2 * * *" : schedule;
	}
}

package io.custodia.outbox;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Outbox settings ({@code custodia.outbox.*}).
 *
 * @param pollInterval how often the poller looks for due messages
 * @param maxAttempts attempts before a message is dead (the dead-letter list)
 * @param firstRetry the wait after the first failure; doubled after each further one, up to {@code maxRetry}
 * @param maxRetry the longest wait between attempts
 * @param mailFrom the sender address of e-mails
 * @param webhookTimeout how long a webhook receiver may take to answer
 */
@ConfigurationProperties("custodia.outbox")
public record OutboxProperties(Duration pollInterval, Integer maxAttempts, Duration firstRetry, Duration maxRetry,
		String mailFrom, Duration webhookTimeout) {

	public OutboxProperties {
		pollInterval = pollInterval == null ? Duration.ofSeconds(15) : pollInterval;
		maxAttempts = maxAttempts == null ? 8 : maxAttempts;
		firstRetry = firstRetry == null ? Duration.ofMinutes(1) : firstRetry;
		maxRetry = maxRetry == null ? Duration.ofHours(6) : maxRetry;
		mailFrom = mailFrom == null || mailFrom.isBlank() ? "privacy@custodia.invalid" : mailFrom;
		webhookTimeout = webhookTimeout == null ? Duration.ofSeconds(10) : webhookTimeout;
	}

	/** The wait after the given number of failed attempts (1, 2, ...): doubling, capped. */
	Duration backoff(int failures) {
		Duration wait = firstRetry;
		for (int i = 1; i < failures && wait.compareTo(maxRetry) < 0; i++) {
			wait = wait.multipliedBy(2);
		}
		return wait.compareTo(maxRetry) > 0 ? maxRetry : wait;
	}
}

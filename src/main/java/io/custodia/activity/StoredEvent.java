package io.custodia.activity;

import java.time.Instant;

/** An event as stored: pseudonyms only (null once the event is anonymous). */
public record StoredEvent(long id, String period, String type, Instant at, String product, String browserName,
		String browserVersion, String userPseudonym, String ipPseudonym, String hostPseudonym, String macPseudonym) {
}

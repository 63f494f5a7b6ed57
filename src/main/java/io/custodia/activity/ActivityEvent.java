package io.custodia.activity;

import java.time.Instant;

/**
 * An event as a client reports it, with the identifying values in the clear. They are normalised and replaced
 * by pseudonyms at ingest and never stored; any of them may be null.
 *
 * @param type what happened
 * @param at when it happened
 * @param userName the user's name, e.g. {@code jdoe} (lower-cased before keying)
 * @param ipAddress the client's IPv4 or IPv6 address (canonical form before keying)
 * @param hostName the client's host name (lower-cased, trailing dot removed)
 * @param macAddress the client's MAC address, with colons, hyphens, dots or no separators
 * @param browserName the browser at login or logout
 * @param browserVersion its version
 * @param product the product started or ended (required for those two types)
 * @param eventId the client's id of the event, if it gives one: an event whose id and time are stored already is
 *            not stored again. Keyed with the month's key like the identifying values, never stored as given.
 */
public record ActivityEvent(EventType type, Instant at, String userName, String ipAddress, String hostName,
		String macAddress, String browserName, String browserVersion, String product, String eventId) {

	/** An event without a client id. */
	public ActivityEvent(EventType type, Instant at, String userName, String ipAddress, String hostName, String macAddress,
			String browserName, String browserVersion, String product) {
		this(type, at, userName, ipAddress, hostName, macAddress, browserName, browserVersion, product, null);
	}
}

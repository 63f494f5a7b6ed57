package io.custodia.records;

import java.util.UUID;

import com.fasterxml.uuid.Generators;
import com.fasterxml.uuid.impl.TimeBasedEpochGenerator;

/**
 * Ids of subjects and records: time-ordered UUIDs (version 7). Random ids scatter every insert across the whole
 * primary-key and (tenant, id) indexes, so each commit rewrites pages all over the tree; time-ordered ids append
 * at the right edge, which keeps imports fast and the embedded database file small. The id reveals when it was
 * made (to the millisecond), which the record's own timestamps say anyway; the rest of it is random.
 */
final class Ids {

	private static final TimeBasedEpochGenerator GENERATOR = Generators.timeBasedEpochGenerator();

	private Ids() {
	}

	static UUID next() {
		return GENERATOR.generate();
	}

	private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();

	/**
	 * The new id of a record being de-identified (R4: nothing links it to its subject, and the audit and the erasure
	 * ledger name the record's old id with its subject). A version-7 layout whose time is the day's start (UTC) and
	 * the rest random: the id says only on which day, and ids made on one day are not in the order they were made
	 * (the audit's entries are), while they still land in the newest part of the primary-key index.
	 */
	static UUID deidentified(java.time.Instant now) {
		long day = now.truncatedTo(java.time.temporal.ChronoUnit.DAYS).toEpochMilli();
		long high = (day << 16) | 0x7000L | (RANDOM.nextLong() & 0x0FFFL);
		long low = (RANDOM.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
		return new UUID(high, low);
	}

	/** A de-identified record's times: the day only, as its facts have, so that no time matches an audit entry. */
	static java.time.Instant day(java.time.Instant instant) {
		return instant.truncatedTo(java.time.temporal.ChronoUnit.DAYS);
	}
}

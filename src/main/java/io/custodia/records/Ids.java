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
		return deidentified(now, RANDOM.nextLong(), 64);
	}

	/** At least this many records de-identified together share a bucket ({@link #deidentifiedTogether}). */
	static final int BUCKET = 64;

	/**
	 * New ids for records de-identified together (a retention chunk): as {@link #deidentified}, but sharing 32
	 * random bits after the day, so that they land side by side in the primary-key index instead of each at a random
	 * place in it. A retention run over a million records spent a third more time with ids scattered over the whole
	 * day's range (each one a page H2 no longer had in its cache). The bucket is random, not the time, but it tells
	 * which records were de-identified together: matched with the audit's entries of that chunk, a record hides among
	 * the chunk's records (at least {@value #BUCKET}) instead of among the day's; the bucket does not tell which of
	 * them was whose. {@code count} is how many will really be de-identified; fewer than {@value #BUCKET} get
	 * scattered ids.
	 */
	static java.util.function.Supplier<UUID> deidentifiedTogether(java.time.Instant now, int count) {
		if (count < BUCKET) {
			return () -> deidentified(now);
		}
		long bucket = RANDOM.nextLong();
		return () -> deidentified(now, bucket, 32);
	}

	/** The day's start in the version-7 time bits, then {@code fixed} leading bits of {@code prefix}, the rest random. */
	private static UUID deidentified(java.time.Instant now, long prefix, int fixed) {
		long day = now.truncatedTo(java.time.temporal.ChronoUnit.DAYS).toEpochMilli();
		byte[] bytes = new byte[16];
		RANDOM.nextBytes(bytes);
		var random = java.nio.ByteBuffer.wrap(bytes);
		long mask = -1L << (64 - fixed);
		long chosen = (prefix & mask) | (random.getLong() & ~mask);
		// 74 bits after the version and the variant: 12 in the high word, then 62 in the low one (52 of chosen, 10 more)
		long high = (day << 16) | 0x7000L | (chosen >>> 52);
		long low = 0x8000000000000000L | ((chosen & 0x000FFFFFFFFFFFFFL) << 10) | (random.getLong() & 0x3FFL);
		return new UUID(high, low);
	}

	/** A de-identified record's times: the day only, as its facts have, so that no time matches an audit entry. */
	static java.time.Instant day(java.time.Instant instant) {
		return instant.truncatedTo(java.time.temporal.ChronoUnit.DAYS);
	}
}

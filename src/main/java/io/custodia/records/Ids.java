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
}

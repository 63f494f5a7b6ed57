package io.custodia.records;

import java.util.ArrayList;
import java.util.List;

/**
 * Long IN lists go to the database in slices. H2 finds each listed key through the index, but then checks every
 * row it found against the whole list again, so one list of n keys costs n squared comparisons; slices of 50 keep
 * that small while still saving most round trips. (PostgreSQL does not care either way.)
 * <p>
 * A slice is padded to one of a few lengths ({@link #LENGTHS}) by repeating its last key, which changes no IN's
 * answer. Each length is another statement text, and a database parses each text it has not kept: with a slice of
 * any length from 1 to 50, the statements of one bulk-import batch came in more texts than H2 keeps per connection
 * (its query cache), and it parsed them again in every batch.
 */
final class InLists {

	static final int SLICE = 50;

	/** The lengths a slice is padded to: each the smallest of these that holds it. */
	static final int[] LENGTHS = { 1, 2, 4, 8, 16, 32, SLICE };

	private InLists() {
	}

	static <T> List<List<T>> slices(List<T> all) {
		var slices = new ArrayList<List<T>>((all.size() + SLICE - 1) / SLICE);
		for (int from = 0; from < all.size(); from += SLICE) {
			slices.add(padded(all.subList(from, Math.min(all.size(), from + SLICE))));
		}
		return slices;
	}

	private static <T> List<T> padded(List<T> slice) {
		int length = SLICE;
		for (int candidate : LENGTHS) {
			if (candidate >= slice.size()) {
				length = candidate;
				break;
			}
		}
		if (length == slice.size()) {
			return slice;
		}
		var padded = new ArrayList<T>(length);
		padded.addAll(slice);
		T last = slice.get(slice.size() - 1);
		while (padded.size() < length) {
			padded.add(last);
		}
		return padded;
	}
}

package io.custodia.records;

import java.util.ArrayList;
import java.util.List;

/**
 * Long IN lists go to the database in slices. H2 finds each listed key through the index, but then checks every
 * row it found against the whole list again, so one list of n keys costs n squared comparisons; slices of 50 keep
 * that small while still saving most round trips. (PostgreSQL does not care either way.)
 */
final class InLists {

	static final int SLICE = 50;

	private InLists() {
	}

	static <T> List<List<T>> slices(List<T> all) {
		var slices = new ArrayList<List<T>>((all.size() + SLICE - 1) / SLICE);
		for (int from = 0; from < all.size(); from += SLICE) {
			slices.add(all.subList(from, Math.min(all.size(), from + SLICE)));
		}
		return slices;
	}
}

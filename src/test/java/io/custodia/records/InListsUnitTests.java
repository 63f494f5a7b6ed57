package io.custodia.records;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class InListsUnitTests {

	private static List<Integer> numbers(int count) {
		return IntStream.range(0, count).boxed().toList();
	}

	@Test
	void everyKeyIsInExactlyOneSliceInTheOrderGiven() {
		var slices = InLists.slices(numbers(123));
		var seen = new ArrayList<Integer>();
		for (var slice : slices) {
			// the padding repeats a slice's own last key, never another slice's
			new LinkedHashSet<>(slice).forEach(seen::add);
		}
		assertThat(seen).isEqualTo(numbers(123));
		assertThat(slices).hasSize(3);
	}

	@Test
	void slicesComeInAFewLengthsOnlyWhateverTheNumberOfKeys() {
		Set<Integer> lengths = new java.util.TreeSet<>();
		for (int count = 1; count <= 2 * InLists.SLICE + 7; count++) {
			InLists.slices(numbers(count)).forEach(slice -> lengths.add(slice.size()));
		}
		assertThat(lengths).containsExactly(1, 2, 4, 8, 16, 32, InLists.SLICE);
	}

	@Test
	void aShortSliceIsFilledWithItsLastKey() {
		assertThat(InLists.slices(List.of("a", "b", "c"))).containsExactly(List.of("a", "b", "c", "c"));
		assertThat(InLists.slices(numbers(InLists.SLICE + 5)).get(1)).containsExactly(50, 51, 52, 53, 54, 54, 54, 54);
	}

	@Test
	void noKeysMakeNoSlices() {
		assertThat(InLists.slices(List.of())).isEmpty();
	}
}

package io.custodia.records;

import java.time.Instant;
import java.util.ArrayList;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class IdsUnitTests {

	private static final Instant NOW = Instant.parse("2026-07-15T13:45:12.345Z");

	@Test
	void aDeIdentifiedRecordsIdSaysOnlyTheDayAndIsOtherwiseRandom() {
		UUID one = Ids.deidentified(NOW);
		UUID other = Ids.deidentified(NOW.plusSeconds(3600));
		assertThat(one.version()).isEqualTo(7);
		assertThat(one.variant()).isEqualTo(2);
		assertThat(one.getMostSignificantBits() >>> 16).as("the day's start, not the time")
			.isEqualTo(Instant.parse("2026-07-15T00:00:00Z").toEpochMilli())
			.isEqualTo(other.getMostSignificantBits() >>> 16);
		assertThat(one).isNotEqualTo(other);
	}

	@Test
	void recordsDeIdentifiedTogetherShareABucketInWhichTheirOrderIsRandom() {
		var together = Ids.deidentifiedTogether(NOW, 500);
		var ids = new ArrayList<UUID>();
		for (int i = 0; i < 500; i++) {
			ids.add(together.get());
		}
		// the same 32 bits after the day: 12 in the high word, 20 at the top of the low one (after the variant)
		assertThat(ids).extracting(id -> id.getMostSignificantBits() & 0xFFFL).containsOnly(ids.get(0).getMostSignificantBits() & 0xFFFL);
		assertThat(ids).extracting(id -> (id.getLeastSignificantBits() >>> 42) & 0xFFFFFL)
			.containsOnly((ids.get(0).getLeastSignificantBits() >>> 42) & 0xFFFFFL);
		assertThat(ids).doesNotHaveDuplicates();
		// made in this order, not sorted in it: the order of the chunk (and of its audit entries) is not the ids'
		var sorted = new ArrayList<>(ids);
		sorted.sort(UUID::compareTo);
		assertThat(ids).isNotEqualTo(sorted);
		// a few records are not enough to share a bucket
		var few = Ids.deidentifiedTogether(NOW, Ids.BUCKET - 1);
		assertThat(bucket(few.get())).isNotEqualTo(bucket(few.get()));
	}

	private static long bucket(UUID id) {
		return (id.getMostSignificantBits() & 0xFFFL) << 20 | (id.getLeastSignificantBits() >>> 42) & 0xFFFFFL;
	}
}

package io.custodia.activity;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

import io.custodia.activity.EventSegment.Event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A batch of events in its compact form reads back as it was written; its Bloom filter finds its users. */
class EventSegmentUnitTests {

	private static final Random RANDOM = new Random(42);

	private static byte[] pseudonym() {
		byte[] raw = new byte[PeriodKeys.PSEUDONYM_BYTES];
		RANDOM.nextBytes(raw);
		return raw;
	}

	private static Event login(Instant at, byte[] user) {
		return new Event(EventType.LOGIN, at, null, "Firefox", "128.0", user, pseudonym(), pseudonym(), pseudonym(), null);
	}

	@Test
	void aSegmentReadsBackWithEveryFieldAsItWasWritten() {
		Instant at = Instant.parse("2026-01-12T08:00:00Z");
		var events = List.of(
				new Event(EventType.PRODUCT_START, at.plusNanos(123_456_789), "ema Wörk Designer ✓", null, null, pseudonym(),
						pseudonym(), null, pseudonym(), pseudonym()),
				login(at, pseudonym()),
				new Event(EventType.PRODUCT_END, at.plusSeconds(9_000), "ema Wörk Designer ✓", null, null, null, null, null, null,
						null),
				new Event(EventType.LOGOUT, at.plusSeconds(86_400 * 20L), null, "Firefox", "129.0", pseudonym(), null, pseudonym(),
						null, pseudonym()),
				new Event(EventType.LOGIN, Instant.parse("1969-12-31T23:59:59.5Z"), null, null, null, null, pseudonym(), null, null,
						null));

		EventSegment written = EventSegment.of(events);
		EventSegment read = EventSegment.decode(written.encode());

		assertThat(read.firstSeq()).isZero();
		assertThat(read.events()).usingRecursiveFieldByFieldElementComparator().containsExactlyElementsOf(written.events());
		assertThat(read.events()).extracting(Event::at).isSorted();
		assertThat(read.firstAt()).isEqualTo(Instant.parse("1969-12-31T23:59:59.5Z"));
		assertThat(read.lastAt()).isEqualTo(at.plusSeconds(86_400 * 20L));
		assertThat(read.events().get(2).at()).as("nanoseconds are kept").isEqualTo(at.plusNanos(123_456_789));
	}

	@Test
	void eventsAtTheSameInstantKeepTheOrderTheyCameIn() {
		Instant at = Instant.parse("2026-01-12T08:00:00Z");
		var first = login(at, pseudonym());
		var second = new Event(EventType.PRODUCT_START, at, "ema", null, null, pseudonym(), null, null, null, null);
		var earlier = login(at.minusSeconds(1), pseudonym());
		var read = EventSegment.decode(EventSegment.of(List.of(first, second, earlier)).encode()).events();
		assertThat(read).extracting(Event::type).containsExactly(EventType.LOGIN, EventType.LOGIN, EventType.PRODUCT_START);
		assertThat(read.get(1).user()).isEqualTo(first.user());
	}

	@Test
	void aSegmentWhoseOldestEventsWereDeletedKeepsTheSequenceNumbersOfTheRest() {
		Instant at = Instant.parse("2026-01-12T08:00:00Z");
		var rest = List.of(login(at, pseudonym()), login(at.plusSeconds(60), pseudonym()));
		var read = EventSegment.decode(new EventSegment(998, rest).encode());
		assertThat(read.firstSeq()).isEqualTo(998);
		assertThatThrownBy(() -> new EventSegment(EventSegment.MAX_EVENTS - 1, rest)).isInstanceOf(IllegalArgumentException.class);
		assertThatThrownBy(() -> new EventSegment(0, List.of())).isInstanceOf(IllegalArgumentException.class);
	}

	@Test
	void aThousandEventsTakeAboutTheirFourPseudonymsEachAndNoHexText() {
		Instant at = Instant.parse("2026-05-01T06:00:00Z");
		var events = new ArrayList<Event>();
		for (int i = 0; i < 1000; i++) {
			events.add(i % 2 == 0 ? login(at.plusSeconds(11L * i), pseudonym())
					: new Event(EventType.PRODUCT_START, at.plusSeconds(11L * i), "ema Work Designer", null, null, pseudonym(),
							pseudonym(), pseudonym(), pseudonym(), null));
		}
		var segment = EventSegment.of(events);
		byte[] bytes = segment.encode();
		assertThat(bytes.length).as("4 x 12 bytes of pseudonyms and a few of type, time and labels per event")
			.isBetween(48_000, 56_000);
		String text = new String(bytes, StandardCharsets.ISO_8859_1);
		assertThat(text).as("each label once, in the dictionary").containsOnlyOnce("ema Work Designer").containsOnlyOnce("Firefox");
		assertThat(text).doesNotContain(HexFormat.of().formatHex(events.get(0).user()));
	}

	@Test
	void theBloomFilterFindsEveryUserOfTheSegmentAndRarelyAnother() {
		Instant at = Instant.parse("2026-05-01T06:00:00Z");
		var users = new ArrayList<byte[]>();
		var events = new ArrayList<Event>();
		for (int i = 0; i < 1000; i++) {
			users.add(pseudonym());
			events.add(login(at.plusSeconds(i), users.get(i)));
		}
		byte[] bloom = EventSegment.of(events).userBloom();
		assertThat(bloom.length).as("about ten bits per user").isLessThan(1_400);
		assertThat(EventSegment.of(events).eventBloom()).as("no event came with a client id").isNull();
		assertThat(users).allSatisfy(user -> assertThat(EventSegment.mayHoldUser(bloom, user)).isTrue());
		long strangers = 0;
		for (int i = 0; i < 10_000; i++) {
			if (EventSegment.mayHoldUser(bloom, pseudonym())) {
				strangers++;
			}
		}
		assertThat(strangers).as("false positives of 10,000 others at 1 %").isLessThan(300);
	}

	@Test
	void keyedClientEventIdsAreFoundByTheirOwnBloomFilterAndGoWhenTheEventBecomesAnonymous() {
		Instant at = Instant.parse("2026-05-01T06:00:00Z");
		byte[] id = pseudonym();
		var event = new Event(EventType.LOGIN, at, null, null, null, null, null, null, null, id);
		var segment = EventSegment.of(List.of(event, login(at, pseudonym())));
		assertThat(EventSegment.bloom(segment.eventBloom()).test(id)).isTrue();
		assertThat(EventSegment.bloom(segment.userBloom()).test(id)).as("not among the users").isFalse();
		assertThat(EventSegment.decode(segment.encode()).events().get(0).eventKey()).isEqualTo(id);
		assertThat(event.pseudonymous()).as("an event id alone is worth ending").isTrue();
		assertThat(event.anonymous().eventKey()).isNull();
	}

	@Test
	void aSegmentWithoutUserPseudonymsHasNoBloomFilterAndHoldsNobody() {
		Instant at = Instant.parse("2026-05-01T06:00:00Z");
		var segment = EventSegment.of(List.of(login(at, null).anonymous(), login(at, null)));
		assertThat(segment.userBloom()).isNull();
		assertThat(EventSegment.mayHoldUser(null, pseudonym())).isFalse();
		assertThat(segment.pseudonymousFrom()).isEqualTo(at);
		assertThat(EventSegment.of(List.of(login(at, null).anonymous())).pseudonymousFrom()).isNull();
	}

	@Test
	void aDamagedSegmentIsRefusedRatherThanMisread() {
		byte[] bytes = EventSegment.of(List.of(login(Instant.parse("2026-05-01T06:00:00Z"), pseudonym()))).encode();
		assertThatThrownBy(() -> EventSegment.decode(Arrays.copyOf(bytes, bytes.length - 1)))
			.isInstanceOf(IllegalStateException.class);
		assertThatThrownBy(() -> EventSegment.decode(Arrays.copyOf(bytes, bytes.length + 1)))
			.isInstanceOf(IllegalStateException.class);
		byte[] future = bytes.clone();
		future[0] = 9;
		assertThatThrownBy(() -> EventSegment.decode(future)).hasMessageContaining("version");
	}
}

package io.custodia.records;

import java.util.UUID;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KnownIdentifiersUnitTests {

	private static byte[] index(int seed) {
		var bytes = new byte[32];
		new java.util.Random(seed).nextBytes(bytes);
		return bytes;
	}

	@Test
	void aHintIsFoundOnlyForTheSameKindAndEveryByteOfTheIndex() {
		var known = new KnownIdentifiers();
		UUID subject = UUID.randomUUID();
		byte[] index = index(1);
		known.remember("email", index, subject);
		assertThat(known.hint("email", index.clone())).isEqualTo(subject);
		assertThat(known.hint("phone", index)).isNull();
		for (int i = 0; i < index.length; i++) {
			byte[] other = index.clone();
			other[i] ^= 1;
			assertThat(known.hint("email", other)).as("byte %d differs", i).isNull();
		}
	}

	@Test
	void aForgottenHintIsGoneAndANewOneReplacesIt() {
		var known = new KnownIdentifiers();
		byte[] index = index(2);
		known.remember("email", index, UUID.randomUUID());
		known.forget("email", index);
		assertThat(known.hint("email", index)).isNull();
		UUID later = UUID.randomUUID();
		known.remember("email", index, later);
		assertThat(known.hint("email", index)).isEqualTo(later);
	}

	@Test
	void itStopsGrowingAtItsLimitButStillUpdatesWhatItHolds() {
		var known = new KnownIdentifiers();
		for (int i = 0; i < KnownIdentifiers.LIMIT; i++) {
			var bytes = new byte[32];
			java.nio.ByteBuffer.wrap(bytes).putInt(i);
			known.remember("email", bytes, UUID.randomUUID());
		}
		assertThat(known.size()).isEqualTo(KnownIdentifiers.LIMIT);
		known.remember("email", index(3), UUID.randomUUID());
		assertThat(known.size()).isEqualTo(KnownIdentifiers.LIMIT);
		assertThat(known.hint("email", index(3))).isNull();
		var first = new byte[32];
		UUID moved = UUID.randomUUID();
		known.remember("email", first, moved);
		assertThat(known.hint("email", first)).isEqualTo(moved);
	}

	@Test
	void anIndexOfAnotherLengthIsRefused() {
		assertThatThrownBy(() -> new KnownIdentifiers().hint("email", new byte[16])).isInstanceOf(IllegalArgumentException.class)
			.hasMessageContaining("32 bytes");
	}

	@Test
	void anIndexKeptUnderTwoKindsNamesEachKindsOwnSubject() {
		var known = new KnownIdentifiers();
		byte[] index = index(4);
		UUID byEmail = UUID.randomUUID();
		UUID byPhone = UUID.randomUUID();
		known.remember("email", index, byEmail);
		known.remember("phone", index, byPhone);
		assertThat(known.hint("email", index)).isEqualTo(byEmail);
		assertThat(known.hint("phone", index)).isEqualTo(byPhone);
	}

	@Test
	void twoIndexesSharingTheirFirstEightBytesNeverAnswerForEachOther() {
		var known = new KnownIdentifiers();
		byte[] first = index(5);
		byte[] second = first.clone();
		second[31] ^= 1;
		known.remember("email", first, UUID.randomUUID());
		UUID later = UUID.randomUUID();
		known.remember("email", second, later);
		// they share a slot: the later one is kept, the earlier one is asked of the database again
		assertThat(known.hint("email", second)).isEqualTo(later);
		assertThat(known.hint("email", first)).isNull();
		known.forget("email", first);
		assertThat(known.hint("email", second)).as("forgetting the other one leaves it").isEqualTo(later);
	}

	@Test
	void aKeyIsGivenBackWhileTheCountOfErasuresIsTheOneItWasKeptUnder() {
		var known = new KnownIdentifiers();
		UUID subject = UUID.randomUUID();
		byte[] wrapped = index(6);
		assertThat(known.key(subject, 7)).isNull();
		known.rememberKeys(7, java.util.Map.of(subject, wrapped));
		assertThat(known.key(subject, 7)).isEqualTo(wrapped);
		assertThat(known.key(UUID.randomUUID(), 7)).isNull();
		// a subject whose id shares the random half, not the other
		assertThat(known.key(new UUID(subject.getMostSignificantBits() + 1, subject.getLeastSignificantBits()), 7)).isNull();
		assertThat(known.key(subject, 8)).as("a subject was erased since").isNull();
		assertThat(known.key(subject, 7)).as("dropped, not kept for a count that comes back").isNull();
		assertThat(known.keys()).isZero();
	}

	@Test
	void keysKeptUnderANewerCountReplaceAllThoseBefore() {
		var known = new KnownIdentifiers();
		UUID before = UUID.randomUUID();
		UUID after = UUID.randomUUID();
		known.rememberKeys(1, java.util.Map.of(before, index(7)));
		known.rememberKeys(2, java.util.Map.of(after, index(8)));
		assertThat(known.key(after, 2)).isEqualTo(index(8));
		assertThat(known.key(before, 2)).isNull();
	}

	@Test
	void manyKeysAcrossBlocksComeBackWhole() {
		var known = new KnownIdentifiers();
		var kept = new java.util.HashMap<UUID, byte[]>();
		for (int i = 0; i < 20_000; i++) {
			var wrapped = new byte[100 + i % 90];
			new java.util.Random(i).nextBytes(wrapped);
			kept.put(UUID.randomUUID(), wrapped);
		}
		known.rememberKeys(3, kept);
		assertThat(known.keys()).isEqualTo(kept.size());
		kept.forEach((subject, wrapped) -> assertThat(known.key(subject, 3)).isEqualTo(wrapped));
	}
}

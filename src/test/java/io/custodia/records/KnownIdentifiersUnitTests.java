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
}

package io.custodia.keys;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;

import org.junit.jupiter.api.Test;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.TinkProtoKeysetFormat;
import com.google.crypto.tink.aead.PredefinedAeadParameters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WrappedKeysetsUnitTests {

	private static final byte[] CONTEXT = "subject|acme|1".getBytes(StandardCharsets.UTF_8);

	private final Aead tenant = aead(generate());

	@Test
	void aKeyWrappedByTinkOpensToTheSameKey() throws Exception {
		KeysetHandle subject = generate();
		byte[] wrapped = TinkProtoKeysetFormat.serializeEncryptedKeyset(subject, tenant, CONTEXT);
		byte[] sealed = aead(subject).encrypt("a record".getBytes(StandardCharsets.UTF_8), CONTEXT);

		Aead opened = aead(WrappedKeysets.open(wrapped, tenant, CONTEXT));

		assertThat(new String(opened.decrypt(sealed, CONTEXT), StandardCharsets.UTF_8)).isEqualTo("a record");
		// and the other way round: what the opened key seals, Tink's own parse of the same bytes opens
		Aead parsedByTink = aead(TinkProtoKeysetFormat.parseEncryptedKeyset(wrapped, tenant, CONTEXT));
		assertThat(parsedByTink.decrypt(opened.encrypt(new byte[] { 1, 2, 3 }, CONTEXT), CONTEXT)).containsExactly(1, 2, 3);
	}

	@Test
	void aKeyWrappedForAnotherSubjectDoesNotOpen() throws Exception {
		byte[] wrapped = TinkProtoKeysetFormat.serializeEncryptedKeyset(generate(), tenant, CONTEXT);

		assertThatThrownBy(() -> WrappedKeysets.open(wrapped, tenant, "subject|acme|2".getBytes(StandardCharsets.UTF_8)))
			.isInstanceOf(GeneralSecurityException.class);
	}

	@Test
	void aKeyWrappedByAnotherTenantDoesNotOpen() throws Exception {
		byte[] wrapped = TinkProtoKeysetFormat.serializeEncryptedKeyset(generate(), aead(generate()), CONTEXT);

		assertThatThrownBy(() -> WrappedKeysets.open(wrapped, tenant, CONTEXT)).isInstanceOf(GeneralSecurityException.class);
	}

	@Test
	void bytesThatAreNoWrappedKeysetAreRefusedAsASecurityErrorNotAParseError() {
		assertThatThrownBy(() -> WrappedKeysets.open(new byte[] { (byte) 0xff, 0x01, 0x02 }, tenant, CONTEXT))
			.isInstanceOf(GeneralSecurityException.class)
			.hasMessage("Parse keyset failed");
	}

	private static KeysetHandle generate() {
		try {
			Tink.configuration();
			return KeysetHandle.generateNew(PredefinedAeadParameters.AES256_GCM);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static Aead aead(KeysetHandle handle) {
		try {
			return handle.getPrimitive(Tink.configuration(), Aead.class);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}
}

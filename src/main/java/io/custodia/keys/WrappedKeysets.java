package io.custodia.keys;

import java.io.IOException;
import java.security.GeneralSecurityException;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.KeysetReader;
import com.google.crypto.tink.proto.EncryptedKeyset;
import com.google.crypto.tink.proto.Keyset;
import com.google.protobuf.ExtensionRegistryLite;

/**
 * Opens a wrapped keyset as {@code TinkProtoKeysetFormat.parseEncryptedKeyset} does, without its stream. Tink reads
 * the wrapped bytes through an input stream, and protobuf gives every stream a 4 KiB buffer: for a subject key of
 * about 150 bytes that buffer was 39 % of the time to open the key and 2.4 GB of the garbage of a 1,000,000-record
 * import, which opens a subject key for nearly every line (docs/benchmarks.md, session 6). Parsing the same bytes
 * from the array is the same message; Tink still decrypts and checks the keyset.
 */
final class WrappedKeysets {

	private WrappedKeysets() {
	}

	static KeysetHandle open(byte[] wrapped, Aead wrapping, byte[] associatedData) throws GeneralSecurityException {
		try {
			return KeysetHandle.readWithAssociatedData(new FromBytes(wrapped), wrapping, associatedData);
		}
		catch (IOException ex) {
			// what TinkProtoKeysetFormat says of bytes that are not a keyset
			throw new GeneralSecurityException("Parse keyset failed", ex);
		}
	}

	private record FromBytes(byte[] bytes) implements KeysetReader {

		@Override
		public Keyset read() {
			throw new UnsupportedOperationException("a wrapped keyset is read encrypted");
		}

		@Override
		public EncryptedKeyset readEncrypted() throws IOException {
			return EncryptedKeyset.parseFrom(bytes, ExtensionRegistryLite.getEmptyRegistry());
		}
	}
}

package io.custodia.keys;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;

/** Provisioning a root keyset for production, before the first start ({@code custodia keys generate-root}). */
public final class RootKeys {

	private RootKeys() {
	}

	/** Writes a new root keyset, owner read/write only; refuses to overwrite an existing one. */
	public static void generate(Path file) throws IOException, GeneralSecurityException {
		if (Files.exists(file)) {
			throw new IOException(file + " exists already; a root key is never overwritten (move it away first)");
		}
		RootKey.writeNew(file);
	}
}

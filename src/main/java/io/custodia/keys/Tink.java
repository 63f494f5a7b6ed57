package io.custodia.keys;

import java.security.GeneralSecurityException;

import com.google.crypto.tink.Configuration;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.aead.AeadConfig;
import com.google.crypto.tink.mac.MacConfig;
import com.google.crypto.tink.prf.PrfConfig;

/** Registers the Tink primitives Custodia uses, once per JVM. */
final class Tink {

	private static final Configuration CONFIGURATION = register();

	private Tink() {
	}

	static Configuration configuration() {
		return CONFIGURATION;
	}

	private static Configuration register() {
		try {
			AeadConfig.register();
			MacConfig.register();
			PrfConfig.register();
			return RegistryConfiguration.get();
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("Tink could not register its primitives", ex);
		}
	}
}

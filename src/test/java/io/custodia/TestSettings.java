package io.custodia;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.springframework.test.context.DynamicPropertyRegistry;

/** A data directory and a root key of its own for each test context, so tests never touch ./data or ./keys. */
public final class TestSettings {

	private TestSettings() {
	}

	public static void isolate(DynamicPropertyRegistry registry) {
		try {
			Path dir = Files.createTempDirectory("custodia-test");
			registry.add("custodia.data-dir", () -> dir.resolve("data").toString());
			registry.add("custodia.keys.root", () -> dir.resolve("keys").resolve("root-keyset.json").toString());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** For an external database the root key must exist before start, as in production. */
	public static void isolateWithProvisionedRootKey(DynamicPropertyRegistry registry) {
		try {
			Path dir = Files.createTempDirectory("custodia-test");
			Path root = dir.resolve("keys").resolve("root-keyset.json");
			io.custodia.keys.RootKeys.generate(root);
			registry.add("custodia.data-dir", () -> dir.resolve("data").toString());
			registry.add("custodia.keys.root", root::toString);
		}
		catch (IOException | java.security.GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}
}

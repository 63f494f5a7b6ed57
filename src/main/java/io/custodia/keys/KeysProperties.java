package io.custodia.keys;

import java.nio.file.Path;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Where the root key lives ({@code custodia.keys.root}). The embedded default, {@code keys/root-keyset.json},
 * sits beside the data directory, never inside it, so a copy of the data is not a copy of the key.
 */
@ConfigurationProperties("custodia.keys")
public record KeysProperties(Path root) {

	public static final Path EMBEDDED_DEFAULT = Path.of("keys", "root-keyset.json");

	public KeysProperties {
		root = root == null ? EMBEDDED_DEFAULT : root;
	}
}

package io.custodia;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import io.custodia.policy.Policies;
import io.custodia.policy.Policy;

/** The example policies of examples/policies, as tests use them. */
public final class Examples {

	public static final Path DIRECTORY = Path.of("examples", "policies");

	private Examples() {
	}

	public static List<Path> files() {
		try (Stream<Path> files = Files.list(DIRECTORY)) {
			return files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	public static Path file(String name) {
		return DIRECTORY.resolve(name + ".yaml");
	}

	public static String text(String name) {
		try {
			return Files.readString(file(name), StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	public static Policy policy(String name) {
		return Policies.read(file(name)).orThrow();
	}
}

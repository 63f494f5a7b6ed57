package io.custodia;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Custodia's own settings ({@code custodia.*}). Checked at start-up by {@link StartupChecks}, which says how to
 * fix what is wrong before anything else runs.
 *
 * @param dataDir where the embedded database lives; must be writable
 * @param demo whether to load the example policies as tenants
 * @param clock a fixed instant (ISO-8601) for demos and tests; empty for the system clock
 */
@ConfigurationProperties("custodia")
public record CustodiaProperties(Path dataDir, boolean demo, String clock) {

	public CustodiaProperties {
		dataDir = dataDir == null ? Path.of("data") : dataDir;
	}

	/** The fixed instant, if the clock is fixed; an unparsable value is reported by the start-up checks. */
	public Optional<Instant> fixedClock() {
		return clock == null || clock.isBlank() ? Optional.empty() : Optional.of(Instant.parse(clock.trim()));
	}
}

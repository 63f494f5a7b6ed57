package io.custodia;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.UUID;

import org.junit.jupiter.api.Assumptions;

/**
 * A database of its own on the local PostgreSQL for one test class: created on first use, dropped at the end.
 * Where no server answers, the tests are skipped with a message, except under CI=true, where they fail.
 */
public final class PostgresTestDatabase {

	private static final String SERVER = System.getenv().getOrDefault("CUSTODIA_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/");

	private static final String USER = System.getenv().getOrDefault("CUSTODIA_TEST_PG_USER", "postgres");

	private final String name = "custodia_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);

	private boolean created;

	public String url() {
		return SERVER + name;
	}

	public String user() {
		return USER;
	}

	public String name() {
		return name;
	}

	/** Creates the database, or skips (outside CI) when no server is reachable. */
	public PostgresTestDatabase create() {
		try (Connection admin = admin()) {
			admin.createStatement().execute("create database " + name);
			created = true;
			return this;
		}
		catch (SQLException ex) {
			String message = "PostgreSQL is not reachable at " + SERVER + " as " + USER + " (" + ex.getMessage() + ")";
			if ("true".equalsIgnoreCase(System.getenv("CI"))) {
				throw new IllegalStateException(message + "; under CI=true the PostgreSQL tests must run", ex);
			}
			System.err.println("SKIPPED PostgreSQL tests: " + message + ". Start PostgreSQL or set CUSTODIA_TEST_PG_URL.");
			Assumptions.abort(message);
			return this;
		}
	}

	/**
	 * Creates the database (or skips, outside CI, when no server answers) and points the application at it,
	 * with a data directory and a provisioned root key of its own, as production has.
	 */
	public void register(org.springframework.test.context.DynamicPropertyRegistry registry) {
		create();
		TestSettings.isolateWithProvisionedRootKey(registry);
		registry.add("spring.datasource.url", this::url);
		registry.add("spring.datasource.username", this::user);
		registry.add("spring.datasource.password", () -> "");
	}

	/** A plain-text dump (pg_dump) of the whole database, data included. */
	public String dump() throws java.io.IOException, InterruptedException {
		var uri = java.net.URI.create(SERVER.substring("jdbc:".length()));
		var process = new ProcessBuilder("pg_dump", "-h", uri.getHost(), "-p", String.valueOf(uri.getPort()), "-U", USER,
				"--no-owner", name).redirectErrorStream(true).start();
		String out = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
		if (process.waitFor() != 0) {
			throw new IllegalStateException("pg_dump failed: " + out);
		}
		return out;
	}

	public void drop() {
		if (!created) {
			return;
		}
		try (Connection admin = admin()) {
			admin.createStatement().execute("drop database if exists " + name + " with (force)");
		}
		catch (SQLException ex) {
			System.err.println("Could not drop test database " + name + ": " + ex.getMessage());
		}
	}

	private static Connection admin() throws SQLException {
		return DriverManager.getConnection(SERVER + "postgres", USER, "");
	}
}

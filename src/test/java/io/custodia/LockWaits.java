package io.custodia;

import java.sql.SQLException;
import java.time.Duration;

import javax.sql.DataSource;

import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * For tests of two transactions at once: waits until the database shows a transaction waiting for a lock, so that
 * a test lets the holder go on only once the other side is really blocked (and not merely slow to start).
 */
public final class LockWaits {

	private LockWaits() {
	}

	/** Waits (at most 10 s) until some transaction waits for a lock another holds. */
	public static void awaitOneWaiting(DataSource dataSource) throws InterruptedException {
		awaitWaiting(dataSource, 1);
	}

	/** Waits (at most 10 s) until at least {@code count} transactions wait for locks others hold. */
	public static void awaitWaiting(DataSource dataSource, int count) throws InterruptedException {
		String sql = embedded(dataSource)
				? "select count(*) from information_schema.sessions where blocker_id is not null"
				: "select count(*) from pg_locks where not granted";
		var jdbc = JdbcClient.create(dataSource);
		long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
		while (jdbc.sql(sql).query(Long.class).single() < count) {
			assertThat(System.nanoTime()).as(count + " transaction(s) wait for a lock").isLessThan(until);
			Thread.sleep(10);
		}
	}

	private static boolean embedded(DataSource dataSource) {
		try (var connection = dataSource.getConnection()) {
			return connection.getMetaData().getDatabaseProductName().startsWith("H2");
		}
		catch (SQLException ex) {
			throw new IllegalStateException(ex);
		}
	}
}

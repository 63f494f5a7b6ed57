package io.custodia.records;

import java.sql.Connection;
import java.sql.SQLException;

import javax.sql.DataSource;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Makes committed work survive a killed process before it is acknowledged. PostgreSQL's commits are durable
 * already. The embedded H2 writes commits to its file within half a second; forcing every commit through
 * would write a new file chunk per request and grow the file by gigabytes under load, so only the points that
 * acknowledge a batch (an import batch, a retention chunk) force a checkpoint.
 */
@Component
public class Durability {

	private final JdbcClient jdbc;

	private final boolean embedded;

	Durability(JdbcClient jdbc, DataSource dataSource) throws SQLException {
		this.jdbc = jdbc;
		try (Connection connection = dataSource.getConnection()) {
			this.embedded = connection.getMetaData().getURL().startsWith("jdbc:h2:");
		}
	}

	/** Whether the database runs in this process (H2) rather than behind a connection (PostgreSQL). */
	boolean embedded() {
		return embedded;
	}

	/** Everything committed so far is on disk when this returns. */
	public void flush() {
		if (embedded) {
			jdbc.sql("checkpoint").update();
		}
	}
}

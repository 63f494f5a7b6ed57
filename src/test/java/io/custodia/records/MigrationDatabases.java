package io.custodia.records;

import java.nio.file.Path;

import io.custodia.PostgresTestDatabase;

/** Where a migration test runs: an embedded database in a file of its own, and a PostgreSQL database of its own. */
final class MigrationDatabases {

	/** A migration test: given a database's URL, user and the migrations for its kind. */
	interface Migrating {

		void run(String url, String user, String location) throws Exception;
	}

	private MigrationDatabases() {
	}

	static String embeddedUrl(Path dir) {
		return "jdbc:h2:file:" + dir.resolve("old") + ";DB_CLOSE_ON_EXIT=FALSE";
	}

	static void onEmbedded(Path dir, Migrating test) throws Exception {
		test.run(embeddedUrl(dir), "sa", "classpath:db/migration/h2");
	}

	/** On a database created for the test and dropped after it (skipped outside CI when no server answers). */
	static void onPostgres(Migrating test) throws Exception {
		var database = new PostgresTestDatabase().create();
		try {
			test.run(database.url(), database.user(), "classpath:db/migration/postgresql");
		}
		finally {
			database.drop();
		}
	}
}

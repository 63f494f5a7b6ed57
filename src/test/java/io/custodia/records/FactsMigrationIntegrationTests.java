package io.custodia.records;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.UUID;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * V51 moves lifecycle facts from their own table into the record's row. A database of the earlier version must keep
 * every fact: migrated with Flyway from version 50 to the latest, on H2 and on PostgreSQL.
 */
class FactsMigrationIntegrationTests {

	@TempDir
	Path dir;

	@Test
	void factsStoredBeforeTheMoveAreInTheirRecordsRowAfterIt() throws Exception {
		MigrationDatabases.onEmbedded(dir, this::migratesFacts);
	}

	@Test
	void factsStoredBeforeTheMoveAreInTheirRecordsRowAfterItOnPostgres() throws Exception {
		MigrationDatabases.onPostgres(this::migratesFacts);
	}

	private void migratesFacts(String url, String user, String location) throws Exception {
		Flyway.configure().dataSource(url, user, "").locations(location).target("50").load().migrate();
		UUID subject = UUID.randomUUID();
		UUID withFacts = UUID.randomUUID();
		UUID without = UUID.randomUUID();
		try (Connection connection = DriverManager.getConnection(url, user, "")) {
			var insertSubject = connection.prepareStatement("insert into subject (id, tenant_id, wrapped_key, created_at) "
					+ "values (?, 'imig', ?, current_timestamp)");
			insertSubject.setObject(1, subject);
			insertSubject.setBytes(2, new byte[] { 1 });
			insertSubject.executeUpdate();
			var insertRecord = connection.prepareStatement("insert into personal_record (id, tenant_id, subject_id, activity, "
					+ "category, sealed_fields, status, created_at, updated_at) values (?, 'imig', ?, 'recruitment', 'application', "
					+ "?, 'ACTIVE', current_timestamp, current_timestamp)");
			for (UUID record : new UUID[] { withFacts, without }) {
				insertRecord.setObject(1, record);
				insertRecord.setObject(2, subject);
				insertRecord.setBytes(3, new byte[] { 1 });
				insertRecord.executeUpdate();
			}
			var insertFact = connection.prepareStatement("insert into record_fact (record_id, name, date_value, state_value) "
					+ "values (?, ?, ?, ?)");
			insertFact.setObject(1, withFacts);
			insertFact.setString(2, "application.outcome");
			insertFact.setObject(3, null, java.sql.Types.DATE);
			insertFact.setString(4, "rejected");
			insertFact.executeUpdate();
			insertFact.setString(2, "application.assessed");
			insertFact.setObject(3, java.time.LocalDate.of(2026, 2, 28));
			insertFact.setString(4, null);
			insertFact.executeUpdate();
		}

		Flyway.configure().dataSource(url, user, "").locations(location).load().migrate();

		try (Connection connection = DriverManager.getConnection(url, user, "")) {
			var rows = connection.createStatement().executeQuery("select id, facts from personal_record order by facts");
			var facts = new java.util.HashMap<UUID, String>();
			while (rows.next()) {
				facts.put(rows.getObject(1, UUID.class), rows.getString(2));
			}
			assertThat(PersonalRecords.facts(facts.get(withFacts)))
				.containsExactly(java.util.Map.entry("application.assessed", "2026-02-28"),
						java.util.Map.entry("application.outcome", "rejected"));
			assertThat(facts.get(without)).isNull();
			assertThat(connection.getMetaData().getTables(null, null, "%record_fact%", null).next()).isFalse();
			assertThat(connection.getMetaData().getTables(null, null, "%RECORD_FACT%", null).next()).isFalse();
		}
	}
}

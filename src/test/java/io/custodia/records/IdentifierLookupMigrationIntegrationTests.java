package io.custodia.records;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.UUID;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * V60 keys identifiers by the first 8 bytes of their blind index. Identifiers stored before it must be found after
 * it by the key the service computes ({@link Subjects#lookup}), also where the first byte makes the number negative:
 * migrated with Flyway from version 59 to the latest, on H2 and on PostgreSQL.
 */
class IdentifierLookupMigrationIntegrationTests {

	@TempDir
	Path dir;

	@Test
	void identifiersStoredBeforeTheLookUpKeyAreFoundByItAndKeptUnderItOnTheEmbeddedDatabase() throws Exception {
		MigrationDatabases.onEmbedded(dir, this::migrates);
		try (Connection connection = DriverManager.getConnection(MigrationDatabases.embeddedUrl(dir), "sa", "")) {
			// the rows themselves are kept under the key (one B-tree per look-up), not under a row number
			var rows = connection.createStatement().executeQuery("select _rowid_, lookup from subject_identifier");
			int n = 0;
			while (rows.next()) {
				assertThat(rows.getLong(1)).isEqualTo(rows.getLong(2));
				n++;
			}
			assertThat(n).isEqualTo(2);
		}
	}

	@Test
	void identifiersStoredBeforeTheLookUpKeyAreFoundByItOnPostgres() throws Exception {
		MigrationDatabases.onPostgres(this::migrates);
	}

	private void migrates(String url, String user, String location) throws Exception {
		Flyway.configure().dataSource(url, user, "").locations(location).target("59").load().migrate();
		UUID subject = UUID.randomUUID();
		byte[] negative = index((byte) 0xF0);
		byte[] positive = index((byte) 0x01);
		try (Connection connection = DriverManager.getConnection(url, user, "")) {
			var insertSubject = connection.prepareStatement("insert into subject (id, tenant_id, wrapped_key, created_at) "
					+ "values (?, 'imig', ?, current_timestamp)");
			insertSubject.setObject(1, subject);
			insertSubject.setBytes(2, new byte[] { 1 });
			insertSubject.executeUpdate();
			var insert = connection.prepareStatement("insert into subject_identifier (tenant_id, kind, blind_index, subject_id) "
					+ "values ('imig', ?, ?, ?)");
			for (Object[] identifier : new Object[][] { { "email", negative }, { "phone", positive } }) {
				insert.setString(1, (String) identifier[0]);
				insert.setBytes(2, (byte[]) identifier[1]);
				insert.setObject(3, subject);
				insert.executeUpdate();
			}
		}

		Flyway.configure().dataSource(url, user, "").locations(location).load().migrate();

		try (Connection connection = DriverManager.getConnection(url, user, "")) {
			assertThat(Subjects.lookup(negative)).isNegative();
			var find = connection.prepareStatement(Subjects.FIND_BY_INDEX);
			for (Object[] identifier : new Object[][] { { "email", negative }, { "phone", positive } }) {
				find.setLong(1, Subjects.lookup((byte[]) identifier[1]));
				find.setString(2, "imig");
				find.setString(3, (String) identifier[0]);
				find.setBytes(4, (byte[]) identifier[1]);
				var found = find.executeQuery();
				assertThat(found.next()).as("%s found by its key", identifier[0]).isTrue();
				assertThat(found.getObject(1, UUID.class)).isEqualTo(subject);
			}
			// an identifier still needs its subject
			var orphan = connection.prepareStatement("insert into subject_identifier (lookup, tenant_id, kind, blind_index, "
					+ "subject_id) values (7, 'imig', 'email', ?, ?)");
			orphan.setBytes(1, index((byte) 0x02));
			orphan.setObject(2, UUID.randomUUID());
			assertThatThrownBy(orphan::executeUpdate).isInstanceOf(SQLException.class);
		}
	}

	/** A blind index (32 bytes) starting with {@code first}. */
	private static byte[] index(byte first) {
		byte[] index = new byte[32];
		new java.security.SecureRandom().nextBytes(index);
		index[0] = first;
		return index;
	}
}

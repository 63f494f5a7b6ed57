package io.custodia.records;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.custodia.CustodiaApplication;
import io.custodia.TestSettings;

import static org.assertj.core.api.Assertions.assertThat;

@SpringBootTest(classes = CustodiaApplication.class, webEnvironment = SpringBootTest.WebEnvironment.NONE)
class BulkImportIntegrationTests extends BulkImportContract {

	@DynamicPropertySource
	static void isolated(DynamicPropertyRegistry registry) {
		TestSettings.isolate(registry);
	}

	@Test
	void aFullBatchsAuditEntryIsKeptInItsRowNotInTheLobStore() {
		var lines = new StringBuilder();
		for (int i = 0; i < imports.batchLines(); i++) {
			lines.append(ImportFiles.line("lob-" + i, "lob" + i + "@example.test", "Lob " + i));
		}
		imports.run(tenant, new java.io.StringReader(lines.toString()), "test", (l, s) -> {
		});
		long longest = jdbc.sql("select max(length(details)) from audit_entry where tenant_id = ? and action = 'RECORDS_IMPORTED'")
			.param(tenant)
			.query(Long.class)
			.single();
		long inPlace = jdbc.sql("select cast(setting_value as bigint) from information_schema.settings "
				+ "where setting_name = 'MAX_LENGTH_INPLACE_LOB'")
			.query(Long.class)
			.single();
		// H2 keeps a CLOB up to this many bytes in its row (V62), by default only up to 256 (ASCII: a character a
		// byte); the entry names the batch's records and subjects
		assertThat(longest).isGreaterThan(256).isLessThanOrEqualTo(inPlace);
	}

	@Test
	void recordsAreFoundChangedAndPagedThroughTheirTenantAndIdInTheOneKeyOfBoth() {
		// one index on (tenant_id, id) replaced the primary key on id and a second index on (tenant_id, id) (V54):
		// each statement must still look records up in it, not read the tenant's or the whole table
		var indexes = jdbc.sql("""
				select index_name, index_type_name from information_schema.indexes
				where table_schema = 'PUBLIC' and table_name = 'PERSONAL_RECORD'""")
			.query((rs, n) -> rs.getString(2) + " " + rs.getString(1))
			.list();
		String key = indexes.stream().filter(i -> i.startsWith("PRIMARY KEY ")).findFirst().orElseThrow().substring(12);
		// the primary key, the foreign key's on subject_id, and the client record ids' (idempotent imports)
		assertThat(indexes).hasSize(3).contains("UNIQUE INDEX PERSONAL_RECORD_CLIENT_ID");
		assertThat(jdbc.sql("""
				select column_name from information_schema.index_columns
				where table_schema = 'PUBLIC' and table_name = 'PERSONAL_RECORD' and index_name = ? order by ordinal_position""")
			.param(key)
			.query(String.class)
			.list()).containsExactly("TENANT_ID", "ID");
		UUID a = UUID.randomUUID();
		UUID b = UUID.randomUUID();
		var keys = List.of(new Object[] { tenant, a }, new Object[] { tenant, b });
		assertThat(plan(jdbc.sql("explain " + PersonalRecords.FIND_ALL).param("keys", keys)))
			.contains(key + ": IN(ROW (?1, ?2), ROW (?3, ?4))");
		assertThat(plan(jdbc.sql("explain " + PersonalRecords.DELETE_ALL).param("keys", keys)))
			.contains(key + ": IN(ROW (?1, ?2), ROW (?3, ?4))");
		assertThat(plan(jdbc.sql("explain " + PersonalRecords.UPDATE_STATUS).params("RESTRICTED", OffsetDateTime.now(), tenant, a)))
			.contains(key + ": TENANT_ID = ?3 AND ID = ?4");
		assertThat(plan(jdbc.sql("explain " + PersonalRecords.FIRST_CANDIDATES).param("tenant", tenant).param("limit", 500)))
			.contains(key + ": TENANT_ID = ?1 */")
			.contains("/* index sorted */");
		assertThat(plan(jdbc.sql("explain " + PersonalRecords.NEXT_CANDIDATES).param("tenant", tenant).param("after", a)
			.param("limit", 500)))
			.containsPattern(key + ": (TENANT_ID = \\?1 AND ID > \\?2|ID > \\?2 AND TENANT_ID = \\?1) \\*/")
			.contains("/* index sorted */");
	}

	@Test
	void deidentifiedRecordsArePagedAlongThePrimaryKeyInItsOrder() {
		var key = jdbc.sql("""
				select index_name from information_schema.indexes
				where table_schema = 'PUBLIC' and table_name = 'PERSONAL_RECORD' and index_type_name = 'PRIMARY KEY'""")
			.query(String.class)
			.single();
		// the de-identified records' pages follow the primary key in its order: nothing sorted, no other index
		assertThat(plan(jdbc.sql("explain " + PersonalRecords.SCAN_BOUNDARY).param("tenant", "t").param("after", UUID.randomUUID())
			.param("skip", 99_999))).contains("PUBLIC." + key + ": ").contains("/* index sorted */");
		assertThat(plan(jdbc.sql("explain " + PersonalRecords.deidentifiedSql(true, true, true)).param("tenant", "t")
			.param("after", UUID.randomUUID()).param("upTo", UUID.randomUUID()).param("activity", "a").param("category", "c")
			.param("limit", 100))).contains("PUBLIC." + key + ": ").contains("/* index sorted */");
	}

	private static String plan(JdbcClient.StatementSpec explain) {
		// H2 breaks its plans over lines; one space between words is enough to read them
		return String.join(" ", explain.query(String.class).list()).replaceAll("\\s+", " ");
	}
}

package io.custodia.records;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import java.time.OffsetDateTime;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.custodia.CustodiaApplication;
import io.custodia.PostgresTestDatabase;

@SpringBootTest(classes = CustodiaApplication.class, webEnvironment = SpringBootTest.WebEnvironment.NONE)
@DirtiesContext
class BulkImportPostgresIntegrationTests extends BulkImportContract {

	static final PostgresTestDatabase database = new PostgresTestDatabase();

	@DynamicPropertySource
	static void postgres(DynamicPropertyRegistry registry) {
		database.register(registry);
	}

	@AfterAll
	static void dropDatabase() {
		database.drop();
	}

	@Test
	void anImportThatGrowsTheTablesRefreshesThePlannersStatisticsOnTheWay() {
		// with the statistics of small tables PostgreSQL looked every identifier up by tenant and kind alone,
		// reading all of them each time: an import slowed down as it grew (docs/benchmarks.md, session 5)
		var file = new StringBuilder();
		for (int i = 0; i < PlannerStatistics.FIRST + 500; i++) {
			file.append("{\"client_record_id\": \"s-%d\", \"identifiers\": {\"email\": \"s%d@example.test\"}, \"activity\": \"recruitment\", \"category\": \"identity_contact\", \"fields\": {\"name\": \"S %d\"}}\n"
				.formatted(i, i, i));
		}
		OffsetDateTime before = jdbc.sql("select now()").query(OffsetDateTime.class).single();
		var report = imports.run(tenant, new StringReader(file.toString()), "test", (l, s) -> {
		});
		assertThat(report.stored()).isEqualTo(PlannerStatistics.FIRST + 500);
		for (String table : new String[] { "subject", "subject_identifier", "personal_record" }) {
			OffsetDateTime analysed = jdbc.sql("select last_analyze from pg_stat_user_tables where relname = ?")
				.param(table)
				.query(OffsetDateTime.class)
				.optional()
				.orElse(null);
			assertThat(analysed).as("last ANALYZE of %s", table).isNotNull().isAfterOrEqualTo(before);
		}
		assertThat(jdbc.sql("explain " + Subjects.FIND_BY_LOOKUPS)
			.param("lookups", List.of(1L, 2L))
			.query(String.class)
			.list()).as("the plan looks the identifiers up by their key").anySatisfy(line -> assertThat(line).contains("Cond")
				.contains("lookup"));
	}
}

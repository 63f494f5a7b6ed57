package io.custodia.activity;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.custodia.CustodiaApplication;
import io.custodia.MutableClock;
import io.custodia.PostgresTestDatabase;

import static org.assertj.core.api.Assertions.assertThat;

/** The same API on PostgreSQL; a dump of the database holds none of the values ingested. */
@SpringBootTest(classes = CustodiaApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import(MutableClock.Config.class)
@DirtiesContext
class ActivityApiPostgresIntegrationTests extends ActivityApiContract {

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
	void aDumpOfTheDatabaseHoldsNoneOfTheValuesIngested() throws Exception {
		aDayOfUse();
		call("GET", "/api/v1/activity/reports/usage?month=2026-01", support, null);
		String dump = database.dump();
		// segments are bytea, which the dump writes in hex: the values are looked for in the clear and in hex
		assertThat(dump).as("the dump holds the schema and data").contains("activity_segment")
			.contains(hex("ema Plant Designer"));
		assertThat(CLEAR).allSatisfy(value -> assertThat(dump).doesNotContainIgnoringCase(value)
			.doesNotContainIgnoringCase(hex(value)));
	}

	static String hex(String value) {
		return java.util.HexFormat.of().formatHex(value.getBytes(java.nio.charset.StandardCharsets.UTF_8));
	}
}

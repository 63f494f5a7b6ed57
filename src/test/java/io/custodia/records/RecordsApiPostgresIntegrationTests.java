package io.custodia.records;

import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.custodia.CustodiaApplication;
import io.custodia.PostgresTestDatabase;

import static org.assertj.core.api.Assertions.assertThat;

/** The same API on PostgreSQL; a dump of the database after a scenario holds none of the personal data. */
@SpringBootTest(classes = CustodiaApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
class RecordsApiPostgresIntegrationTests extends RecordsApiContract {

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
	void aDumpOfTheDatabaseHoldsNoneOfThePersonalDataStored() throws Exception {
		String subject = subject(app);
		String record = application(subject);
		call("PATCH", "/api/v1/records/" + record, app, "{\"fields\": {\"job_title\": \"Zyxwvu Architect\"}}");
		String dump = database.dump();
		assertThat(dump).as("the dump holds the schema and data").contains("personal_record").contains("recruitment");
		assertThat(List.of(NAME, EMAIL, "Zyxwvu Architect", "Qwertyson")).allSatisfy(v -> assertThat(dump).doesNotContain(v));
	}
}

package io.custodia.vault;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.event.RecordApplicationEvents;

import io.custodia.CustodiaApplication;
import io.custodia.MutableClock;
import io.custodia.PostgresTestDatabase;

import static org.assertj.core.api.Assertions.assertThat;

/** The same vault on PostgreSQL; a dump of the database holds no stored file's name. */
@SpringBootTest(classes = CustodiaApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import(MutableClock.Config.class)
@RecordApplicationEvents
@DirtiesContext
class VaultApiPostgresIntegrationTests extends VaultApiContract {

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
	void aDumpOfTheDatabaseHoldsNoStoredFilesName() throws Exception {
		stored(app, "/designs/" + SECRET_NAME, SECRET_TEXT.getBytes(StandardCharsets.UTF_8));
		requestGrant(java.util.Map.of("folder", "/designs"));
		String dump = database.dump();
		assertThat(dump).as("the dump holds the schema and data").contains("vault_file").contains("vault_grant");
		assertThat(dump).doesNotContain(SECRET_NAME).doesNotContain("designs").doesNotContain("SUP-4711");
	}
}

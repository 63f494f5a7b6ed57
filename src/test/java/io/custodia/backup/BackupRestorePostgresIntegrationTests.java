package io.custodia.backup;

import org.junit.jupiter.api.AfterAll;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.custodia.CustodiaApplication;
import io.custodia.MutableClock;
import io.custodia.PostgresTestDatabase;

/** On PostgreSQL. */
@SpringBootTest(classes = CustodiaApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import({ MutableClock.Config.class, BackupRestoreContract.FileDeletions.class })
@DirtiesContext
class BackupRestorePostgresIntegrationTests extends BackupRestoreContract {

	static final PostgresTestDatabase database = new PostgresTestDatabase();

	@DynamicPropertySource
	static void postgres(DynamicPropertyRegistry registry) {
		database.register(registry);
		registry.add("custodia.backup.schedule", () -> "-");
	}

	@AfterAll
	static void dropDatabase() {
		database.drop();
	}
}

package io.custodia.records;

import org.junit.jupiter.api.AfterAll;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.custodia.CustodiaApplication;
import io.custodia.MutableClock;
import io.custodia.PostgresTestDatabase;

/**
 * On PostgreSQL with the lock timeout operations.md advises (here 2 s, as H2's): without one PostgreSQL waits for a
 * lock as long as it is held, and only a deadlock is given up.
 */
@SpringBootTest(classes = CustodiaApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import(MutableClock.Config.class)
@DirtiesContext
class LockConflictsPostgresIntegrationTests extends LockConflictsContract {

	static final PostgresTestDatabase database = new PostgresTestDatabase();

	@DynamicPropertySource
	static void postgres(DynamicPropertyRegistry registry) {
		database.register(registry);
		registry.add("spring.datasource.hikari.connection-init-sql", () -> "set lock_timeout = '2s'");
	}

	@AfterAll
	static void dropDatabase() {
		database.drop();
	}
}

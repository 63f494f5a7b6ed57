package io.custodia.licensing;

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

/** The same API on PostgreSQL; a dump of the database holds none of the clients' names and addresses. */
@SpringBootTest(classes = CustodiaApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import(MutableClock.Config.class)
@DirtiesContext
class LicensingApiPostgresIntegrationTests extends LicensingApiContract {

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
	void aDumpOfTheDatabaseHoldsNoneOfTheClientsUserOrHostNames() throws Exception {
		entitlement("ema Work Designer", 2);
		var lease = checkout(client, "ema Work Designer");
		checkout(client, "ema Work Designer");
		call("DELETE", "/api/v1/licensing/leases/" + lease.body().get("lease_id").asString(), client, null);
		String dump = database.dump();
		assertThat(dump).as("the dump holds the schema and data").contains("licence_seat").contains("ema Work Designer");
		assertThat(CLEAR).allSatisfy(value -> assertThat(dump).doesNotContainIgnoringCase(value));
	}
}

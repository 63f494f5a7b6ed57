package io.custodia.records;

import org.junit.jupiter.api.AfterAll;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.custodia.CustodiaApplication;
import io.custodia.PostgresTestDatabase;
import io.custodia.TestSettings;

@SpringBootTest(classes = CustodiaApplication.class, webEnvironment = SpringBootTest.WebEnvironment.NONE)
@DirtiesContext
class BulkImportPostgresIntegrationTests extends BulkImportContract {

	static final PostgresTestDatabase database = new PostgresTestDatabase();

	@DynamicPropertySource
	static void postgres(DynamicPropertyRegistry registry) {
		database.create();
		TestSettings.isolateWithProvisionedRootKey(registry);
		registry.add("spring.datasource.url", database::url);
		registry.add("spring.datasource.username", database::user);
		registry.add("spring.datasource.password", () -> "");
	}

	@AfterAll
	static void dropDatabase() {
		database.drop();
	}
}

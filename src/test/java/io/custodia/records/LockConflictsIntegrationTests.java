package io.custodia.records;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.custodia.CustodiaApplication;
import io.custodia.MutableClock;
import io.custodia.TestSettings;

/** On the embedded default: H2 gives up a lock wait after 2 s. */
@SpringBootTest(classes = CustodiaApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import(MutableClock.Config.class)
class LockConflictsIntegrationTests extends LockConflictsContract {

	@DynamicPropertySource
	static void isolated(DynamicPropertyRegistry registry) {
		TestSettings.isolate(registry);
	}
}

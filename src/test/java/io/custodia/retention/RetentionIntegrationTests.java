package io.custodia.retention;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.custodia.CustodiaApplication;
import io.custodia.MutableClock;
import io.custodia.TestSettings;

@SpringBootTest(classes = CustodiaApplication.class, webEnvironment = SpringBootTest.WebEnvironment.NONE)
@Import(MutableClock.Config.class)
class RetentionIntegrationTests extends RetentionContract {

	@DynamicPropertySource
	static void isolated(DynamicPropertyRegistry registry) {
		TestSettings.isolate(registry);
	}
}

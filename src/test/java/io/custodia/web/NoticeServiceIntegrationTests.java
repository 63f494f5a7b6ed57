package io.custodia.web;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.custodia.CustodiaApplication;
import io.custodia.TestSettings;

/** The service on its embedded default: H2 in a data directory of its own. */
@SpringBootTest(classes = CustodiaApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "custodia.demo=true", "custodia.clock=2026-01-15T09:00:00Z" })
class NoticeServiceIntegrationTests extends NoticeServiceContract {

	@DynamicPropertySource
	static void isolated(DynamicPropertyRegistry registry) {
		TestSettings.isolate(registry);
	}
}

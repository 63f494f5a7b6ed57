package io.custodia.demo;

import java.time.LocalDate;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.DefaultApplicationArguments;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.custodia.CustodiaApplication;
import io.custodia.TestSettings;
import io.custodia.records.RecordManagement;
import io.custodia.retention.RetentionReport;
import io.custodia.retention.RetentionRuns;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code serve --demo}: the example tenants come with synthetic subjects whose retention a forecast shows. */
@SpringBootTest(classes = CustodiaApplication.class, webEnvironment = SpringBootTest.WebEnvironment.NONE,
		properties = { "custodia.demo=true", "custodia.clock=2026-01-15T09:00:00Z" })
class DemoDataIntegrationTests {

	static final LocalDate TODAY = LocalDate.of(2026, 1, 15);

	@DynamicPropertySource
	static void isolated(DynamicPropertyRegistry registry) {
		TestSettings.isolate(registry);
	}

	@Autowired
	RetentionRuns retention;

	@Autowired
	RecordManagement records;

	@Autowired
	DemoData demo;

	@Autowired
	JdbcClient jdbc;

	@ParameterizedTest
	@ValueSource(strings = { "imengine", "imig", "imk" })
	void aForecastTwoYearsAheadShowsSeveralRulesSomeDueAlreadySomeLater(String tenant) {
		RetentionReport forecast = retention.run(tenant, LocalDate.of(2028, 1, 15), true, "test");

		assertThat(forecast.items().stream().map(RetentionReport.Item::ruleId).distinct().count()).isGreaterThanOrEqualTo(3);
		assertThat(forecast.items()).anyMatch(item -> !item.due().isAfter(TODAY)).anyMatch(item -> item.due().isAfter(TODAY));
	}

	@Test
	void startingTheDemoLoadingAgainAddsNothing() throws Exception {
		Map<String, Long> before = counts();
		assertThat(before).allSatisfy((what, count) -> assertThat(count).as(what).isPositive());

		demo.run(new DefaultApplicationArguments());

		assertThat(counts()).isEqualTo(before);
	}

	@Test
	void theDemoSubjectsReadBackWithObviouslySyntheticValues() {
		var first = records.findOrCreateSubject("imk", Map.of("email", "demo1@example.invalid"), "test");
		assertThat(first.created()).isFalse();

		var stored = records.recordsOf("imk", first.id(), "test");

		assertThat(stored).isNotEmpty()
			.allSatisfy(record -> assertThat(record.fields().values()).allMatch(SyntheticRecordsUnitTests.SYNTHETIC));
	}

	@Test
	void theAuditNamesTheDemoAsTheActor() {
		assertThat(jdbc.sql("select distinct actor from audit_entry where tenant_id = 'imig' and action in ('SUBJECT_CREATED', 'RECORD_STORED')")
			.query(String.class)
			.list()).containsExactly(DemoData.ACTOR);
	}

	private Map<String, Long> counts() {
		return Map.of("subjects", count("select count(*) from subject where tenant_id in ('imengine', 'imig', 'imk')"),
				"records", count("select count(*) from personal_record where tenant_id in ('imengine', 'imig', 'imk')"));
	}

	private long count(String sql) {
		return jdbc.sql(sql).query(Long.class).single();
	}
}

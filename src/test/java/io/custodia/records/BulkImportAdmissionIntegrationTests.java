package io.custodia.records;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.custodia.CustodiaApplication;
import io.custodia.Examples;
import io.custodia.TestSettings;
import io.custodia.tenancy.TenantManagement;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The import plans a batch ahead, in the previous batch's transaction; another module's check on storing a record
 * ({@link RecordAdmission}, e.g. R22's age gate) that refuses a subject after that plan was made must still refuse
 * the line. The check here refuses the subjects a test names.
 */
@SpringBootTest(classes = { CustodiaApplication.class, BulkImportAdmissionIntegrationTests.Refusals.class },
		webEnvironment = SpringBootTest.WebEnvironment.NONE)
class BulkImportAdmissionIntegrationTests {

	@DynamicPropertySource
	static void isolated(DynamicPropertyRegistry registry) {
		TestSettings.isolate(registry);
	}

	static final Set<UUID> REFUSED = ConcurrentHashMap.newKeySet();

	/** Tenant and activity, as "tenant/activity": refused for every subject, new ones included. */
	static final Set<String> REFUSED_ACTIVITIES = ConcurrentHashMap.newKeySet();

	@TestConfiguration
	static class Refusals {

		@Bean
		RecordAdmission refusingNamedSubjects() {
			return (tenantId, subjectId, activityId, activity) -> {
				if (REFUSED.contains(subjectId) || REFUSED_ACTIVITIES.contains(tenantId + "/" + activityId)) {
					throw new PolicyViolationException("activity", "refused by the test's check", List.of());
				}
			};
		}
	}

	private final BulkImport imports;

	private final RecordManagement records;

	private final TenantManagement tenants;

	private final JdbcClient jdbc;

	@Autowired
	BulkImportAdmissionIntegrationTests(BulkImport imports, RecordManagement records, TenantManagement tenants, JdbcClient jdbc) {
		this.imports = imports;
		this.records = records;
		this.tenants = tenants;
		this.jdbc = jdbc;
	}

	@Test
	void aRefusedLineMakesNoSubjectAndAddsNoIdentifierToOne() {
		String tenant = "a" + UUID.randomUUID().toString().substring(0, 8);
		tenants.create(tenant, "imengine.yaml", Examples.text("imengine"));
		var known = records.findOrCreateSubject(tenant, Map.of("email", "known@example.test"), "test");
		REFUSED.add(known.id());
		REFUSED_ACTIVITIES.add(tenant + "/contact_form");
		String file = """
				{"client_record_id": "k-1", "identifiers": {"email": "known@example.test", "phone": "+31 20 555 0101"}, "activity": "recruitment", "category": "identity_contact", "fields": {"name": "Known"}}
				{"client_record_id": "n-1", "identifiers": {"email": "new@example.test"}, "activity": "contact_form", "category": "identity_contact", "fields": {"name": "New"}}
				{"client_record_id": "o-1", "identifiers": {"email": "other@example.test"}, "activity": "recruitment", "category": "identity_contact", "fields": {"name": "Other"}}
				""";

		var report = imports.run(tenant, new java.io.StringReader(file), "test", (l, s) -> {
		});

		assertThat(report.stored()).isEqualTo(1);
		assertThat(report.errors()).extracting(BulkImport.LineError::line).containsExactly(1L, 2L);
		// the known subject and the one made for the line that was stored; none for the refused new one
		assertThat(jdbc.sql("select count(*) from subject where tenant_id = ?").param(tenant).query(Long.class).single())
			.isEqualTo(2L);
		// the refused line's phone number was not added to the known subject: it names nobody yet
		assertThat(records.findOrCreateSubject(tenant, Map.of("phone", "+31 20 555 0101"), "test").created()).isTrue();
		assertThat(records.findOrCreateSubject(tenant, Map.of("email", "new@example.test"), "test").created()).isTrue();
	}

	@Test
	void aSubjectRefusedAfterTheBatchNamingItWasPlannedDoesNotGetItsLine() {
		String tenant = "a" + UUID.randomUUID().toString().substring(0, 8);
		tenants.create(tenant, "imengine.yaml", Examples.text("imengine"));
		// first batch: person0..999; second: a later line of person5 and fillers; the check starts refusing person5
		// after the first batch has committed and planned the second, before the second is written (ImportFiles)
		var first = new StringBuilder();
		for (int i = 0; i < imports.batchLines(); i++) {
			first.append(line("p-" + i, "person" + i + "@example.test", "Person " + i));
		}
		first.append(line("p-late", "person5@example.test", "Person Five Again"));
		for (int i = 1; i < imports.batchLines(); i++) {
			first.append(line("f-" + i, "filler" + i + "@example.test", "Filler " + i));
		}
		first.append(ImportFiles.readAheadFillers(imports.batchLines()));
		String second = line("f-0", "filler0@example.test", "Filler 0");
		var file = ImportFiles.withPause(first.toString(), second, () -> {
			var subject = records.findOrCreateSubject(tenant, Map.of("email", "person5@example.test"), "test");
			assertThat(subject.created()).isFalse();
			REFUSED.add(subject.id());
		});
		var report = imports.run(tenant, file, "test", (l, s) -> {
		});

		assertThat(report.stored()).isEqualTo((1L + BulkImport.CHECKED_AHEAD) * imports.batchLines());
		assertThat(report.errors()).singleElement().satisfies(error -> {
			assertThat(error.line()).isEqualTo(imports.batchLines() + 1L);
			assertThat(error.message()).contains("refused by the test's check");
		});
		var five = records.findOrCreateSubject(tenant, Map.of("email", "person5@example.test"), "test");
		assertThat(records.recordsOf(tenant, five.id(), "test")).extracting(r -> r.fields().get("name"))
			.containsExactly("Person 5");
	}

	private static String line(String clientId, String email, String name) {
		return ImportFiles.line(clientId, email, name);
	}
}

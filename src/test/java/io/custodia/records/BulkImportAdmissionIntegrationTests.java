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

	@TestConfiguration
	static class Refusals {

		@Bean
		RecordAdmission refusingNamedSubjects() {
			return (tenantId, subjectId, activityId, activity) -> {
				if (REFUSED.contains(subjectId)) {
					throw new PolicyViolationException("activity", "refused by the test's check", List.of());
				}
			};
		}
	}

	private final BulkImport imports;

	private final RecordManagement records;

	private final TenantManagement tenants;

	@Autowired
	BulkImportAdmissionIntegrationTests(BulkImport imports, RecordManagement records, TenantManagement tenants) {
		this.imports = imports;
		this.records = records;
		this.tenants = tenants;
	}

	@Test
	void aSubjectRefusedAfterTheBatchNamingItWasPlannedDoesNotGetItsLine() {
		String tenant = "a" + UUID.randomUUID().toString().substring(0, 8);
		tenants.create(tenant, "imengine.yaml", Examples.text("imengine"));
		// first batch: person0..999; second: a later line of person5 and fillers; the check starts refusing person5
		// after the first batch has committed and planned the second, before the second is written (ImportFiles)
		var first = new StringBuilder();
		for (int i = 0; i < BulkImport.BATCH; i++) {
			first.append(line("p-" + i, "person" + i + "@example.test", "Person " + i));
		}
		first.append(line("p-late", "person5@example.test", "Person Five Again"));
		for (int i = 1; i < BulkImport.BATCH; i++) {
			first.append(line("f-" + i, "filler" + i + "@example.test", "Filler " + i));
		}
		String second = line("f-0", "filler0@example.test", "Filler 0");
		var file = ImportFiles.withPause(first.toString(), second, () -> {
			var subject = records.findOrCreateSubject(tenant, Map.of("email", "person5@example.test"), "test");
			assertThat(subject.created()).isFalse();
			REFUSED.add(subject.id());
		});
		var report = imports.run(tenant, file, "test", (l, s) -> {
		});

		assertThat(report.stored()).isEqualTo(2L * BulkImport.BATCH);
		assertThat(report.errors()).singleElement().satisfies(error -> {
			assertThat(error.line()).isEqualTo(BulkImport.BATCH + 1L);
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

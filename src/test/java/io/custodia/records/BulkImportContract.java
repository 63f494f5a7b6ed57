package io.custodia.records;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import io.custodia.Examples;
import io.custodia.audit.AuditTrail;
import io.custodia.tenancy.TenantManagement;

import static org.assertj.core.api.Assertions.assertThat;

/** Bulk import as an operator runs it: thousands of lines, a few bad ones, and the same file run twice. */
abstract class BulkImportContract {

	@Autowired
	BulkImport imports;

	@Autowired
	RecordManagement records;

	@Autowired
	TenantManagement tenants;

	@Autowired
	AuditTrail audit;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	Subjects subjectRows;

	@Autowired
	ErasureLock erasureLock;

	@Autowired
	org.springframework.transaction.PlatformTransactionManager transactions;

	@Autowired
	io.custodia.keys.KeyManagement keys;

	String tenant;

	@BeforeEach
	void tenant() {
		tenant = "i" + UUID.randomUUID().toString().substring(0, 8);
		tenants.create(tenant, "imengine.yaml", Examples.text("imengine"));
	}

	/** 2,500 lines of 1,000 applicants, with four broken lines at known places. */
	static String file() {
		var lines = new StringBuilder();
		for (int i = 1; i <= 2500; i++) {
			String line = switch (i) {
				case 7 -> "{\"client_record_id\": \"cv-7\", \"identifiers\": {";
				case 1500 -> "{\"client_record_id\": \"cv-1500\", \"identifiers\": {\"email\": \"a1500@example.test\"}, \"activity\": \"recruitment\", \"category\": \"identity_contact\", \"fields\": {\"religion\": \"Secret Faith\"}}";
				case 2001 -> "{\"identifiers\": {\"email\": \"a2001@example.test\"}, \"activity\": \"recruitment\", \"category\": \"identity_contact\", \"fields\": {\"name\": \"No Id\"}}";
				case 2400 -> "{\"client_record_id\": \"cv-2400\", \"identifiers\": {\"email\": \"a@example.test\"}, \"activity\": \"profiling\", \"category\": \"identity_contact\", \"fields\": {\"name\": \"x\"}}";
				default -> "{\"client_record_id\": \"cv-%d\", \"identifiers\": {\"email\": \"Applicant%d@Example.test\"}, \"activity\": \"recruitment\", \"category\": \"identity_contact\", \"fields\": {\"name\": \"Applicant Number %d\", \"job_title\": \"Engineer\"}, \"facts\": {\"outcome\": \"pending\"}}"
					.formatted(i, i % 1000, i);
			};
			lines.append(line).append('\n');
		}
		return lines.toString();
	}

	@Test
	void everyGoodLineIsStoredAndEveryBadOneReportedByNumberWithoutItsValues() {
		var acknowledged = new ArrayList<Long>();
		var report = imports.run(tenant, new StringReader(file()), "test", (line, stored) -> acknowledged.add(line));
		assertThat(report.lines()).isEqualTo(2500);
		assertThat(report.stored()).isEqualTo(2496);
		assertThat(report.errors()).extracting(BulkImport.LineError::line).containsExactly(7L, 1500L, 2001L, 2400L);
		assertThat(report.errors()).extracting(BulkImport.LineError::field)
			.containsExactly("line", "fields.religion", "client_record_id", "activity");
		assertThat(report.errors().toString()).doesNotContain("Secret Faith").doesNotContain("No Id");
		// acknowledged every 20,000 lines, and at the end: here only at the end
		assertThat(acknowledged).containsExactly(2500L);
		var subject = records.findOrCreateSubject(tenant, Map.of("email", "applicant5@example.test"), "test");
		assertThat(subject.created()).isFalse();
		assertThat(records.recordsOf(tenant, subject.id(), "test")).extracting(r -> r.fields().get("name"))
			.containsExactlyInAnyOrder("Applicant Number 5", "Applicant Number 1005", "Applicant Number 2005");
		assertThat(audit.verify(tenant).intact()).isTrue();
		// one entry per committed batch, naming every record it stored: together exactly the stored records
		var batches = audit.entries(tenant, null, null, 10_000).stream()
			.filter(e -> e.action().name().equals("RECORDS_IMPORTED"))
			.toList();
		assertThat(batches).hasSize((2500 + imports.batchLines() - 1) / imports.batchLines());
		assertThat(batches.stream().flatMap(e -> java.util.Arrays.stream(e.details().get("record_ids").split(","))).distinct())
			.hasSize(2496);
		assertThat(batches.stream().mapToInt(e -> Integer.parseInt(e.details().get("records"))).sum()).isEqualTo(2496);
		// and a look-up of the subject's audit finds the batches that created it and stored its records (lines 5,
		// 1005 and 2005, each in a batch of its own)
		assertThat(audit.entries(tenant, subject.id(), null, 10_000)).filteredOn(e -> e.action().name().equals("RECORDS_IMPORTED"))
			.hasSize(3);
	}

	@Test
	void aLineWithMoreThanARecordHoldsIsRefusedNamingItsFieldsAndTheOthersAreStored() {
		String file = ImportFiles.line("big-1", "big@example.test", "b".repeat(1_000_001))
				+ ImportFiles.line("small-1", "small@example.test", "Small");
		var report = imports.run(tenant, new StringReader(file), "test", (line, stored) -> {
		});
		assertThat(report.stored()).isEqualTo(1);
		assertThat(report.errors()).extracting(BulkImport.LineError::line).containsExactly(1L);
		assertThat(report.errors()).extracting(BulkImport.LineError::field).containsExactly("fields");
		assertThat(report.errors().get(0).message()).contains("at most 1000000");
	}

	@Test
	void aLineLongerThanAnyRecordIsReportedWithoutBeingHeldAndTheLinesAfterItAreStored() {
		// no line break for 8 MB: a file cut wrong, or one sent to fill the service's memory
		String file = ImportFiles.line("before-1", "before@example.test", "Before")
				+ "{\"client_record_id\": \"" + "x".repeat(BulkImport.MAX_LINE) + "\"}\r\n"
				+ ImportFiles.line("after-1", "after@example.test", "After");
		var report = imports.run(tenant, new StringReader(file), "test", (line, stored) -> {
		});
		assertThat(report.lines()).isEqualTo(3);
		assertThat(report.stored()).isEqualTo(2);
		assertThat(report.errors()).singleElement().satisfies(error -> {
			assertThat(error.line()).isEqualTo(2);
			assertThat(error.field()).isEqualTo("line");
			assertThat(error.message()).startsWith("longer than 8,000,000 characters").doesNotContain("xxx");
		});
	}

	@Test
	void runningTheSameFileAgainStoresNothingTwice() {
		imports.run(tenant, new StringReader(file()), "test", (line, stored) -> {
		});
		var again = imports.run(tenant, new StringReader(file()), "test", (line, stored) -> {
		});
		assertThat(again.stored()).isZero();
		assertThat(again.alreadyStored()).isEqualTo(2496);
		assertThat(again.errors()).hasSize(4);
		var subject = records.findOrCreateSubject(tenant, Map.of("email", "applicant999@example.test"), "test");
		assertThat(records.recordsOf(tenant, subject.id(), "test")).hasSize(2);
	}

	@Test
	void aFileRunAgainAfterACrashPartWayStoresTheRestOnceForTheSamePeople() {
		// as if the first run had stopped after line 1,200: its lines are a repeat, the rest new records of people
		// the first part already made subjects of
		String whole = file();
		String firstPart = whole.lines().limit(1200).map(line -> line + "\n").collect(java.util.stream.Collectors.joining());
		var first = imports.run(tenant, new StringReader(firstPart), "test", (line, stored) -> {
		});
		assertThat(first.stored()).isEqualTo(1199);
		var again = imports.run(tenant, new StringReader(whole), "test", (line, stored) -> {
		});
		assertThat(again.alreadyStored()).isEqualTo(1199);
		assertThat(again.stored()).isEqualTo(2496 - 1199);
		assertThat(again.errors()).extracting(BulkImport.LineError::line).containsExactly(7L, 1500L, 2001L, 2400L);
		// applicant 5 is on lines 5, 1005 and 2005: one subject with the three records
		var five = records.findOrCreateSubject(tenant, Map.of("email", "applicant5@example.test"), "test");
		assertThat(five.created()).isFalse();
		assertThat(records.recordsOf(tenant, five.id(), "test")).hasSize(3);
		assertThat(jdbc.sql("select count(*) from subject where tenant_id = ?").param(tenant).query(Long.class).single())
			.as("one subject per applicant").isEqualTo(1000);
	}

	@Test
	void aSubjectErasedWhileAnImportRunsIsNotGivenTheLinesThatNameItLater() {
		// the late line is in the batch after the first part, planned after the erasure
		var first = new StringBuilder(batchOfPeople());
		for (int i = 0; i < imports.batchLines(); i++) {
			first.append(line("f-" + i, "filler" + i + "@example.test", "Filler " + i));
		}
		first.append(ImportFiles.readAheadFillers(imports.batchLines()));
		importErasingPersonFiveAfterTheFirstBatch(first.toString(), line("e-late", "person5@example.test", "Person Five Again"));
	}

	@Test
	void aSubjectErasedAfterTheBatchNamingItWasPlannedIsNotGivenItsLine() {
		// the late line is in the second batch, which the import plans (subjects looked up, fields sealed) in the
		// first batch's transaction, before the erasure: the plan must not be written as it was
		var first = new StringBuilder(batchOfPeople());
		first.append(line("e-late", "person5@example.test", "Person Five Again"));
		for (int i = 1; i < imports.batchLines(); i++) {
			first.append(line("f-" + i, "filler" + i + "@example.test", "Filler " + i));
		}
		first.append(ImportFiles.readAheadFillers(imports.batchLines()));
		importErasingPersonFiveAfterTheFirstBatch(first.toString(), line("f-0", "filler0@example.test", "Filler 0"));
	}

	private String batchOfPeople() {
		var lines = new StringBuilder();
		for (int i = 0; i < imports.batchLines(); i++) {
			lines.append(line("e-" + i, "person" + i + "@example.test", "Person " + i));
		}
		return lines.toString();
	}

	@Test
	void aSubjectErasedByRetentionWhileAnImportRunsIsNotGivenTheLinesThatNameItLater() {
		// retention erases the subjects a chunk emptied all at once (Subjects.eraseAll), not through a request; the
		// import, which keeps the subjects it met and their keys while the tenant's count of erasures is unchanged,
		// must see this one go too
		var first = new StringBuilder(batchOfPeople());
		for (int i = 0; i < imports.batchLines(); i++) {
			first.append(line("f-" + i, "filler" + i + "@example.test", "Filler " + i));
		}
		first.append(ImportFiles.readAheadFillers(imports.batchLines()));
		importErasingPersonFiveAfterTheFirstBatch(first.toString(), line("e-late", "person5@example.test", "Person Five Again"),
				subject -> new org.springframework.transaction.support.TransactionTemplate(transactions).executeWithoutResult(status -> {
					erasureLock.hold(tenant);
					jdbc.sql("delete from personal_record where tenant_id = ? and subject_id = ?").params(tenant, subject).update();
					subjectRows.eraseAll(tenant, List.of(subject), java.time.Instant.now());
				}));
	}

	/** Imports the two parts as one file and erases person5 (met in the first batch) in between (ImportFiles). */
	private void importErasingPersonFiveAfterTheFirstBatch(String first, String second) {
		importErasingPersonFiveAfterTheFirstBatch(first, second,
				subject -> records.eraseSubject(tenant, subject, "erasure request", "test"));
	}

	private void importErasingPersonFiveAfterTheFirstBatch(String first, String second, java.util.function.Consumer<UUID> erase) {
		var erasedIds = new ArrayList<UUID>();
		var file = ImportFiles.withPause(first, second, () -> {
			var subject = records.findOrCreateSubject(tenant, Map.of("email", "person5@example.test"), "test");
			assertThat(subject.created()).isFalse();
			erase.accept(subject.id());
			erasedIds.add(subject.id());
		});
		var report = imports.run(tenant, file, "test", (l, s) -> {
		});
		assertThat(erasedIds).hasSize(1);
		assertThat(report.errors()).isEmpty();
		assertThat(report.stored()).isEqualTo((1 + BulkImport.CHECKED_AHEAD) * imports.batchLines() + 1);
		// the import had met person5 in its first batch; the late line gets a new subject, not the erased one
		var now = records.findOrCreateSubject(tenant, Map.of("email", "person5@example.test"), "test");
		assertThat(now.created()).isFalse();
		assertThat(now.id()).isNotEqualTo(erasedIds.get(0));
		assertThat(records.recordsOf(tenant, now.id(), "test")).extracting(r -> r.fields().get("name"))
			.containsExactly("Person Five Again");
		assertThat(jdbc.sql("select count(*) from personal_record where tenant_id = ? and subject_id = ?")
			.params(tenant, erasedIds.get(0))
			.query(Long.class)
			.single()).as("records of the erased subject").isZero();
		// and a subject the import met and nobody erased keeps getting its lines
		var six = records.findOrCreateSubject(tenant, Map.of("email", "person6@example.test"), "test");
		assertThat(records.recordsOf(tenant, six.id(), "test")).hasSize(1);
	}

	@Test
	void anIdentifierLearntInABatchThatWasRolledBackIsStoredWhenTheBatchIsTriedAgain() {
		var known = records.findOrCreateSubject(tenant, Map.of("email", "known@example.test"), "test");
		imports.run(tenant, new StringReader(line("dup-1", "someone@example.test", "Someone")), "test", (l, s) -> {
		});
		// one batch: a line stored before (its insert fails and the batch is tried again, checking what is stored)
		// and a line that adds a new phone number to the known subject
		String file = line("dup-1", "someone@example.test", "Someone")
				+ "{\"client_record_id\": \"new-1\", \"identifiers\": {\"email\": \"known@example.test\", \"phone\": \"+32 16 00 00 02\"}, \"activity\": \"recruitment\", \"category\": \"identity_contact\", \"fields\": {\"name\": \"Known\"}}\n";
		var report = imports.run(tenant, new StringReader(file), "test", (l, s) -> {
		});
		assertThat(report.errors()).isEmpty();
		assertThat(report.stored()).isEqualTo(1);
		assertThat(report.alreadyStored()).isEqualTo(1);
		// the phone number was written by the first attempt, rolled back with it, and written again by the second
		var byPhone = records.findOrCreateSubject(tenant, Map.of("phone", "+3216000002"), "test");
		assertThat(byPhone.created()).isFalse();
		assertThat(byPhone.id()).isEqualTo(known.id());
	}

	@Test
	void aSubjectStoredBeforeTheImportAndNamedAfterBatchesOfNewPeopleGetsItsLinesAndNoTwin() {
		// the import takes identifiers it has not met as new until one turns out to be stored: the batch naming
		// the known subject is then done again with look-ups, and nothing of its first try stays
		var known = records.findOrCreateSubject(tenant, Map.of("email", "known@example.test"), "test");
		var file = new StringBuilder();
		int newPeople = 2 * imports.batchLines() + 3;
		for (int i = 0; i < newPeople; i++) {
			file.append(line("n-" + i, "new" + i + "@example.test", "New " + i));
		}
		file.append(line("k-1", "known@example.test", "Known Once"));
		file.append(line("n-last", "newlast@example.test", "New Last"));
		file.append(line("k-2", "Known@Example.test", "Known Twice"));
		var report = imports.run(tenant, new StringReader(file.toString()), "test", (l, s) -> {
		});
		assertThat(report.errors()).isEmpty();
		assertThat(report.stored()).isEqualTo(newPeople + 3);
		assertThat(records.recordsOf(tenant, known.id(), "test")).extracting(r -> r.fields().get("name"))
			.containsExactlyInAnyOrder("Known Once", "Known Twice");
		assertThat(jdbc.sql("select count(*) from subject where tenant_id = ?").param(tenant).query(Long.class).single())
			.as("the known subject and one per new person, none left by a batch tried again").isEqualTo(1 + newPeople + 1);
		var last = records.findOrCreateSubject(tenant, Map.of("email", "newlast@example.test"), "test");
		assertThat(last.created()).isFalse();
		assertThat(records.recordsOf(tenant, last.id(), "test")).extracting(r -> r.fields().get("name")).containsExactly("New Last");
	}

	@Test
	void linesThatAreNotJsonObjectsAreReportedAndTheOthersStored() {
		String file = "null\n[]\n42\n" + line("ok-1", "fine@example.test", "Fine");
		var report = imports.run(tenant, new StringReader(file), "test", (l, s) -> {
		});
		assertThat(report.stored()).isEqualTo(1);
		assertThat(report.errors()).extracting(BulkImport.LineError::line).containsExactly(1L, 2L, 3L);
		assertThat(report.errors()).allSatisfy(e -> assertThat(e.message()).startsWith("not a JSON object of the import format"));
	}

	private static String line(String clientId, String email, String name) {
		return ImportFiles.line(clientId, email, name);
	}

	@Test
	void identifiersOfTwoDifferentSubjectsInOneLineAreRefused() {
		records.findOrCreateSubject(tenant, Map.of("email", "one@example.test"), "test");
		records.findOrCreateSubject(tenant, Map.of("phone", "+32 16 00 00 01"), "test");
		String line = "{\"client_record_id\": \"x-1\", \"identifiers\": {\"email\": \"one@example.test\", \"phone\": \"+3216000001\"}, \"activity\": \"recruitment\", \"category\": \"identity_contact\", \"fields\": {\"name\": \"x\"}}";
		var report = imports.run(tenant, new StringReader(line), "test", (l, s) -> {
		});
		assertThat(report.stored()).isZero();
		assertThat(report.errors()).singleElement().satisfies(e -> assertThat(e.message()).contains("different subjects"));
	}

	/**
	 * A stored identifier whose look-up key (the first 8 bytes of its blind index, V60) is another's: about one pair
	 * in 2^64, made here by hand. The other is never taken for the stored one's subject; its line is refused.
	 */
	UUID identifierSharingTheLookUpKeyOf(String email) {
		UUID holder = records.findOrCreateSubject(tenant, Map.of("email", "holder@example.test"), "test").id();
		byte[] index = keys.blindIndex(tenant, "email", email);
		byte[] other = index.clone();
		other[31] ^= 1;
		jdbc.sql("insert into subject_identifier (lookup, tenant_id, kind, blind_index, subject_id) values (?, ?, 'email', ?, ?)")
			.params(Subjects.lookup(index), tenant, other, holder)
			.update();
		return holder;
	}

	@Test
	void aLineWhoseIdentifierSharesItsLookUpKeyWithAStoredOneIsReportedAndTheOthersStored() {
		UUID holder = identifierSharingTheLookUpKeyOf("second@example.test");
		String file = line("c-1", "first@example.test", "First") + line("c-2", "second@example.test", "Second")
				+ line("c-3", "holder@example.test", "Holder");
		var report = imports.run(tenant, new StringReader(file), "test", (l, s) -> {
		});
		assertThat(report.stored()).isEqualTo(2);
		assertThat(report.errors()).extracting(BulkImport.LineError::line).containsExactly(2L);
		assertThat(records.recordsOf(tenant, holder, "test")).extracting(r -> r.fields().get("name")).containsExactly("Holder");
		assertThat(jdbc.sql("select count(*) from personal_record where tenant_id = ? and client_record_id = 'c-2'").param(tenant)
			.query(Long.class).single()).isZero();
	}

}

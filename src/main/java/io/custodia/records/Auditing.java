package io.custodia.records;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;

import io.custodia.audit.AuditAction;
import io.custodia.audit.AuditEvent;
import io.custodia.audit.AuditTrail;

/**
 * What the store tells the audit trail, in the same transaction as the act: who did what to which subject or
 * record, and why. Only ids, names of activities, categories, fields and facts, and counts: never a value.
 */
@Component
class Auditing {

	private final AuditTrail trail;

	private final ApplicationEventPublisher events;

	private final java.time.Clock clock;

	Auditing(AuditTrail trail, ApplicationEventPublisher events, java.time.Clock clock) {
		this.trail = trail;
		this.events = events;
		this.clock = clock;
	}

	void subjectCreated(String tenantId, String actor, UUID subjectId, Set<String> identifierKinds) {
		record(tenantId, actor, AuditAction.SUBJECT_CREATED, subjectId, null, null,
				Map.of("identifier_kinds", names(identifierKinds)));
	}

	void recordStored(String tenantId, String actor, UUID subjectId, UUID recordId, String activity, String category,
			Set<String> fields) {
		record(tenantId, actor, AuditAction.RECORD_STORED, subjectId, recordId, "activity:" + activity,
				Map.of("activity", activity, "category", category, "fields", names(fields)));
	}

	/**
	 * A batch is one act and one audit entry naming every record and subject it created: the same facts as an
	 * entry per record, at one MAC and one row per batch (250 records, 1,000 on PostgreSQL) instead of one each.
	 * Audit look-ups by record or subject find it through the names ({@link AuditTrail#entries}).
	 */
	void recordsImported(String tenantId, String actor, List<PersonalRecords.Row> rows,
			List<Subjects.NewSubject> newSubjects, Set<String> identifierKinds) {
		var activities = new java.util.TreeSet<String>();
		var categories = new java.util.TreeSet<String>();
		rows.forEach(row -> {
			activities.add(row.activity());
			categories.add(row.category());
		});
		var details = new java.util.TreeMap<String, String>();
		details.put("records", Integer.toString(rows.size()));
		details.put("record_ids", ids(rows.stream().map(PersonalRecords.Row::id).toList()));
		details.put("activities", String.join(",", activities));
		details.put("categories", String.join(",", categories));
		details.put("subjects_created", Integer.toString(newSubjects.size()));
		details.put("created_subject_ids", ids(newSubjects.stream().map(Subjects.NewSubject::id).toList()));
		var touched = new java.util.LinkedHashSet<UUID>();
		rows.forEach(row -> touched.add(row.subjectId()));
		newSubjects.forEach(subject -> touched.add(subject.id()));
		details.put("subject_ids", ids(touched));
		details.put("identifier_kinds", String.join(",", new java.util.TreeSet<>(identifierKinds)));
		record(tenantId, actor, AuditAction.RECORDS_IMPORTED, null, null, "import", details);
	}

	void recordRead(String tenantId, String actor, UUID subjectId, UUID recordId) {
		record(tenantId, actor, AuditAction.RECORD_READ, subjectId, recordId, null, Map.of());
	}

	/**
	 * A listing of a subject's records is one act, audited as one entry that names every record read (a single
	 * record also in the entry's record column), so reading four records costs one append, not four.
	 */
	void recordsRead(String tenantId, String actor, UUID subjectId, java.util.List<UUID> recordIds) {
		recordsRead(tenantId, actor, subjectId, recordIds, null);
	}

	private void recordsRead(String tenantId, String actor, UUID subjectId, java.util.List<UUID> recordIds, String reason) {
		if (recordIds.isEmpty()) {
			return;
		}
		record(tenantId, actor, AuditAction.RECORD_READ, subjectId, recordIds.size() == 1 ? recordIds.get(0) : null, reason,
				Map.of("records", Integer.toString(recordIds.size()), "record_ids", ids(recordIds)));
	}

	private static String ids(java.util.Collection<UUID> ids) {
		var text = new StringBuilder(ids.size() * 37);
		for (UUID id : ids) {
			if (!text.isEmpty()) {
				text.append(',');
			}
			text.append(id);
		}
		return text.toString();
	}

	void recordRectified(String tenantId, String actor, UUID subjectId, UUID recordId, Set<String> fields) {
		record(tenantId, actor, AuditAction.RECORD_RECTIFIED, subjectId, recordId, "rectification",
				Map.of("fields", names(fields)));
	}

	void factsRecorded(String tenantId, String actor, UUID subjectId, UUID recordId, Map<String, String> facts) {
		// the names only: a fact's value could be mistaken for a place to put personal data
		record(tenantId, actor, AuditAction.RECORD_FACT_RECORDED, subjectId, recordId, null,
				Map.of("facts", names(facts.keySet())));
	}

	void restricted(String tenantId, String actor, UUID subjectId, UUID recordId, String reason, boolean restricted) {
		record(tenantId, actor, restricted ? AuditAction.RECORD_RESTRICTED : AuditAction.RECORD_UNRESTRICTED, subjectId,
				recordId, reason, Map.of());
	}

	void expired(String tenantId, String actor, UUID subjectId, UUID recordId, String reason, boolean deidentified) {
		record(tenantId, actor, deidentified ? AuditAction.RECORD_DEIDENTIFIED : AuditAction.RECORD_DELETED, subjectId,
				recordId, reason, Map.of());
		// the erasure ledger writes it before this transaction commits, so a restore cannot bring the record back
		events.publishEvent(new RecordsExpired(tenantId, java.util.List.of(new RecordsExpired.Expired(recordId, subjectId, deidentified)),
				clock.instant()));
	}

	/**
	 * Records marked to be erased once nothing keeps them: the erasure ledger writes them before this transaction
	 * commits, so that a restore from an older backup marks them again.
	 */
	void awaitingErasure(String tenantId, UUID subjectId, List<UUID> recordIds) {
		if (!recordIds.isEmpty()) {
			events.publishEvent(new RecordsAwaitingErasure(tenantId,
					recordIds.stream().map(recordId -> new RecordsAwaitingErasure.Awaiting(recordId, subjectId)).toList(),
					clock.instant()));
		}
	}

	/**
	 * Every erasure of a subject (request and retention) passes here before its rows go. Listeners (the erasure
	 * ledger) run now, inside the erasing transaction, and may go on while the rows go: the ledger forces its line
	 * to disk meanwhile and waits for it before the transaction commits.
	 */
	void erasing(String tenantId, UUID subjectId) {
		events.publishEvent(new SubjectErased(tenantId, subjectId, clock.instant()));
	}

	void subjectErased(String tenantId, String actor, UUID subjectId, String reason, int records) {
		record(tenantId, actor, AuditAction.SUBJECT_ERASED, subjectId, null, reason,
				Map.of("records_deleted", Integer.toString(records), "key", "destroyed"));
	}

	private void record(String tenantId, String actor, AuditAction action, UUID subjectId, UUID recordId, String reason,
			Map<String, String> details) {
		trail.record(new AuditEvent(tenantId, actor, action, subjectId, recordId, truncate(reason), details));
	}

	private static String names(Set<String> names) {
		return String.join(",", new TreeSet<>(names));
	}

	static String truncate(String reason) {
		return reason == null || reason.length() <= 500 ? reason : reason.substring(0, 500);
	}

	// for SubjectRights: reads for a stated reason (e.g. notifying the subject of a policy change)
	void recordsReadFor(String tenantId, String actor, UUID subjectId, java.util.List<UUID> recordIds, String reason) {
		recordsRead(tenantId, actor, subjectId, recordIds, truncate(reason));
	}

	// for SubjectRights: all of a subject's records read in one act (an access package)
	void subjectRecordsRead(String tenantId, String actor, UUID subjectId, int count, String reason) {
		record(tenantId, actor, AuditAction.RECORD_READ, subjectId, null, reason, Map.of("records", Integer.toString(count), "scope", "all records of the subject"));
	}
}

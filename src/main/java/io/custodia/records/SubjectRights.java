package io.custodia.records;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import io.custodia.keys.KeyManagement;

/**
 * What the data-subject rights need of the store beyond {@link RecordManagement}: finding a subject by one
 * identifier, every record of a subject including restricted ones (for the subject's own access package only),
 * restricting all or some of a subject's records, and erasure with exceptions (records kept under a legal hold
 * or a legal obligation are restricted instead of deleted). Every act is audited like the store's own.
 */
@Service
public class SubjectRights {

	private final Subjects subjects;

	private final PersonalRecords records;

	private final RecordManagement management;

	private final KeyManagement keys;

	private final Auditing audit;

	private final java.time.Clock clock;

	private final PendingErasures pending;

	SubjectRights(Subjects subjects, PersonalRecords records, RecordManagement management, KeyManagement keys,
			Auditing audit, java.time.Clock clock, PendingErasures pending) {
		this.pending = pending;
		this.subjects = subjects;
		this.records = records;
		this.management = management;
		this.keys = keys;
		this.audit = audit;
		this.clock = clock;
	}

	/** What an erasure with exceptions did. */
	public record Erasure(int deleted, List<UUID> restricted, boolean keyDestroyed) {
	}

	/** The live subject one identifier names, if any (nothing read, nothing audited). */
	@Transactional(readOnly = true)
	public Optional<UUID> findSubject(String tenantId, String kind, String value) {
		if (!Identifiers.KINDS.contains(kind) || value == null || value.isBlank()) {
			return Optional.empty();
		}
		byte[] index = keys.blindIndex(tenantId, kind, Identifiers.normalise(kind, value));
		return subjects.findByIndex(tenantId, kind, index)
			.stream()
			.filter(id -> management.hasSubject(tenantId, id))
			.findFirst();
	}

	/** Whether the tenant has this live subject. */
	public boolean exists(String tenantId, UUID subjectId) {
		return management.hasSubject(tenantId, subjectId);
	}

	/**
	 * Every record of the subject, restricted ones included (their status says so): only for the subject's own
	 * access package. The read is one act, audited as one entry naming the reason (the request) and the count.
	 */
	@Transactional
	public List<RecordView> allRecordsOf(String tenantId, UUID subjectId, String reason, String actor) {
		if (!management.hasSubject(tenantId, subjectId)) {
			return List.of();
		}
		// one subject key and one query for the rows with their facts: a package of 1,000 records is one pass
		var subject = subjects.find(tenantId, subjectId).orElseThrow();
		var aead = keys.subjectAead(tenantId, subjectId, subject.wrappedKey());
		var result = new ArrayList<RecordView>();
		for (var row : records.ofSubject(tenantId, subjectId)) {
			if (row.status() == RecordStatus.DEIDENTIFIED) {
				continue;
			}
			var fields = RecordManagement.parse(RecordManagement.open(aead, row.sealed(),
					RecordManagement.context(tenantId, subjectId, row.id())));
			result.add(new RecordView(row.id(), row.subjectId(), row.activity(), row.category(), row.clientRecordId(), fields,
					row.facts(), row.status(), row.createdAt(), row.updatedAt()));
		}
		audit.subjectRecordsRead(tenantId, actor, subjectId, result.size(), reason);
		return result;
	}

	/** The subject's records without content: ids, activities, status, facts (nothing read, nothing audited). */
	@Transactional(readOnly = true)
	public List<RetentionCandidate> factsOf(String tenantId, UUID subjectId) {
		var result = new ArrayList<RetentionCandidate>();
		for (var row : records.ofSubject(tenantId, subjectId)) {
			result.add(new RetentionCandidate(row.id(), row.subjectId(), row.activity(), row.category(), row.status(),
					row.createdAt(), new LinkedHashMap<>(row.facts())));
		}
		return result;
	}

	/** Restricts the subject's active records of these activities (all when null); returns how many. */
	@Transactional
	public int restrict(String tenantId, UUID subjectId, Set<String> activities, String reason, String actor) {
		var changed = new ArrayList<UUID>();
		Instant now = clock.instant();
		for (var row : records.ofSubject(tenantId, subjectId)) {
			if (row.status() == RecordStatus.ACTIVE && (activities == null || activities.contains(row.activity()))) {
				records.updateStatus(tenantId, row.id(), RecordStatus.RESTRICTED, now);
				changed.add(row.id());
			}
		}
		// audited after every record is changed: the audit's head is locked last (ErasureLock says why)
		changed.forEach(record -> audit.restricted(tenantId, actor, subjectId, record, reason, true));
		return changed.size();
	}

	/** Lifts the restriction of the subject's records of these activities; returns how many. */
	@Transactional
	public int unrestrict(String tenantId, UUID subjectId, Set<String> activities, String reason, String actor) {
		var changed = new ArrayList<UUID>();
		Instant now = clock.instant();
		for (var row : records.ofSubject(tenantId, subjectId)) {
			// one an erasure keeps only until nothing else does stays restricted
			if (row.status() == RecordStatus.RESTRICTED && activities.contains(row.activity())
					&& !pending.contains(tenantId, row.id())) {
				records.updateStatus(tenantId, row.id(), RecordStatus.ACTIVE, now);
				changed.add(row.id());
			}
		}
		changed.forEach(record -> audit.restricted(tenantId, actor, subjectId, record, reason, false));
		return changed.size();
	}

	/** {@link RecordManagement#lockForChange}: for a request that audits its start before it changes the subject's data. */
	public void lockForChange(String tenantId, UUID subjectId) {
		management.lockForChange(tenantId, subjectId);
	}

	/**
	 * Erases the subject except the records named in {@code keep}, which are restricted instead. With nothing
	 * kept the subject's key is destroyed; otherwise the key stays for the kept records alone.
	 */
	@Transactional
	public Erasure erase(String tenantId, UUID subjectId, Collection<UUID> keep, String reason, String actor) {
		if (!management.hasSubject(tenantId, subjectId)) {
			throw new RecordNotFoundException("subject");
		}
		if (keep.isEmpty()) {
			int deleted = management.eraseSubject(tenantId, subjectId, reason, actor);
			return new Erasure(deleted, List.of(), true);
		}
		var deleted = new ArrayList<UUID>();
		var newlyRestricted = new ArrayList<UUID>();
		var restricted = new ArrayList<UUID>();
		Instant now = clock.instant();
		for (var row : records.ofSubject(tenantId, subjectId)) {
			if (keep.contains(row.id())) {
				if (row.status() == RecordStatus.ACTIVE) {
					records.updateStatus(tenantId, row.id(), RecordStatus.RESTRICTED, now);
					newlyRestricted.add(row.id());
				}
				restricted.add(row.id());
			}
			else {
				records.delete(tenantId, row.id());
				deleted.add(row.id());
			}
		}
		// the subject asked for these to go: retention deletes them once nothing keeps them (PendingErasures); one
		// marked by an earlier request and deleted now takes its mark with it
		pending.remove(tenantId, deleted);
		var marked = pending.mark(tenantId, restricted, reason, now);
		// audited after every record is changed: the audit's head is locked last (ErasureLock says why)
		newlyRestricted.forEach(record -> audit.restricted(tenantId, actor, subjectId, record,
				reason + " (kept: erasure not allowed)", true));
		deleted.forEach(record -> audit.expired(tenantId, actor, subjectId, record, reason, false));
		audit.awaitingErasure(tenantId, subjectId, marked);
		return new Erasure(deleted.size(), restricted, false);
	}

	/** Subjects with at least one active record of these activities. */
	@Transactional(readOnly = true)
	public List<UUID> subjectsWithRecordsIn(String tenantId, Collection<String> activities) {
		if (activities.isEmpty()) {
			return List.of();
		}
		return records.subjectsIn(tenantId, activities);
	}

	/**
	 * The e-mail addresses the subject's active records of these activities hold in a field named
	 * {@code email}, read to notify the subject; the reads are audited with the reason given.
	 */
	@Transactional
	public List<String> emailsOf(String tenantId, UUID subjectId, Collection<String> activities, String reason,
			String actor) {
		var found = new java.util.LinkedHashSet<String>();
		var read = new ArrayList<UUID>();
		for (var row : records.ofSubject(tenantId, subjectId)) {
			if (row.status() == RecordStatus.ACTIVE && activities.contains(row.activity())) {
				Object email = management.readUnaudited(row).fields().get("email");
				read.add(row.id());
				if (email instanceof String text && text.contains("@")) {
					found.add(Identifiers.normalise("email", text));
				}
			}
		}
		if (!read.isEmpty()) {
			audit.recordsReadFor(tenantId, actor, subjectId, read, reason);
		}
		return List.copyOf(found);
	}

	/** Fields per record id, for records of the subject (used to rectify: the caller names record and fields). */
	@Transactional
	public RecordView rectify(String tenantId, UUID subjectId, UUID recordId, Map<String, Object> changes, String actor) {
		var row = records.find(tenantId, recordId).orElseThrow(() -> new RecordNotFoundException("record"));
		if (!subjectId.equals(row.subjectId())) {
			throw new RecordNotFoundException("record");
		}
		return management.rectify(tenantId, recordId, changes, actor);
	}
}

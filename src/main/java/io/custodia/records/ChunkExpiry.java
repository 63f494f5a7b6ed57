package io.custodia.records;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;

import com.google.crypto.tink.Aead;

import io.custodia.audit.AuditAction;
import io.custodia.audit.AuditEvent;
import io.custodia.audit.AuditTrail;
import io.custodia.keys.KeyManagement;
import io.custodia.policy.Policy;

/**
 * Ends the retention of a chunk of records with a handful of statements instead of a handful per record: one
 * read of the rows and their subjects, one batch of de-identifications, one delete, one count of what each
 * subject has left, one erasure of the subjects left with nothing, and one append to the audit chain. The
 * outcome is the same as expiring the records one by one; a retention run over a million records is then bound
 * by the database's writes, not by round trips and commits.
 */
@Component
class ChunkExpiry {

	private final Subjects subjects;

	private final PersonalRecords records;

	private final KeyManagement keys;

	private final AuditTrail audit;

	private final ApplicationEventPublisher publisher;

	private final ErasureLock erasureLock;

	private final org.springframework.beans.factory.ObjectProvider<ErasureHolds> holds;

	private final PendingErasures pending;

	ChunkExpiry(Subjects subjects, PersonalRecords records, KeyManagement keys, AuditTrail audit,
			ApplicationEventPublisher publisher, ErasureLock erasureLock,
			org.springframework.beans.factory.ObjectProvider<ErasureHolds> holds, PendingErasures pending) {
		this.pending = pending;
		this.holds = holds;
		this.erasureLock = erasureLock;
		this.subjects = subjects;
		this.records = records;
		this.keys = keys;
		this.audit = audit;
		this.publisher = publisher;
	}

	/** In the caller's transaction. Records of another tenant, unknown, restricted or de-identified are left out. */
	Map<UUID, Expiry> expire(String tenantId, Policy policy, List<Expiring> chunk, String actor, Instant now) {
		var result = new LinkedHashMap<UUID, Expiry>();
		if (chunk.isEmpty()) {
			return result;
		}
		Map<UUID, PersonalRecords.Row> rows = records.findAll(tenantId, chunk.stream().map(Expiring::recordId).toList());
		var subjectIds = new HashSet<UUID>();
		for (var row : rows.values()) {
			if (row.subjectId() != null) {
				subjectIds.add(row.subjectId());
			}
		}
		Map<UUID, Subjects.Subject> owners = subjects.findAll(tenantId, subjectIds);
		var deidentified = new ArrayList<PersonalRecords.Sealed>();
		var deleted = new ArrayList<UUID>();
		var events = new ArrayList<AuditEvent>();
		var touched = new HashSet<UUID>();
		// the chunk's own: a run opens the key of nearly every subject once, and through the key cache it would
		// push out the keys that reads use (KeyManagement.subjectAeadForBatch)
		var aeads = new HashMap<UUID, Aead>();
		var acting = new ArrayList<Expiring>();
		var keptFields = new HashMap<UUID, Map<String, Object>>();
		for (Expiring item : chunk) {
			var row = rows.get(item.recordId());
			// read again in this transaction: restricted since the run read it (a request, an objection) is left as
			// the run leaves every restricted record
			if (row == null || row.status() != RecordStatus.ACTIVE
					&& !(item.erasurePending() && row.status() == RecordStatus.RESTRICTED)) {
				continue;
			}
			acting.add(item);
			if (item.action() == ExpiryAction.DE_IDENTIFY) {
				var fields = nonIdentifying(tenantId, policy, row, owners.get(row.subjectId()), aeads);
				if (fields != null) {
					keptFields.put(row.id(), fields);
				}
			}
		}
		// counted once it is known which records keep something: those share a bucket only when there are enough
		// of them to hide among (Ids.BUCKET), not when the chunk planned that many and most were deleted instead
		var newIds = Ids.deidentifiedTogether(now, keptFields.size());
		for (Expiring item : acting) {
			var row = rows.get(item.recordId());
			var fields = keptFields.get(row.id());
			UUID newId = fields != null ? newIds.get() : null;
			byte[] kept = fields != null ? RecordManagement.seal(keys.tenantAead(tenantId), RecordManagement.json(fields),
					RecordManagement.deidentifiedContext(tenantId, newId)) : null;
			if (kept != null) {
				deidentified.add(new PersonalRecords.Sealed(row.id(), newId, kept, row.createdAt()));
			}
			else {
				deleted.add(row.id());
			}
			touched.add(row.subjectId());
			events.add(new AuditEvent(tenantId, actor, kept != null ? AuditAction.RECORD_DEIDENTIFIED : AuditAction.RECORD_DELETED,
					row.subjectId(), row.id(), Auditing.truncate(item.reason()), Map.of()));
			result.put(row.id(), new Expiry(kept == null, kept != null, false, null));
		}
		// the subjects this chunk may leave without records are locked before any record is changed, then the
		// tenant's erasure lock (the order everywhere, ErasureLock); after the changes they are counted again: a
		// record stored for one of them meanwhile (one by one under the subject's lock, or by an import batch under
		// the erasure lock) has committed by then and keeps its subject. The erasure lock is taken even when no
		// subject is emptied: the chunk changes its records in two passes (de-identified, then deleted), not in id
		// order, and a request changing a subject's data holds that lock before it locks the subject's records
		var acted = new HashSet<UUID>(deleted);
		deidentified.forEach(d -> acted.add(d.id()));
		Set<UUID> emptied = new HashSet<>(touched);
		emptied.removeAll(records.subjectsWithRecords(tenantId, touched, acted));
		if (!emptied.isEmpty()) {
			// one erased meanwhile (by a request) is not erased a second time
			emptied.retainAll(subjects.lockAll(emptied));
		}
		erasureLock.hold(tenantId);
		// a legal hold placed since the run read the holds (placing one takes this lock, so it has committed by now)
		// keeps what it covers: the run read them before this chunk's locks, and a long run would otherwise act on
		// records a hold acknowledged meanwhile names
		var heldNow = heldSince(tenantId, rows, acted);
		if (!heldNow.isEmpty()) {
			deidentified.removeIf(d -> heldNow.containsKey(d.id()));
			deleted.removeIf(heldNow::containsKey);
			events.removeIf(e -> heldNow.containsKey(e.recordId()));
			for (Expiring item : acting) {
				var hold = heldNow.get(item.recordId());
				if (hold != null) {
					result.put(item.recordId(), new Expiry(false, false, false, hold.reference()));
					events.add(new AuditEvent(tenantId, actor, AuditAction.HOLD_BLOCKED, rows.get(item.recordId()).subjectId(),
							item.recordId(), Auditing.truncate("hold:" + hold.reference()),
							Map.of("blocked", Auditing.truncate(item.reason()), "hold_id", hold.id().toString())));
				}
			}
		}
		records.deidentifyAll(tenantId, deidentified, now);
		records.deleteAll(tenantId, deleted);
		// only a record an erasure waited for has a mark (PendingErasures); those are deleted, never de-identified
		var marked = chunk.stream().filter(Expiring::erasurePending).map(Expiring::recordId).filter(deleted::contains).toList();
		if (!marked.isEmpty()) {
			pending.remove(tenantId, marked);
		}
		emptied.removeAll(records.subjectsWithRecords(tenantId, emptied, Set.of()));
		subjects.eraseAll(tenantId, emptied, now);
		var reasons = new HashMap<UUID, String>();
		for (Expiring item : chunk) {
			var row = rows.get(item.recordId());
			if (row != null && emptied.contains(row.subjectId())) {
				reasons.put(row.subjectId(), item.reason());
				result.computeIfPresent(row.id(), (id, e) -> new Expiry(e.deleted(), e.deidentified(), true, e.heldBy()));
			}
		}
		for (UUID subject : emptied) {
			keys.forgetSubject(tenantId, subject);
			events.add(new AuditEvent(tenantId, actor, AuditAction.SUBJECT_ERASED, subject, null,
					Auditing.truncate("last record expired: " + reasons.get(subject)),
					Map.of("records_deleted", "0", "key", "destroyed")));
		}
		audit.recordAll(tenantId, events);
		var expired = new ArrayList<RecordsExpired.Expired>();
		deidentified.forEach(d -> expired.add(new RecordsExpired.Expired(d.id(), rows.get(d.id()).subjectId(), true)));
		deleted.forEach(id -> expired.add(new RecordsExpired.Expired(id, rows.get(id).subjectId(), false)));
		if (!expired.isEmpty()) {
			// before the subjects: a replay de-identifies a record again before its subject's erasure is replayed
			publisher.publishEvent(new RecordsExpired(tenantId, List.copyOf(expired), now));
		}
		if (!emptied.isEmpty()) {
			// the erasure ledger writes them before this transaction commits
			publisher.publishEvent(new SubjectsErased(tenantId, List.copyOf(emptied), now));
		}
		return result;
	}

	/** The holds (placed since the run read them) that cover any of the records this chunk is about to change. */
	private Map<UUID, ErasureHolds.Hold> heldSince(String tenantId, Map<UUID, PersonalRecords.Row> rows, Set<UUID> acted) {
		var candidates = acted.stream()
			.map(rows::get)
			.map(row -> new RetentionCandidate(row.id(), row.subjectId(), row.activity(), row.category(), row.status(),
					row.createdAt(), row.facts()))
			.toList();
		var held = new HashMap<UUID, ErasureHolds.Hold>();
		holds.orderedStream().forEach(h -> held.putAll(h.holdingRecords(tenantId, candidates)));
		return held;
	}

	/** The record's non-identifying fields, or null where none would remain. */
	private Map<String, Object> nonIdentifying(String tenantId, Policy policy, PersonalRecords.Row row, Subjects.Subject owner,
			Map<UUID, Aead> aeads) {
		if (owner == null || owner.wrappedKey() == null) {
			return null;
		}
		var category = policy.dataCategories().get(row.category());
		Aead aead = aeads.computeIfAbsent(row.subjectId(), subject -> keys.subjectAeadForBatch(tenantId, subject, owner.wrappedKey()));
		Map<String, Object> fields = RecordManagement.parse(RecordManagement.open(aead, row.sealed(),
				RecordManagement.context(tenantId, row.subjectId(), row.id())));
		fields.keySet().removeIf(name -> category == null || !category.fields().containsKey(name)
				|| category.fields().get(name).identifying());
		return fields.isEmpty() ? null : fields;
	}
}

package io.custodia.records;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import com.google.crypto.tink.Aead;

import io.custodia.keys.KeyManagement;
import io.custodia.policy.Policy;
import io.custodia.tenancy.TenantManagement;
import io.custodia.tenancy.TenantNotFoundException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Stores, reads and changes personal data under the tenant's policy. Every method takes the caller's tenant
 * and looks everything up within it: an id of another tenant is simply not found.
 */
@Service
public class RecordManagement {

	private static final TypeReference<LinkedHashMap<String, Object>> FIELDS = new TypeReference<>() {
	};

	private final Subjects subjects;

	private final PersonalRecords records;

	private final KeyManagement keys;

	private final TenantManagement tenants;

	private final Auditing audit;

	private final Clock clock;

	private final ChunkExpiry chunks;

	private final ErasureLock erasureLock;

	private final org.springframework.beans.factory.ObjectProvider<RecordAdmission> admissions;

	private final org.springframework.beans.factory.ObjectProvider<ErasureHolds> holds;

	private final PendingErasures pending;

	RecordManagement(Subjects subjects, PersonalRecords records, KeyManagement keys, TenantManagement tenants,
			Auditing audit, Clock clock, ChunkExpiry chunks, ErasureLock erasureLock,
			org.springframework.beans.factory.ObjectProvider<RecordAdmission> admissions,
			org.springframework.beans.factory.ObjectProvider<ErasureHolds> holds, PendingErasures pending) {
		this.pending = pending;
		this.holds = holds;
		this.chunks = chunks;
		this.erasureLock = erasureLock;
		this.admissions = admissions;
		this.subjects = subjects;
		this.records = records;
		this.keys = keys;
		this.tenants = tenants;
		this.audit = audit;
		this.clock = clock;
	}

	/**
	 * Finds the subject these identifiers name, or creates one with a fresh key. Identifiers that name two
	 * different subjects are refused rather than merged.
	 */
	@Transactional
	public SubjectRef findOrCreateSubject(String tenantId, Map<String, String> identifiers, String actor) {
		return findOrCreateSubject(tenantId, identifiers, actor, true);
	}

	private SubjectRef findOrCreateSubject(String tenantId, Map<String, String> identifiers, String actor, boolean firstLook) {
		Map<String, String> normalised = Identifiers.normalise(identifiers);
		Map<String, byte[]> indexes = new LinkedHashMap<>();
		Set<String> unknownKinds = new LinkedHashSet<>();
		Set<UUID> found = new LinkedHashSet<>();
		normalised.forEach((kind, value) -> {
			byte[] index = keys.blindIndex(tenantId, kind, value);
			indexes.put(kind, index);
			var named = subjects.findByIndex(tenantId, kind, index);
			if (named.isEmpty()) {
				unknownKinds.add(kind);
			}
			found.addAll(named);
		});
		if (found.size() > 1) {
			throw new PolicyViolationException("identifiers", "these identifiers belong to different subjects",
					List.copyOf(normalised.keySet()));
		}
		if (found.size() == 1) {
			UUID id = found.iterator().next();
			if (!unknownKinds.isEmpty() && subjects.lock(tenantId, id).filter(s -> !s.erased()).isEmpty()) {
				// erased meanwhile (its erasure held the lock and took the identifiers with it): look again, as if
				// this came after it, instead of giving an erased subject a new identifier
				if (firstLook) {
					return findOrCreateSubject(tenantId, identifiers, actor, false);
				}
				throw new RecordNotFoundException("subject");
			}
			// identifiers not known yet join the subject the others name
			unknownKinds.forEach(kind -> subjects.addIdentifier(tenantId, kind, indexes.get(kind), id));
			return new SubjectRef(id, false);
		}
		UUID id = Ids.next();
		subjects.insert(id, tenantId, keys.newSubjectKey(tenantId, id), clock.instant());
		indexes.forEach((kind, index) -> subjects.addIdentifier(tenantId, kind, index, id));
		audit.subjectCreated(tenantId, actor, id, normalised.keySet());
		return new SubjectRef(id, true);
	}

	/** Stores a record; with a client record id already stored, returns that record instead (idempotent). */
	@Transactional
	public RecordView store(String tenantId, UUID subjectId, NewRecord input, String actor) {
		if (input.clientRecordId() != null && input.clientRecordId().length() > PolicyGate.CLIENT_RECORD_ID_LENGTH) {
			throw new PolicyViolationException("client_record_id", "client_record_id is longer than "
					+ PolicyGate.CLIENT_RECORD_ID_LENGTH + " characters", List.of());
		}
		if (input.clientRecordId() != null) {
			var existing = records.findByClientId(tenantId, input.clientRecordId());
			if (existing.isPresent()) {
				if (!subjectId.equals(existing.get().subjectId())) {
					throw new PolicyViolationException("client_record_id", "this client record id is used for another subject",
							List.of());
				}
				return view(existing.get(), false);
			}
		}
		Policy policy = policy(tenantId);
		var activity = PolicyGate.activity(policy, input.activity());
		var category = PolicyGate.category(policy, input.activity(), activity, input.category());
		PolicyGate.fields(input.category(), category, input.fields());
		var facts = PolicyGate.facts(input.activity(), activity, input.facts());
		// locked: an erasure of the subject running meanwhile either waits for this record and deletes it too, or
		// has committed and this one is refused
		var subject = lockedLiveSubject(tenantId, subjectId);
		admissions.orderedStream().forEach(check -> check.admit(tenantId, subjectId, input.activity(), activity));
		UUID id = Ids.next();
		Instant now = clock.instant();
		byte[] sealed = seal(keys.subjectAead(tenantId, subjectId, subject.wrappedKey()), PolicyGate.json(input.fields(), 0),
				context(tenantId, subjectId, id));
		try {
			records.insert(new PersonalRecords.Row(id, tenantId, subjectId, input.activity(), input.category(),
					input.clientRecordId(), sealed, RecordStatus.ACTIVE, now, now, PolicyGate.Fact.asMap(facts)));
		}
		catch (DuplicateKeyException ex) {
			throw new PolicyViolationException("client_record_id", "this client record id is stored already", List.of());
		}
		audit.recordStored(tenantId, actor, subjectId, id, input.activity(), input.category(), input.fields().keySet());
		return read(tenantId, id, actor, false);
	}

	/** A record with its fields; reading content is audited. */
	@Transactional
	public RecordView read(String tenantId, UUID recordId, String actor) {
		return read(tenantId, recordId, actor, true);
	}

	/**
	 * A record with its fields, unless it is restricted (Art. 18: kept, not processed): then {@link RecordRestrictedException}
	 * and nothing is read. For callers other than the DPO and the tenant's admin, who may read restricted data for
	 * legal claims.
	 */
	@Transactional
	public RecordView readInUse(String tenantId, UUID recordId, String actor) {
		refuseRestricted(tenantId, recordId);
		return read(tenantId, recordId, actor, true);
	}

	private RecordView read(String tenantId, UUID recordId, String actor, boolean audited) {
		var row = records.find(tenantId, recordId).orElseThrow(() -> new RecordNotFoundException("record"));
		var view = view(row, true);
		if (audited) {
			audit.recordRead(tenantId, actor, row.subjectId(), recordId);
		}
		return view;
	}

	/**
	 * Records a page of de-identified records looks at, at most: the page follows the primary key (no index finds
	 * de-identified records, see docs/architecture.md), and a tenant with many records in use and few de-identified
	 * would otherwise read them all for one page.
	 */
	static final int DEIDENTIFIED_SCAN = 100_000;

	/**
	 * A page of the tenant's de-identified records (R4: what retention kept without any link to a subject), in id
	 * order after {@code after}, of one activity and category where given, with their fields; audited as one read
	 * naming every record. A page looks at {@value #DEIDENTIFIED_SCAN} records at most: {@code next} is where the next
	 * page starts, null only once every record has been looked at, and a page may hold fewer than {@code limit}
	 * records (none, even) while {@code next} is not null.
	 */
	@Transactional
	public DeidentifiedPage deidentified(String tenantId, String activity, String category, UUID after, int limit, String actor) {
		return deidentified(tenantId, activity, category, after, limit, actor, DEIDENTIFIED_SCAN);
	}

	/** As above, looking at {@code scan} records at most (a test walks a small tenant with a small bound). */
	@Transactional
	DeidentifiedPage deidentified(String tenantId, String activity, String category, UUID after, int limit, String actor,
			int scan) {
		UUID boundary = records.scanBoundary(tenantId, after, scan);
		var result = new ArrayList<RecordView>();
		for (var row : records.deidentified(tenantId, activity, category, after, boundary, limit)) {
			result.add(view(row, true));
		}
		audit.recordsRead(tenantId, actor, null, result.stream().map(RecordView::id).toList());
		UUID next = result.size() == limit ? result.get(result.size() - 1).id() : boundary;
		return new DeidentifiedPage(result, next);
	}

	/** The subject's records in use; restricted records are left out (they are kept, not processed). */
	@Transactional
	public List<RecordView> recordsOf(String tenantId, UUID subjectId, String actor) {
		var subject = liveSubject(tenantId, subjectId);
		var rows = records.ofSubject(tenantId, subjectId).stream().filter(row -> row.status() == RecordStatus.ACTIVE).toList();
		// the subject's key once, not per record; the facts come with the rows
		Aead aead = rows.isEmpty() ? null : keys.subjectAead(tenantId, subjectId, subject.wrappedKey());
		var result = new ArrayList<RecordView>(rows.size());
		for (var row : rows) {
			var fields = parse(open(aead, row.sealed(), context(tenantId, subjectId, row.id())));
			result.add(new RecordView(row.id(), row.subjectId(), row.activity(), row.category(), row.clientRecordId(), fields,
					row.facts(), row.status(), row.createdAt(), row.updatedAt()));
		}
		// one audit entry for the listing, naming every record read
		audit.recordsRead(tenantId, actor, subjectId, result.stream().map(RecordView::id).toList());
		return result;
	}

	/** Rectification: replaces the given fields, keeps the others; the audit names the fields, not the values. */
	@Transactional
	public RecordView rectify(String tenantId, UUID recordId, Map<String, Object> changes, String actor) {
		var row = records.find(tenantId, recordId).orElseThrow(() -> new RecordNotFoundException("record"));
		if (row.status() == RecordStatus.DEIDENTIFIED) {
			throw new PolicyViolationException("record", "a de-identified record cannot be rectified", List.of());
		}
		Policy policy = policy(tenantId);
		var activity = PolicyGate.activity(policy, row.activity());
		var category = PolicyGate.category(policy, row.activity(), activity, row.category());
		PolicyGate.fields(row.category(), category, changes);
		var subject = liveSubject(tenantId, row.subjectId());
		Aead aead = keys.subjectAead(tenantId, row.subjectId(), subject.wrappedKey());
		byte[] context = context(tenantId, row.subjectId(), recordId);
		byte[] before = open(aead, row.sealed(), context);
		Map<String, Object> fields = parse(before);
		fields.putAll(changes);
		records.updateSealed(tenantId, recordId, seal(aead, PolicyGate.json(fields, before.length), context), clock.instant());
		audit.recordRectified(tenantId, actor, row.subjectId(), recordId, changes.keySet());
		return read(tenantId, recordId, actor, false);
	}

	/**
	 * {@link #rectify}, unless the record is restricted: then {@link RecordRestrictedException} and nothing changes or
	 * is read. Changing restricted data is processing it (Art. 18); for callers other than the DPO and the tenant's
	 * admin, who rectify a record whose accuracy the subject contested before they lift its restriction.
	 */
	@Transactional
	public RecordView rectifyInUse(String tenantId, UUID recordId, Map<String, Object> changes, String actor) {
		return unlessRestricted(tenantId, recordId, () -> rectify(tenantId, recordId, changes, actor));
	}

	/** {@link #recordFacts}, unless the record is restricted (as {@link #rectifyInUse}). */
	@Transactional
	public RecordView recordFactsInUse(String tenantId, UUID recordId, Map<String, String> facts, String actor) {
		return unlessRestricted(tenantId, recordId, () -> recordFacts(tenantId, recordId, facts, actor));
	}

	private RecordView unlessRestricted(String tenantId, UUID recordId, java.util.function.Supplier<RecordView> change) {
		refuseRestricted(tenantId, recordId);
		var view = change.get();
		// and again now that the change's update holds the row: a restriction that committed between the first look
		// and the update is seen here, and the refusal rolls the change back
		refuseRestricted(tenantId, recordId);
		return view;
	}

	private void refuseRestricted(String tenantId, UUID recordId) {
		var row = records.find(tenantId, recordId).orElseThrow(() -> new RecordNotFoundException("record"));
		if (row.status() == RecordStatus.RESTRICTED) {
			throw new RecordRestrictedException();
		}
	}

	/** Records lifecycle facts (dates and states) that start retention clocks and choose the rule. */
	@Transactional
	public RecordView recordFacts(String tenantId, UUID recordId, Map<String, String> facts, String actor) {
		var row = records.find(tenantId, recordId).orElseThrow(() -> new RecordNotFoundException("record"));
		var activity = PolicyGate.activity(policy(tenantId), row.activity());
		var checked = PolicyGate.facts(row.activity(), activity, facts);
		records.putFacts(tenantId, recordId, PolicyGate.Fact.asMap(checked));
		audit.factsRecorded(tenantId, actor, row.subjectId(), recordId, facts);
		return view(records.find(tenantId, recordId).orElseThrow(), false);
	}

	@Transactional
	public void restrict(String tenantId, UUID recordId, String reason, String actor) {
		var row = records.find(tenantId, recordId).orElseThrow(() -> new RecordNotFoundException("record"));
		if (row.status() == RecordStatus.ACTIVE) {
			records.updateStatus(tenantId, recordId, RecordStatus.RESTRICTED, clock.instant());
			audit.restricted(tenantId, actor, row.subjectId(), recordId, reason, true);
		}
	}

	/**
	 * Restricts a record an erasure (a consent withdrawal) cannot delete yet because a legal hold keeps it: retention
	 * deletes it once nothing keeps it, and its restriction cannot be lifted. True if it was not marked so before.
	 */
	@Transactional
	public boolean restrictUntilErasable(String tenantId, UUID recordId, String reason, String actor) {
		var row = records.find(tenantId, recordId).orElseThrow(() -> new RecordNotFoundException("record"));
		boolean restricting = row.status() == RecordStatus.ACTIVE;
		if (restricting) {
			records.updateStatus(tenantId, recordId, RecordStatus.RESTRICTED, clock.instant());
		}
		var marked = pending.mark(tenantId, List.of(recordId), reason, clock.instant());
		// audited after the record and its mark are written: the audit's head is locked last (ErasureLock says why)
		if (restricting) {
			audit.restricted(tenantId, actor, row.subjectId(), recordId, reason, true);
		}
		audit.awaitingErasure(tenantId, row.subjectId(), marked);
		return !marked.isEmpty();
	}

	/** Which of these restricted records wait to be erased once nothing keeps them (no content read). */
	@Transactional(readOnly = true)
	public java.util.Set<UUID> pendingErasures(String tenantId, java.util.Collection<UUID> recordIds) {
		return recordIds.isEmpty() ? java.util.Set.of() : pending.of(tenantId, recordIds);
	}

	@Transactional
	public void unrestrict(String tenantId, UUID recordId, String reason, String actor) {
		var row = records.find(tenantId, recordId).orElseThrow(() -> new RecordNotFoundException("record"));
		if (row.status() == RecordStatus.RESTRICTED && pending.contains(tenantId, recordId)) {
			throw new PolicyViolationException("record", "the subject asked for this record to be erased; it is kept "
					+ "restricted only until what keeps it (a legal hold, a legal obligation) ends, and then deleted: "
					+ "its restriction cannot be lifted", List.of());
		}
		if (row.status() == RecordStatus.RESTRICTED) {
			records.updateStatus(tenantId, recordId, RecordStatus.ACTIVE, clock.instant());
			audit.restricted(tenantId, actor, row.subjectId(), recordId, reason, false);
		}
	}

	/**
	 * Erases a subject: its records go, its identifiers go, and its key is destroyed, so every copy of its data
	 * anywhere (backups included) is unreadable. Returns how many records were deleted.
	 */
	@Transactional
	public int eraseSubject(String tenantId, UUID subjectId, String reason, String actor) {
		lockForErasure(tenantId, subjectId);
		return eraseLocked(tenantId, subjectId, reason, actor);
	}

	/** What an outright erasure did: the records it deleted, or the holds that kept it from erasing anything. */
	public record OutrightErasure(int deleted, List<ErasureHolds.Hold> heldBy) {

		public boolean erased() {
			return heldBy.isEmpty();
		}
	}

	/**
	 * Erases a subject as {@link #eraseSubject} does unless a legal hold covers any of its records (R5): then
	 * nothing is erased, every held record's hold is named in the audit, and the holds are returned. All or nothing,
	 * so that the caller is told instead of finding part of the subject gone; an erasure request erases the rest
	 * and keeps the held records restricted.
	 */
	@Transactional
	public OutrightErasure eraseSubjectUnlessHeld(String tenantId, UUID subjectId, String reason, String actor) {
		lockForErasure(tenantId, subjectId);
		// asked under the locks: a record stored meanwhile is in the list, and a hold placed after this read
		// comes after the erasure
		var subjectRecords = records.ofSubject(tenantId, subjectId).stream()
			.map(row -> new RetentionCandidate(row.id(), row.subjectId(), row.activity(), row.category(), row.status(),
					row.createdAt(), row.facts()))
			.toList();
		var held = new java.util.LinkedHashMap<UUID, ErasureHolds.Hold>();
		holds.orderedStream().forEach(h -> held.putAll(h.holding(tenantId, subjectId, subjectRecords)));
		if (!held.isEmpty()) {
			holds.orderedStream().forEach(h -> h.heldBack(tenantId, actor, subjectId, held));
			return new OutrightErasure(0, held.values().stream().distinct().toList());
		}
		return new OutrightErasure(eraseLocked(tenantId, subjectId, reason, actor), List.of());
	}

	private void lockForErasure(String tenantId, UUID subjectId) {
		// locked first: a record or identifier being added to the subject meanwhile is either committed before this
		// erasure reads (and goes with it) or waits for it and is refused
		lockedLiveSubject(tenantId, subjectId);
		// and then the tenant's erasure lock: an import batch storing for this subject has committed by now
		erasureLock.hold(tenantId);
	}

	private int eraseLocked(String tenantId, UUID subjectId, String reason, String actor) {
		audit.erasing(tenantId, subjectId);
		pending.removeOfSubject(tenantId, subjectId);
		int deleted = records.deleteOfSubject(tenantId, subjectId);
		subjects.erase(tenantId, subjectId, clock.instant());
		keys.forgetSubject(tenantId, subjectId);
		audit.subjectErased(tenantId, actor, subjectId, reason, deleted);
		return deleted;
	}

	/** Whether the tenant has this live subject (no content read, nothing audited). */
	@Transactional(readOnly = true)
	public boolean hasSubject(String tenantId, UUID subjectId) {
		return subjects.find(tenantId, subjectId).filter(s -> !s.erased()).isPresent();
	}

	/** Whether the tenant has this record (no content read, nothing audited). */
	@Transactional(readOnly = true)
	public boolean hasRecord(String tenantId, UUID recordId) {
		return records.find(tenantId, recordId).isPresent();
	}

	/**
	 * Records retention looks at, a page at a time in id order: everything still linked to a subject, restricted
	 * ones included and marked. Pass the last id of a page to get the next; null for the first.
	 */
	@Transactional(readOnly = true)
	public List<RetentionCandidate> retentionCandidates(String tenantId, UUID after, int limit) {
		return records.candidates(tenantId, after, limit);
	}

	/**
	 * Ends a record's retention: deletes it, or de-identifies it (keeps only the fields its category marks
	 * non-identifying, sealed with the tenant key, with no link to the subject; deletes it where nothing would
	 * remain, R4). A subject whose last record goes is erased with its key.
	 */
	@Transactional
	public Expiry expire(String tenantId, UUID recordId, ExpiryAction action, String reason, String actor) {
		var row = records.find(tenantId, recordId).orElseThrow(() -> new RecordNotFoundException("record"));
		if (row.status() == RecordStatus.DEIDENTIFIED) {
			return new Expiry(false, false, false, null);
		}
		// before anything else is locked (the audit's head comes later): whether this was the subject's last record
		// is decided with the subject and the tenant's erasure lock held, so a record stored for it meanwhile (one
		// by one or by an import batch) is counted
		lockForChange(tenantId, row.subjectId());
		// read again under the locks: an erasure that committed meanwhile took the record with it
		row = records.find(tenantId, recordId).orElse(null);
		if (row == null || row.status() == RecordStatus.DEIDENTIFIED) {
			return new Expiry(false, false, false, null);
		}
		boolean deidentified = false;
		if (action == ExpiryAction.DE_IDENTIFY) {
			var category = policy(tenantId).dataCategories().get(row.category());
			var subject = subjects.find(tenantId, row.subjectId()).orElseThrow();
			Map<String, Object> fields = parse(open(keys.subjectAead(tenantId, row.subjectId(), subject.wrappedKey()),
					row.sealed(), context(tenantId, row.subjectId(), recordId)));
			fields.keySet().removeIf(name -> category == null || !category.fields().containsKey(name)
					|| category.fields().get(name).identifying());
			if (!fields.isEmpty()) {
				Instant now = clock.instant();
				UUID newId = Ids.deidentified(now);
				records.deidentify(tenantId, new PersonalRecords.Sealed(recordId, newId,
						seal(keys.tenantAead(tenantId), json(fields), deidentifiedContext(tenantId, newId)), row.createdAt()), now);
				deidentified = true;
			}
		}
		if (!deidentified) {
			records.delete(tenantId, recordId);
		}
		pending.remove(tenantId, List.of(recordId));
		audit.expired(tenantId, actor, row.subjectId(), recordId, reason, deidentified);
		boolean subjectErased = false;
		if (records.countOfSubject(tenantId, row.subjectId()) == 0) {
			audit.erasing(tenantId, row.subjectId());
			subjects.erase(tenantId, row.subjectId(), clock.instant());
			keys.forgetSubject(tenantId, row.subjectId());
			audit.subjectErased(tenantId, actor, row.subjectId(), "last record expired: " + reason, 0);
			subjectErased = true;
		}
		return new Expiry(!deidentified, deidentified, subjectErased, null);
	}

	/**
	 * {@link #expire} for a chunk of records in one transaction, with a few statements for the whole chunk: what a
	 * retention run over a million records needs. Records not found (or already de-identified) are left out of
	 * the answer.
	 */
	@Transactional
	public Map<UUID, Expiry> expireAll(String tenantId, List<Expiring> chunk, String actor) {
		return chunks.expire(tenantId, policy(tenantId), chunk, actor, clock.instant());
	}

	/**
	 * Takes, in the caller's transaction, the locks that erasing the subject, expiring, restricting or rectifying its
	 * records take (its row, the tenant's erasure lock, its records' rows). For a caller that writes an audit entry
	 * before it changes the subject's data in the same transaction (a request, a consent withdrawal): taken before
	 * that entry, they keep the one order in which every transaction takes its locks (subjects, erasure lock,
	 * records, the audit's head; ErasureLock). Without the records' rows, a request holding the audit's head and a
	 * retention chunk holding one of the subject's records (and waiting for the head) would wait for each other.
	 */
	@Transactional(propagation = org.springframework.transaction.annotation.Propagation.MANDATORY)
	public void lockForChange(String tenantId, UUID subjectId) {
		subjects.lock(tenantId, subjectId);
		erasureLock.hold(tenantId);
		records.lockOfSubject(tenantId, subjectId);
	}

	/**
	 * Holds the tenant's erasure lock until the caller's transaction ends: for a legal hold being placed, so that an
	 * erasure under way (which reads the holds once it has the lock) has finished before the hold is stored, and one
	 * that comes after sees it. Without it, a hold placed while an erasure was between reading the holds and
	 * deleting would be acknowledged and yet not keep what it names.
	 */
	@Transactional(propagation = org.springframework.transaction.annotation.Propagation.MANDATORY)
	public void lockErasures(String tenantId) {
		erasureLock.hold(tenantId);
	}

	private Subjects.Subject lockedLiveSubject(String tenantId, UUID subjectId) {
		return subjects.lock(tenantId, subjectId)
			.filter(s -> !s.erased())
			.orElseThrow(() -> new RecordNotFoundException("subject"));
	}

	private Subjects.Subject liveSubject(String tenantId, UUID subjectId) {
		return subjects.find(tenantId, subjectId)
			.filter(s -> !s.erased())
			.orElseThrow(() -> new RecordNotFoundException("subject"));
	}

	private Policy policy(String tenantId) {
		return tenants.inEffect(tenantId).orElseThrow(() -> new TenantNotFoundException(tenantId)).policy();
	}

	private RecordView view(PersonalRecords.Row row, boolean withFields) {
		Map<String, Object> fields = Map.of();
		if (withFields) {
			if (row.status() == RecordStatus.DEIDENTIFIED) {
				fields = parse(open(keys.tenantAead(row.tenantId()), row.sealed(), deidentifiedContext(row.tenantId(), row.id())));
			}
			else {
				var subject = subjects.find(row.tenantId(), row.subjectId()).orElseThrow();
				fields = parse(open(keys.subjectAead(row.tenantId(), row.subjectId(), subject.wrappedKey()), row.sealed(),
						context(row.tenantId(), row.subjectId(), row.id())));
			}
		}
		return new RecordView(row.id(), row.subjectId(), row.activity(), row.category(), row.clientRecordId(), fields,
				row.facts(), row.status(), row.createdAt(), row.updatedAt());
	}

	static byte[] context(String tenantId, UUID subjectId, UUID recordId) {
		return (tenantId + "|" + subjectId + "|" + recordId).getBytes(StandardCharsets.UTF_8);
	}

	static byte[] deidentifiedContext(String tenantId, UUID recordId) {
		return (tenantId + "|de-identified|" + recordId).getBytes(StandardCharsets.UTF_8);
	}

	static byte[] seal(Aead aead, byte[] plaintext, byte[] context) {
		try {
			return aead.encrypt(plaintext, context);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("sealing a record failed", ex);
		}
	}

	static byte[] open(Aead aead, byte[] sealed, byte[] context) {
		try {
			return aead.decrypt(sealed, context);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("a record does not open with its key: it was altered or moved", ex);
		}
	}

	/** The fields as JSON, as they are: what came in is checked for its size where it came in (PolicyGate). */
	static byte[] json(Map<String, Object> fields) {
		return JsonMapper.shared().writeValueAsBytes(fields);
	}

	static Map<String, Object> parse(byte[] json) {
		return JsonMapper.shared().readValue(json, FIELDS);
	}

	// for SubjectRights: a row's view with its fields, the caller audits
	RecordView readUnaudited(PersonalRecords.Row row) {
		return view(row, true);
	}
}

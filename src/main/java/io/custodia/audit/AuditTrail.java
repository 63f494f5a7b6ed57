package io.custodia.audit;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.annotation.Isolation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

import io.custodia.audit.AuditEntries.Head;
import io.custodia.audit.AuditEntries.Row;
import io.custodia.audit.AuditVerification.Problem;

/**
 * Each tenant's audit trail: a chain of entries, each sealed with a keyed MAC over its content and the previous
 * entry's MAC. Appending happens in the caller's transaction, so an act and its entry commit or roll back together;
 * appends of one tenant are serialised on the tenant's head row, so sequence numbers stay contiguous. The head
 * (where the chain ends) is sealed with the same key as the entries, so it cannot be set back without the key.
 */
@Service
public class AuditTrail {

	/** The previous hash of a chain's first entry. */
	static final byte[] NO_PREVIOUS = new byte[32];

	/**
	 * Verification reads the chain in pages of this many entries, so a long chain never sits in memory. An import
	 * batch's entry names its thousand records and subjects (about 75 KB of details), so a page of 200 such entries
	 * stays near 30 MB of heap.
	 */
	static final int PAGE = 200;

	private final AuditEntries entries;

	private final ObjectProvider<AuditKeys> keys;

	private final Clock clock;

	private final TransactionTemplate savepoint;

	/**
	 * The keys arrive through a provider: the keys module supplies them, and until it does the application still
	 * starts; only recording and verifying refuse.
	 */
	AuditTrail(AuditEntries entries, ObjectProvider<AuditKeys> keys, Clock clock, PlatformTransactionManager transactions) {
		this.entries = entries;
		this.keys = keys;
		this.clock = clock;
		this.savepoint = new TransactionTemplate(transactions);
		this.savepoint.setPropagationBehavior(TransactionDefinition.PROPAGATION_NESTED);
	}

	/**
	 * Appends the event to its tenant's chain within the caller's transaction (or a transaction of its own when
	 * there is none), so the entry exists exactly when the act it records does.
	 */
	@Transactional
	public AuditEntry record(AuditEvent event) {
		AuditKeys mac = keys();
		String tenantId = event.tenantId();
		Head head = lockHead(mac, tenantId);
		long sequence = head.sequence() + 1;
		// both databases keep microseconds; truncating first makes the stored time the sealed time
		Instant at = clock.instant().truncatedTo(ChronoUnit.MICROS);
		byte[] hash = mac.computeMac(tenantId, Canonical.entry(tenantId, sequence, at, event.actor(), event.action().name(),
				event.subjectId(), event.recordId(), event.reason(), new TreeMap<>(event.details()), head.hash()));
		var entry = new AuditEntry(tenantId, sequence, at, event.actor(), event.action(), event.subjectId(), event.recordId(),
				event.reason(), event.details(), head.hash(), hash);
		entries.insert(entry);
		entries.moveHead(tenantId, sequence, hash, sealHead(mac, tenantId, sequence, hash));
		return entry;
	}

	/**
	 * Appends many events of one tenant in order, as {@link #record} would one by one, with one lock of the head
	 * and one batch of inserts: what a bulk import of a million records needs.
	 */
	@Transactional
	public void recordAll(String tenantId, List<AuditEvent> events) {
		if (events.isEmpty()) {
			return;
		}
		AuditKeys mac = keys();
		Head head = lockHead(mac, tenantId);
		long sequence = head.sequence();
		byte[] previous = head.hash();
		Instant at = clock.instant().truncatedTo(ChronoUnit.MICROS);
		var all = new java.util.ArrayList<AuditEntry>(events.size());
		for (AuditEvent event : events) {
			if (!event.tenantId().equals(tenantId)) {
				throw new IllegalArgumentException("recordAll takes the events of one tenant");
			}
			sequence++;
			byte[] hash = mac.computeMac(tenantId, Canonical.entry(tenantId, sequence, at, event.actor(), event.action().name(),
					event.subjectId(), event.recordId(), event.reason(), new TreeMap<>(event.details()), previous));
			all.add(new AuditEntry(tenantId, sequence, at, event.actor(), event.action(), event.subjectId(), event.recordId(),
					event.reason(), event.details(), previous, hash));
			previous = hash;
		}
		entries.insertAll(all);
		entries.moveHead(tenantId, sequence, previous, sealHead(mac, tenantId, sequence, previous));
	}

	/**
	 * Walks the tenant's chain in sequence order and reports the first problem: an entry whose content does not
	 * match its MAC (edited), a missing sequence number (removed), an entry that does not link to the one before
	 * it (reordered), or a chain that does not end where its sealed head says (truncated). A tenant that has audit
	 * keys but neither entries nor a head lost its whole chain (truncated): its chain began with its creation. A
	 * tenant never given keys has nothing recorded and is intact. A head without a seal, written before heads were
	 * sealed, leaves an otherwise intact chain intact, with a notice ({@link AuditVerification#UNSEALED}).
	 */
	@Transactional(readOnly = true, isolation = Isolation.REPEATABLE_READ)
	public AuditVerification verify(String tenantId) {
		AuditKeys mac = keys();
		// one snapshot for the head and the entries, so appends running meanwhile do not look like damage
		Optional<Head> head = entries.head(tenantId);
		long expected = 1;
		long checked = 0;
		byte[] previous = NO_PREVIOUS;
		List<Row> page;
		do {
			page = entries.page(tenantId, expected - 1, PAGE);
			for (Row row : page) {
				checked++;
				if (row.sequence() != expected) {
					return AuditVerification.broken(tenantId, checked, expected, Problem.REMOVED, missing(expected, row.sequence()));
				}
				if (!sealed(mac, row)) {
					return AuditVerification.broken(tenantId, checked, row.sequence(), Problem.EDITED, "entry " + row.sequence()
							+ " does not match its seal: it was changed after it was recorded");
				}
				if (!Arrays.equals(row.previousHash(), previous)) {
					return AuditVerification.broken(tenantId, checked, row.sequence(), Problem.REORDERED, "entry " + row.sequence()
							+ " is sealed but does not follow " + (expected == 1 ? "the start of the chain" : "entry " + (expected - 1))
							+ ": entries were moved, or an entry from elsewhere was put in its place");
				}
				previous = row.hash();
				expected++;
			}
		}
		while (page.size() == PAGE);
		long last = expected - 1;
		// a head at 0 is never committed: it is inserted and moved in the same transaction as the first entry
		if (last == 0 && head.map(h -> h.sequence() == 0).orElse(true)) {
			return mac.issued(tenantId) ? AuditVerification.broken(tenantId, 0, 1, Problem.TRUNCATED, "tenant " + tenantId
					+ " has audit keys but no entries and no record of where its chain ends: its whole audit chain is missing"
					+ " (a tenant's chain starts when it is created)") : AuditVerification.intact(tenantId, 0);
		}
		if (head.isEmpty()) {
			return AuditVerification.broken(tenantId, checked, last + 1, Problem.TRUNCATED, "the chain has " + last
							+ " entries but no record of where it ends: entries after entry " + last + " may have been deleted");
		}
		// checked first: a head that does not match its seal says nothing trustworthy about where the chain ended
		byte[] seal = head.get().mac();
		if (seal != null && !mac.verifyMac(tenantId, seal, Canonical.head(tenantId, head.get().sequence(), head.get().hash()))) {
			return AuditVerification.broken(tenantId, checked, last + 1, Problem.TRUNCATED, "the record of where the chain ends"
					+ " (at entry " + head.get().sequence() + ") does not match its seal: it was rewritten, so entries after entry "
					+ last + " may have been deleted from the end");
		}
		long recorded = head.get().sequence();
		if (recorded > last) {
			return AuditVerification.broken(tenantId, checked, last + 1, Problem.TRUNCATED,
					(last == 0 ? "no entries are left" : "the chain ends at entry " + last) + " but " + recorded
							+ " were recorded: " + (recorded == last + 1 ? "entry " + recorded + " was" : "entries " + (last + 1)
									+ " to " + recorded + " were")
							+ " deleted from the end");
		}
		if (recorded < last) {
			return AuditVerification.broken(tenantId, checked, recorded + 1, Problem.TRUNCATED, "the chain was recorded to end at entry "
					+ recorded + " but goes on to entry " + last + ": where it ends was changed");
		}
		if (!Arrays.equals(head.get().hash(), previous)) {
			return AuditVerification.broken(tenantId, checked, last, Problem.TRUNCATED, "entry " + last
					+ " is not the entry recorded as the end of the chain: the end was replaced");
		}
		return seal == null ? AuditVerification.intactUnsealed(tenantId, checked) : AuditVerification.intact(tenantId, checked);
	}

	/**
	 * The newest {@code limit} entries of the tenant, about the subject and the record where given (null: any),
	 * oldest first. An entry is about a subject or record when its column names it, or, for an entry of a bulk act
	 * with that column empty (an import batch, a listing of records), when its details name it. Reading does not
	 * verify; {@link #verify} does.
	 */
	@Transactional(readOnly = true)
	public List<AuditEntry> entries(String tenantId, UUID subjectId, UUID recordId, int limit) {
		if (limit < 1) {
			throw new IllegalArgumentException("limit must be at least 1, not " + limit);
		}
		return entries.latest(tenantId, subjectId, recordId, limit).stream().map(AuditTrail::entry).toList();
	}

	private Head lockHead(AuditKeys mac, String tenantId) {
		Optional<Head> head = entries.lockHead(tenantId);
		if (head.isPresent()) {
			return head.get();
		}
		try {
			// in a savepoint: on PostgreSQL a failed statement would otherwise end the caller's transaction
			savepoint.executeWithoutResult(status -> {
				entries.insertHead(tenantId, NO_PREVIOUS, sealHead(mac, tenantId, 0, NO_PREVIOUS));
				// checked only now that this transaction holds the only head: before, a concurrent first append
				// may have committed its entry between our look-up and this check
				if (entries.any(tenantId)) {
					// appending would start a second chain over the first; the damage must be seen, not papered over
					throw new IllegalStateException("the audit chain of tenant '" + tenantId
							+ "' has entries but no record of where it ends; run 'custodia audit verify --tenant " + tenantId + "'");
				}
			});
		}
		catch (DuplicateKeyException ex) {
			// another transaction started this chain first; its head is locked below like any other
		}
		return entries.lockHead(tenantId).orElseThrow();
	}

	/**
	 * The head's seal, written with every insert and move of the head, in the append's transaction. Without it,
	 * whoever can write the database could delete entries from the end and set the head back to the new last entry.
	 */
	private static byte[] sealHead(AuditKeys mac, String tenantId, long sequence, byte[] hash) {
		return mac.computeMac(tenantId, Canonical.head(tenantId, sequence, hash));
	}

	private static boolean sealed(AuditKeys mac, Row row) {
		TreeMap<String, String> details;
		try {
			details = AuditEntries.details(row.details());
		}
		catch (RuntimeException ex) {
			return false;
		}
		byte[] canonical = Canonical.entry(row.tenantId(), row.sequence(), row.at(), row.actor(), row.action(), row.subjectId(),
				row.recordId(), row.reason(), details, row.previousHash());
		return mac.verifyMac(row.tenantId(), row.hash(), canonical);
	}

	private static String missing(long expected, long found) {
		if (expected == 1) {
			return "the chain starts at entry " + found + ": " + range(1, found - 1) + " missing";
		}
		return "entry " + (expected - 1) + " is followed by entry " + found + ": " + range(expected, found - 1) + " missing";
	}

	private static String range(long from, long to) {
		return from == to ? "entry " + from + " is" : "entries " + from + " to " + to + " are";
	}

	private static AuditEntry entry(Row row) {
		AuditAction action;
		try {
			action = AuditAction.valueOf(row.action());
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalStateException("entry " + row.sequence() + " of the audit of tenant '" + row.tenantId()
					+ "' names no known action ('" + row.action() + "'); run 'custodia audit verify --tenant " + row.tenantId() + "'");
		}
		return new AuditEntry(row.tenantId(), row.sequence(), row.at(), row.actor(), action, row.subjectId(), row.recordId(),
				row.reason(), AuditEntries.details(row.details()), row.previousHash(), row.hash());
	}

	/** Found on first use and kept: looking the bean up on every append cost as much as the MAC. */
	private volatile AuditKeys resolved;

	private AuditKeys keys() {
		AuditKeys kept = resolved;
		if (kept != null) {
			return kept;
		}
		AuditKeys found = keys.getIfUnique();
		resolved = found;
		if (found == null) {
			throw new IllegalStateException("no audit key is available (no single AuditKeys bean): the keys module provides it;"
					+ " until then nothing can be recorded in or verified against the audit trail");
		}
		return found;
	}
}

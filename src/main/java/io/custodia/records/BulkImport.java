package io.custodia.records;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import com.google.crypto.tink.Aead;

import io.custodia.DatabaseBusyException;
import io.custodia.LockConflicts;
import io.custodia.keys.KeyManagement;
import io.custodia.policy.Policy;
import io.custodia.tenancy.TenantManagement;
import io.custodia.tenancy.TenantNotFoundException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;

/**
 * Imports records from JSON lines, one record per line, in batches. Each batch commits whole or not at all, so
 * a line is either stored completely or not at all, and everything acknowledged is stored. Lines are idempotent
 * by their client record id: running the same file again after a crash stores what is missing and nothing twice.
 * Lines with errors are reported by number and skipped; they never stop the others.
 */
@Service
public class BulkImport {

	private static final Logger log = LoggerFactory.getLogger(BulkImport.class);

	/**
	 * Lines per batch, one transaction each, on the embedded database. Smaller batches keep less in flight there: a
	 * transaction's uncommitted entries and the pages they copied live until it commits, and what lives across a
	 * young collection is copied by it. 1,000 lines a batch made the collector the largest cost of a large import; 250
	 * imported 1,000,000 records of 250,000 subjects at 29,000–29,800 records a second against 23,700–25,900 (500:
	 * 28,700; 125 and 2,000 slower; docs/benchmarks.md, session 14).
	 */
	static final int BATCH_EMBEDDED = 250;

	/**
	 * Lines per batch on PostgreSQL, where each commit waits for its log to reach the disk: batches of 250 imported
	 * 200,000 records at 17,800 records a second against 21,400 with 1,000 (session 14).
	 */
	static final int BATCH_SERVER = 1000;

	/**
	 * Lines per acknowledgement, in whole batches. Each acknowledgement forces the embedded database to disk (a
	 * checkpoint), which cost about a tenth of the import when done per batch of 1,000 and still 6 % every five; a
	 * crash loses at most this many unacknowledged lines, which running the same file again stores. The activity
	 * log's import does the same.
	 */
	static final int ACKNOWLEDGE_EVERY = 20_000;

	private static final JsonMapper LINES = JsonMapper.builder()
		.propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
		.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
		.build();

	/** One line of an import file. */
	record Line(String clientRecordId, Map<String, String> identifiers, String activity, String category,
			Map<String, Object> fields, Map<String, String> facts) {
	}

	/** A line that was not imported, and why. Messages never repeat the values of the line. */
	public record LineError(long line, String field, String message) {
	}

	public record ImportReport(long lines, long stored, long alreadyStored, List<LineError> errors) {

		public boolean complete() {
			return errors.isEmpty();
		}
	}

	/** Told after each batch commits: every line up to {@code line} is stored (or was already). */
	public interface Progress {

		void acknowledged(long line, long stored);
	}

	private record Checked(long number, Line line, Map<String, String> identifiers, List<PolicyGate.Fact> facts,
			Map<String, byte[]> blindIndexes) {

		/** The line with the blind indexes of its identifiers, by kind and value. */
		Checked withBlindIndexes(java.util.function.BiFunction<String, String, byte[]> blindIndex) {
			var indexes = new HashMap<String, byte[]>();
			identifiers.forEach((kind, value) -> indexes.put(kind + "\u0000" + value, blindIndex.apply(kind, value)));
			return new Checked(number, line, identifiers, facts, indexes);
		}
	}

	/** A line of the file as read, with its number. */
	private record Numbered(long number, String text) {
	}

	/** A line to be stored: its record id and subject are settled, its fields not yet sealed. */
	private record Accepted(UUID id, UUID subject, Checked checked) {
	}

	/** The import was interrupted: not a line's fault, so it ends the run instead of sending the batch line by line. */
	static final class Interrupted extends RuntimeException {

		Interrupted(InterruptedException cause) {
			super("the import was interrupted", cause);
		}
	}

	/** Stands for the key of a subject made in this batch until the key is made. */
	private static final byte[] KEY_TO_COME = new byte[0];

	/**
	 * Seals and makes keys for imports. Its own pool, not the common one, so that an import never queues behind
	 * (or starves) other parallel work in the service. One thread fewer than there are cores, so that it does not
	 * take the core of the thread that writes to the database, which is the import's critical path (the pool's work
	 * is about half the writer's CPU time, so one thread keeps ahead of it): on two cores a pool of one imported 5 %
	 * more than a pool of two, 33,400 records a second against 31,700 over six runs each (docs/benchmarks.md,
	 * session 16).
	 */
	private final java.util.concurrent.ForkJoinPool crypto = new java.util.concurrent.ForkJoinPool(
			Math.max(1, Runtime.getRuntime().availableProcessors() - 1));

	private final Subjects subjects;

	private final PersonalRecords records;

	private final KeyManagement keys;

	private final TenantManagement tenants;

	private final Auditing audit;

	private final Clock clock;

	private final TransactionTemplate transaction;

	private final Durability durability;

	private final ErasureLock erasureLock;

	private final PlannerStatistics statistics;

	/**
	 * The other modules' checks, resolved on first use (they depend on this module, so they cannot be injected) and
	 * then kept: they are singletons, and resolving them again for every batch made the bean factory's look-up a
	 * hot path of a large import.
	 */
	private final org.springframework.util.function.SingletonSupplier<List<RecordAdmission>> checks;

	/** Lines per batch on this database. */
	private final int batchLines;

	BulkImport(Subjects subjects, PersonalRecords records, KeyManagement keys, TenantManagement tenants, Auditing audit,
			Clock clock, PlatformTransactionManager transactions, Durability durability, PlannerStatistics statistics,
			org.springframework.beans.factory.ObjectProvider<RecordAdmission> admissions, ErasureLock erasureLock) {
		this.checks = org.springframework.util.function.SingletonSupplier.of(() -> admissions.orderedStream().toList());
		this.erasureLock = erasureLock;
		this.durability = durability;
		this.statistics = statistics;
		this.subjects = subjects;
		this.records = records;
		this.keys = keys;
		this.tenants = tenants;
		this.audit = audit;
		this.clock = clock;
		this.transaction = new TransactionTemplate(transactions);
		this.batchLines = durability.embedded() ? BATCH_EMBEDDED : BATCH_SERVER;
	}

	/** Lines per batch on this database: each batch is one transaction and one audit entry. */
	int batchLines() {
		return batchLines;
	}

	public ImportReport run(String tenantId, Reader input, String actor, Progress progress) {
		Policy policy = tenants.inEffect(tenantId).orElseThrow(() -> new TenantNotFoundException(tenantId)).policy();
		var errors = new ArrayList<LineError>();
		long stored = 0;
		long already = 0;
		long batches = 0;
		var known = new KnownIdentifiers();
		if (org.springframework.transaction.support.TransactionSynchronizationManager.isActualTransactionActive()) {
			// the batches join the caller's transaction, and a batch that fails there cannot be tried again alone
			known.stopGuessingNew();
		}
		long analyseAt = PlannerStatistics.FIRST;
		try (var file = new Batches(input)) {
			// Three batches are in hand at a time. While one is written, the next two are parsed and checked on the
			// pool; once the first's subjects and identifiers are written, the next is planned in the same transaction
			// (looked up, its keys made and its fields sealed on the pool), so that its sealing runs while the first
			// one's records are written and committed. Checking two ahead, not one: with one, the pool had a batch's
			// sealing and the next one's checking to do in the same short time, and the writer waited for it
			var checking = new java.util.ArrayDeque<Checking>(CHECKED_AHEAD + 1);
			readAhead(file, checking, tenantId, policy);
			Checking current = checking.poll();
			Plan planned = null;
			try {
				while (current != null) {
					readAhead(file, checking, tenantId, policy);
					Checking next = checking.peek();
					var ahead = next == null ? null : new Lookahead(next);
					long[] counts = store(tenantId, current.collect(errors), actor, errors, known, planned, ahead);
					// made only in a transaction that committed, for exactly the next batch's lines
					planned = ahead == null ? null : ahead.plan;
					stored += counts[0];
					already += counts[1];
					if (++batches % (ACKNOWLEDGE_EVERY / batchLines) == 0) {
						durability.flush();
						progress.acknowledged(current.lastLine, stored);
					}
					if (stored >= analyseAt) {
						statistics.refresh();
						analyseAt = 2 * stored;
					}
					current = checking.poll();
				}
			}
			catch (RuntimeException | IOException ex) {
				// the import ends here: what the pool still does for it is of no use
				if (current != null) {
					checking.add(current);
				}
				checking.forEach(batch -> batch.outcomes.cancel(true));
				if (planned != null) {
					planned.work().cancel(true);
				}
				throw ex;
			}
			durability.flush();
			progress.acknowledged(file.lines, stored);
			log.info("Import for tenant {}: {} lines, {} stored, {} already stored, {} with errors", tenantId, file.lines,
					stored, already, errors.size());
			errors.sort(java.util.Comparator.comparingLong(LineError::line));
			return new ImportReport(file.lines, stored, already, errors);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** Batches parsed and checked ahead of the one being written. */
	static final int CHECKED_AHEAD = 2;

	/** Reads batches until {@link #CHECKED_AHEAD} are being checked, or the file ends. */
	private void readAhead(Batches file, java.util.ArrayDeque<Checking> checking, String tenantId, Policy policy)
			throws IOException {
		while (checking.size() < CHECKED_AHEAD) {
			List<Numbered> lines = file.next();
			if (lines.isEmpty()) {
				return;
			}
			checking.add(new Checking(tenantId, policy, lines));
		}
	}

	/**
	 * The longest line read: a record's fields hold at most 1,000,000 bytes of JSON, which as text with every
	 * character escaped ({@code \\uXXXX}) and the line's other members stays under this.
	 */
	static final int MAX_LINE = 8_000_000;

	/**
	 * The characters a batch holds at most: a batch is cut at {@link #batchLines} lines or at this, whichever comes first,
	 * so that the three batches in hand stay within tens of megabytes however long the lines are.
	 */
	static final long BATCH_CHARACTERS = 10_000_000;

	/** The file's lines that are not blank, with their numbers, a batch at a time. */
	private final class Batches implements AutoCloseable {

		private final io.custodia.BoundedLines reader;

		/** Lines read so far, blank ones included. */
		long lines;

		Batches(Reader input) {
			this.reader = new io.custodia.BoundedLines(input, MAX_LINE);
		}

		/** The next batch; empty at the end of the file. A line too long is in it with no text (see {@link #check}). */
		List<Numbered> next() throws IOException {
			var batch = new ArrayList<Numbered>(batchLines);
			long characters = 0;
			Object line;
			while (batch.size() < batchLines && characters < BATCH_CHARACTERS && (line = reader.next()) != null) {
				lines++;
				if (line instanceof String text) {
					if (!text.isBlank()) {
						batch.add(new Numbered(lines, text));
						characters += text.length();
					}
				}
				else {
					batch.add(new Numbered(lines, null));
				}
			}
			return batch;
		}

		@Override
		public void close() throws IOException {
			reader.close();
		}
	}

	/** A batch's lines being parsed and checked on the import's pool, and their identifiers' blind indexes made. */
	private final class Checking {

		private final java.util.concurrent.Future<List<Object>> outcomes;

		final long lastLine;

		private List<Checked> checked;

		Checking(String tenantId, Policy policy, List<Numbered> lines) {
			this.lastLine = lines.get(lines.size() - 1).number();
			this.outcomes = crypto.submit(() -> lines.parallelStream().map(line -> {
				Object outcome = check(policy, line.number(), line.text());
				return outcome instanceof Checked passed
						? passed.withBlindIndexes((kind, value) -> keys.blindIndex(tenantId, kind, value)) : outcome;
			}).toList());
		}

		/** The lines that passed; the others go to {@code report}, once, however often this is asked. */
		List<Checked> collect(List<LineError> report) {
			if (checked == null) {
				var passed = new ArrayList<Checked>(batchLines);
				for (Object outcome : await(outcomes)) {
					if (outcome instanceof LineError error) {
						report.add(error);
					}
					else {
						passed.add((Checked) outcome);
					}
				}
				checked = passed;
			}
			return checked;
		}
	}

	/** The batch after the one being stored, and its plan once a transaction that made it has committed. */
	private static final class Lookahead {

		final Checking checking;

		Plan plan;

		Lookahead(Checking checking) {
			this.checking = checking;
		}
	}

	/**
	 * What a batch writes, settled in a transaction: its lines' subjects looked up or made, its line errors and what
	 * it learnt about identifiers (both count only once a transaction writing it commits), and on the pool its new
	 * subjects' keys and its sealed rows.
	 */
	private record Plan(Instant now, long already, List<Accepted> accepted, Set<UUID> existing,
			List<Subjects.NewIdentifier> newIdentifiers, Set<String> identifierKinds, List<LineError> found,
			List<KnownIdentifiers.Hint> learnt, java.util.concurrent.Future<Sealed> work, long erasures,
			Map<UUID, byte[]> keysRead) {
	}

	/** A plan's work on the pool: its new subjects with their wrapped keys, and its rows with their fields sealed. */
	private record Sealed(List<Subjects.NewSubject> newSubjects, List<PersonalRecords.Prepared> rows) {
	}

	/** The line, checked against the policy, or the {@link LineError} that says why it cannot be stored. */
	private static Object check(Policy policy, long number, String text) {
		if (text == null) {
			return new LineError(number, "line", "longer than " + String.format(java.util.Locale.ROOT, "%,d", MAX_LINE)
					+ " characters: a record's fields hold at most 1,000,000 bytes (files go to the vault)");
		}
		try {
			Line line = LINES.readValue(text, Line.class);
			if (line == null) {
				return new LineError(number, "line", "not a JSON object of the import format");
			}
			if (line.clientRecordId() == null || line.clientRecordId().isBlank()) {
				throw new PolicyViolationException("client_record_id", "every imported line needs a client_record_id", List.of());
			}
			if (line.clientRecordId().length() > PolicyGate.CLIENT_RECORD_ID_LENGTH) {
				throw new PolicyViolationException("client_record_id", "client_record_id is longer than "
						+ PolicyGate.CLIENT_RECORD_ID_LENGTH + " characters", List.of());
			}
			var activity = PolicyGate.activity(policy, line.activity());
			var category = PolicyGate.category(policy, line.activity(), activity, line.category());
			PolicyGate.fields(line.category(), category, line.fields() == null ? Map.of() : line.fields());
			if ((long) text.length() * 6 > PolicyGate.FIELDS_BYTES) {
				// only a long line can hold too much (a character is at most 6 bytes of JSON, as an escape): checked
				// here, so that the line is refused naming its fields, not failed when it is sealed
				PolicyGate.json(line.fields(), 0);
			}
			var facts = PolicyGate.facts(line.activity(), activity, line.facts() == null ? Map.of() : line.facts());
			return new Checked(number, line, Identifiers.normalise(line.identifiers()), facts, Map.of());
		}
		catch (PolicyViolationException ex) {
			return new LineError(number, ex.field(), ex.getMessage()
					+ (ex.allowed().isEmpty() ? "" : "; allowed: " + String.join(", ", ex.allowed())));
		}
		catch (JacksonException ex) {
			// Jackson's message may quote the line; say only where it broke
			var location = ex.getLocation();
			return new LineError(number, "line", "not a JSON object of the import format"
					+ (location == null ? "" : " (column " + location.getColumnNr() + ")"));
		}
	}

	/**
	 * Stores a batch in one transaction, with the plan made for it in the previous batch's transaction if there is
	 * one, and plans {@code ahead} in the same transaction; if the database refuses the batch, it is tried again
	 * with a fresh plan that checks what is stored, then line by line, to find the line at fault.
	 */
	private long[] store(String tenantId, List<Checked> batch, String actor, List<LineError> errors, KnownIdentifiers known,
			Plan planned, Lookahead ahead) {
		if (batch.isEmpty()) {
			return new long[2];
		}
		String step = "the import batch from line " + batch.get(0).number();
		var tries = new int[1];
		try {
			// optimistic first: on a first run nothing is stored yet, and the unique index catches a repeat. A lost
			// lock conflict is not the lines' fault (the batch waited for rows another transaction held, and left
			// nothing behind): the batch is done again with a fresh plan, and if it keeps losing them the import
			// stops there (what committed before stays; the same file run again goes on from there) instead of
			// reporting its lines as refused
			return LockConflicts.retried(step, () -> tries[0]++ == 0
					? attempt(tenantId, batch, actor, errors, known, false, planned, ahead)
					: attempt(tenantId, batch, actor, errors, known, true, null, ahead));
		}
		catch (org.springframework.dao.DuplicateKeyException repeat) {
			// a record or an identifier already stored: from now on this import looks client ids and identifiers up
			// before it takes them as new, instead of failing each batch once (a file run again after a crash)
			known.stopGuessingNew();
			try {
				return LockConflicts.retried(step, () -> attempt(tenantId, batch, actor, errors, known, true, null, null));
			}
			catch (Interrupted | DatabaseBusyException ex) {
				throw ex;
			}
			catch (RuntimeException ex) {
				return oneByOne(tenantId, batch, actor, errors, ex, known);
			}
		}
		catch (Interrupted | DatabaseBusyException ex) {
			throw ex;
		}
		catch (RuntimeException ex) {
			return oneByOne(tenantId, batch, actor, errors, ex, known);
		}
	}

	/** What a batch's transaction did: its plan and counts, and the next batch's plan if it made one. */
	private record Applied(Plan plan, long[] counts, Plan next, long erasures) {
	}

	/**
	 * One transaction over the batch; its line errors and what it learnt count only if it commits, and so does the
	 * plan it made for the next batch.
	 */
	private long[] attempt(String tenantId, List<Checked> batch, String actor, List<LineError> errors, KnownIdentifiers known,
			boolean checkStored, Plan planned, Lookahead ahead) {
		Applied applied = transaction.execute(status -> {
			// first: no subject is erased while this batch writes for it, and one erased since the plan was made
			// ahead is seen by stillValid (ErasureLock says why a lock of the tenant and not of each subject)
			long erasures = erasureLock.hold(tenantId);
			Plan plan = planned != null && stillValid(tenantId, planned, erasures) ? planned
					: plan(tenantId, batch, checkStored, known, erasures);
			Sealed sealed = await(plan.work());
			applySubjects(tenantId, plan, sealed);
			// the next batch is planned once this one's subjects and identifiers are written (it must see them), and
			// before its records: its sealing then runs on the pool while this thread writes the records and commits,
			// instead of during the commit only, which left the writer waiting for the pool a tenth of the import
			Plan next = ahead == null ? null : planAhead(tenantId, ahead, errors, known, status, erasures);
			try {
				return new Applied(plan, applyRecords(tenantId, actor, plan, sealed), next, erasures);
			}
			catch (RuntimeException ex) {
				if (next != null) {
					// the transaction fails, and the next batch's plan with it: its sealing is of no use
					next.work().cancel(true);
				}
				throw ex;
			}
		});
		errors.addAll(applied.plan().found());
		applied.plan().learnt().forEach(known::remember);
		// the keys this transaction read or made, now that it has committed (KnownIdentifiers says why not before)
		if (applied.plan() != planned) {
			known.rememberKeys(applied.erasures(), applied.plan().keysRead());
		}
		if (applied.next() != null) {
			known.rememberKeys(applied.erasures(), applied.next().keysRead());
		}
		var made = new HashMap<UUID, byte[]>();
		await(applied.plan().work()).newSubjects().forEach(subject -> made.put(subject.id(), subject.wrappedKey()));
		known.rememberKeys(applied.erasures(), made);
		if (ahead != null) {
			ahead.plan = applied.next();
		}
		return applied.counts();
	}

	/**
	 * The next batch's plan, made in this batch's transaction after its subjects and identifiers are written, so that
	 * it sees them (not after its records, which it cannot see: a client record id in both batches is caught by the
	 * unique index, as one stored by someone else is); or
	 * null if it could not be made, and the next batch is then planned in its own transaction. Whatever commits
	 * between the two transactions is caught there: an erasure of a subject it found or a refusal by another
	 * module's check makes it be planned again ({@link #stillValid}), and an identifier or client record id stored
	 * by someone else meanwhile fails the unique indexes, and the batch is tried again with a fresh plan.
	 */
	private Plan planAhead(String tenantId, Lookahead ahead, List<LineError> errors, KnownIdentifiers known,
			org.springframework.transaction.TransactionStatus status, long erasures) {
		// a savepoint: on PostgreSQL a failed statement would otherwise fail this batch's commit too
		Object savepoint = status.createSavepoint();
		try {
			List<Checked> next = ahead.checking.collect(errors);
			Plan plan = next.isEmpty() ? null : plan(tenantId, next, false, known, erasures);
			status.releaseSavepoint(savepoint);
			return plan;
		}
		catch (Interrupted ex) {
			throw ex;
		}
		catch (RuntimeException ex) {
			status.rollbackToSavepoint(savepoint);
			// the class only: a database's message may quote values
			log.warn("Could not plan the next import batch ahead ({}); it is planned on its own", ex.getClass().getSimpleName());
			return null;
		}
	}

	/**
	 * Whether a plan made in an earlier transaction still holds in this one: every subject it found and writes for
	 * is still there and not erased, and every line it accepted still passes the other modules' checks
	 * ({@link RecordAdmission}, e.g. a child's age recorded meanwhile). An erasure or a check that committed since
	 * must not be overtaken by the plan; the batch is then planned again, in this transaction.
	 */
	private boolean stillValid(String tenantId, Plan plan, long erasures) {
		// the tenant's count of erasures unchanged since the plan was made: none of its subjects can have gone
		if (!plan.existing().isEmpty() && plan.erasures() != erasures) {
			var now = subjects.findAll(tenantId, plan.existing());
			if (now.size() != plan.existing().size() || now.values().stream().anyMatch(Subjects.Subject::erased)) {
				return false;
			}
		}
		Policy policy = tenants.inEffect(tenantId).orElseThrow(() -> new TenantNotFoundException(tenantId)).policy();
		List<RecordAdmission> checks = this.checks.obtain();
		var refused = new ArrayList<LineError>();
		return plan.accepted().stream().allMatch(line -> admitted(tenantId, policy, checks, line.subject(), line.checked(), refused));
	}

	private long[] oneByOne(String tenantId, List<Checked> batch, String actor, List<LineError> errors, RuntimeException ex,
			KnownIdentifiers known) {
		if (batch.size() == 1) {
			errors.add(new LineError(batch.get(0).number(), "line", "the database refused this line: "
					+ ex.getClass().getSimpleName()));
			return new long[2];
		}
		long[] total = new long[2];
		for (Checked one : batch) {
			long[] counts = store(tenantId, List.of(one), actor, errors, known, null, null);
			total[0] += counts[0];
			total[1] += counts[1];
		}
		return total;
	}

	/**
	 * Plans a batch in the caller's transaction: reads what it needs (stored client ids and the subjects of its
	 * identifiers, when {@code checkStored} or once the run has met a repeat; otherwise only the subjects of
	 * identifiers the run has met), settles each line's subject, and hands the new subjects' keys and the sealing to
	 * the pool. Line errors found here and what it learns about identifiers stay in the plan: the caller
	 * reports the one and remembers the other only once the batch has committed, so a batch that is tried again
	 * neither reports an error twice nor trusts an identifier it never stored.
	 */
	private Plan plan(String tenantId, List<Checked> batch, boolean checkStored, KnownIdentifiers known, long erasures) {
		Instant now = clock.instant();
		var found = new ArrayList<LineError>();
		var learnt = new ArrayList<KnownIdentifiers.Hint>();
		// optimistic until this import has met a repeat (KnownIdentifiers#guessesNew): client ids are then not
		// looked up, the unique index catches one stored already, and identifiers not met are taken as new
		boolean careful = checkStored || !known.guessesNew();
		// the client ids seen so far in the batch, first those already stored when careful
		Set<String> stored = new java.util.HashSet<>(3 * batch.size());
		if (careful) {
			var clientIds = new LinkedHashSet<String>();
			batch.forEach(c -> clientIds.add(c.line().clientRecordId()));
			stored.addAll(records.storedClientIds(tenantId, clientIds));
		}
		long already = 0;
		var byIdentifier = new HashMap<String, UUID>(3 * batch.size());
		var wrappedKeys = new HashMap<UUID, byte[]>(3 * batch.size());
		var indexes = indexes(batch);
		var keysRead = new HashMap<UUID, byte[]>();
		lookUp(tenantId, indexes, byIdentifier, wrappedKeys, known, !careful, learnt, erasures, keysRead);
		var newIdentifiers = new ArrayList<Subjects.NewIdentifier>();
		var identifierKinds = new java.util.HashSet<String>();
		// once per batch: resolving the checks and the policy per line cost more than the checks themselves
		Policy policy = tenants.inEffect(tenantId).orElseThrow(() -> new TenantNotFoundException(tenantId)).policy();
		List<RecordAdmission> checks = this.checks.obtain();
		var created = new ArrayList<UUID>();
		var accepted = new ArrayList<Accepted>(batch.size());
		for (Checked checked : batch) {
			Line line = checked.line();
			if (!stored.add(line.clientRecordId())) {
				already++;
				continue;
			}
			Resolved resolved = subject(checked, byIdentifier, wrappedKeys, found);
			if (resolved == null || !admitted(tenantId, policy, checks, resolved.subject(), checked, found)) {
				// a refused line writes nothing: no subject made for it, no identifier added to one
				stored.remove(line.clientRecordId());
				continue;
			}
			settle(resolved, checked, indexes, byIdentifier, wrappedKeys, created, newIdentifiers, identifierKinds, learnt);
			accepted.add(new Accepted(Ids.next(), resolved.subject(), checked));
		}
		// every subject found (not made) that the plan writes anything for: its records or new identifiers
		Set<UUID> existing = new java.util.HashSet<>(2 * (accepted.size() + newIdentifiers.size()));
		accepted.forEach(row -> existing.add(row.subject()));
		newIdentifiers.forEach(identifier -> existing.add(identifier.subjectId()));
		created.forEach(existing::remove);
		// the keys and the sealing are most of a batch's own work and need no database: on the pool, while this
		// thread goes on with the database
		var work = crypto.submit(() -> seal(tenantId, now, created, accepted, wrappedKeys));
		return new Plan(now, already, accepted, existing, newIdentifiers, identifierKinds, found, learnt, work, erasures,
				keysRead);
	}

	/**
	 * On the pool: makes the new subjects' keys, opens the others' and seals the rows. The keys are the batch's own,
	 * kept out of the service's key cache (KeyManagement.newSubjectKeyForBatch says why).
	 */
	private Sealed seal(String tenantId, Instant now, List<UUID> created, List<Accepted> accepted, Map<UUID, byte[]> wrappedKeys) {
		var aeads = new HashMap<UUID, Aead>();
		List<KeyManagement.SubjectKey> made = created.parallelStream().map(subject -> keys.newSubjectKeyForBatch(tenantId, subject))
			.toList();
		var newSubjects = new ArrayList<Subjects.NewSubject>(created.size());
		for (int i = 0; i < created.size(); i++) {
			aeads.put(created.get(i), made.get(i).aead());
			newSubjects.add(new Subjects.NewSubject(created.get(i), made.get(i).wrapped()));
		}
		List<UUID> existing = accepted.stream().map(Accepted::subject).distinct().filter(s -> !aeads.containsKey(s)).toList();
		List<Aead> opened = existing.parallelStream()
			.map(subject -> keys.subjectAeadForBatch(tenantId, subject, wrappedKeys.get(subject)))
			.toList();
		for (int i = 0; i < existing.size(); i++) {
			aeads.put(existing.get(i), opened.get(i));
		}
		List<PersonalRecords.Prepared> rows = accepted.parallelStream().map(row -> {
			Line line = row.checked().line();
			byte[] sealed = RecordManagement.seal(aeads.get(row.subject()), RecordManagement.json(line.fields()),
					RecordManagement.context(tenantId, row.subject(), row.id()));
			return new PersonalRecords.Prepared(new PersonalRecords.Row(row.id(), tenantId, row.subject(), line.activity(),
					line.category(), line.clientRecordId(), sealed, RecordStatus.ACTIVE, now, now,
					PolicyGate.Fact.asMap(row.checked().facts())));
		}).toList();
		return new Sealed(newSubjects, rows);
	}

	/** Writes a planned batch's new subjects and identifiers in the caller's transaction, once its sealing is done. */
	private void applySubjects(String tenantId, Plan plan, Sealed sealed) {
		subjects.insertAll(tenantId, sealed.newSubjects(), plan.now());
		subjects.addIdentifiers(tenantId, plan.newIdentifiers());
	}

	/** Writes a planned batch's records and its audit entry in the caller's transaction, after its subjects. */
	private long[] applyRecords(String tenantId, String actor, Plan plan, Sealed sealed) {
		records.insertAll(sealed.rows());
		if (!sealed.rows().isEmpty() || !sealed.newSubjects().isEmpty()) {
			audit.recordsImported(tenantId, actor, sealed.rows().stream().map(PersonalRecords.Prepared::row).toList(),
					sealed.newSubjects(), plan.identifierKinds());
		}
		return new long[] { sealed.rows().size(), plan.already() };
	}

	/** The pool's result; a failure there fails the batch, as it would have done on this thread. */
	private static <T> T await(java.util.concurrent.Future<T> work) {
		try {
			return work.get();
		}
		catch (InterruptedException ex) {
			work.cancel(true);
			Thread.currentThread().interrupt();
			throw new Interrupted(ex);
		}
		catch (java.util.concurrent.ExecutionException ex) {
			if (ex.getCause() instanceof RuntimeException runtime) {
				throw runtime;
			}
			throw new IllegalStateException("sealing an import batch failed", ex.getCause());
		}
	}

	@jakarta.annotation.PreDestroy
	void close() {
		crypto.shutdown();
	}

	/** What other modules check before a record is stored ({@link RecordAdmission}); a refusal is a line error. */
	private static boolean admitted(String tenantId, Policy policy, List<RecordAdmission> checks, UUID subject, Checked checked,
			List<LineError> errors) {
		var activity = policy.activities().get(checked.line().activity());
		try {
			checks.forEach(check -> check.admit(tenantId, subject, checked.line().activity(), activity));
			return true;
		}
		catch (PolicyViolationException ex) {
			errors.add(new LineError(checked.number(), ex.field(), ex.getMessage()));
			return false;
		}
	}

	/** The blind index of every identifier in the batch, by kind and value. */
	private static Map<String, byte[]> indexes(List<Checked> batch) {
		Map<String, byte[]> indexes = new HashMap<>(3 * batch.size());
		// made on the pool while the lines were checked
		batch.forEach(checked -> indexes.putAll(checked.blindIndexes()));
		return indexes;
	}

	/**
	 * Finds the subjects the batch's identifiers already name, and their keys. Identifiers this import has met
	 * before are taken from {@link KnownIdentifiers}, and their subjects are live if it still keeps their keys (no
	 * erasure in the tenant since) or their rows, read for the keys, say so; the others (unless {@code guessNew}
	 * takes them as new, {@link KnownIdentifiers#guessesNew}), and any whose subject has gone, are looked up in the
	 * identifier index. Erased subjects get no key, and lines naming them fail.
	 */
	private void lookUp(String tenantId, Map<String, byte[]> indexes, Map<String, UUID> byIdentifier,
			Map<UUID, byte[]> wrappedKeys, KnownIdentifiers known, boolean guessNew, List<KnownIdentifiers.Hint> learnt,
			long erasures, Map<UUID, byte[]> keysRead) {
		var unknown = new ArrayList<String>();
		for (var index : indexes.entrySet()) {
			UUID hint = known.hint(kind(index.getKey()), index.getValue());
			if (hint != null) {
				byIdentifier.put(index.getKey(), hint);
			}
			else if (!guessNew) {
				unknown.add(index.getKey());
			}
		}
		var live = keysOf(tenantId, byIdentifier.values(), wrappedKeys, known, erasures, keysRead);
		for (var hinted = byIdentifier.entrySet().iterator(); hinted.hasNext();) {
			var entry = hinted.next();
			if (!live.contains(entry.getValue())) {
				// erased (its identifiers went with it) or its tenant's data deleted: ask the index
				known.forget(kind(entry.getKey()), indexes.get(entry.getKey()));
				unknown.add(entry.getKey());
				hinted.remove();
			}
		}
		var byKind = new HashMap<String, List<String>>();
		unknown.forEach(key -> byKind.computeIfAbsent(kind(key), k -> new ArrayList<>()).add(key));
		var hex = java.util.HexFormat.of();
		var foundNow = new java.util.HashSet<UUID>();
		for (var kind : byKind.entrySet()) {
			var found = subjects.findByIndexes(tenantId, kind.getKey(), kind.getValue().stream().map(indexes::get).toList());
			for (String key : kind.getValue()) {
				UUID subject = found.get(hex.formatHex(indexes.get(key)));
				if (subject != null) {
					byIdentifier.put(key, subject);
					foundNow.add(subject);
				}
			}
		}
		var alive = keysOf(tenantId, foundNow, wrappedKeys, known, erasures, keysRead);
		for (String key : unknown) {
			UUID subject = byIdentifier.get(key);
			if (subject != null && alive.contains(subject)) {
				learnt.add(new KnownIdentifiers.Hint(kind(key), indexes.get(key), subject));
			}
		}
	}

	/**
	 * The subjects among {@code ids} that are the tenant's and not erased; their keys go to {@code wrappedKeys}. A
	 * subject whose key the import keeps ({@link KnownIdentifiers#key}) is taken from there; the others' rows are read,
	 * and their keys also go to {@code keysRead}, to be kept once this transaction has committed.
	 */
	private Set<UUID> keysOf(String tenantId, java.util.Collection<UUID> ids, Map<UUID, byte[]> wrappedKeys,
			KnownIdentifiers known, long erasures, Map<UUID, byte[]> keysRead) {
		var live = new java.util.HashSet<UUID>();
		var unread = new java.util.HashSet<UUID>();
		for (UUID id : ids) {
			byte[] key = known.key(id, erasures);
			if (key != null) {
				wrappedKeys.put(id, key);
				live.add(id);
			}
			else {
				unread.add(id);
			}
		}
		subjects.findAll(tenantId, unread).values().stream()
			.filter(subject -> !subject.erased())
			.forEach(subject -> {
				wrappedKeys.put(subject.id(), subject.wrappedKey());
				keysRead.put(subject.id(), subject.wrappedKey());
				live.add(subject.id());
			});
		return live;
	}

	private static String kind(String key) {
		return key.substring(0, key.indexOf('\u0000'));
	}

	/**
	 * A line's subject, not yet settled: {@code made} for a subject none of its identifiers names yet, {@code unknown}
	 * the identifiers (kind and value) to add to it.
	 */
	private record Resolved(UUID subject, boolean made, List<String> unknown) {
	}

	/**
	 * The line's subject: known by one of its identifiers, made earlier in this batch, or new; null with a line error
	 * where there is none it may have. Changes nothing: {@link #settle} does once the line is admitted.
	 */
	private static Resolved subject(Checked checked, Map<String, UUID> byIdentifier, Map<UUID, byte[]> wrappedKeys,
			List<LineError> errors) {
		var found = new LinkedHashSet<UUID>();
		var unknown = new ArrayList<String>();
		for (var identifier : checked.identifiers().entrySet()) {
			String key = identifier.getKey() + "\u0000" + identifier.getValue();
			UUID named = byIdentifier.get(key);
			if (named != null) {
				found.add(named);
			}
			else {
				unknown.add(key);
			}
		}
		if (found.size() > 1) {
			errors.add(new LineError(checked.number(), "identifiers", "these identifiers belong to different subjects"));
			return null;
		}
		if (found.isEmpty()) {
			return new Resolved(Ids.next(), true, unknown);
		}
		UUID subject = found.iterator().next();
		if (!wrappedKeys.containsKey(subject)) {
			errors.add(new LineError(checked.number(), "identifiers", "the subject of these identifiers was erased"));
			return null;
		}
		return new Resolved(subject, false, unknown);
	}

	/** Makes an admitted line's subject (its key comes with the batch's other new keys) and adds its new identifiers. */
	private static void settle(Resolved resolved, Checked checked, Map<String, byte[]> indexes, Map<String, UUID> byIdentifier,
			Map<UUID, byte[]> wrappedKeys, List<UUID> created, List<Subjects.NewIdentifier> newIdentifiers,
			Set<String> identifierKinds, List<KnownIdentifiers.Hint> learnt) {
		UUID subject = resolved.subject();
		if (resolved.made()) {
			wrappedKeys.put(subject, KEY_TO_COME);
			created.add(subject);
			identifierKinds.addAll(checked.identifiers().keySet());
		}
		for (String key : resolved.unknown()) {
			newIdentifiers.add(new Subjects.NewIdentifier(kind(key), indexes.get(key), subject));
			byIdentifier.put(key, subject);
			learnt.add(new KnownIdentifiers.Hint(kind(key), indexes.get(key), subject));
		}
	}
}

package io.custodia.backup;

import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import io.custodia.records.SubjectErased;
import io.custodia.records.SubjectsErased;

/**
 * Writes subject erasures into the ledger as they happen. The event is published inside the erasing transaction,
 * so the entry is on disk before the erasure commits: if the commit then fails, replaying an erasure that did not
 * happen erases what was asked to be erased anyway; an erasure without its entry could come back with a restore.
 * If the append fails, the erasure fails with it.
 *
 * <p>A single subject's erasure (a request, the API) is told before its rows go; its line is forced to disk on the
 * ledger's own thread while they go, and the transaction waits for it just before it commits. Records expired or
 * kept awaiting erasure and a retention chunk's subjects are gathered per transaction and written with one forced
 * write just before it commits, or with the next subject erasure's line, ahead of it. The forced write is
 * most of an erasure's time, and on a disk that is busy with the database's own writes its tail is milliseconds
 * long; done one after the other the two tails added up (docs/benchmarks.md).
 */
@Component
class LedgerRecording implements DisposableBean {

	private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(LedgerRecording.class);

	private final ErasureLedger ledger;

	/**
	 * One thread: subject erasures' lines are appended in the order the erasures asked for them, each after the
	 * record lines its transaction gathered before it. Lines appended at once (files, terminations) or gathered
	 * after an erasure in its transaction may come before an earlier erasure's line: they never name a subject
	 * erased before them in the same transaction (nothing is published for a subject once it is erased), and replay
	 * applies each entry on its own.
	 */
	private final ExecutorService writer = Executors.newSingleThreadExecutor(runnable -> {
		Thread thread = new Thread(runnable, "erasure-ledger");
		thread.setDaemon(true);
		return thread;
	});

	LedgerRecording(ErasureLedger ledger) {
		this.ledger = ledger;
	}

	@EventListener
	void on(SubjectErased erased) {
		if (ErasureLedger.isReplaying() || !TransactionSynchronizationManager.isSynchronizationActive()) {
			// a replay appends nothing (decided on this thread); without a transaction there is nothing to overlap
			ledger.append(ErasureKind.SUBJECT_ERASED, erased.tenantId(), erased.subjectId(), null);
			return;
		}
		// the lines this transaction asked for before go first, in the same forced write: a record de-identified as
		// the subject's last (RecordManagement.expire) must be de-identified again by a replay before the subject's
		// erasure takes the subject's records
		var lines = new java.util.ArrayList<>(pending().map(Pending::take).orElse(List.of()));
		lines.add(new ErasureLedger.Line(ErasureKind.SUBJECT_ERASED, erased.tenantId(), erased.subjectId(), null, null));
		Future<?> line = writer.submit(() -> ledger.appendLines(lines));
		TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
			@Override
			public void beforeCommit(boolean readOnly) {
				// an exception here rolls the erasure back: no erasure commits without its line on disk
				await(line);
			}

			@Override
			public void afterCompletion(int status) {
				// rolled back: a write the ledger's thread has not begun never happens; one under way is finished
				// before the caller hears of the failure, not at some later moment (a replay of its lines then erases
				// what was asked to be erased)
				if (status != STATUS_COMMITTED && !line.isDone() && !line.cancel(false)) {
					try {
						await(line);
					}
					catch (RuntimeException ignored) {
						// the erasure failed already; that failure is the one the caller gets
					}
				}
			}
		});
	}

	private static void await(Future<?> line) {
		try {
			line.get();
		}
		catch (ExecutionException ex) {
			if (ex.getCause() instanceof RuntimeException runtime) {
				throw runtime;
			}
			throw new IllegalStateException("cannot append to the erasure ledger", ex.getCause());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("interrupted while the erasure ledger forced a line to disk", ex);
		}
	}

	@Override
	public void destroy() throws InterruptedException {
		// lines already asked for are written: their transactions are waiting for them
		writer.shutdown();
		if (!writer.awaitTermination(30, java.util.concurrent.TimeUnit.SECONDS)) {
			// an erasure commits only once its line is on disk, so one cut short by the process ending is not lost
			log.warn("The erasure ledger's thread has not written every line within 30 s of shutdown; erasures still "
					+ "waiting for theirs do not commit if the process ends first.");
		}
	}

	/**
	 * Records deleted or de-identified while their subjects stay: retention, consent withdrawal, a request's
	 * erasure. Without these a restore would bring such a record back.
	 */
	@EventListener
	void on(io.custodia.records.RecordsExpired expired) {
		// deleted before de-identified, the order they had when each kind had its own forced write
		var lines = new java.util.ArrayList<ErasureLedger.Line>();
		for (boolean deidentified : new boolean[] { false, true }) {
			expired.records().stream()
				.filter(r -> r.deidentified() == deidentified)
				.forEach(r -> lines.add(ErasureLedger.Line.record(deidentified ? ErasureKind.RECORD_DEIDENTIFIED : ErasureKind.RECORD_DELETED,
						expired.tenantId(), r.recordId(), r.subjectId())));
		}
		beforeCommit(lines);
	}

	/** Records an erasure keeps restricted until nothing keeps them: a restore marks them again. */
	@EventListener
	void on(io.custodia.records.RecordsAwaitingErasure awaiting) {
		beforeCommit(awaiting.records().stream()
			.map(r -> ErasureLedger.Line.record(ErasureKind.RECORD_AWAITING_ERASURE, awaiting.tenantId(), r.recordId(), r.subjectId()))
			.toList());
	}

	/** A retention chunk's erasures: one forced write for all of them. */
	@EventListener
	void on(SubjectsErased erased) {
		beforeCommit(erased.subjectIds().stream()
			.map(subject -> new ErasureLedger.Line(ErasureKind.SUBJECT_ERASED, erased.tenantId(), subject, null, null))
			.toList());
	}

	/**
	 * Writes the lines before the current transaction commits, with the other lines it asks for, in one forced
	 * write: a retention chunk that deletes, de-identifies and empties subjects, or a request's erasure that deletes
	 * some records and keeps others for a hold, waited for one forced write per kind. A transaction that rolls back
	 * writes none of them. Without a transaction, or in a replay (which appends nothing), at once.
	 */
	private void beforeCommit(List<ErasureLedger.Line> lines) {
		if (lines.isEmpty()) {
			return;
		}
		if (ErasureLedger.isReplaying() || !TransactionSynchronizationManager.isSynchronizationActive()) {
			ledger.appendLines(lines);
			return;
		}
		Pending pending = pending().orElse(null);
		if (pending == null) {
			pending = new Pending(this);
			TransactionSynchronizationManager.registerSynchronization(pending);
		}
		pending.lines().addAll(lines);
	}

	/**
	 * The lines the current transaction has asked for so far. Looked up among its synchronizations, not bound as a
	 * resource: an inner transaction of its own (REQUIRES_NEW) suspends those, so its lines are written before it
	 * commits, not before the outer one.
	 */
	private java.util.Optional<Pending> pending() {
		return TransactionSynchronizationManager.getSynchronizations().stream()
			.filter(Pending.class::isInstance)
			.map(Pending.class::cast)
			.filter(one -> one.owner() == this)
			.findFirst();
	}

	/** The lines one transaction has asked for so far; a set member of the transaction's, so equal only to itself. */
	private static final class Pending implements TransactionSynchronization {

		private final LedgerRecording owner;

		private final List<ErasureLedger.Line> lines = new java.util.ArrayList<>();

		Pending(LedgerRecording owner) {
			this.owner = owner;
		}

		LedgerRecording owner() {
			return owner;
		}

		List<ErasureLedger.Line> lines() {
			return lines;
		}

		/** The lines so far, which someone else now writes: they are no longer this synchronization's. */
		List<ErasureLedger.Line> take() {
			var taken = List.copyOf(lines);
			lines.clear();
			return taken;
		}

		@Override
		public void beforeCommit(boolean readOnly) {
			// an exception here rolls the transaction back: nothing it erased commits without its lines on disk
			if (!lines.isEmpty()) {
				owner.ledger.appendLines(lines);
			}
		}
	}
}

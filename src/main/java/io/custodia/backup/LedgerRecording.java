package io.custodia.backup;

import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import io.custodia.records.SubjectErased;
import io.custodia.records.SubjectsErased;

/**
 * Writes subject erasures into the ledger as they happen. The event is published inside the erasing transaction,
 * so the entry is on disk before the erasure commits: if the commit then fails, replaying an erasure that did not
 * happen erases what was asked to be erased anyway; an erasure without its entry could come back with a restore.
 * If the append fails, the erasure fails with it.
 */
@Component
class LedgerRecording {

	private final ErasureLedger ledger;

	LedgerRecording(ErasureLedger ledger) {
		this.ledger = ledger;
	}

	@EventListener
	void on(SubjectErased erased) {
		ledger.append(ErasureKind.SUBJECT_ERASED, erased.tenantId(), erased.subjectId(), null);
	}

	/** A retention chunk's erasures: one forced write for all of them. */
	@EventListener
	void on(SubjectsErased erased) {
		ledger.appendAll(ErasureKind.SUBJECT_ERASED, erased.tenantId(), erased.subjectIds());
	}
}

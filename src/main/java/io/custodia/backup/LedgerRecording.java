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

	/**
	 * Records deleted or de-identified while their subjects stay: retention, consent withdrawal, a request's
	 * erasure. Without these a restore would bring such a record back.
	 */
	@EventListener
	void on(io.custodia.records.RecordsExpired expired) {
		for (boolean deidentified : new boolean[] { false, true }) {
			var records = expired.records().stream()
				.filter(r -> r.deidentified() == deidentified)
				.map(r -> new java.util.UUID[] { r.recordId(), r.subjectId() })
				.toList();
			ledger.appendRecords(deidentified ? ErasureKind.RECORD_DEIDENTIFIED : ErasureKind.RECORD_DELETED, expired.tenantId(),
					records);
		}
	}

	/** A retention chunk's erasures: one forced write for all of them. */
	@EventListener
	void on(SubjectsErased erased) {
		ledger.appendAll(ErasureKind.SUBJECT_ERASED, erased.tenantId(), erased.subjectIds());
	}
}

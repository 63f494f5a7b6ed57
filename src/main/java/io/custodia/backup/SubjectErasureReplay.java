package io.custodia.backup;

import org.springframework.stereotype.Component;

import io.custodia.records.RecordManagement;

/** Erases a subject again after a restore: its records, identifiers and key go, as on the first erasure. */
@Component
class SubjectErasureReplay implements ErasureReplay {

	private final RecordManagement records;

	SubjectErasureReplay(RecordManagement records) {
		this.records = records;
	}

	@Override
	public ErasureKind kind() {
		return ErasureKind.SUBJECT_ERASED;
	}

	@Override
	public boolean replay(LedgerEntry entry) {
		if (!records.hasSubject(entry.tenantId(), entry.subjectId())) {
			return false;
		}
		records.eraseSubject(entry.tenantId(), entry.subjectId(), "erasure ledger entry " + entry.sequence() + " replayed",
				"system:erasure-ledger");
		return true;
	}
}

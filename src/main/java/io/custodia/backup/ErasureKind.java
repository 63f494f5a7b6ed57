package io.custodia.backup;

/** What an erasure ledger entry records. Stored by name and covered by the entry's MAC: add, never rename. */
public enum ErasureKind {
	SUBJECT_ERASED, FILE_DELETED, TENANT_TERMINATED,

	/** One record deleted while its subject stays (retention, consent withdrawal, a request's erasure). */
	RECORD_DELETED,

	/** One record de-identified: no link to its subject, only non-identifying fields left. */
	RECORD_DEIDENTIFIED,

	/**
	 * One record a subject asked to have erased that a legal hold or obligation keeps: restricted, and marked to be
	 * deleted once nothing keeps it. Replayed, it is restricted and marked again.
	 */
	RECORD_AWAITING_ERASURE
}

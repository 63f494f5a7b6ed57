package io.custodia.backup;

/** What an erasure ledger entry records. Stored by name and covered by the entry's MAC: add, never rename. */
public enum ErasureKind {
	SUBJECT_ERASED, FILE_DELETED, TENANT_TERMINATED
}

package io.custodia.backup;

/**
 * Applies one kind of ledger entry again after a restore. The module that owns the data implements it as a bean
 * (records' subject erasure is replayed here; the vault replays file deletions; termination replays tenant ends),
 * so this module needs none of them. A replay must be idempotent: it runs for entries that may already hold in
 * the restored data.
 */
public interface ErasureReplay {

	ErasureKind kind();

	/** Erases again what the entry names; true if something was erased now, false if it was gone already. */
	boolean replay(LedgerEntry entry);
}

package io.custodia.vault;

import java.util.UUID;

import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import io.custodia.backup.ErasureKind;
import io.custodia.backup.ErasureLedger;
import io.custodia.backup.ErasureReplay;
import io.custodia.backup.LedgerEntry;
import io.custodia.termination.TenantDataEraser;

/**
 * The vault's part in backups and tenant end: every file deletion goes into the erasure ledger before its
 * transaction commits (the event is published inside it), a restore deletes again the files deleted since the
 * backup, and a terminated tenant's whole vault goes with it.
 */
@Component
class VaultErasures implements ErasureReplay, TenantDataEraser {

	private final Vault vault;

	private final ErasureLedger ledger;

	VaultErasures(Vault vault, ErasureLedger ledger) {
		this.vault = vault;
		this.ledger = ledger;
	}

	@EventListener
	void on(FileDeleted deleted) {
		ledger.append(ErasureKind.FILE_DELETED, deleted.tenantId(), null, deleted.fileId());
	}

	@Override
	public ErasureKind kind() {
		return ErasureKind.FILE_DELETED;
	}

	@Override
	public boolean replay(LedgerEntry entry) {
		UUID fileId = entry.fileId();
		try {
			vault.describe(entry.tenantId(), fileId);
		}
		catch (VaultNotFoundException ex) {
			return false;
		}
		vault.delete(entry.tenantId(), fileId, "system:erasure-ledger");
		return true;
	}

	@Override
	public String what() {
		return "files";
	}

	@Override
	public long eraseAllOf(String tenantId) {
		return vault.deleteAllOf(tenantId).files();
	}
}

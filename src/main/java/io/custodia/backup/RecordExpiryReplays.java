package io.custodia.backup;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.custodia.records.ExpiryAction;
import io.custodia.records.RecordManagement;

/**
 * Deletes or de-identifies a record again after a restore, as the first time (a subject whose last record goes is
 * erased with it), or marks it again as awaiting erasure. A record that is gone, or de-identified already, is left as
 * it is.
 */
@Configuration(proxyBeanMethods = false)
class RecordExpiryReplays {

	@Bean
	ErasureReplay recordDeletedReplay(RecordManagement records) {
		return replay(records, ErasureKind.RECORD_DELETED, ExpiryAction.DELETE);
	}

	@Bean
	ErasureReplay recordDeidentifiedReplay(RecordManagement records) {
		return replay(records, ErasureKind.RECORD_DEIDENTIFIED, ExpiryAction.DE_IDENTIFY);
	}

	/**
	 * Restricts and marks again a record an erasure kept (a legal hold, a legal obligation), so that retention
	 * deletes it once nothing keeps it and nobody lifts its restriction. One that is gone, or marked already, is left
	 * as it is; one deleted later has a {@code RECORD_DELETED} entry after this one, replayed after it.
	 */
	@Bean
	ErasureReplay recordAwaitingErasureReplay(RecordManagement records) {
		return new ErasureReplay() {

			@Override
			public ErasureKind kind() {
				return ErasureKind.RECORD_AWAITING_ERASURE;
			}

			@Override
			public boolean replay(LedgerEntry entry) {
				return records.hasRecord(entry.tenantId(), entry.recordId())
						&& records.restrictUntilErasable(entry.tenantId(), entry.recordId(),
								"erasure ledger entry " + entry.sequence() + " replayed", "system:erasure-ledger");
			}
		};
	}

	private static ErasureReplay replay(RecordManagement records, ErasureKind kind, ExpiryAction action) {
		return new ErasureReplay() {

			@Override
			public ErasureKind kind() {
				return kind;
			}

			@Override
			public boolean replay(LedgerEntry entry) {
				if (!records.hasRecord(entry.tenantId(), entry.recordId())) {
					return false;
				}
				var expiry = records.expire(entry.tenantId(), entry.recordId(), action,
						"erasure ledger entry " + entry.sequence() + " replayed", "system:erasure-ledger");
				return expiry.deleted() || expiry.deidentified();
			}
		};
	}
}

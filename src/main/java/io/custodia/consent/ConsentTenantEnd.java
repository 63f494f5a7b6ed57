package io.custodia.consent;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import io.custodia.termination.TenantDataEraser;

/**
 * The ledger's part in tenant end (R7): every receipt, notice text and date of birth of a terminated tenant goes, in the terminating transaction. Receipts are otherwise never deleted: evidence outlives withdrawal, not the contract.
 */
@Component
class ConsentTenantEnd implements TenantDataEraser {

	private final JdbcClient jdbc;

	ConsentTenantEnd(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	@Override
	public String what() {
		return "consent_receipts";
	}

	@Override
	public long eraseAllOf(String tenantId) {
		long count = 0;
		count += jdbc.sql("delete from consent_receipt where tenant_id = ?").param(tenantId).update();
		count += jdbc.sql("delete from consent_notice where tenant_id = ?").param(tenantId).update();
		count += jdbc.sql("delete from consent_birth_date where tenant_id = ?").param(tenantId).update();
		return count;
	}
}

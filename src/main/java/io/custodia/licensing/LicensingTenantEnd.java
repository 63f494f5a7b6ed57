package io.custodia.licensing;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import io.custodia.termination.TenantDataEraser;

/**
 * Licensing's part in tenant end (R7): entitlements, seats (with their sealed holders) and the lease signing key go, in the terminating transaction.
 */
@Component
class LicensingTenantEnd implements TenantDataEraser {

	private final JdbcClient jdbc;

	LicensingTenantEnd(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	@Override
	public String what() {
		return "licences";
	}

	@Override
	public long eraseAllOf(String tenantId) {
		long count = 0;
		count += jdbc.sql("delete from licence_seat where tenant_id = ?").param(tenantId).update();
		count += jdbc.sql("delete from licence_entitlement where tenant_id = ?").param(tenantId).update();
		count += jdbc.sql("delete from licence_signing_key where tenant_id = ?").param(tenantId).update();
		return count;
	}
}

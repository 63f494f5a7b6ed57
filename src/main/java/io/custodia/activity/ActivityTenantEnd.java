package io.custodia.activity;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import io.custodia.termination.TenantDataEraser;

/**
 * The activity log's part in tenant end (R7): every event and every month's pseudonym key go, in the terminating transaction.
 */
@Component
class ActivityTenantEnd implements TenantDataEraser {

	private final JdbcClient jdbc;

	ActivityTenantEnd(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	@Override
	public String what() {
		return "activity_events";
	}

	@Override
	public long eraseAllOf(String tenantId) {
		long count = 0;
		count += jdbc.sql("delete from activity_event where tenant_id = ?").param(tenantId).update();
		count += jdbc.sql("delete from activity_period_key where tenant_id = ?").param(tenantId).update();
		return count;
	}
}

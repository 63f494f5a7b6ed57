package io.custodia.activity;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import io.custodia.termination.TenantDataEraser;

/**
 * The activity log's part in tenant end (R7): every segment of events and every month's pseudonym key go, in the terminating transaction.
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
		// counted as before segments: events, not rows
		long count = jdbc.sql("select coalesce(sum(events), 0) from activity_segment where tenant_id = ?")
			.param(tenantId)
			.query(Long.class)
			.single();
		jdbc.sql("delete from activity_segment where tenant_id = ?").param(tenantId).update();
		count += jdbc.sql("delete from activity_period_key where tenant_id = ?").param(tenantId).update();
		return count;
	}
}

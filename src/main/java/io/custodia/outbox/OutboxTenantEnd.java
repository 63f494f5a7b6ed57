package io.custodia.outbox;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import io.custodia.termination.TenantDataEraser;

/**
 * The outbox's part in tenant end (R7): undelivered and dead messages, webhook endpoints and the signing key go; nothing more is sent for a terminated tenant.
 */
@Component
class OutboxTenantEnd implements TenantDataEraser {

	private final JdbcClient jdbc;

	OutboxTenantEnd(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	@Override
	public String what() {
		return "outbox_messages";
	}

	@Override
	public long eraseAllOf(String tenantId) {
		long count = 0;
		count += jdbc.sql("delete from outbox_message where tenant_id = ?").param(tenantId).update();
		count += jdbc.sql("delete from webhook_endpoint where tenant_id = ?").param(tenantId).update();
		count += jdbc.sql("delete from webhook_key where tenant_id = ?").param(tenantId).update();
		return count;
	}
}

package io.custodia.retention;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** What retention keeps of a tenant (legal holds, the review queue), deleted at the tenant's end. */
@Service
public class TenantRetentionData {

	private final JdbcClient jdbc;

	TenantRetentionData(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/** Deletes the tenant's legal holds (all released by then) and review queue; returns how many holds went. */
	@Transactional
	public long eraseAllOf(String tenantId) {
		jdbc.sql("delete from retention_review where tenant_id = ?").param(tenantId).update();
		return jdbc.sql("delete from legal_hold where tenant_id = ?").param(tenantId).update();
	}
}

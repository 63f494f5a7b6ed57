package io.custodia.requests;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import io.custodia.termination.TenantDataEraser;

/**
 * Requests' part in tenant end (R7): every request, its codes and packages, and the suppression list go, in the terminating transaction (codes and downloads by cascade).
 */
@Component
class RequestsTenantEnd implements TenantDataEraser {

	private final JdbcClient jdbc;

	RequestsTenantEnd(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	@Override
	public String what() {
		return "requests";
	}

	@Override
	public long eraseAllOf(String tenantId) {
		long count = 0;
		count += jdbc.sql("delete from request_download where tenant_id = ?").param(tenantId).update();
		count += jdbc.sql("delete from data_request where tenant_id = ?").param(tenantId).update();
		count += jdbc.sql("delete from suppression where tenant_id = ?").param(tenantId).update();
		return count;
	}
}

package io.custodia.tenancy;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Revokes every API key of a tenant at once (its end): no key of it authenticates again. */
@Service
public class ApiKeyRevocation {

	private final JdbcClient jdbc;

	ApiKeyRevocation(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	@Transactional
	public int revokeAll(String tenantId, Instant at) {
		return jdbc.sql("update api_key set revoked_at = ? where tenant_id = ? and revoked_at is null")
			.params(OffsetDateTime.ofInstant(at, ZoneOffset.UTC), tenantId)
			.update();
	}
}

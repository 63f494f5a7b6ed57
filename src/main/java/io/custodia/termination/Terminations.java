package io.custodia.termination;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Terminated tenants and their certificates. */
@Repository
class Terminations {

	private final JdbcClient jdbc;

	Terminations(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	void insert(String tenantId, Instant at, String certificate) {
		jdbc.sql("delete from tenant_termination where tenant_id = ?").param(tenantId).update();
		jdbc.sql("insert into tenant_termination (tenant_id, terminated_at, certificate) values (?, ?, ?)")
			.params(tenantId, OffsetDateTime.ofInstant(at, ZoneOffset.UTC), certificate)
			.update();
	}

	Optional<String> certificate(String tenantId) {
		return jdbc.sql("select certificate from tenant_termination where tenant_id = ?").param(tenantId).query(String.class).optional();
	}
}

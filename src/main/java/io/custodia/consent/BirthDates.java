package io.custodia.consent;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Subjects' dates of birth, sealed with each subject's own key. */
@Repository
class BirthDates {

	private final JdbcClient jdbc;

	BirthDates(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	Optional<byte[]> find(String tenantId, UUID subjectId) {
		return jdbc.sql("select sealed from consent_birth_date where tenant_id = ? and subject_id = ?")
			.params(tenantId, subjectId)
			.query(byte[].class)
			.optional();
	}

	void put(String tenantId, UUID subjectId, byte[] sealed, Instant now) {
		var at = OffsetDateTime.ofInstant(now, ZoneOffset.UTC);
		if (jdbc.sql("update consent_birth_date set sealed = ?, recorded_at = ? where tenant_id = ? and subject_id = ?")
			.params(sealed, at, tenantId, subjectId)
			.update() == 0) {
			jdbc.sql("insert into consent_birth_date (tenant_id, subject_id, sealed, recorded_at) values (?, ?, ?, ?)")
				.params(tenantId, subjectId, sealed, at)
				.update();
		}
	}
}

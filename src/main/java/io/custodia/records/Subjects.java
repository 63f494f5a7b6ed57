package io.custodia.records;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Subjects and their blind-indexed identifiers. */
@Repository
class Subjects {

	record Subject(UUID id, String tenantId, byte[] wrappedKey, boolean erased) {
	}

	private final JdbcClient jdbc;

	private final org.springframework.jdbc.core.JdbcTemplate batch;

	Subjects(JdbcClient jdbc, org.springframework.jdbc.core.JdbcTemplate batch) {
		this.jdbc = jdbc;
		this.batch = batch;
	}

	record NewSubject(UUID id, byte[] wrappedKey) {
	}

	record NewIdentifier(String kind, byte[] index, UUID subjectId) {
	}

	void insertAll(String tenantId, List<NewSubject> all, Instant now) {
		batch.batchUpdate("insert into subject (id, tenant_id, wrapped_key, created_at) values (?, ?, ?, ?)", all, 1000,
				(statement, subject) -> {
					statement.setObject(1, subject.id());
					statement.setString(2, tenantId);
					statement.setBytes(3, subject.wrappedKey());
					statement.setObject(4, utc(now));
				});
	}

	void addIdentifiers(String tenantId, List<NewIdentifier> all) {
		batch.batchUpdate("insert into subject_identifier (tenant_id, kind, blind_index, subject_id) values (?, ?, ?, ?)", all,
				1000, (statement, identifier) -> {
					statement.setString(1, tenantId);
					statement.setString(2, identifier.kind());
					statement.setBytes(3, identifier.index());
					statement.setObject(4, identifier.subjectId());
				});
	}

	Optional<Subject> find(String tenantId, UUID id) {
		return jdbc.sql("select id, tenant_id, wrapped_key, erased_at from subject where id = ? and tenant_id = ?")
			.params(id, tenantId)
			.query((rs, n) -> new Subject(rs.getObject(1, UUID.class), rs.getString(2), rs.getBytes(3), rs.getObject(4) != null))
			.optional();
	}

	List<UUID> findByIndex(String tenantId, String kind, byte[] index) {
		return jdbc.sql("select subject_id from subject_identifier where tenant_id = ? and kind = ? and blind_index = ?")
			.params(tenantId, kind, index)
			.query(UUID.class)
			.list();
	}

	void insert(UUID id, String tenantId, byte[] wrappedKey, Instant now) {
		jdbc.sql("insert into subject (id, tenant_id, wrapped_key, created_at) values (?, ?, ?, ?)")
			.params(id, tenantId, wrappedKey, utc(now))
			.update();
	}

	void addIdentifier(String tenantId, String kind, byte[] index, UUID subjectId) {
		jdbc.sql("insert into subject_identifier (tenant_id, kind, blind_index, subject_id) values (?, ?, ?, ?)")
			.params(tenantId, kind, index, subjectId)
			.update();
	}

	/** Destroys the subject's key and identifiers; the row stays as the mark that it was erased. */
	void erase(String tenantId, UUID id, Instant now) {
		jdbc.sql("delete from subject_identifier where tenant_id = ? and subject_id = ?").params(tenantId, id).update();
		jdbc.sql("update subject set wrapped_key = null, erased_at = ? where id = ? and tenant_id = ?")
			.params(utc(now), id, tenantId)
			.update();
	}

	static OffsetDateTime utc(Instant instant) {
		return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
	}
}

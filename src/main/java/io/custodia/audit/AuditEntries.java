package io.custodia.audit;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** The audit chains and their heads in the database. */
@Repository
class AuditEntries {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final TypeReference<TreeMap<String, String>> DETAILS = new TypeReference<>() {
	};

	private static final String COLUMNS = "tenant_id, sequence, at, actor, action, subject_id, record_id, reason, details, previous_hash, hash";

	private final JdbcClient jdbc;

	private final JdbcTemplate batch;

	AuditEntries(JdbcClient jdbc, JdbcTemplate batch) {
		this.batch = batch;
		this.jdbc = jdbc;
	}

	/**
	 * Where a tenant's chain ends: the last entry's sequence number and hash, and the seal over both; null for a
	 * head written before heads were sealed (V57) and not moved since.
	 */
	record Head(long sequence, byte[] hash, byte[] mac) {
	}

	/**
	 * An entry as the database holds it, before anything is trusted: the action and details as stored text, so
	 * that an entry edited into nonsense can still be checked against its MAC and reported.
	 */
	record Row(String tenantId, long sequence, Instant at, String actor, String action, UUID subjectId, UUID recordId,
			String reason, String details, byte[] previousHash, byte[] hash) {
	}

	/**
	 * The head, locked until the transaction ends: appends of one tenant wait for each other here. The lock is taken
	 * by an update that changes nothing, and the head read after it, rather than by {@code select ... for update}:
	 * H2 never caches a query that locks, so it parsed that one afresh for every audited act (a tenth of the time of
	 * reading a subject's records among a million subjects). Both databases lock the row on update and wait for a
	 * holder to commit; the read that follows is a statement of its own and sees what that holder committed.
	 */
	Optional<Head> lockHead(String tenantId) {
		if (jdbc.sql("update audit_head set sequence = sequence where tenant_id = ?").param(tenantId).update() == 0) {
			return Optional.empty();
		}
		return head(tenantId);
	}

	/** The head, not locked: in a repeatable-read transaction as of its snapshot, else as of this statement. */
	Optional<Head> head(String tenantId) {
		return jdbc.sql("select sequence, hash, mac from audit_head where tenant_id = ?")
			.param(tenantId)
			.query((rs, n) -> new Head(rs.getLong(1), rs.getBytes(2), rs.getBytes(3)))
			.optional();
	}

	/** Starts a chain; fails with a duplicate key when another transaction started it first. */
	void insertHead(String tenantId, byte[] hash, byte[] mac) {
		jdbc.sql("insert into audit_head (tenant_id, sequence, hash, mac) values (?, 0, ?, ?)").params(tenantId, hash, mac).update();
	}

	void moveHead(String tenantId, long sequence, byte[] hash, byte[] mac) {
		jdbc.sql("update audit_head set sequence = ?, hash = ?, mac = ? where tenant_id = ?").params(sequence, hash, mac, tenantId).update();
	}

	boolean any(String tenantId) {
		return jdbc.sql("select count(*) from audit_entry where tenant_id = ?").param(tenantId).query(Long.class).single() > 0;
	}

	void insert(AuditEntry entry) {
		jdbc.sql("insert into audit_entry (" + COLUMNS + ") values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
			.params(entry.tenantId(), entry.sequence(), OffsetDateTime.ofInstant(entry.at(), ZoneOffset.UTC), entry.actor(),
					entry.action().name(), entry.subjectId(), entry.recordId(), entry.reason(), json(entry.details()),
					entry.previousHash(), entry.hash())
			.update();
	}

	/** Many entries in one batch: bulk imports record an entry per record without a round trip each. */
	void insertAll(List<AuditEntry> all) {
		batch.batchUpdate("insert into audit_entry (" + COLUMNS + ") values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", all, 1000,
				(statement, entry) -> {
					statement.setString(1, entry.tenantId());
					statement.setLong(2, entry.sequence());
					statement.setObject(3, OffsetDateTime.ofInstant(entry.at(), ZoneOffset.UTC));
					statement.setString(4, entry.actor());
					statement.setString(5, entry.action().name());
					statement.setObject(6, entry.subjectId());
					statement.setObject(7, entry.recordId());
					statement.setString(8, entry.reason());
					statement.setString(9, json(entry.details()));
					statement.setBytes(10, entry.previousHash());
					statement.setBytes(11, entry.hash());
				});
	}

	/** Up to {@code size} entries after the given sequence number, in sequence order. */
	List<Row> page(String tenantId, long afterSequence, int size) {
		return jdbc.sql("select " + COLUMNS + " from audit_entry where tenant_id = ? and sequence > ? order by sequence fetch first ? rows only")
			.params(tenantId, afterSequence, size)
			.query(AuditEntries::row)
			.list();
	}

	/** The newest {@code limit} entries about the subject and record (either may be null: any), newest last. */
	List<Row> latest(String tenantId, UUID subjectId, UUID recordId, int limit) {
		var sql = new StringBuilder("select " + COLUMNS + " from audit_entry where tenant_id = ?");
		var params = new ArrayList<Object>();
		params.add(tenantId);
		// the filters are added only when given: "? is null" needs a type PostgreSQL cannot infer from a null
		// an entry of a bulk act (an import batch, a listing) names its subjects and records in its details
		if (subjectId != null) {
			sql.append(" and (subject_id = ? or (subject_id is null and details like ?))");
			params.add(subjectId);
			params.add("%" + subjectId + "%");
		}
		if (recordId != null) {
			sql.append(" and (record_id = ? or (record_id is null and details like ?))");
			params.add(recordId);
			params.add("%" + recordId + "%");
		}
		sql.append(" order by sequence desc fetch first ? rows only");
		params.add(limit);
		List<Row> newestFirst = new ArrayList<>(jdbc.sql(sql.toString()).params(params).query(AuditEntries::row).list());
		Collections.reverse(newestFirst);
		return newestFirst;
	}

	/** Details as stored: JSON with sorted keys, so the same details are always the same text. */
	static String json(Map<String, String> details) {
		return JSON.writeValueAsString(new TreeMap<>(details));
	}

	/** The stored details; fails on text that is not a JSON object of texts. */
	static TreeMap<String, String> details(String json) {
		TreeMap<String, String> details = JSON.readValue(json, DETAILS);
		// a TreeMap cannot hold a null key; a null value it can, from {"count": null}
		if (details == null || details.containsValue(null)) {
			throw new IllegalArgumentException("not a JSON object of texts: " + json);
		}
		return details;
	}

	private static Row row(ResultSet rs, int n) throws SQLException {
		return new Row(rs.getString(1), rs.getLong(2), rs.getObject(3, OffsetDateTime.class).toInstant(), rs.getString(4),
				rs.getString(5), rs.getObject(6, UUID.class), rs.getObject(7, UUID.class), rs.getString(8), rs.getString(9),
				rs.getBytes(10), rs.getBytes(11));
	}
}

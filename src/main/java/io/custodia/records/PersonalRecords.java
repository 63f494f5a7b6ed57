package io.custodia.records;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Sealed records and their lifecycle facts. The facts live in the record's own row (a JSON object of texts): they
 * are read with the record every time, and a table of their own cost a second row, key and index per record.
 */
@Repository
class PersonalRecords {

	/** A stored record; {@code facts} by name, in name order (dates as ISO text, states as declared). */
	record Row(UUID id, String tenantId, UUID subjectId, String activity, String category, String clientRecordId,
			byte[] sealed, RecordStatus status, Instant createdAt, Instant updatedAt, Map<String, String> facts) {
	}

	private static final String COLUMNS = "id, tenant_id, subject_id, activity, category, client_record_id, sealed_fields, status, created_at, updated_at, facts";

	private static final tools.jackson.core.type.TypeReference<java.util.TreeMap<String, String>> FACTS = new tools.jackson.core.type.TypeReference<>() {
	};

	/** The stored text of facts: null for none, else a JSON object with its names in order. */
	static String factsText(Map<String, String> facts) {
		return facts == null || facts.isEmpty() ? null : tools.jackson.databind.json.JsonMapper.shared().writeValueAsString(new java.util.TreeMap<>(facts));
	}

	static Map<String, String> facts(String text) {
		return text == null ? new LinkedHashMap<>() : new LinkedHashMap<>(tools.jackson.databind.json.JsonMapper.shared().readValue(text, FACTS));
	}

	// statements whose plans a test checks (BulkImportIntegrationTests): each finds records by their key
	static final String UPDATE_STATUS = "update personal_record set status = ?, updated_at = ? where tenant_id = ? and id = ?";

	static final String FIND_ALL = "select " + COLUMNS + " from personal_record where (tenant_id, id) in (:keys)";

	static final String DELETE_ALL = "delete from personal_record where (tenant_id, id) in (:keys)";

	private static final String CANDIDATES = """
			select id, subject_id, activity, category, status, created_at, facts from personal_record
			where tenant_id = :tenant and status <> 'DEIDENTIFIED'%s
			order by tenant_id, id fetch first :limit rows only""";

	static final String FIRST_CANDIDATES = CANDIDATES.formatted("");

	static final String NEXT_CANDIDATES = CANDIDATES.formatted(" and id > :after");

	private final JdbcClient jdbc;

	private final org.springframework.jdbc.core.JdbcTemplate batch;

	PersonalRecords(JdbcClient jdbc, org.springframework.jdbc.core.JdbcTemplate batch) {
		this.jdbc = jdbc;
		this.batch = batch;
	}

	/** A new row with its facts written as text and its times as the database takes them, made off the writing thread. */
	record Prepared(Row row, String factsText, OffsetDateTime createdAt, OffsetDateTime updatedAt) {

		Prepared(Row row) {
			this(row, PersonalRecords.factsText(row.facts()), Subjects.utc(row.createdAt()), Subjects.utc(row.updatedAt()));
		}
	}

	/** Inserts rows prepared elsewhere (an import prepares them on its pool while its connection writes). */
	void insertAll(List<Prepared> rows) {
		batch.batchUpdate("insert into personal_record (" + COLUMNS + ") values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows, 1000,
				(statement, prepared) -> {
					Row row = prepared.row();
					statement.setObject(1, row.id());
					statement.setString(2, row.tenantId());
					statement.setObject(3, row.subjectId());
					statement.setString(4, row.activity());
					statement.setString(5, row.category());
					statement.setString(6, row.clientRecordId());
					statement.setBytes(7, row.sealed());
					statement.setString(8, row.status().name());
					statement.setObject(9, prepared.createdAt());
					statement.setObject(10, prepared.updatedAt());
					statement.setString(11, prepared.factsText());
				});
	}

	/** Which of these client record ids the tenant has stored already. */
	java.util.Set<String> storedClientIds(String tenantId, java.util.Collection<String> clientIds) {
		if (clientIds.isEmpty()) {
			return java.util.Set.of();
		}
		// a row-value IN, looked up pair by pair in the (tenant_id, client_record_id) index
		var found = new java.util.HashSet<String>();
		for (var some : InLists.slices(List.copyOf(clientIds))) {
			found.addAll(jdbc.sql("select client_record_id from personal_record where (tenant_id, client_record_id) in (:pairs)")
				.param("pairs", some.stream().map(id -> new Object[] { tenantId, id }).toList())
				.query(String.class)
				.list());
		}
		return found;
	}

	void insert(Row row) {
		jdbc.sql("insert into personal_record (" + COLUMNS + ") values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
			.params(row.id(), row.tenantId(), row.subjectId(), row.activity(), row.category(), row.clientRecordId(),
					row.sealed(), row.status().name(), Subjects.utc(row.createdAt()), Subjects.utc(row.updatedAt()),
					factsText(row.facts()))
			.update();
	}

	Optional<Row> find(String tenantId, UUID id) {
		return jdbc.sql("select " + COLUMNS + " from personal_record where id = ? and tenant_id = ?")
			.params(id, tenantId)
			.query(this::row)
			.optional();
	}

	static final String SCAN_BOUNDARY = """
			select id from personal_record where tenant_id = :tenant and id > :after
			order by tenant_id, id offset :skip rows fetch next 1 rows only""";

	/** The first id of all: where a listing in id order starts. */
	static final UUID FIRST = new UUID(0, 0);

	/**
	 * The tenant's {@code scanned}-th record after {@code after} in id order, records of every status; null if fewer
	 * follow. Read from the primary-key index alone (tenant and id are its columns), without the rows.
	 */
	UUID scanBoundary(String tenantId, UUID after, int scanned) {
		return jdbc.sql(SCAN_BOUNDARY)
			.param("tenant", tenantId)
			.param("after", after == null ? FIRST : after)
			.param("skip", scanned - 1)
			.query(UUID.class)
			.optional()
			.orElse(null);
	}

	/**
	 * A page of the tenant's de-identified records in id order after {@code after} and up to {@code upTo} (to the end
	 * when null), of one activity and category where given. A de-identified record has no subject; the scan follows
	 * the records' primary key.
	 */
	List<Row> deidentified(String tenantId, String activity, String category, UUID after, UUID upTo, int limit) {
		var params = new java.util.HashMap<String, Object>();
		params.put("tenant", tenantId);
		params.put("after", after == null ? FIRST : after);
		params.put("limit", limit);
		if (upTo != null) {
			params.put("upTo", upTo);
		}
		if (activity != null) {
			params.put("activity", activity);
		}
		if (category != null) {
			params.put("category", category);
		}
		return jdbc.sql(deidentifiedSql(upTo != null, activity != null, category != null)).params(params).query(this::row).list();
	}

	/** The statement of {@link #deidentified}, with the conditions asked for (a test checks its plans). */
	static String deidentifiedSql(boolean upTo, boolean activity, boolean category) {
		return "select " + COLUMNS + " from personal_record where tenant_id = :tenant and status = 'DEIDENTIFIED' and id > :after"
				+ (upTo ? " and id <= :upTo" : "") + (activity ? " and activity = :activity" : "")
				+ (category ? " and category = :category" : "") + " order by tenant_id, id fetch first :limit rows only";
	}

	Optional<Row> findByClientId(String tenantId, String clientRecordId) {
		return jdbc.sql("select " + COLUMNS + " from personal_record where tenant_id = ? and client_record_id = ?")
			.params(tenantId, clientRecordId)
			.query(this::row)
			.optional();
	}

	List<Row> ofSubject(String tenantId, UUID subjectId) {
		return jdbc.sql("select " + COLUMNS + " from personal_record where tenant_id = ? and subject_id = ? order by created_at, id")
			.params(tenantId, subjectId)
			.query(this::row)
			.list();
	}

	/** Locks the subject's records' rows, in id order (nothing refers to a record, so a plain row lock). */
	void lockOfSubject(String tenantId, UUID subjectId) {
		jdbc.sql("select id from personal_record where tenant_id = ? and subject_id = ? order by id for update")
			.params(tenantId, subjectId)
			.query(UUID.class)
			.list();
	}

	void updateSealed(String tenantId, UUID id, byte[] sealed, Instant now) {
		jdbc.sql("update personal_record set sealed_fields = ?, updated_at = ? where tenant_id = ? and id = ?")
			.params(sealed, Subjects.utc(now), tenantId, id)
			.update();
	}

	void updateStatus(String tenantId, UUID id, RecordStatus status, Instant now) {
		jdbc.sql(UPDATE_STATUS)
			.params(status.name(), Subjects.utc(now), tenantId, id)
			.update();
	}

	private static final String DEIDENTIFY = """
			update personal_record set id = ?, subject_id = null, client_record_id = null, sealed_fields = ?, status = ?,
			created_at = ?, updated_at = ? where tenant_id = ? and id = ?""";

	/** See {@link Sealed}: the record under its new id, with its times cut to the day. */
	void deidentify(String tenantId, Sealed change, Instant now) {
		jdbc.sql(DEIDENTIFY)
			.params(change.newId(), change.sealed(), RecordStatus.DEIDENTIFIED.name(), Subjects.utc(Ids.day(change.createdAt())),
					Subjects.utc(Ids.day(now)), tenantId, change.id())
			.update();
	}

	int delete(String tenantId, UUID id) {
		return jdbc.sql("delete from personal_record where tenant_id = ? and id = ?").params(tenantId, id).update();
	}

	int deleteOfSubject(String tenantId, UUID subjectId) {
		return jdbc.sql("delete from personal_record where tenant_id = ? and subject_id = ?").params(tenantId, subjectId).update();
	}

	/** Sets facts of a record, keeping the others; the row is locked first so concurrent changes both count. */
	void putFacts(String tenantId, UUID recordId, Map<String, String> changes) {
		if (changes.isEmpty()) {
			return;
		}
		String text = jdbc.sql("select facts from personal_record where tenant_id = ? and id = ? for update")
			.params(tenantId, recordId)
			.query((rs, n) -> rs.getString(1))
			.optional()
			.orElse(null);
		var facts = facts(text);
		facts.putAll(changes);
		String merged = factsText(facts);
		if (merged.length() > io.custodia.policy.Policy.MAX_FACTS_TEXT) {
			// today's policy bounds its own facts, but a record keeps those set under earlier versions too: refused
			// here, naming the field, instead of failing in the database
			var earlier = new java.util.TreeSet<>(facts.keySet());
			earlier.removeAll(changes.keySet());
			throw new PolicyViolationException("facts", "with the facts this record already has (" + String.join(", ", earlier)
					+ "), it would carry " + merged.length() + " characters of facts, more than the "
					+ io.custodia.policy.Policy.MAX_FACTS_TEXT + " a record holds", List.of());
		}
		jdbc.sql("update personal_record set facts = ? where tenant_id = ? and id = ?").params(merged, tenantId, recordId)
			.update();
	}

	/**
	 * The next page of the tenant's records still linked to a subject, after the given id in id order, with their
	 * facts: retention walks a tenant page by page, so a million records never sit in memory at once.
	 */
	List<RetentionCandidate> candidates(String tenantId, UUID after, int limit) {
		var result = new java.util.ArrayList<RetentionCandidate>();
		// two statements rather than "after is null or id > after", and "order by tenant_id, id" rather than
		// "order by id": either way H2's planner would sort the tenant's whole table for every page instead of
		// reading the (tenant_id, id) index in order
		var query = jdbc.sql(after == null ? FIRST_CANDIDATES : NEXT_CANDIDATES)
			.param("tenant", tenantId)
			.param("limit", limit);
		if (after != null) {
			query = query.param("after", after);
		}
		query
			.query((ResultSet rs) -> {
				result.add(new RetentionCandidate(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getString(3),
						rs.getString(4), RecordStatus.valueOf(rs.getString(5)), rs.getObject(6, OffsetDateTime.class).toInstant(),
						facts(rs.getString(7))));
			});
		return result;
	}

	int countOfSubject(String tenantId, UUID subjectId) {
		return jdbc.sql("select count(*) from personal_record where tenant_id = ? and subject_id = ?")
			.params(tenantId, subjectId)
			.query(Integer.class)
			.single();
	}

	/** A record's new sealed content, for a batch of changes. */
	/**
	 * A record being de-identified: its id now, the id it gets ({@link Ids#deidentified}), its kept fields sealed
	 * under the new id, and when it was stored (kept to the day).
	 */
	record Sealed(UUID id, UUID newId, byte[] sealed, Instant createdAt) {
	}

	/** The tenant's records among these ids, by id. */
	Map<UUID, Row> findAll(String tenantId, java.util.Collection<UUID> ids) {
		var found = new java.util.HashMap<UUID, Row>();
		if (!ids.isEmpty()) {
			// a row-value IN: H2 looks each key up in the primary key; with "tenant_id = ? and id in (...)" it may
			// walk the tenant's whole index
			for (var some : InLists.slices(List.copyOf(ids))) {
				jdbc.sql(FIND_ALL)
					.param("keys", keys(tenantId, some))
					.query(this::row)
					.list()
					.forEach(row -> found.put(row.id(), row));
			}
		}
		return found;
	}

	void deidentifyAll(String tenantId, List<Sealed> changes, Instant now) {
		var updated = Subjects.utc(Ids.day(now));
		batch.batchUpdate(DEIDENTIFY, changes, 1000, (statement, change) -> {
			statement.setObject(1, change.newId());
			statement.setBytes(2, change.sealed());
			statement.setString(3, RecordStatus.DEIDENTIFIED.name());
			statement.setObject(4, Subjects.utc(Ids.day(change.createdAt())));
			statement.setObject(5, updated);
			statement.setString(6, tenantId);
			statement.setObject(7, change.id());
		});
	}

	int deleteAll(String tenantId, java.util.Collection<UUID> ids) {
		if (ids.isEmpty()) {
			return 0;
		}
		int deleted = 0;
		for (var some : InLists.slices(List.copyOf(ids))) {
			deleted += jdbc.sql(DELETE_ALL).param("keys", keys(tenantId, some))
				.update();
		}
		return deleted;
	}

	/** Primary keys for a row-value IN list. */
	private static List<Object[]> keys(String tenantId, List<UUID> ids) {
		return ids.stream().map(id -> new Object[] { tenantId, id }).toList();
	}

	/**
	 * Which of these subjects of the tenant have a record other than those given (none given: any record). Each
	 * subject has a few records; they are compared here.
	 */
	java.util.Set<UUID> subjectsWithRecords(String tenantId, java.util.Collection<UUID> subjectIds, java.util.Set<UUID> besides) {
		var found = new java.util.HashSet<UUID>();
		// a row-value IN: H2 looks each subject up in the foreign key's index on subject_id and checks the tenant;
		// with "tenant_id = ? and subject_id in (...)" it would read the tenant's whole index
		for (var some : InLists.slices(subjectIds.stream().filter(java.util.Objects::nonNull).toList())) {
			jdbc.sql("select subject_id, id from personal_record where (tenant_id, subject_id) in (:pairs)")
				.param("pairs", keys(tenantId, some))
				.query((rs, n) -> besides.contains(rs.getObject(2, UUID.class)) ? null : rs.getObject(1, UUID.class))
				.list()
				.stream()
				.filter(java.util.Objects::nonNull)
				.forEach(found::add);
		}
		return found;
	}

	private Row row(ResultSet rs, int n) throws SQLException {
		return new Row(rs.getObject(1, UUID.class), rs.getString(2), rs.getObject(3, UUID.class), rs.getString(4),
				rs.getString(5), rs.getString(6), rs.getBytes(7), RecordStatus.valueOf(rs.getString(8)),
				rs.getObject(9, OffsetDateTime.class).toInstant(), rs.getObject(10, OffsetDateTime.class).toInstant(),
				facts(rs.getString(11)));
	}

	/** Subjects with an active record of one of these activities (for SubjectRights). */
	List<UUID> subjectsIn(String tenantId, java.util.Collection<String> activities) {
		return jdbc.sql("select distinct subject_id from personal_record where tenant_id = :tenant and status = 'ACTIVE' and subject_id is not null and activity in (:activities)")
			.param("tenant", tenantId)
			.param("activities", List.copyOf(activities))
			.query(UUID.class)
			.list();
	}
}

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

	private final Durability database;

	private final ErasureLock erasures;

	Subjects(JdbcClient jdbc, org.springframework.jdbc.core.JdbcTemplate batch, Durability database, ErasureLock erasures) {
		this.jdbc = jdbc;
		this.batch = batch;
		this.database = database;
		this.erasures = erasures;
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
		batch.batchUpdate(ADD_IDENTIFIER, all, 1000, (statement, identifier) -> {
			statement.setLong(1, lookup(identifier.index()));
			statement.setString(2, tenantId);
			statement.setString(3, identifier.kind());
			statement.setBytes(4, identifier.index());
			statement.setObject(5, identifier.subjectId());
		});
	}

	Optional<Subject> find(String tenantId, UUID id) {
		return jdbc.sql("select id, tenant_id, wrapped_key, erased_at from subject where id = ? and tenant_id = ?")
			.params(id, tenantId)
			.query(Subjects::subject)
			.optional();
	}

	/**
	 * {@link #find}, and the row locked until the transaction ends: what adds data to a subject and what erases it
	 * lock the subject first, so that one waits for the other and then sees what it did.
	 */
	Optional<Subject> lock(String tenantId, UUID id) {
		return jdbc.sql("select id, tenant_id, wrapped_key, erased_at from subject where id = ? and tenant_id = ? " + forUpdate())
			.params(id, tenantId)
			.query(Subjects::subject)
			.optional();
	}

	/**
	 * {@link #lock} for many of the tenant's subjects, in id order; answers those not erased. By the primary key
	 * alone, like {@link #findAll}: the ids are the tenant's own (taken from its records).
	 */
	java.util.Set<UUID> lockAll(java.util.Collection<UUID> ids) {
		var live = new java.util.HashSet<UUID>();
		// in the databases' order (unsigned bytes, as the text form sorts; UUID.compareTo compares signed halves), so
		// that two callers whose lists span several slices still lock in one order
		for (var some : InLists.slices(ids.stream().sorted(java.util.Comparator.comparing(UUID::toString)).toList())) {
			jdbc.sql("select id, erased_at from subject where id in (:ids) order by id " + forUpdate())
				.param("ids", some)
				.query((rs, n) -> rs.getObject(2) == null ? rs.getObject(1, UUID.class) : null)
				.list()
				.stream()
				.filter(java.util.Objects::nonNull)
				.forEach(live::add);
		}
		return live;
	}

	/** {@link #lock} for every subject of the tenant, in id order: for the tenant's end. The rows are not kept. */
	void lockAllOf(String tenantId) {
		jdbc.sql("select id from subject where tenant_id = ? order by id " + forUpdate()).param(tenantId).query(rs -> {
		});
	}

	/** A row of id, tenant_id, wrapped_key, erased_at. */
	private static Subject subject(java.sql.ResultSet rs, int n) throws java.sql.SQLException {
		return new Subject(rs.getObject(1, UUID.class), rs.getString(2), rs.getBytes(3), rs.getObject(4) != null);
	}

	/**
	 * On PostgreSQL the weaker row lock, which a foreign key's check (taken by an import batch inserting a record
	 * for the subject) does not wait for: the batch holds the tenant's erasure lock, which an erasure waits for
	 * while holding this one. H2's checks lock nothing.
	 */
	private String forUpdate() {
		return database.embedded() ? "for update" : "for no key update";
	}

	private static final String ADD_IDENTIFIER = "insert into subject_identifier (lookup, tenant_id, kind, blind_index, subject_id) "
			+ "values (?, ?, ?, ?, ?)";

	/**
	 * An identifier's key in its table: the first 8 bytes of its blind index. A blind index is a keyed PRF's output,
	 * so these are as random as the whole; on the embedded database the table's rows are kept under this key, and a
	 * look-up reads one B-tree (V60). The whole blind index, tenant and kind are compared all the same: two
	 * identifiers sharing the 8 bytes are two, and the second cannot be stored (its insert fails the key).
	 */
	static long lookup(byte[] blindIndex) {
		return java.nio.ByteBuffer.wrap(blindIndex, 0, Long.BYTES).getLong();
	}

	/** One statement for the look-up of one identifier and of an import batch's on the embedded database. */
	static final String FIND_BY_INDEX = "select subject_id from subject_identifier where lookup = ? and tenant_id = ? and kind = ? "
			+ "and blind_index = ?";

	List<UUID> findByIndex(String tenantId, String kind, byte[] index) {
		return jdbc.sql(FIND_BY_INDEX)
			.params(lookup(index), tenantId, kind, index)
			.query(UUID.class)
			.list();
	}

	void insert(UUID id, String tenantId, byte[] wrappedKey, Instant now) {
		jdbc.sql("insert into subject (id, tenant_id, wrapped_key, created_at) values (?, ?, ?, ?)")
			.params(id, tenantId, wrappedKey, utc(now))
			.update();
	}

	void addIdentifier(String tenantId, String kind, byte[] index, UUID subjectId) {
		jdbc.sql(ADD_IDENTIFIER).params(lookup(index), tenantId, kind, index, subjectId).update();
	}

	/** Destroys the subject's key and identifiers; the row stays as the mark that it was erased. */
	void erase(String tenantId, UUID id, Instant now) {
		jdbc.sql("delete from subject_identifier where tenant_id = ? and subject_id = ?").params(tenantId, id).update();
		jdbc.sql("update subject set wrapped_key = null, erased_at = ? where id = ? and tenant_id = ?")
			.params(utc(now), id, tenantId)
			.update();
		erasures.erased(tenantId);
	}

	/** The tenant's subjects among these ids, by id. */
	java.util.Map<UUID, Subject> findAll(String tenantId, java.util.Collection<UUID> ids) {
		var found = new java.util.HashMap<UUID, Subject>();
		if (!ids.isEmpty()) {
			// by the primary key alone, the tenant checked here: with "tenant_id = ? and id in (...)" H2 may walk the
			// tenant's whole index (InLists)
			for (var some : InLists.slices(List.copyOf(ids))) {
				jdbc.sql("select id, tenant_id, wrapped_key, erased_at from subject where id in (:ids)")
					.param("ids", some)
					.query(Subjects::subject)
					.list()
					.stream()
					.filter(subject -> subject.tenantId().equals(tenantId))
					.forEach(subject -> found.put(subject.id(), subject));
			}
		}
		return found;
	}

	/** {@link #erase} for many subjects at once; only the tenant's own are touched. */
	void eraseAll(String tenantId, java.util.Collection<UUID> ids, Instant now) {
		var all = List.copyOf(findAll(tenantId, ids.stream().filter(java.util.Objects::nonNull).toList()).keySet());
		if (all.isEmpty()) {
			return;
		}
		// by subject id alone (the index H2 can look a list up in); the ids were just checked to be the tenant's
		for (var some : InLists.slices(all)) {
			jdbc.sql("delete from subject_identifier where subject_id in (:ids)").param("ids", some).update();
			jdbc.sql("update subject set wrapped_key = null, erased_at = :now where id in (:ids)")
				.param("now", utc(now))
				.param("ids", some)
				.update();
		}
		erasures.erased(tenantId);
	}

	/** The identifiers under these keys, for a batch's look-up on PostgreSQL (a test checks its plan). */
	static final String FIND_BY_LOOKUPS = "select blind_index, subject_id, tenant_id, kind from subject_identifier "
			+ "where lookup in (:lookups)";

	/**
	 * The subjects these blind indexes of one kind name, by index (hex): one look-up for a whole import batch
	 * instead of one per line.
	 */
	java.util.Map<String, UUID> findByIndexes(String tenantId, String kind, java.util.Collection<byte[]> indexes) {
		var found = new java.util.HashMap<String, UUID>();
		if (indexes.isEmpty()) {
			return found;
		}
		if (database.embedded()) {
			// H2 runs in this process, so a point look-up costs no round trip; lists cost it more (see InLists), and
			// "blind_index = any(?)" or a plain IN after the two equalities read every identifier of the kind
			batch.execute((java.sql.Connection connection) -> {
				try (var select = connection.prepareStatement(FIND_BY_INDEX)) {
					select.setString(2, tenantId);
					select.setString(3, kind);
					for (byte[] index : indexes) {
						select.setLong(1, lookup(index));
						select.setBytes(4, index);
						try (var rs = select.executeQuery()) {
							if (rs.next()) {
								found.put(java.util.HexFormat.of().formatHex(index), rs.getObject(1, UUID.class));
							}
						}
					}
				}
				return null;
			});
			return found;
		}
		// by the primary key in slices, a round trip per slice, not per identifier; a row of another tenant or kind,
		// or another identifier sharing the key, is no match
		var wanted = new java.util.HashSet<String>();
		indexes.forEach(index -> wanted.add(java.util.HexFormat.of().formatHex(index)));
		for (var some : InLists.slices(List.copyOf(indexes))) {
			jdbc.sql(FIND_BY_LOOKUPS)
				.param("lookups", some.stream().map(Subjects::lookup).toList())
				.query((java.sql.ResultSet rs) -> {
					String index = java.util.HexFormat.of().formatHex(rs.getBytes(1));
					if (wanted.contains(index) && tenantId.equals(rs.getString(3)) && kind.equals(rs.getString(4))) {
						found.put(index, rs.getObject(2, UUID.class));
					}
				});
		}
		return found;
	}

	static OffsetDateTime utc(Instant instant) {
		return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
	}
}

package io.custodia.vault;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The vault's rows: files (sealed path, wrapped key, size) and each tenant's usage and limits. */
@Repository
class VaultFiles {

	private final JdbcClient jdbc;

	VaultFiles(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	record Row(UUID id, String tenantId, byte[] sealedPath, byte[] wrappedKey, long size, Instant createdAt, Instant updatedAt) {
	}

	record Usage(long usedBytes, long usedFiles, Long maxBytes, Long maxFiles) {
	}

	private static final String COLUMNS = "id, tenant_id, sealed_path, wrapped_key, plain_size, created_at, updated_at";

	void insert(Row row, byte[] pathIndex) {
		jdbc.sql("insert into vault_file (" + COLUMNS + ", path_index) values (?, ?, ?, ?, ?, ?, ?, ?)")
			.params(row.id(), row.tenantId(), row.sealedPath(), row.wrappedKey(), row.size(), time(row.createdAt()),
					time(row.updatedAt()), pathIndex)
			.update();
	}

	Optional<Row> find(String tenantId, UUID id) {
		return jdbc.sql("select " + COLUMNS + " from vault_file where tenant_id = ? and id = ?")
			.params(tenantId, id)
			.query(VaultFiles::row)
			.optional();
	}

	Optional<Row> findByPath(String tenantId, byte[] pathIndex) {
		return jdbc.sql("select " + COLUMNS + " from vault_file where tenant_id = ? and path_index = ?")
			.params(tenantId, pathIndex)
			.query(VaultFiles::row)
			.optional();
	}

	List<Row> all(String tenantId) {
		return jdbc.sql("select " + COLUMNS + " from vault_file where tenant_id = ? order by created_at, id")
			.param(tenantId)
			.query(VaultFiles::row)
			.list();
	}

	boolean move(String tenantId, UUID id, byte[] pathIndex, byte[] sealedPath, Instant at) {
		return jdbc.sql("update vault_file set path_index = ?, sealed_path = ?, updated_at = ? where tenant_id = ? and id = ?")
			.params(pathIndex, sealedPath, time(at), tenantId, id)
			.update() == 1;
	}

	/** Deletes the row and with it the file's wrapped key: the last way to the content. */
	boolean delete(String tenantId, UUID id) {
		return jdbc.sql("delete from vault_file where tenant_id = ? and id = ?").params(tenantId, id).update() == 1;
	}

	long[] countAndBytes(String tenantId) {
		return jdbc.sql("select count(*), coalesce(sum(plain_size), 0) from vault_file where tenant_id = ?")
			.param(tenantId)
			.query((rs, n) -> new long[] { rs.getLong(1), rs.getLong(2) })
			.single();
	}

	long deleteAll(String tenantId) {
		return jdbc.sql("delete from vault_file where tenant_id = ?").param(tenantId).update();
	}

	/** Creates the tenant's usage row if it has none; run in a transaction of its own (a duplicate is fine). */
	void ensureUsage(String tenantId) {
		if (usage(tenantId).isPresent()) {
			return;
		}
		try {
			jdbc.sql("insert into vault_usage (tenant_id, used_bytes, used_files) values (?, 0, 0)").param(tenantId).update();
		}
		catch (DuplicateKeyException ex) {
			// created meanwhile by a concurrent upload
		}
	}

	Optional<Usage> usage(String tenantId) {
		return jdbc.sql("select used_bytes, used_files, max_bytes, max_files from vault_usage where tenant_id = ?")
			.param(tenantId)
			.query(VaultFiles::usage)
			.optional();
	}

	/** The usage row, locked until the transaction ends: uploads of one tenant commit one at a time. */
	Usage lockUsage(String tenantId) {
		return jdbc.sql("select used_bytes, used_files, max_bytes, max_files from vault_usage where tenant_id = ? for update")
			.param(tenantId)
			.query(VaultFiles::usage)
			.single();
	}

	void addUsage(String tenantId, long bytes, long files) {
		jdbc.sql("update vault_usage set used_bytes = used_bytes + ?, used_files = used_files + ? where tenant_id = ?")
			.params(bytes, files, tenantId)
			.update();
	}

	void setLimits(String tenantId, Long maxBytes, Long maxFiles) {
		jdbc.sql("update vault_usage set max_bytes = ?, max_files = ? where tenant_id = ?")
			.params(maxBytes, maxFiles, tenantId)
			.update();
	}

	void deleteUsage(String tenantId) {
		jdbc.sql("delete from vault_usage where tenant_id = ?").param(tenantId).update();
	}

	private static Usage usage(ResultSet rs, int n) throws SQLException {
		long maxBytes = rs.getLong(3);
		Long bytes = rs.wasNull() ? null : maxBytes;
		long maxFiles = rs.getLong(4);
		Long files = rs.wasNull() ? null : maxFiles;
		return new Usage(rs.getLong(1), rs.getLong(2), bytes, files);
	}

	private static Row row(ResultSet rs, int n) throws SQLException {
		return new Row(rs.getObject(1, UUID.class), rs.getString(2), rs.getBytes(3), rs.getBytes(4), rs.getLong(5),
				rs.getObject(6, OffsetDateTime.class).toInstant(), rs.getObject(7, OffsetDateTime.class).toInstant());
	}

	static OffsetDateTime time(Instant instant) {
		return instant == null ? null : OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
	}
}

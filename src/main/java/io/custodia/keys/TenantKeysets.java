package io.custodia.keys;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The wrapped keysets of each tenant. */
@Repository
class TenantKeysets {

	record Wrapped(String tenantId, byte[] data, byte[] index, byte[] audit, long rootKeyId, boolean destroyed) {
	}

	private static final String COLUMNS = "tenant_id, data_keyset, index_keyset, audit_keyset, root_key_id, destroyed_at";

	private final JdbcClient jdbc;

	TenantKeysets(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	void insert(Wrapped keys, Instant now) {
		jdbc.sql("""
				insert into tenant_key (tenant_id, data_keyset, index_keyset, audit_keyset, root_key_id, created_at)
				values (?, ?, ?, ?, ?, ?)""")
			.params(keys.tenantId(), keys.data(), keys.index(), keys.audit(), keys.rootKeyId(), utc(now))
			.update();
	}

	Optional<Wrapped> find(String tenantId) {
		return jdbc.sql("select " + COLUMNS + " from tenant_key where tenant_id = ?")
			.param(tenantId)
			.query(TenantKeysets::wrapped)
			.optional();
	}

	/**
	 * The tenant's keysets, its row locked until the caller's transaction ends. A rotation reads the keysets, adds
	 * a key and writes them back: two at once (a root and a tenant rotation, or two tenant rotations) each wrote
	 * their own copy, and the later one dropped the key the other had added, with data already wrapped under it.
	 * Locked, the second waits and starts from what the first committed.
	 */
	Optional<Wrapped> findForUpdate(String tenantId) {
		return jdbc.sql("select " + COLUMNS + " from tenant_key where tenant_id = ? for update")
			.param(tenantId)
			.query(TenantKeysets::wrapped)
			.optional();
	}

	/** The keysets of every live tenant, each row locked as {@link #findForUpdate} does, in tenant order. */
	List<Wrapped> lockLive() {
		return jdbc.sql("select " + COLUMNS + " from tenant_key where destroyed_at is null order by tenant_id for update")
			.query(TenantKeysets::wrapped)
			.list();
	}

	void update(Wrapped keys, Instant now) {
		jdbc.sql("""
				update tenant_key set data_keyset = ?, index_keyset = ?, audit_keyset = ?, root_key_id = ?, rotated_at = ?
				where tenant_id = ? and destroyed_at is null""")
			.params(keys.data(), keys.index(), keys.audit(), keys.rootKeyId(), utc(now), keys.tenantId())
			.update();
	}

	/** Overwrites the keysets: once this commits, nothing of the tenant can be decrypted again. */
	void destroy(String tenantId, Instant now) {
		jdbc.sql("""
				update tenant_key set data_keyset = null, index_keyset = null, audit_keyset = null, destroyed_at = ?
				where tenant_id = ?""")
			.params(utc(now), tenantId)
			.update();
	}

	private static Wrapped wrapped(ResultSet rs, int n) throws SQLException {
		return new Wrapped(rs.getString(1), rs.getBytes(2), rs.getBytes(3), rs.getBytes(4), rs.getLong(5),
				rs.getObject(6) != null);
	}

	private static OffsetDateTime utc(Instant instant) {
		return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
	}
}

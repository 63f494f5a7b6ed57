package io.custodia.tenancy;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Tenants and their policy versions in the database. */
@Repository
class Tenants {

	private final JdbcClient jdbc;

	Tenants(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/** A policy version row: the stored text, not yet checked. */
	record StoredVersion(String tenantId, String tenantName, String version, LocalDate effective, String source,
			String sha256, Instant publishedAt) {
	}

	boolean exists(String id) {
		return jdbc.sql("select count(*) from tenant where id = ?").param(id).query(Integer.class).single() > 0;
	}

	void insert(Tenant tenant) {
		jdbc.sql("insert into tenant (id, name, created_at) values (?, ?, ?)")
			.params(tenant.id(), tenant.name(), OffsetDateTime.ofInstant(tenant.createdAt(), ZoneOffset.UTC))
			.update();
	}

	Optional<Tenant> find(String id) {
		return jdbc.sql("select id, name, created_at from tenant where id = ?")
			.param(id)
			.query((rs, n) -> new Tenant(rs.getString(1), rs.getString(2), instant(rs.getObject(3, OffsetDateTime.class))))
			.optional();
	}

	List<Tenant> all() {
		return jdbc.sql("select id, name, created_at from tenant order by id")
			.query((rs, n) -> new Tenant(rs.getString(1), rs.getString(2), instant(rs.getObject(3, OffsetDateTime.class))))
			.list();
	}

	boolean hasVersion(String tenantId, String version) {
		return jdbc.sql("select count(*) from policy_version where tenant_id = ? and version = ?")
			.params(tenantId, version)
			.query(Integer.class)
			.single() > 0;
	}

	void insertVersion(String tenantId, String version, LocalDate effective, String source, String sha256,
			Instant publishedAt) {
		jdbc.sql("""
				insert into policy_version (tenant_id, version, effective, source, source_sha256, published_at)
				values (?, ?, ?, ?, ?, ?)""")
			.params(tenantId, version, effective, source, sha256, OffsetDateTime.ofInstant(publishedAt, ZoneOffset.UTC))
			.update();
	}

	/** The version with the latest effective date on or before the day; ties go to the latest published. */
	Optional<StoredVersion> inEffect(String tenantId, LocalDate day) {
		return jdbc.sql("""
				select v.tenant_id, t.name, v.version, v.effective, v.source, v.source_sha256, v.published_at
				from policy_version v join tenant t on t.id = v.tenant_id
				where v.tenant_id = ? and v.effective <= ?
				order by v.effective desc, v.published_at desc
				fetch first 1 rows only""")
			.params(tenantId, day)
			.query(this::version)
			.optional();
	}

	/** Versions published to take effect after the day, soonest first. */
	List<StoredVersion> upcoming(String tenantId, LocalDate day) {
		return jdbc.sql("""
				select v.tenant_id, t.name, v.version, v.effective, v.source, v.source_sha256, v.published_at
				from policy_version v join tenant t on t.id = v.tenant_id
				where v.tenant_id = ? and v.effective > ?
				order by v.effective, v.published_at""")
			.params(tenantId, day)
			.query(this::version)
			.list();
	}

	private StoredVersion version(java.sql.ResultSet rs, int row) throws java.sql.SQLException {
		return new StoredVersion(rs.getString(1), rs.getString(2), rs.getString(3), rs.getObject(4, LocalDate.class),
				rs.getString(5), rs.getString(6), instant(rs.getObject(7, OffsetDateTime.class)));
	}

	private static Instant instant(OffsetDateTime value) {
		return value.toInstant();
	}

}

package io.custodia.vault;

import java.io.IOException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

import io.custodia.audit.AuditAction;
import io.custodia.audit.AuditEvent;
import io.custodia.audit.AuditTrail;
import io.custodia.keys.KeyManagement;

/**
 * Operator access to tenant content (R9). An operator asks for access to one folder (and what is below it) or one
 * file of one tenant, for a stated reason and time; the tenant's admin approves (possibly for less time), denies
 * or later revokes it. Only while a grant is approved and unexpired ({@link Clock}) may its operator list and read
 * the files in its scope; every listing and read is recorded in the tenant's audit trail and in the grant's read
 * log, which the tenant lists. Nothing else lets an operator key near a tenant's files.
 */
@Service
public class AccessGrants {

	static final int MAX_REASON = 500;

	private final JdbcClient jdbc;

	private final Vault vault;

	private final FileKeys keys;

	private final KeyManagement keyManagement;

	private final AuditTrail audit;

	private final Clock clock;

	private final VaultProperties properties;

	private final TransactionTemplate transaction;

	AccessGrants(JdbcClient jdbc, Vault vault, FileKeys keys, KeyManagement keyManagement, AuditTrail audit, Clock clock,
			VaultProperties properties, PlatformTransactionManager transactions) {
		this.jdbc = jdbc;
		this.vault = vault;
		this.keys = keys;
		this.keyManagement = keyManagement;
		this.audit = audit;
		this.clock = clock;
		this.properties = properties;
		this.transaction = new TransactionTemplate(transactions);
	}

	public enum Status {
		/** Asked for; the tenant has not decided. */
		PENDING,
		/** Approved and not yet expired: the operator may read. */
		APPROVED,
		DENIED,
		/** Approved, then withdrawn by the tenant before it expired. */
		REVOKED,
		/** Approved, and its time is over. */
		EXPIRED
	}

	/**
	 * A grant as the tenant and its operator see it. Scope: {@code fileId}, or {@code folder} with everything below.
	 */
	public record AccessGrant(UUID id, String tenantId, String operatorId, String operatorLabel, UUID fileId, String folder,
			String reason, long durationMinutes, Status status, Instant requestedAt, Instant decidedAt, String decidedBy,
			Instant expiresAt, Instant revokedAt) {
	}

	/** One listing or read an operator made under a grant. */
	public record OperatorRead(UUID id, UUID grantId, String operatorId, UUID fileId, String kind, String byteRange,
			Instant readAt) {
	}

	@Transactional
	public AccessGrant request(OperatorPrincipal operator, String tenantId, UUID fileId, String folder, String reason,
			long durationMinutes) {
		if ((fileId == null) == (folder == null || folder.isEmpty())) {
			throw new InvalidInputException("file_id", "and folder: give exactly one",
					"the id of one file, or one folder path (the grant covers everything below it)");
		}
		if (reason == null || reason.isBlank() || reason.length() > MAX_REASON) {
			throw new InvalidInputException("reason", "is missing or too long",
					"why access is needed (a ticket reference), 1 to " + MAX_REASON + " characters");
		}
		checkDuration("duration_minutes", durationMinutes);
		if (tenantId == null || !keyManagement.hasKeys(tenantId)) {
			throw new VaultNotFoundException("tenant");
		}
		String normalFolder = folder == null || folder.isEmpty() ? null : VaultPaths.folder("folder", folder);
		if (fileId != null) {
			vault.describe(tenantId, fileId);
		}
		UUID id = UUID.randomUUID();
		Instant now = now();
		jdbc.sql("""
				insert into vault_grant (id, tenant_id, operator_id, file_id, sealed_folder, sealed_reason, duration_seconds,
				                         status, requested_at)
				values (?, ?, ?, ?, ?, ?, ?, ?, ?)""")
			.params(id, tenantId, operator.operatorId(), fileId,
					normalFolder == null ? null : keys.seal(tenantId, "grant-folder", id, normalFolder),
					keys.seal(tenantId, "grant-reason", id, reason), durationMinutes * 60, Status.PENDING.name(), VaultFiles.time(now))
			.update();
		record(tenantId, operator.actor(), AuditAction.OPERATOR_ACCESS_REQUESTED, id, scopeDetails(fileId));
		return find(tenantId, id).orElseThrow();
	}

	/** The tenant's grants, newest first. */
	public List<AccessGrant> ofTenant(String tenantId) {
		return select("where g.tenant_id = ? order by g.requested_at desc, g.id", tenantId);
	}

	/** The operator's grants, newest first. */
	public List<AccessGrant> ofOperator(String operatorId) {
		return select("where g.operator_id = ? order by g.requested_at desc, g.id", operatorId);
	}

	public AccessGrant get(String tenantId, UUID grantId) {
		return find(tenantId, grantId).orElseThrow(() -> new VaultNotFoundException("grant"));
	}

	/**
	 * Approves a pending grant from now for its requested time, or for {@code minutes} when given (never more than
	 * was asked for).
	 */
	@Transactional
	public AccessGrant approve(String tenantId, UUID grantId, Long minutes, String actor) {
		AccessGrant grant = get(tenantId, grantId);
		requireStatus(grant, Status.PENDING, "approved");
		long granted = minutes == null ? grant.durationMinutes() : minutes;
		checkDuration("duration_minutes", granted);
		if (granted > grant.durationMinutes()) {
			throw new InvalidInputException("duration_minutes", "is more than the operator asked for",
					"at most the " + grant.durationMinutes() + " minutes asked for");
		}
		Instant now = now();
		decide(grant, Status.APPROVED, actor, now, now.plus(Duration.ofMinutes(granted)));
		record(tenantId, actor, AuditAction.OPERATOR_ACCESS_APPROVED, grantId,
				Map.of("operator_id", grant.operatorId(), "minutes", Long.toString(granted)));
		return get(tenantId, grantId);
	}

	@Transactional
	public AccessGrant deny(String tenantId, UUID grantId, String actor) {
		AccessGrant grant = get(tenantId, grantId);
		requireStatus(grant, Status.PENDING, "denied");
		decide(grant, Status.DENIED, actor, now(), null);
		record(tenantId, actor, AuditAction.OPERATOR_ACCESS_DENIED, grantId, Map.of("operator_id", grant.operatorId()));
		return get(tenantId, grantId);
	}

	/** Ends a pending or approved grant at once. */
	@Transactional
	public AccessGrant revoke(String tenantId, UUID grantId, String actor) {
		AccessGrant grant = get(tenantId, grantId);
		if (grant.status() != Status.PENDING && grant.status() != Status.APPROVED) {
			throw new GrantStateException("this grant is " + grant.status().name().toLowerCase() + " and cannot be revoked");
		}
		jdbc.sql("update vault_grant set status = ?, revoked_at = ?, decided_by = coalesce(decided_by, ?) where tenant_id = ? and id = ?")
			.params(Status.REVOKED.name(), VaultFiles.time(now()), actor, tenantId, grantId)
			.update();
		record(tenantId, actor, AuditAction.OPERATOR_ACCESS_REVOKED, grantId, Map.of("operator_id", grant.operatorId()));
		return get(tenantId, grantId);
	}

	/** The files an operator may see under the grant; the listing is recorded like a read. */
	@Transactional
	public Vault.Listing listFiles(OperatorPrincipal operator, UUID grantId) {
		AccessGrant grant = usable(operator, grantId);
		List<VaultFile> all = vault.list(grant.tenantId(), "/", true).files();
		List<VaultFile> visible = all.stream().filter(file -> inScope(grant, file)).toList();
		logRead(grant, operator, null, "LIST", null);
		return Vault.listing(grant.tenantId(), grant.folder() == null ? "/" : grant.folder(), true, visible);
	}

	/** Opens a file in the grant's scope for the operator and records the read first. */
	public Vault.Download open(OperatorPrincipal operator, UUID grantId, UUID fileId, String range) throws IOException {
		AccessGrant grant = usable(operator, grantId);
		VaultFile file;
		try {
			file = vault.describe(grant.tenantId(), fileId);
		}
		catch (VaultNotFoundException ex) {
			throw new VaultNotFoundException("file");
		}
		if (!inScope(grant, file)) {
			throw new VaultNotFoundException("file");
		}
		Vault.Download download = vault.openUnaudited(grant.tenantId(), fileId);
		try {
			logRead(grant, operator, fileId, "READ", range);
		}
		catch (RuntimeException ex) {
			download.close();
			throw ex;
		}
		return download;
	}

	/** The reads operators made in the tenant's vault, newest first; of one grant when given. */
	public List<OperatorRead> reads(String tenantId, UUID grantId, int limit) {
		if (grantId != null) {
			get(tenantId, grantId);
		}
		return jdbc.sql("select id, grant_id, operator_id, file_id, kind, byte_range, read_at from vault_operator_read"
				+ " where tenant_id = ?" + (grantId != null ? " and grant_id = ?" : "") + " order by seq desc limit ?")
			.params(grantId != null ? List.of(tenantId, grantId, limit) : List.of(tenantId, limit))
			.query((rs, n) -> new OperatorRead(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getString(3),
					rs.getObject(4, UUID.class), rs.getString(5), rs.getString(6), rs.getObject(7, OffsetDateTime.class).toInstant()))
			.list();
	}

	/** The read log row and the audit entry, in one transaction: both exist, or neither and no byte is served. */
	private void logRead(AccessGrant grant, OperatorPrincipal operator, UUID fileId, String kind, String range) {
		transaction.executeWithoutResult(status -> insertRead(grant, operator, fileId, kind, range));
	}

	private void insertRead(AccessGrant grant, OperatorPrincipal operator, UUID fileId, String kind, String range) {
		jdbc.sql("""
				insert into vault_operator_read (id, grant_id, tenant_id, operator_id, file_id, kind, byte_range, read_at)
				values (?, ?, ?, ?, ?, ?, ?, ?)""")
			.params(UUID.randomUUID(), grant.id(), grant.tenantId(), operator.operatorId(), fileId, kind, range,
					VaultFiles.time(now()))
			.update();
		var details = new HashMap<String, String>();
		details.put("kind", kind);
		if (fileId != null) {
			details.put("file_id", fileId.toString());
		}
		if (range != null) {
			details.put("range", range);
		}
		record(grant.tenantId(), operator.actor(), AuditAction.OPERATOR_READ, grant.id(), details);
	}

	/** The operator's grant, if it lets them read now: unknown or another operator's is not found. */
	private AccessGrant usable(OperatorPrincipal operator, UUID grantId) {
		AccessGrant grant = select("where g.id = ? and g.operator_id = ?", grantId, operator.operatorId()).stream()
			.findFirst()
			.orElseThrow(() -> new VaultNotFoundException("grant"));
		if (grant.status() != Status.APPROVED) {
			throw new GrantStateException("this grant is " + grant.status().name().toLowerCase()
					+ (grant.status() == Status.PENDING ? ": the tenant has not approved it yet" : ": it allows no reads"));
		}
		return grant;
	}

	private static boolean inScope(AccessGrant grant, VaultFile file) {
		return grant.fileId() != null ? grant.fileId().equals(file.id()) : VaultPaths.within(file.path(), grant.folder());
	}

	private void decide(AccessGrant grant, Status status, String actor, Instant at, Instant expiresAt) {
		jdbc.sql("update vault_grant set status = ?, decided_at = ?, decided_by = ?, expires_at = ? where tenant_id = ? and id = ?")
			.params(status.name(), VaultFiles.time(at), actor, VaultFiles.time(expiresAt), grant.tenantId(), grant.id())
			.update();
	}

	private static void requireStatus(AccessGrant grant, Status required, String act) {
		if (grant.status() != required) {
			throw new GrantStateException("this grant is " + grant.status().name().toLowerCase() + "; only a "
					+ required.name().toLowerCase() + " grant can be " + act);
		}
	}

	private void checkDuration(String field, long minutes) {
		long max = properties.maxGrant().toMinutes();
		if (minutes < 1 || minutes > max) {
			throw new InvalidInputException(field, "is out of range", "1 to " + max + " minutes (custodia.vault.max-grant)");
		}
	}

	private static Map<String, String> scopeDetails(UUID fileId) {
		return fileId == null ? Map.of("scope", "folder") : Map.of("scope", "file", "file_id", fileId.toString());
	}

	private void record(String tenantId, String actor, AuditAction action, UUID grantId, Map<String, String> details) {
		audit.record(new AuditEvent(tenantId, actor, action, null, null, "grant:" + grantId, details));
	}

	private Optional<AccessGrant> find(String tenantId, UUID grantId) {
		return select("where g.tenant_id = ? and g.id = ?", tenantId, grantId).stream().findFirst();
	}

	private List<AccessGrant> select(String where, Object... params) {
		Instant now = clock.instant();
		return jdbc.sql("""
				select g.id, g.tenant_id, g.operator_id, o.label, g.file_id, g.sealed_folder, g.sealed_reason, g.duration_seconds,
				       g.status, g.requested_at, g.decided_at, g.decided_by, g.expires_at, g.revoked_at
				from vault_grant g join vault_operator o on o.id = g.operator_id
				""" + where)
			.params(List.of(params))
			.query((rs, n) -> grant(rs, now))
			.list();
	}

	private AccessGrant grant(ResultSet rs, Instant now) throws SQLException {
		UUID id = rs.getObject(1, UUID.class);
		String tenantId = rs.getString(2);
		byte[] sealedFolder = rs.getBytes(6);
		Instant expiresAt = instant(rs, 13);
		Status status = Status.valueOf(rs.getString(9));
		if (status == Status.APPROVED && expiresAt != null && !now.isBefore(expiresAt)) {
			status = Status.EXPIRED;
		}
		return new AccessGrant(id, tenantId, rs.getString(3), rs.getString(4), rs.getObject(5, UUID.class),
				sealedFolder == null ? null : keys.open(tenantId, "grant-folder", id, sealedFolder),
				keys.open(tenantId, "grant-reason", id, rs.getBytes(7)), rs.getLong(8) / 60, status, instant(rs, 10),
				instant(rs, 11), rs.getString(12), expiresAt, instant(rs, 14));
	}

	private static Instant instant(ResultSet rs, int column) throws SQLException {
		OffsetDateTime time = rs.getObject(column, OffsetDateTime.class);
		return time == null ? null : time.toInstant();
	}

	private Instant now() {
		return clock.instant().truncatedTo(ChronoUnit.MICROS);
	}
}

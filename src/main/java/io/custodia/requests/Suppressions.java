package io.custodia.requests;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import io.custodia.audit.AuditAction;
import io.custodia.audit.AuditEvent;
import io.custodia.audit.AuditTrail;
import io.custodia.keys.KeyManagement;
import io.custodia.policy.Policy;
import io.custodia.tenancy.TenantManagement;

/**
 * Objections (R16) and the marketing suppression list (R15), keyed by blind indexes of the subject id and, where
 * known, of the e-mail address (the same index the store uses for e-mail identifiers, so an export keyed by
 * address can ask too). Every export or job for an activity asks {@link #isSuppressed} first.
 */
@Service
public class Suppressions {

	static final String MARKETING = "*marketing";

	private final JdbcClient jdbc;

	private final KeyManagement keys;

	private final TenantManagement tenants;

	private final AuditTrail audit;

	private final Clock clock;

	private final io.custodia.records.SubjectRights rights;

	Suppressions(JdbcClient jdbc, KeyManagement keys, TenantManagement tenants, AuditTrail audit, Clock clock,
			io.custodia.records.SubjectRights rights) {
		this.rights = rights;
		this.jdbc = jdbc;
		this.keys = keys;
		this.tenants = tenants;
		this.audit = audit;
		this.clock = clock;
	}

	/** Whether the subject may not be processed for this activity: suppressed for marketing or objected to. */
	@Transactional(readOnly = true)
	public boolean isSuppressed(String tenantId, UUID subjectId, String activity) {
		return matches(tenantId, subjectIndex(tenantId, subjectId), activity);
	}

	/** The same by e-mail address, for exports that know only the address. */
	@Transactional(readOnly = true)
	public boolean isEmailSuppressed(String tenantId, String email, String activity) {
		return matches(tenantId, keys.blindIndex(tenantId, "email", email.strip().toLowerCase(java.util.Locale.ROOT)), activity);
	}

	private boolean matches(String tenantId, byte[] index, String activity) {
		Policy policy = tenants.inEffect(tenantId).orElseThrow().policy();
		var declared = policy.activities().get(activity);
		if (declared == null) {
			throw new RequestProblem("activity", "the policy in effect declares no activity '" + activity + "'",
					java.util.List.copyOf(policy.activities().keySet()));
		}
		return jdbc.sql("select count(*) from suppression where tenant_id = ? and blind_index = ? and lifted_at is null and (activity = ? or activity = ?)")
			.params(tenantId, index, activity, declared.marketing() ? MARKETING : activity)
			.query(Integer.class)
			.single() > 0;
	}

	/**
	 * The export for a marketing activity: subjects with an active record under it, less everyone suppressed or
	 * objecting (restricted records are never in it either).
	 */
	@Transactional(readOnly = true)
	public java.util.List<UUID> marketingAudience(String tenantId, String activity) {
		Policy policy = tenants.inEffect(tenantId).orElseThrow().policy();
		var declared = policy.activities().get(activity);
		if (declared == null || !declared.marketing()) {
			throw new RequestProblem("activity", "'" + activity + "' is not a marketing activity of the policy in effect",
					policy.activities().entrySet().stream().filter(e -> e.getValue().marketing()).map(Map.Entry::getKey).toList());
		}
		return rights.subjectsWithRecordsIn(tenantId, java.util.List.of(activity))
			.stream()
			.filter(subject -> !isSuppressed(tenantId, subject, activity))
			.toList();
	}

	/** Adds the subject (and its address) to the marketing suppression list; absolute, never lifted here. */
	void suppressMarketing(String tenantId, UUID subjectId, String email, UUID requestId, String actor) {
		add(tenantId, "subject", subjectIndex(tenantId, subjectId), MARKETING, requestId);
		if (email != null) {
			add(tenantId, "email", keys.blindIndex(tenantId, "email", email), MARKETING, requestId);
		}
		audit.record(new AuditEvent(tenantId, actor, AuditAction.SUBJECT_SUPPRESSED, subjectId, null, "request:" + requestId,
				Map.of("list", "marketing")));
	}

	/** Records an objection to a legitimate-interest activity. */
	void object(String tenantId, UUID subjectId, String activity, UUID requestId, String actor) {
		add(tenantId, "subject", subjectIndex(tenantId, subjectId), activity, requestId);
		audit.record(new AuditEvent(tenantId, actor, AuditAction.OBJECTION_RECORDED, subjectId, null, "request:" + requestId,
				Map.of("activity", activity)));
	}

	/** Lifts an objection for which the DPO records compelling grounds; false when there is none to lift. */
	boolean compellingGrounds(String tenantId, UUID subjectId, String activity, String grounds, String actor) {
		int lifted = jdbc.sql("update suppression set lifted_at = ?, grounds = ? where tenant_id = ? and blind_index = ? and activity = ? and lifted_at is null")
			.params(OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC), grounds, tenantId, subjectIndex(tenantId, subjectId), activity)
			.update();
		if (lifted > 0) {
			audit.record(new AuditEvent(tenantId, actor, AuditAction.COMPELLING_GROUNDS_RECORDED, subjectId, null,
					grounds.length() > 500 ? grounds.substring(0, 500) : grounds, Map.of("activity", activity)));
		}
		return lifted > 0;
	}

	Optional<String> objectionOf(String tenantId, UUID subjectId, String activity) {
		return jdbc.sql("select activity from suppression where tenant_id = ? and blind_index = ? and activity = ? and lifted_at is null")
			.params(tenantId, subjectIndex(tenantId, subjectId), activity)
			.query(String.class)
			.optional();
	}

	private void add(String tenantId, String kind, byte[] index, String activity, UUID requestId) {
		int existing = jdbc.sql("select count(*) from suppression where tenant_id = ? and blind_index = ? and activity = ? and lifted_at is null")
			.params(tenantId, index, activity)
			.query(Integer.class)
			.single();
		if (existing == 0) {
			jdbc.sql("insert into suppression (id, tenant_id, kind, blind_index, activity, request_id, created_at) values (?, ?, ?, ?, ?, ?, ?)")
				.params(UUID.randomUUID(), tenantId, kind, index, activity, requestId, OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC))
				.update();
		}
	}

	private byte[] subjectIndex(String tenantId, UUID subjectId) {
		return keys.blindIndex(tenantId, "suppression-subject", subjectId.toString());
	}
}

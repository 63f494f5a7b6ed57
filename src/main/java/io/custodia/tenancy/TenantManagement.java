package io.custodia.tenancy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import io.custodia.audit.AuditAction;
import io.custodia.audit.AuditEvent;
import io.custodia.audit.AuditTrail;
import io.custodia.keys.KeyManagement;
import io.custodia.policy.Policies;
import io.custodia.policy.Policy;
import io.custodia.policy.PolicyDiff;
import io.custodia.policy.PolicyReport;

/** Creates tenants and publishes their policy versions; answers which version is in effect. */
@Service
public class TenantManagement {

	private static final Logger log = LoggerFactory.getLogger(TenantManagement.class);

	/** Tenant ids appear in URLs and file names: lower-case letters, digits and hyphens. */
	public static final Pattern TENANT_ID = Pattern.compile("^[a-z][a-z0-9-]{1,62}$");

	private final Tenants tenants;

	private final Clock clock;

	private final ApplicationEventPublisher events;

	private final com.github.benmanes.caffeine.cache.Cache<String, Optional<PublishedPolicy>> current = com.github.benmanes.caffeine.cache.Caffeine
		.newBuilder()
		.expireAfterWrite(java.time.Duration.ofSeconds(5))
		.build();

	/** Parsed policies by content hash: a version never changes once published. */
	private final Map<String, Policy> parsed = new ConcurrentHashMap<>();

	private final KeyManagement keys;

	private final AuditTrail audit;

	TenantManagement(Tenants tenants, KeyManagement keys, AuditTrail audit, Clock clock, ApplicationEventPublisher events) {
		this.tenants = tenants;
		this.audit = audit;
		this.keys = keys;
		this.clock = clock;
		this.events = events;
	}

	/** Creates a tenant with its first policy version, or fails without writing anything. */
	@Transactional
	public Tenant create(String id, String policyName, String policySource) {
		if (!TENANT_ID.matcher(id).matches()) {
			throw new IllegalArgumentException("tenant id '" + id
					+ "' is not allowed: use 2 to 63 lower-case letters, digits and hyphens, starting with a letter");
		}
		if (tenants.exists(id)) {
			throw new IllegalArgumentException("tenant '" + id + "' exists already");
		}
		Policy policy = check(policyName, policySource);
		var tenant = new Tenant(id, policy.controller().name(), clock.instant());
		tenants.insert(tenant);
		keys.createTenantKeys(id);
		audit.record(new AuditEvent(id, "system:tenancy", AuditAction.TENANT_CREATED, null, null, null,
				Map.of("name", policy.controller().name())));
		audit.record(new AuditEvent(id, "system:keys", AuditAction.KEY_CREATED, null, null, "tenant keys created",
				Map.of("keysets", "data,index,audit")));
		store(id, policy, policySource);
		return tenant;
	}

	/**
	 * Publishes a new version. A version that changes something material must take effect no sooner than the
	 * policy's change notice period from today, so that people hear of it first (R25).
	 */
	@Transactional
	public PublishedPolicy publish(String tenantId, String policyName, String policySource) {
		if (!tenants.exists(tenantId)) {
			throw new TenantNotFoundException(tenantId);
		}
		Policy policy = check(policyName, policySource);
		if (tenants.hasVersion(tenantId, policy.version())) {
			throw new IllegalArgumentException("version '" + policy.version() + "' of tenant '" + tenantId
					+ "' is published already; published versions never change, give the new one its own version");
		}
		LocalDate today = LocalDate.now(clock.withZone(ZoneId.of(policy.timeZone())));
		latest(tenantId).ifPresent(current -> {
			var changes = PolicyDiff.compare(current.policy(), policy);
			LocalDate earliest = today.plus(policy.changeNoticePeriod());
			if (PolicyDiff.anyMaterial(changes) && policy.effective().isBefore(earliest)) {
				throw new IllegalArgumentException("version " + policy.version() + " changes something material but takes effect on "
						+ policy.effective() + "; with a notice period of " + policy.changeNoticePeriod()
						+ " it can take effect on " + earliest + " at the earliest");
			}
		});
		return store(tenantId, policy, policySource);
	}

	public List<Tenant> all() {
		return tenants.all();
	}

	public Optional<Tenant> find(String tenantId) {
		return tenants.find(tenantId);
	}

	/**
	 * The version in effect today in the tenant's time zone. Remembered for a few seconds: every store and
	 * retention step asks, and a version published on another instance is seen within that time.
	 */
	public Optional<PublishedPolicy> inEffect(String tenantId) {
		return current.get(tenantId, this::latest);
	}

	/** Versions published that take effect later, soonest first: the changes being announced. */
	public List<PublishedPolicy> upcoming(String tenantId) {
		return latest(tenantId)
			.map(current -> tenants.upcoming(tenantId, today(current.policy())).stream().map(this::load).toList())
			.orElse(List.of());
	}

	private Optional<PublishedPolicy> latest(String tenantId) {
		// the tenant's time zone is in its policy; the first look-up uses UTC, which is exact except within a day
		var candidate = tenants.inEffect(tenantId, LocalDate.now(clock)).map(this::load);
		return candidate.flatMap(found -> {
			LocalDate local = today(found.policy());
			return local.equals(LocalDate.now(clock)) ? Optional.of(found) : tenants.inEffect(tenantId, local).map(this::load);
		});
	}

	private LocalDate today(Policy policy) {
		return LocalDate.now(clock.withZone(ZoneId.of(policy.timeZone())));
	}

	private PublishedPolicy store(String tenantId, Policy policy, String source) {
		String sha = sha256(source);
		Instant now = clock.instant();
		tenants.insertVersion(tenantId, policy.version(), policy.effective(), source, sha, now);
		audit.record(new AuditEvent(tenantId, "system:tenancy", AuditAction.POLICY_PUBLISHED, null, null, null,
				Map.of("version", policy.version(), "effective", policy.effective().toString(), "sha256", sha)));
		parsed.put(sha, policy);
		current.invalidate(tenantId);
		events.publishEvent(new PolicyPublished(tenantId, policy.version(), policy.effective()));
		return new PublishedPolicy(tenantId, policy.controller().name(), policy.version(), policy.effective(), now, sha, policy);
	}

	private PublishedPolicy load(Tenants.StoredVersion stored) {
		Policy policy = parsed.computeIfAbsent(stored.sha256(), sha -> published(stored));
		return new PublishedPolicy(stored.tenantId(), stored.tenantName(), stored.version(), stored.effective(),
				stored.publishedAt(), stored.sha256(), policy);
	}

	/**
	 * A stored version stays in effect when a check added in a later release of Custodia would refuse it: it was
	 * valid when published, and refusing it now would take its tenant's notice, records and requests down with it.
	 * The log says what to correct.
	 */
	private static Policy published(Tenants.StoredVersion stored) {
		PolicyReport report = Policies.parsePublished(stored.tenantId(), stored.source());
		Policy policy = report.orThrow();
		if (!report.errors().isEmpty()) {
			var first = report.errors().get(0);
			log.warn("Tenant {}: its published policy version {} fails {} check(s) added since it was published (first, "
					+ "line {}: {}). It stays in effect; publish a corrected version.", stored.tenantId(), stored.version(),
					report.errors().size(), first.line(), first.message());
		}
		return policy;
	}

	private static Policy check(String name, String source) {
		PolicyReport report = Policies.parse(name, source);
		return report.orThrow();
	}

	static String sha256(String text) {
		try {
			return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("every JVM has SHA-256", ex);
		}
	}
}

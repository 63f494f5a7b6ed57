package io.custodia.termination;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import io.custodia.audit.AuditAction;
import io.custodia.audit.AuditEvent;
import io.custodia.audit.AuditTrail;
import io.custodia.backup.Backups;
import io.custodia.backup.ErasureKind;
import io.custodia.backup.ErasureLedger;
import io.custodia.backup.ErasureReplay;
import io.custodia.backup.LedgerEntry;
import io.custodia.keys.KeyManagement;
import io.custodia.keys.ServiceKeys;
import io.custodia.records.TenantErasure;
import io.custodia.retention.LegalHolds;
import io.custodia.retention.TenantRetentionData;
import io.custodia.tenancy.ApiKeyRevocation;
import io.custodia.tenancy.TenantManagement;
import io.custodia.tenancy.TenantNotFoundException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Ends a tenant (R7) in one transaction: the ledger entry first (on disk before anything commits), then its
 * records and subjects, whatever other modules hold of it ({@link TenantDataEraser}), its API keys revoked, an
 * audit entry with the counts, and its keys destroyed, which makes every copy of its data in every backup
 * unreadable at once. Issues a signed deletion certificate saying what went, when, and when the last backup that
 * still holds ciphertext of it expires.
 */
@Service
public class TenantTermination implements ErasureReplay {

	private final TenantManagement tenants;

	private final TenantErasure store;

	private final List<TenantDataEraser> erasers;

	private final ApiKeyRevocation apiKeys;

	private final KeyManagement keys;

	private final ServiceKeys serviceKeys;

	private final AuditTrail audit;

	private final ErasureLedger ledger;

	private final Backups backups;

	private final Terminations terminations;

	private final Clock clock;

	private final LegalHolds legalHolds;

	private final TenantRetentionData retention;

	TenantTermination(TenantManagement tenants, TenantErasure store, List<TenantDataEraser> erasers, ApiKeyRevocation apiKeys,
			KeyManagement keys, ServiceKeys serviceKeys, AuditTrail audit, ErasureLedger ledger, Backups backups,
			Terminations terminations, Clock clock, LegalHolds legalHolds, TenantRetentionData retention) {
		this.legalHolds = legalHolds;
		this.retention = retention;
		this.tenants = tenants;
		this.store = store;
		this.erasers = erasers;
		this.apiKeys = apiKeys;
		this.keys = keys;
		this.serviceKeys = serviceKeys;
		this.audit = audit;
		this.ledger = ledger;
		this.backups = backups;
		this.terminations = terminations;
		this.clock = clock;
	}

	/**
	 * Terminates the tenant and returns its deletion certificate. Refused while a legal hold of the tenant is active
	 * (R5: a hold blocks erasure); release it first.
	 */
	@Transactional
	public DeletionCertificate terminate(String tenantId, String actor) {
		return terminate(tenantId, actor, false);
	}

	private DeletionCertificate terminate(String tenantId, String actor, boolean replay) {
		var tenant = tenants.find(tenantId).orElseThrow(() -> new TenantNotFoundException(tenantId));
		// the key row first, before any lock the erasure or an audit entry takes (KeyManagement.lockTenantKeys says why)
		if (!keys.lockTenantKeys(tenantId)) {
			throw new TenantAlreadyTerminatedException(tenantId);
		}
		int holds = legalHolds.active(tenantId).size();
		if (holds == 0) {
			// counted again under the locks the erasure takes: a hold placed meanwhile is counted or comes after (a
			// tenant with holds is refused before it locks every subject; a replay's erasure takes them itself)
			store.lock(tenantId);
			holds = legalHolds.active(tenantId).size();
		}
		if (holds > 0 && !replay) {
			// a replay is of a termination that happened: a hold the restore brought back was released before it
			throw new TerminationRefusedException("tenant " + tenantId + " has " + holds + " active legal hold(s); a hold blocks "
					+ "erasure: release them (DELETE /api/v1/holds/{id}) when the obligation ends, then terminate");
		}
		LedgerEntry entry = ledger.append(ErasureKind.TENANT_TERMINATED, tenantId, null, null);
		Instant now = clock.instant();
		var deleted = new LinkedHashMap<String, Long>();
		var fromStore = store.eraseAllOf(tenantId);
		deleted.put("subjects", fromStore.subjects());
		deleted.put("records", fromStore.records());
		deleted.put("legal_holds", retention.eraseAllOf(tenantId));
		for (TenantDataEraser eraser : erasers) {
			deleted.merge(eraser.what(), eraser.eraseAllOf(tenantId), Long::sum);
		}
		long revoked = apiKeys.revokeAll(tenantId, now);
		var details = new TreeMap<String, String>();
		deleted.forEach((what, count) -> details.put(what + "_deleted", Long.toString(count)));
		details.put("api_keys_revoked", Long.toString(revoked));
		audit.record(new AuditEvent(tenantId, actor, AuditAction.TENANT_TERMINATED, null, null, "tenant terminated", details));
		keys.destroyTenantKeys(tenantId);
		var live = backups.live();
		var payload = new LinkedHashMap<String, Object>();
		payload.put("type", "custodia-deletion-certificate");
		payload.put("version", 1);
		payload.put("certificate_id", UUID.randomUUID().toString());
		payload.put("tenant", tenantId);
		payload.put("organisation", tenant.name());
		payload.put("terminated_at", now.toString());
		payload.put("deleted", deleted);
		payload.put("api_keys_revoked", revoked);
		payload.put("keys_destroyed", List.of("data", "index", "audit"));
		payload.put("backups_holding_ciphertext", live.size());
		String lastExpiry = live.isEmpty() ? null : live.get(0).expiresAt().toString();
		payload.put("last_backup_expires_at", lastExpiry);
		payload.put("ledger_entry", entry == null ? null : entry.sequence());
		payload.put("statement", "What is counted under 'deleted' of tenant " + tenantId + " was deleted at " + now
				+ ", and the tenant's keys were destroyed. "
				+ (lastExpiry == null ? "No backup holds its data."
						: live.size() + " backup(s) still hold its data, encrypted under the destroyed keys and unreadable; the last of them expires, its own key destroyed, at "
								+ lastExpiry + "."));
		payload.put("issued_by", "custodia");
		var certificate = sign(JsonMapper.shared().writeValueAsString(payload));
		terminations.insert(tenantId, now, certificate.toJson());
		return certificate;
	}

	/** The certificate issued when the tenant was terminated, if it was. */
	@Transactional(readOnly = true)
	public Optional<DeletionCertificate> certificate(String tenantId) {
		return terminations.certificate(tenantId).map(DeletionCertificate::parse);
	}

	/** The public keyset that verifies certificates (Tink JSON). */
	public String publicKeyset() {
		return serviceKeys.certificatePublicKeyset();
	}

	@Override
	public ErasureKind kind() {
		return ErasureKind.TENANT_TERMINATED;
	}

	/** Terminates the tenant again if a restore brought it back; a new certificate is issued for it. */
	@Override
	@Transactional
	public boolean replay(LedgerEntry entry) {
		if (tenants.find(entry.tenantId()).isEmpty() || !keys.hasKeys(entry.tenantId())) {
			return false;
		}
		terminate(entry.tenantId(), "system:erasure-ledger", true);
		return true;
	}

	private DeletionCertificate sign(String payload) {
		try {
			byte[] signature = serviceKeys.certificateSigner().sign(payload.getBytes(StandardCharsets.UTF_8));
			return new DeletionCertificate(payload, Base64.getEncoder().encodeToString(signature), DeletionCertificate.ALGORITHM);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("cannot sign the deletion certificate", ex);
		}
	}
}

package io.custodia.keys;

import org.springframework.stereotype.Component;

import io.custodia.audit.AuditKeys;

/** The audit trail's chain is sealed with each tenant's own audit key, which lives and dies with the tenant. */
@Component
class TenantAuditKeys implements AuditKeys {

	private final KeyManagement keys;

	private final TenantKeysets store;

	TenantAuditKeys(KeyManagement keys, TenantKeysets store) {
		this.keys = keys;
		this.store = store;
	}

	@Override
	public byte[] computeMac(String tenantId, byte[] data) {
		return keys.auditMac(tenantId, data);
	}

	@Override
	public boolean verifyMac(String tenantId, byte[] mac, byte[] data) {
		return keys.verifyAuditMac(tenantId, mac, data);
	}

	/** A destroyed tenant's row stays, its keysets overwritten, as the record that it had keys. */
	@Override
	public boolean issued(String tenantId) {
		return store.find(tenantId).isPresent();
	}
}

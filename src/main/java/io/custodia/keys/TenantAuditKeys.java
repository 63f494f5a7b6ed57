package io.custodia.keys;

import org.springframework.stereotype.Component;

import io.custodia.audit.AuditKeys;

/** The audit trail's chain is sealed with each tenant's own audit key, which lives and dies with the tenant. */
@Component
class TenantAuditKeys implements AuditKeys {

	private final KeyManagement keys;

	TenantAuditKeys(KeyManagement keys) {
		this.keys = keys;
	}

	@Override
	public byte[] computeMac(String tenantId, byte[] data) {
		return keys.auditMac(tenantId, data);
	}

	@Override
	public boolean verifyMac(String tenantId, byte[] mac, byte[] data) {
		return keys.verifyAuditMac(tenantId, mac, data);
	}
}

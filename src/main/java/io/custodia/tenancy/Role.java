package io.custodia.tenancy;

/** What an API key may do within its tenant. */
public enum Role {

	/** Everything of the tenant, including keys, policy versions and API keys. */
	TENANT_ADMIN,
	/** The privacy officer: everything on personal data, holds and the audit trail. */
	DPO,
	/** An application: stores, reads and updates personal data, records lifecycle facts. */
	APPLICATION,
	/** Reads only. */
	READ_ONLY;

	public String authority() {
		return "ROLE_" + name();
	}
}

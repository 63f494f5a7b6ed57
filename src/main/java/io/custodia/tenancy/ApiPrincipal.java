package io.custodia.tenancy;

/** Who calls: an API key of one tenant with one role. Audit entries name the key id, never the secret. */
public record ApiPrincipal(String keyId, String tenantId, Role role) {

	public String actor() {
		return "api-key:" + keyId;
	}
}

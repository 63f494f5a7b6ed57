package io.custodia.vault;

/** A member of the hosting provider's staff, by operator key; never a tenant's caller. */
public record OperatorPrincipal(String operatorId, String label) {

	public String actor() {
		return "operator:" + operatorId;
	}
}

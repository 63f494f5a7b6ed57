package io.custodia.termination;

/**
 * A module that holds data of a tenant deletes all of it when the tenant is terminated (the vault its files, for
 * example). Runs inside the terminating transaction, before the tenant's keys are destroyed.
 */
public interface TenantDataEraser {

	/** What it deletes, as named in the deletion certificate ("files"). */
	String what();

	/** Deletes everything of the tenant it holds; returns how many items went. */
	long eraseAllOf(String tenantId);
}

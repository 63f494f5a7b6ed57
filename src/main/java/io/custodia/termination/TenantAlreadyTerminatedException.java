package io.custodia.termination;

/** The tenant's keys are destroyed already: it was terminated before. */
public class TenantAlreadyTerminatedException extends RuntimeException {

	public TenantAlreadyTerminatedException(String tenantId) {
		super("tenant '" + tenantId + "' is terminated already; its keys are destroyed");
	}
}

package io.custodia.tenancy;

/** No tenant has this id, or the caller may not know it exists; both answer the same. */
public class TenantNotFoundException extends RuntimeException {

	public TenantNotFoundException(String tenantId) {
		super("no tenant '" + tenantId + "'");
	}
}

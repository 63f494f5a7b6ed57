/**
 * Public pages: each tenant's notice at a stable URL per language, and the index of tenants. Reads tenants
 * and their policies through {@link io.custodia.tenancy.TenantManagement}; renders with the notice module.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Web")
package io.custodia.web;

/**
 * Public pages: each tenant's notice at a stable URL per language, and the index of tenants. Reads tenants
 * and their policies through {@link io.custodia.tenancy.TenantManagement}; renders with the notice module. Also
 * the one answer every API shares: a request the database refused is answered as problem+json without its message, and one that lost a lock conflict 503 with Retry-After
 * ({@code DatabaseProblems}); any other fault nothing answered is a 500 problem+json with a reference
 * ({@code UnexpectedProblems}).
 */
@org.springframework.modulith.ApplicationModule(displayName = "Web")
package io.custodia.web;

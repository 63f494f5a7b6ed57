/**
 * Tenants: the organisations Custodia serves, each with its own versioned policy. Publishing a version
 * goes through the policy checks; the version in effect on a day is the one with the latest effective
 * date not after it. Other modules ask {@link io.custodia.tenancy.TenantManagement} and listen for
 * {@link io.custodia.tenancy.PolicyPublished}.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Tenancy")
package io.custodia.tenancy;

/**
 * A tenant's end (R7): its data and files deleted, its keys destroyed (so every backup copy is unreadable at once),
 * an entry in the erasure ledger, and a deletion certificate signed with the service's Ed25519 key that anyone can
 * verify offline. Other modules that hold tenant data plug in with {@link io.custodia.termination.TenantDataEraser}.
 * Refused while a legal hold of the tenant is active. May use tenancy, keys, records, retention (legal holds), audit and backup (the ledger, which backups still hold the tenant's ciphertext).
 */
@org.springframework.modulith.ApplicationModule(displayName = "Tenant termination")
package io.custodia.termination;

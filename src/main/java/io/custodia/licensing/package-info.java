/**
 * The licensing service: entitlements per tenant (product, seats, validity) and floating licences. A client checks
 * a seat out and gets a lease, renews it by heartbeat within the lease time, and checks it in; leases not renewed
 * are released lazily at the next checkout and by a scheduled sweep. Taking a seat is a conditional update of a
 * free seat row, so exactly one of many racing clients gets the last seat. Leases come as tokens signed with the
 * tenant's Ed25519 key (Tink), verifiable offline with the published public keyset. Licence usage goes into the
 * activity log as product-start and product-end events (pseudonymised there); the holder's user and host names
 * are kept sealed with the tenant key only while the lease lasts. Uses activity, keys, tenancy and audit.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Licensing")
package io.custodia.licensing;

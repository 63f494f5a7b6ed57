/**
 * The key hierarchy (Google Tink for every primitive): a root key outside the data directory wraps each
 * tenant's keysets; a tenant's data keyset wraps a random key per subject; the tenant's index key makes blind
 * indexes of identifiers, and its audit key chains the audit trail. Destroying a subject's wrapped key
 * makes every copy of its data unreadable, backups included (crypto-shredding). Subject keys are random,
 * never derived: a derived key cannot be destroyed.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Keys")
package io.custodia.keys;

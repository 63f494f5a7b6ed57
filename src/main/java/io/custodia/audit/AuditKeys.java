package io.custodia.audit;

/**
 * The keyed MAC that seals each tenant's audit chain. A bare hash could be recomputed by anyone who can write the
 * database, after editing an entry; a MAC can only be computed with the key, which lives outside the database.
 * <p>
 * The keys module provides the production bean (Google Tink, a MAC key per tenant); this module provides none, so
 * {@link AuditTrail} refuses to record or verify until one exists. Rotating the key must keep old entries
 * verifiable: a Tink keyset keeps the old keys for verification and tells them apart by the MAC's prefix.
 */
public interface AuditKeys {

	/** The MAC of {@code data} under the tenant's current audit key. */
	byte[] computeMac(String tenantId, byte[] data);

	/** Whether {@code mac} is a MAC of {@code data} under one of the tenant's audit keys. */
	boolean verifyMac(String tenantId, byte[] mac, byte[] data);

	/**
	 * Whether the tenant was ever given an audit key, including one destroyed since. Such a tenant's chain began
	 * when it was created (the key and the first entry commit together), so it must have one: a tenant with a key
	 * and no chain lost it.
	 */
	boolean issued(String tenantId);
}

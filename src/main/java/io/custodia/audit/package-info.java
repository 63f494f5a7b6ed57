/**
 * Audit: the tamper-evident trail of what happened to personal data and keys. It owns the per-tenant hash
 * chain of {@link io.custodia.audit.AuditEntry entries} (who did what to which subject or record, why, and when),
 * appending to it in the caller's transaction ({@link io.custodia.audit.AuditTrail#record}), reading it, and
 * verifying that no entry was edited, removed or reordered and none cut from the end, whose record is sealed too
 * ({@link io.custodia.audit.AuditTrail#verify}).
 * Entries are keyed MACs computed by {@link io.custodia.audit.AuditKeys}, which the keys module provides; the
 * trail holds ids, rule and hold references and counts, never plaintext personal data. It depends on no other
 * Custodia module, so that every module can record into it and it outlives the tenants it records.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Audit")
package io.custodia.audit;

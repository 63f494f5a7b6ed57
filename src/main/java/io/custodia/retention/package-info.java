/**
 * Retention (R2, R3, R5): every record's rule is found from its activity's rules and lifecycle facts, its
 * due date counted in calendar terms in the tenant's time zone, and the action (delete, de-identify, review)
 * taken on the due day, unless a legal hold covers the record. Runs daily through a cluster-safe scheduler,
 * and on demand; a dry run as of a future date forecasts what falls due.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Retention")
package io.custodia.retention;

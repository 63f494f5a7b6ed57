/**
 * The durable outbox: e-mails and signed webhooks written in the same transaction as the change they announce,
 * delivered afterwards by a cluster-safe poller (ShedLock) or on demand, retried with backoff (time from the
 * injected clock), idempotent for the receiver (a message id / Idempotency-Key), and parked on a dead-letter
 * list after too many failures. Webhook endpoints per recipient of the tenant's policy and the tenant's
 * webhook signing key (HMAC-SHA256 through Tink's Mac) live here. May use keys and audit; knows nothing of
 * what the messages are about.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Outbox (mail, webhooks)")
package io.custodia.outbox;

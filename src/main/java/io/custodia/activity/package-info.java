/**
 * The pseudonymised activity log (R10): login, logout, product-start and product-end events whose user names,
 * IP addresses, host names and MAC addresses are replaced at ingest by keyed pseudonyms (a Tink HMAC-SHA256 PRF
 * keyset per tenant and calendar month, wrapped by the tenant key), so that the same person keeps one pseudonym
 * within a month and gets another in the next. Support finds a user's events by entering the user name (audited);
 * the DPO confirms whether a pseudonym belongs to a candidate value (audited); billing reads usage per product and
 * month from pseudonyms only. Events are stored per ingested batch and month as segments ({@link
 * io.custodia.activity.EventSegment}: compact binary events with raw pseudonyms and a Bloom filter of the user
 * pseudonyms, so a look-up reads only the segments that may hold the user). When the log retention of the tenant's
 * policy ends, events lose their pseudonyms and the month's key is destroyed, unless a legal hold on the log's
 * activity keeps it. Uses the keys (tenant AEAD), tenancy (policy, time zone), audit and retention (legal holds)
 * modules.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Activity log")
package io.custodia.activity;

/**
 * Data-subject requests (R15–R21, R17 deadlines, R25 announcements): intake through the API and the command
 * line, identity verification by an e-mailed one-time code (or a method staff record with a reason), the
 * one-month deadline with reasoned extensions, and fulfilment of each right: access and portability packages
 * (zip of JSON with a published schema and CSV, expiring download), rectification, erasure with exceptions
 * for legal holds and legal obligations, restriction, objection (with the marketing suppression list) and
 * consent withdrawal (published as {@link io.custodia.requests.ConsentWithdrawalRequested} for the consent
 * ledger). Recipients are told through the outbox's signed webhooks (Art. 19). Uses records, retention
 * (legal holds), tenancy, keys, audit, policy and outbox.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Data-subject requests")
package io.custodia.requests;

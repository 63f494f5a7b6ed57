/**
 * The consent ledger (R14, R15 for the Global Privacy Control signal, R22): append-only receipts of consents
 * given, withdrawn and objected to, for a subject of the store or an anonymous visitor, each naming the
 * notice version and the SHA-256 of the notice text shown; withdrawal in one call, which erases the data held
 * only on that consent; the age of consent with parental consent; the ledger as evidence. Uses policy (which
 * purposes rest on consent), notice (the text shown), tenancy (the policy in effect, API keys), keys (blind
 * indexes, the tenant key), records (the subject's records, erasure, a check before storing), retention
 * (legal holds) and audit; it answers the requests module's consent withdrawals and fills the consents section of
 * access packages.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Consent ledger")
package io.custodia.consent;

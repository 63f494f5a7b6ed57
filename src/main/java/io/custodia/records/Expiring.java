package io.custodia.records;

import java.util.UUID;

/** A record whose retention ends, what to do with it, and why (the rule, for the audit). */
public record Expiring(UUID recordId, ExpiryAction action, String reason) {
}

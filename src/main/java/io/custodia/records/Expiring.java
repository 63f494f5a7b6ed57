package io.custodia.records;

import java.util.UUID;

/**
 * A record whose retention ends, what to do with it, and why (the rule, for the audit). {@code erasurePending}: a
 * record an erasure kept restricted until now (PendingErasures), acted on although restricted.
 */
public record Expiring(UUID recordId, ExpiryAction action, String reason, boolean erasurePending) {

	public Expiring(UUID recordId, ExpiryAction action, String reason) {
		this(recordId, action, reason, false);
	}
}

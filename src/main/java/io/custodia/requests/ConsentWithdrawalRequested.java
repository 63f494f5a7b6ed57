package io.custodia.requests;

import java.util.List;
import java.util.UUID;

/**
 * A verified subject asked to withdraw consent for these purposes (activity ids of the policy; empty means every
 * consent). Published in the transaction that completes the request; the consent ledger acts on it.
 */
public record ConsentWithdrawalRequested(String tenantId, UUID requestId, UUID subjectId, List<String> purposes) {
}

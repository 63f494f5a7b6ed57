package io.custodia.consent;

import java.util.UUID;

import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import io.custodia.requests.AccessPackageSection;
import io.custodia.requests.ConsentWithdrawalRequested;

/**
 * Where the ledger meets data-subject requests: a verified request to withdraw consent withdraws it, and a
 * subject's access package shows the subject's consent receipts. The requests module knows nothing of consent;
 * it publishes the request and asks for sections.
 */
@Component
class ConsentRequests implements AccessPackageSection {

	private final ConsentLedger ledger;

	ConsentRequests(ConsentLedger ledger) {
		this.ledger = ledger;
	}

	/**
	 * In the transaction that completes the request (a synchronous listener, not an after-commit one): the request
	 * is completed exactly when the consent is withdrawn and the data held only on it erased.
	 */
	@EventListener
	void on(ConsentWithdrawalRequested request) {
		ledger.withdraw(request.tenantId(), request.subjectId(), request.purposes(), "request:" + request.requestId(),
				"system:requests");
	}

	@Override
	public String name() {
		return "consents";
	}

	@Override
	public Object content(String tenantId, UUID subjectId) {
		return ledger.receiptsOf(tenantId, subjectId);
	}
}

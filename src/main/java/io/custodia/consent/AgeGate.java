package io.custodia.consent;

import java.util.List;
import java.util.UUID;

import org.springframework.stereotype.Component;

import io.custodia.policy.Policy;
import io.custodia.policy.Policy.LegalBasis;
import io.custodia.records.PolicyViolationException;
import io.custodia.records.RecordAdmission;

/**
 * R22 at the door of the store: consent-based data of a subject known to be under the tenant's age of consent
 * is refused unless a parent consented to that purpose. Data of other bases is not this check's business.
 */
@Component
class AgeGate implements RecordAdmission {

	private final ConsentLedger ledger;

	AgeGate(ConsentLedger ledger) {
		this.ledger = ledger;
	}

	@Override
	public void admit(String tenantId, UUID subjectId, String activityId, Policy.Activity activity) {
		if (activity.legalBasis() != LegalBasis.CONSENT) {
			return;
		}
		Policy policy = ledger.policy(tenantId);
		if (!ledger.admits(tenantId, subjectId, activityId, policy)) {
			throw new PolicyViolationException("activity", "the subject is under this tenant's age of consent ("
					+ ledger.ageOfConsent(policy) + ") and no parental consent to '" + activityId + "' is recorded",
					List.of("record a parent's consent first: POST /api/v1/consents with given_by parent"));
		}
	}
}

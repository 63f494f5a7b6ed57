package io.custodia.records;

import java.util.UUID;

import io.custodia.policy.Policy;

/**
 * A check another module adds to storing a record, after the policy gate has let it in: e.g. the consent
 * module refuses consent-based data of a child without parental consent (R22). Implementations are beans;
 * the store asks each of them, in the storing transaction, and a {@link PolicyViolationException} refuses
 * the record. The store does not know who checks what, so the modules stay apart.
 */
public interface RecordAdmission {

	/** Throws {@link PolicyViolationException} to refuse storing a record of this activity for this subject. */
	void admit(String tenantId, UUID subjectId, String activityId, Policy.Activity activity);
}

package io.custodia.retention;

import java.util.UUID;

import org.springframework.stereotype.Component;

/** What retention tells the audit trail: holds placed and released, and records a hold kept. */
@Component
class RetentionAudit {

	void holdPlaced(String tenantId, String actor, LegalHold hold) {
	}

	void holdReleased(String tenantId, String actor, LegalHold hold) {
	}

	void heldBack(String tenantId, String actor, UUID subjectId, UUID recordId, LegalHold hold, String ruleId) {
	}

	void queuedForReview(String tenantId, String actor, UUID subjectId, UUID recordId, String ruleId) {
	}
}

package io.custodia.retention;

import java.util.Map;
import java.util.UUID;

import org.springframework.stereotype.Component;

import io.custodia.audit.AuditAction;
import io.custodia.audit.AuditEvent;
import io.custodia.audit.AuditTrail;

/** What retention tells the audit trail: holds placed and released, records a hold kept, reviews queued. */
@Component
class RetentionAudit {

	private final AuditTrail trail;

	RetentionAudit(AuditTrail trail) {
		this.trail = trail;
	}

	void holdPlaced(String tenantId, String actor, LegalHold hold) {
		trail.record(new AuditEvent(tenantId, actor, AuditAction.HOLD_PLACED, subject(hold), record(hold),
				"hold:" + hold.reference(), details(hold)));
	}

	void holdReleased(String tenantId, String actor, LegalHold hold) {
		trail.record(new AuditEvent(tenantId, actor, AuditAction.HOLD_RELEASED, subject(hold), record(hold),
				"hold:" + hold.reference(), details(hold)));
	}

	void heldBack(String tenantId, String actor, UUID subjectId, UUID recordId, LegalHold hold, String ruleId) {
		trail.record(new AuditEvent(tenantId, actor, AuditAction.HOLD_BLOCKED, subjectId, recordId, "hold:" + hold.reference(),
				Map.of("rule", ruleId, "hold_id", hold.id().toString())));
	}

	/** An act other than a retention rule (e.g. {@code erasure}) that a hold kept from a record. */
	void heldBack(String tenantId, String actor, UUID subjectId, UUID recordId, UUID holdId, String reference, String act) {
		trail.record(new AuditEvent(tenantId, actor, AuditAction.HOLD_BLOCKED, subjectId, recordId, "hold:" + reference,
				Map.of("blocked", act, "hold_id", holdId.toString())));
	}

	void queuedForReview(String tenantId, String actor, UUID subjectId, UUID recordId, String ruleId) {
		trail.record(new AuditEvent(tenantId, actor, AuditAction.RECORD_REVIEW_QUEUED, subjectId, recordId, "rule:" + ruleId,
				Map.of()));
	}

	private static Map<String, String> details(LegalHold hold) {
		return Map.of("hold_id", hold.id().toString(), "scope", hold.scope().name().toLowerCase(java.util.Locale.ROOT),
				"review_date", hold.reviewDate().toString());
	}

	private static UUID subject(LegalHold hold) {
		return hold.scope() == HoldScope.SUBJECT ? UUID.fromString(hold.scopeId()) : null;
	}

	private static UUID record(LegalHold hold) {
		return hold.scope() == HoldScope.RECORD ? UUID.fromString(hold.scopeId()) : null;
	}
}

package io.custodia.records;

import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.springframework.stereotype.Component;

/**
 * What the store tells the audit trail: who did what to which subject or record, and why. Only ids, names of
 * activities, categories and fields, and counts: never a value.
 */
@Component
class Auditing {

	void subjectCreated(String tenantId, String actor, UUID subjectId, Set<String> identifierKinds) {
	}

	void recordStored(String tenantId, String actor, UUID subjectId, UUID recordId, String activity, String category,
			Set<String> fields) {
	}

	void recordRead(String tenantId, String actor, UUID subjectId, UUID recordId) {
	}

	void recordRectified(String tenantId, String actor, UUID subjectId, UUID recordId, Set<String> fields) {
	}

	void factsRecorded(String tenantId, String actor, UUID subjectId, UUID recordId, Map<String, String> facts) {
	}

	void restricted(String tenantId, String actor, UUID subjectId, UUID recordId, String reason, boolean restricted) {
	}

	void expired(String tenantId, String actor, UUID subjectId, UUID recordId, String reason, boolean deidentified) {
	}

	void subjectErased(String tenantId, String actor, UUID subjectId, String reason, int records) {
	}
}

package io.custodia.audit;

/**
 * What an audit entry records. The names are stored as text and covered by the entry's MAC, so they are part of
 * the chain's format: add new ones, never rename one.
 */
public enum AuditAction {

	TENANT_CREATED, POLICY_PUBLISHED, API_KEY_ISSUED, API_KEY_REVOKED,

	KEY_CREATED, KEY_ROTATED, KEY_DESTROYED,

	SUBJECT_CREATED, SUBJECT_ERASED,

	RECORD_STORED, RECORD_READ, RECORD_RECTIFIED, RECORD_RESTRICTED, RECORD_UNRESTRICTED, RECORD_FACT_RECORDED,
	RECORD_DELETED, RECORD_DEIDENTIFIED, RECORD_REVIEW_QUEUED,

	HOLD_PLACED, HOLD_RELEASED, HOLD_BLOCKED,
	TENANT_TERMINATED

}

package io.custodia.records;

import java.util.Map;

/**
 * Personal data to store under one activity and category of the policy.
 *
 * @param clientRecordId the caller's own id, which makes storing idempotent; optional
 * @param facts lifecycle facts: dates (ISO) for the activity's clocks, values for its states
 */
public record NewRecord(String activity, String category, Map<String, Object> fields, Map<String, String> facts,
		String clientRecordId) {

	public NewRecord {
		fields = fields == null ? Map.of() : fields;
		facts = facts == null ? Map.of() : facts;
	}
}

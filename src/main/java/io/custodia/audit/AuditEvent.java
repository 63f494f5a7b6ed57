package io.custodia.audit;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Something to be recorded in a tenant's audit trail; {@link AuditTrail#record} adds the time and the chain.
 * <p>
 * The trail must never hold plaintext personal data: it outlives erasure, and erasure destroys the keys that
 * make stored personal data readable. So every text here is an identifier or a reference, never a value.
 *
 * @param tenantId the tenant whose chain the entry joins
 * @param actor who acted, e.g. {@code "api-key:3f2a…"} (the key's id, never the key or a person's name),
 *            {@code "system:retention"}, {@code "cli"}
 * @param action what was done
 * @param subjectId the subject concerned, or null
 * @param recordId the record concerned, or null
 * @param reason why, or null: {@code "rule:server_logs/logs_6_months"}, {@code "request:…"},
 *            {@code "hold:COURT-2026-17"}
 * @param details further facts without personal data (ids, names of fields, counts only); never null, use
 *            {@code Map.of()} when there are none
 */
public record AuditEvent(String tenantId, String actor, AuditAction action, UUID subjectId, UUID recordId, String reason,
		Map<String, String> details) {

	public AuditEvent {
		requireText("tenantId", tenantId, 63);
		requireText("actor", actor, 200);
		Objects.requireNonNull(action, "action");
		if (reason != null) {
			requireText("reason", reason, 500);
		}
		Objects.requireNonNull(details, "details: use Map.of() when there are none");
		details.forEach((key, value) -> {
			requireText("a details key", key, 100);
			Objects.requireNonNull(value, () -> "details '" + key + "' has no value");
		});
		// sorted, because the chain's encoding is: the same event always gives the same bytes
		details = Collections.unmodifiableMap(new TreeMap<>(details));
	}

	private static void requireText(String name, String value, int max) {
		if (value == null || value.isBlank()) {
			throw new IllegalArgumentException("an audit event needs " + name);
		}
		if (value.length() > max) {
			throw new IllegalArgumentException(name + " of an audit event is longer than " + max + " characters: " + value.length());
		}
	}
}

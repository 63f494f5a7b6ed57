package io.custodia.consent;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A subject's or visitor's ledger as evidence: every receipt in order, what stands now per purpose and cookie
 * category, and the full text of every notice a receipt pointed to, by its SHA-256.
 */
public record ConsentEvidence(String tenantId, UUID subjectId, boolean visitor, Instant exportedAt,
		Map<String, String> purposes, Map<String, String> cookieCategories, List<ConsentReceipt> receipts,
		Map<String, Notice> notices) {

	/** The notice text shown, exactly as hashed. */
	public record Notice(String version, String language, String sha256, String text) {
	}
}

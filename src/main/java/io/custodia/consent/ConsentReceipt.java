package io.custodia.consent;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * One receipt of the ledger, as evidence: who (a subject id, or that it was an anonymous visitor), what
 * (purposes, cookie categories), which notice (version, language, SHA-256 of its text), how (method, the act,
 * the user-agent class, whether the Global Privacy Control signal was sent) and when.
 */
public record ConsentReceipt(UUID id, UUID subjectId, boolean visitor, ConsentKind kind, List<String> purposes,
		List<String> cookieCategories, GivenBy givenBy, ConsentMethod method, boolean gpc, String noticeVersion,
		String noticeLanguage, String noticeSha256, String action, String userAgentClass, String reason,
		Instant recordedAt) {
}

package io.custodia.consent;

import java.util.List;
import java.util.UUID;

/** Published when consent is withdrawn, after the data held only on it was erased. */
public record ConsentWithdrawn(String tenantId, UUID subjectId, UUID receiptId, List<String> purposes,
		List<String> cookieCategories, int erasedRecords) {
}

package io.custodia.retention;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.springframework.stereotype.Component;

import io.custodia.records.ErasureHolds;
import io.custodia.records.RetentionCandidate;

/** The legal holds an outright erasure of a subject must respect, as the records module asks for them. */
@Component
class HoldsOnErasure implements ErasureHolds {

	private final LegalHolds holds;

	private final RetentionAudit audit;

	HoldsOnErasure(LegalHolds holds, RetentionAudit audit) {
		this.holds = holds;
		this.audit = audit;
	}

	@Override
	public Map<UUID, Hold> holding(String tenantId, UUID subjectId, List<RetentionCandidate> records) {
		if (!records.isEmpty()) {
			return holdingRecords(tenantId, records);
		}
		// a subject whose records are gone, or not stored yet: a hold on it keeps its identifiers
		var result = new LinkedHashMap<UUID, Hold>();
		String subject = subjectId.toString();
		holds.active(tenantId).stream()
			.filter(hold -> hold.scope() == HoldScope.SUBJECT && hold.scopeId().equals(subject))
			.findFirst()
			.ifPresent(hold -> result.put(subjectId, hold(hold)));
		return result;
	}

	@Override
	public Map<UUID, Hold> holdingRecords(String tenantId, List<RetentionCandidate> records) {
		var result = new LinkedHashMap<UUID, Hold>();
		if (records.isEmpty()) {
			return result;
		}
		var active = holds.active(tenantId);
		for (var record : records) {
			holds.covering(active, record).ifPresent(hold -> result.put(record.id(), hold(hold)));
		}
		return result;
	}

	@Override
	public void heldBack(String tenantId, String actor, UUID subjectId, Map<UUID, Hold> held) {
		held.forEach((id, hold) -> audit.heldBack(tenantId, actor, subjectId, id.equals(subjectId) ? null : id, hold.id(),
				hold.reference(), "erasure"));
	}

	private static Hold hold(LegalHold hold) {
		return new Hold(hold.id(), hold.reference(), hold.reviewDate());
	}
}

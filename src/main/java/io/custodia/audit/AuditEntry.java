package io.custodia.audit;

import java.time.Instant;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.UUID;

/**
 * One entry of a tenant's audit chain as stored: the {@link AuditEvent} with its place in the chain, its time (to
 * the microsecond) and its links. {@code hash} is the keyed MAC of the entry including {@code previousHash}, the
 * previous entry's {@code hash} (32 zero bytes for the first), so no entry can change, go or move unnoticed.
 */
public record AuditEntry(String tenantId, long sequence, Instant at, String actor, AuditAction action, UUID subjectId,
		UUID recordId, String reason, Map<String, String> details, byte[] previousHash, byte[] hash) {

	public AuditEntry {
		details = Collections.unmodifiableMap(new TreeMap<>(details));
		previousHash = previousHash.clone();
		hash = hash.clone();
	}

	@Override
	public byte[] previousHash() {
		return previousHash.clone();
	}

	@Override
	public byte[] hash() {
		return hash.clone();
	}

	// a record compares arrays by identity; two entries are equal when their bytes are

	@Override
	public boolean equals(Object other) {
		return other instanceof AuditEntry that && sequence == that.sequence && tenantId.equals(that.tenantId)
				&& at.equals(that.at) && actor.equals(that.actor) && action == that.action
				&& Objects.equals(subjectId, that.subjectId) && Objects.equals(recordId, that.recordId)
				&& Objects.equals(reason, that.reason) && details.equals(that.details)
				&& Arrays.equals(previousHash, that.previousHash) && Arrays.equals(hash, that.hash);
	}

	@Override
	public int hashCode() {
		return Objects.hash(tenantId, sequence, Arrays.hashCode(hash));
	}

	@Override
	public String toString() {
		return "AuditEntry[" + tenantId + " #" + sequence + " " + at + " " + actor + " " + action
				+ (subjectId == null ? "" : " subject=" + subjectId) + (recordId == null ? "" : " record=" + recordId)
				+ (reason == null ? "" : " reason=" + reason) + (details.isEmpty() ? "" : " " + details)
				+ " hash=" + HexFormat.of().formatHex(hash) + "]";
	}
}

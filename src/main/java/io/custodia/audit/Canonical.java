package io.custodia.audit;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.SortedMap;
import java.util.UUID;

/**
 * The bytes an audit entry's MAC is computed over. Every field is written with a 4-byte length before it (-1 for
 * a missing value), so no two different entries give the same bytes: ("ab", "c") and ("a", "bc") differ, and so
 * do a missing reason and an empty one. Numbers and times are written as decimal text. This encoding is the
 * chain's format: entries recorded with it must verify forever, so change it only under a new {@link #DOMAIN}.
 */
final class Canonical {

	/** Names the format, and keeps these MACs apart from any other use of the same key. */
	static final String DOMAIN = "custodia-audit-entry-v1";

	/**
	 * Names the head's format. An entry's bytes start with {@link #DOMAIN} and a head's with this, each after its
	 * length, so no head's seal is ever an entry's seal: a MAC copied from an entry does not seal a head.
	 */
	static final String HEAD_DOMAIN = "custodia-audit-head-v1";

	private final ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);

	private Canonical() {
	}

	/** The canonical bytes of an entry; {@code action} as stored, so an unknown name still gets a MAC to compare. */
	static byte[] entry(String tenantId, long sequence, Instant at, String actor, String action, UUID subjectId,
			UUID recordId, String reason, SortedMap<String, String> details, byte[] previousHash) {
		var out = new Canonical();
		out.text(DOMAIN);
		out.text(tenantId);
		out.text(Long.toString(sequence));
		out.text(Long.toString(epochMicros(at)));
		out.text(actor);
		out.text(action);
		out.text(subjectId == null ? null : subjectId.toString());
		out.text(recordId == null ? null : recordId.toString());
		out.text(reason);
		out.length(details.size());
		details.forEach((key, value) -> {
			out.text(key);
			out.text(value);
		});
		out.raw(previousHash);
		return out.bytes.toByteArray();
	}

	/** The canonical bytes of a chain's head: where the tenant's chain ends. */
	static byte[] head(String tenantId, long sequence, byte[] hash) {
		var out = new Canonical();
		out.text(HEAD_DOMAIN);
		out.text(tenantId);
		out.text(Long.toString(sequence));
		out.raw(hash);
		return out.bytes.toByteArray();
	}

	/** Microseconds since the epoch: both databases store exactly this much of a time. */
	static long epochMicros(Instant at) {
		return Math.addExact(Math.multiplyExact(at.getEpochSecond(), 1_000_000L), at.getNano() / 1_000);
	}

	Canonical text(String value) {
		return raw(value == null ? null : value.getBytes(StandardCharsets.UTF_8));
	}

	Canonical raw(byte[] value) {
		if (value == null) {
			length(-1);
		}
		else {
			length(value.length);
			bytes.writeBytes(value);
		}
		return this;
	}

	private void length(int length) {
		bytes.writeBytes(ByteBuffer.allocate(4).putInt(length).array());
	}

	/** For tests of the encoding itself: the bytes of the given texts in a row. */
	static byte[] texts(String... values) {
		var out = new Canonical();
		for (String value : values) {
			out.text(value);
		}
		return out.bytes.toByteArray();
	}
}

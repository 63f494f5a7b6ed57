package io.custodia.audit;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The bytes an entry's MAC covers: two different entries never give the same bytes. */
class AuditEncodingUnitTests {

	static final Instant AT = Instant.parse("2026-01-15T09:00:00.123456Z");

	static byte[] entry(String actor, String reason, Map<String, String> details) {
		return Canonical.entry("imengine", 7, AT, actor, "RECORD_READ", null, null, reason, new TreeMap<>(details), new byte[32]);
	}

	@Test
	void textsThatSplitDifferentlyEncodeDifferently() {
		assertThat(Canonical.texts("ab", "c")).isNotEqualTo(Canonical.texts("a", "bc"));
		assertThat(Canonical.texts("ab", "")).isNotEqualTo(Canonical.texts("a", "b"));
	}

	@Test
	void detailsThatSplitDifferentlyBetweenKeyAndValueSealDifferently() {
		assertThat(entry("cli", null, Map.of("ab", "c"))).isNotEqualTo(entry("cli", null, Map.of("a", "bc")));
		assertThat(entry("cli", null, Map.of("a", "b", "c", "d"))).isNotEqualTo(entry("cli", null, Map.of("a", "bc", "", "d")));
	}

	@Test
	void aMissingValueDiffersFromAnEmptyOne() {
		assertThat(Canonical.texts((String) null)).isNotEqualTo(Canonical.texts(""));
		assertThat(entry("cli", null, Map.of())).isNotEqualTo(entry("cli", "", Map.of()));
	}

	@Test
	void theSameDetailsGiveTheSameBytesWhateverTheirOrder() {
		var one = new LinkedHashMap<String, String>();
		one.put("fields", "email");
		one.put("count", "2");
		var other = new LinkedHashMap<String, String>();
		other.put("count", "2");
		other.put("fields", "email");
		assertThat(entry("cli", "rule:r", one)).isEqualTo(entry("cli", "rule:r", other));
		assertThat(AuditEntries.json(one)).isEqualTo(AuditEntries.json(other)).isEqualTo("{\"count\":\"2\",\"fields\":\"email\"}");
	}

	@Test
	void everyFieldOfAnEntryChangesItsBytes() {
		byte[] base = Canonical.entry("imengine", 7, AT, "cli", "RECORD_READ", null, null, null, new TreeMap<>(), new byte[32]);
		UUID id = UUID.randomUUID();
		assertThat(Canonical.entry("imig", 7, AT, "cli", "RECORD_READ", null, null, null, new TreeMap<>(), new byte[32])).isNotEqualTo(base);
		assertThat(Canonical.entry("imengine", 8, AT, "cli", "RECORD_READ", null, null, null, new TreeMap<>(), new byte[32])).isNotEqualTo(base);
		assertThat(Canonical.entry("imengine", 7, AT.plusNanos(1_000), "cli", "RECORD_READ", null, null, null, new TreeMap<>(), new byte[32]))
			.isNotEqualTo(base);
		assertThat(Canonical.entry("imengine", 7, AT, "cli", "RECORD_STORED", null, null, null, new TreeMap<>(), new byte[32])).isNotEqualTo(base);
		// the same id as subject or as record is a different entry
		assertThat(Canonical.entry("imengine", 7, AT, "cli", "RECORD_READ", id, null, null, new TreeMap<>(), new byte[32]))
			.isNotEqualTo(Canonical.entry("imengine", 7, AT, "cli", "RECORD_READ", null, id, null, new TreeMap<>(), new byte[32]));
		byte[] previous = new byte[32];
		previous[31] = 1;
		assertThat(Canonical.entry("imengine", 7, AT, "cli", "RECORD_READ", null, null, null, new TreeMap<>(), previous)).isNotEqualTo(base);
	}

	@Test
	void timesAreSealedToTheMicrosecond() {
		assertThat(Canonical.epochMicros(AT)).isEqualTo(1_768_467_600_123_456L);
		assertThat(Canonical.epochMicros(Instant.parse("1969-12-31T23:59:59.999999Z"))).isEqualTo(-1L);
	}

	@Test
	void anEventNeedsATenantAnActorAndAnActionAndDetailsThatAreNeverNull() {
		assertThatThrownBy(() -> new AuditEvent(" ", "cli", AuditAction.KEY_ROTATED, null, null, null, Map.of()))
			.hasMessage("an audit event needs tenantId");
		assertThatThrownBy(() -> new AuditEvent("imengine", "", AuditAction.KEY_ROTATED, null, null, null, Map.of()))
			.hasMessage("an audit event needs actor");
		assertThatThrownBy(() -> new AuditEvent("imengine", "cli", null, null, null, null, Map.of())).hasMessage("action");
		assertThatThrownBy(() -> new AuditEvent("imengine", "cli", AuditAction.KEY_ROTATED, null, null, null, null))
			.hasMessageContaining("use Map.of()");
		assertThatThrownBy(() -> new AuditEvent("imengine", "cli", AuditAction.KEY_ROTATED, null, null, "x".repeat(501), Map.of()))
			.hasMessageContaining("longer than 500");
	}

	@Test
	void anEventsDetailsAreSortedAndCannotBeChangedAfterwards() {
		var details = new LinkedHashMap<String, String>();
		details.put("z", "1");
		details.put("a", "2");
		var event = new AuditEvent("imengine", "cli", AuditAction.RECORD_READ, null, null, null, details);
		details.put("m", "3");
		assertThat(event.details().keySet()).containsExactly("a", "z");
		assertThatThrownBy(() -> event.details().put("b", "4")).isInstanceOf(UnsupportedOperationException.class);
	}
}

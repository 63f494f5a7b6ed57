package io.custodia.backup;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.Mac;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.mac.MacConfig;
import com.google.crypto.tink.mac.PredefinedMacParameters;

import io.custodia.InvalidConfigurationException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The ledger file on its own: chaining, what tampering looks like, a torn last line, two writers. */
class ErasureLedgerUnitTests {

	@TempDir
	Path dir;

	final Clock clock = Clock.fixed(Instant.parse("2026-03-01T10:00:00Z"), ZoneOffset.UTC);

	static Mac mac() throws Exception {
		MacConfig.register();
		return KeysetHandle.generateNew(PredefinedMacParameters.HMAC_SHA256_256BITTAG)
			.getPrimitive(RegistryConfiguration.get(), Mac.class);
	}

	ErasureLedger ledgerWithThreeEntries(Mac mac) {
		var ledger = new ErasureLedger(dir.resolve("erasures.log"), mac, clock);
		ledger.append(ErasureKind.SUBJECT_ERASED, "acme", UUID.randomUUID(), null);
		ledger.append(ErasureKind.FILE_DELETED, "acme", null, UUID.randomUUID());
		ledger.append(ErasureKind.TENANT_TERMINATED, "other", null, null);
		return ledger;
	}

	List<String> lines() throws Exception {
		return new ArrayList<>(Files.readAllLines(dir.resolve("erasures.log")));
	}

	void write(List<String> lines) throws Exception {
		Files.write(dir.resolve("erasures.log"), (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
	}

	@Test
	void entriesAreNumberedChainedAndReadBackInOrder() throws Exception {
		var ledger = ledgerWithThreeEntries(mac());
		assertThat(ledger.verify().intact()).isTrue();
		assertThat(ledger.entriesSince(null)).extracting(LedgerEntry::sequence).containsExactly(1L, 2L, 3L);
		assertThat(ledger.entriesSince(clock.instant().plusSeconds(1))).isEmpty();
	}

	@Test
	void linesOfSeveralKindsWrittenTogetherKeepTheirOrderAndTheChain() throws Exception {
		var ledger = ledgerWithThreeEntries(mac());
		UUID subject = UUID.randomUUID();
		UUID record = UUID.randomUUID();
		var written = ledger.appendLines(List.of(ErasureLedger.Line.record(ErasureKind.RECORD_DEIDENTIFIED, "acme", record, subject),
				new ErasureLedger.Line(ErasureKind.SUBJECT_ERASED, "acme", subject, null, null)));
		assertThat(written).extracting(LedgerEntry::sequence).containsExactly(4L, 5L);
		assertThat(ledger.verify().intact()).isTrue();
		assertThat(ledger.entriesSince(null)).extracting(LedgerEntry::kind, LedgerEntry::recordId).endsWith(
				org.assertj.core.groups.Tuple.tuple(ErasureKind.RECORD_DEIDENTIFIED, record),
				org.assertj.core.groups.Tuple.tuple(ErasureKind.SUBJECT_ERASED, null));
		assertThat(ledger.appendLines(List.of())).as("nothing to write").isEmpty();
		assertThat(lines()).hasSize(5);
		assertThatThrownBy(() -> ErasureLedger.Line.record(ErasureKind.FILE_DELETED, "acme", record, subject))
			.isInstanceOf(IllegalArgumentException.class);
	}

	@Test
	void aRemovedLineIsFound() throws Exception {
		var ledger = ledgerWithThreeEntries(mac());
		var lines = lines();
		lines.remove(1);
		write(lines);
		assertThat(ledger.verify().problem()).contains("entry 2 is missing");
	}

	@Test
	void twoLinesSwappedAreFound() throws Exception {
		var ledger = ledgerWithThreeEntries(mac());
		var lines = lines();
		lines.add(0, lines.remove(1));
		write(lines);
		assertThat(ledger.verify().intact()).isFalse();
	}

	@Test
	void aLineSealedWithAnotherKeyIsFound() throws Exception {
		var ledger = ledgerWithThreeEntries(mac());
		Files.delete(dir.resolve("erasures.log"));
		var forger = new ErasureLedger(dir.resolve("erasures.log"), mac(), clock);
		forger.append(ErasureKind.SUBJECT_ERASED, "acme", UUID.randomUUID(), null);
		assertThat(ledger.verify().problem()).contains("EDITED");
	}

	@Test
	void aBrokenLedgerStopsTheStartAndTheReplay() throws Exception {
		Mac mac = mac();
		var ledger = ledgerWithThreeEntries(mac);
		write(lines().subList(1, 3));
		assertThatThrownBy(() -> ledger.entriesSince(null)).hasMessageContaining("nothing was replayed");
		assertThatThrownBy(() -> new ErasureLedger(dir.resolve("erasures.log"), mac, clock))
			.isInstanceOf(InvalidConfigurationException.class)
			.hasMessageContaining("broken");
	}

	@Test
	void aTornLastLineIsCutOffAndTheChainGoesOn() throws Exception {
		Mac mac = mac();
		ledgerWithThreeEntries(mac);
		Files.writeString(dir.resolve("erasures.log"), "{\"seq\":4,\"at\":\"2026-", StandardOpenOption.APPEND);
		var reopened = new ErasureLedger(dir.resolve("erasures.log"), mac, clock);
		assertThat(reopened.verify().entries()).isEqualTo(3);
		assertThat(reopened.append(ErasureKind.SUBJECT_ERASED, "acme", UUID.randomUUID(), null).sequence()).isEqualTo(4);
		assertThat(reopened.verify().intact()).isTrue();
	}

	@Test
	void twoWritersOnOneFileContinueEachOthersChain() throws Exception {
		Mac mac = mac();
		var one = new ErasureLedger(dir.resolve("erasures.log"), mac, clock);
		var two = new ErasureLedger(dir.resolve("erasures.log"), mac, clock);
		one.append(ErasureKind.SUBJECT_ERASED, "acme", UUID.randomUUID(), null);
		two.append(ErasureKind.SUBJECT_ERASED, "acme", UUID.randomUUID(), null);
		one.append(ErasureKind.TENANT_TERMINATED, "acme", null, null);
		assertThat(one.verify().intact()).isTrue();
		assertThat(two.entriesSince(null)).extracting(LedgerEntry::sequence).containsExactly(1L, 2L, 3L);
	}

	@Test
	void nothingIsAppendedWhileReplaying() throws Exception {
		var ledger = ledgerWithThreeEntries(mac());
		assertThat(ErasureLedger.replaying(() -> ledger.append(ErasureKind.SUBJECT_ERASED, "acme", UUID.randomUUID(), null)))
			.isNull();
		assertThat(ledger.verify().entries()).isEqualTo(3);
	}
}

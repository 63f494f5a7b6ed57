package io.custodia.backup;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Service;

/**
 * Applies the ledger's entries again: after {@code backup restore}, or by hand ({@code custodia erasures replay})
 * after a database was restored with other tooling. Entries are applied in ledger order, each by the module that
 * owns its kind; one that fails is reported and the rest still run.
 */
@Service
public class ErasureReplays {

	/** What a replay did: counts, and each entry that could not be applied with the reason. */
	public record Report(long entries, long applied, long alreadyDone, List<String> failures) {

		public boolean complete() {
			return failures.isEmpty();
		}
	}

	private final ErasureLedger ledger;

	/** Looked up when a replay runs: the modules that replay (termination) use the backups that restore. */
	private final ObjectProvider<ErasureReplay> providers;

	ErasureReplays(ErasureLedger ledger, ObjectProvider<ErasureReplay> providers) {
		this.ledger = ledger;
		this.providers = providers;
	}

	/** Replays every entry at or after the instant (all entries with null). */
	public Report replaySince(Instant since) {
		Map<ErasureKind, ErasureReplay> replays = providers.orderedStream()
			.collect(Collectors.toMap(ErasureReplay::kind, Function.identity()));
		var entries = ledger.entriesSince(since);
		long applied = 0;
		long done = 0;
		var failures = new ArrayList<String>();
		for (LedgerEntry entry : entries) {
			ErasureReplay replay = replays.get(entry.kind());
			if (replay == null) {
				failures.add("entry " + entry.sequence() + " (" + entry.kind() + ", tenant " + entry.tenantId()
						+ "): no module in this build replays " + entry.kind());
				continue;
			}
			try {
				if (ErasureLedger.replaying(() -> replay.replay(entry))) {
					applied++;
				}
				else {
					done++;
				}
			}
			catch (RuntimeException ex) {
				failures.add("entry " + entry.sequence() + " (" + entry.kind() + ", tenant " + entry.tenantId() + "): "
						+ ex.getMessage());
			}
		}
		return new Report(entries.size(), applied, done, List.copyOf(failures));
	}
}

package io.custodia.backup;

import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.stereotype.Component;

import io.custodia.records.Durability;

/**
 * On the embedded database, applies the erasure ledger's last entries again when the service starts, before it
 * takes requests or runs jobs. H2 writes a commit to its file within half a second, and a single erasure through
 * the API is not forced to disk before it is acknowledged ({@link Durability} says why); its ledger line is, before
 * the erasure commits. So an erasure acknowledged just before the process was killed hard may be missing from the
 * database but never from the ledger, and applying the ledger's last minute again at start erases it for good.
 * Entries that hold already are left as they are (every replay is idempotent), so a normal start changes nothing.
 *
 * <p>On PostgreSQL, whose commits are durable, nothing is applied: there a ledger line without its erasure is one
 * whose transaction failed after the line was written, and the caller was told it failed.
 */
@Component
class LedgerTail implements SmartInitializingSingleton {

	private static final Logger log = LoggerFactory.getLogger(LedgerTail.class);

	/** Far more than the half second H2 may lose, by the times on the ledger's lines. */
	static final Duration WINDOW = Duration.ofMinutes(1);

	/** Lines read from the end at most: a start reads a bounded part however long the ledger has grown. */
	static final int MOST = 10_000;

	private final ErasureReplays replays;

	private final Durability durability;

	LedgerTail(ErasureReplays replays, Durability durability) {
		this.replays = replays;
		this.durability = durability;
	}

	@Override
	public void afterSingletonsInstantiated() {
		if (!durability.embedded()) {
			return;
		}
		var report = replays.replayTail(WINDOW, MOST);
		if (report.applied() > 0) {
			log.warn("Applied {} of the erasure ledger's last {} entries again: the embedded database had lost them, "
					+ "most likely because the process was killed within half a second of acknowledging them", report.applied(),
					report.entries());
		}
		report.failures().forEach(failure -> log.error("The erasure ledger's {} could not be applied again at start; run "
				+ "custodia erasures replay once the cause is fixed", failure));
	}
}

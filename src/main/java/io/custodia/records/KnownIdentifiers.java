package io.custodia.records;

import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The subjects an import has already met, by identifier kind and blind index: a hint that spares the import a
 * look-up in the identifier index, whose keys are random by design and so are read from disk once an import has
 * outgrown the database's page cache (a third of a large import's time went there).
 * <p>
 * A hint is never trusted on its own. Identifiers are only ever added to a subject and removed when it is erased,
 * so a hint stays true exactly as long as its subject is not erased; {@link BulkImport} reads every hinted subject's
 * row in the batch's own transaction (it needs the wrapped key from it anyway) and drops a hint whose subject is
 * gone or erased, then looks the identifier up in the index as if it had never been hinted. Hints are added only
 * for batches that committed ({@link Hint}): a batch that failed and is tried again would otherwise find its own
 * rolled-back identifier hinted at a live subject and never store it. The hints live as long as
 * one import run, hold no plaintext (only blind indexes) and stop growing at {@value #LIMIT} entries.
 */
final class KnownIdentifiers {

	/** About 120 bytes an entry: at most some 60 MiB of heap. */
	static final int LIMIT = 500_000;

	/** A blind index of {@link io.custodia.keys.KeyManagement#blindIndex} length as four longs: compact, exact. */
	private record Key(String kind, long a, long b, long c, long d) {

		static Key of(String kind, byte[] index) {
			if (index.length != 32) {
				throw new IllegalArgumentException("a blind index has 32 bytes, not " + index.length);
			}
			ByteBuffer bytes = ByteBuffer.wrap(index);
			return new Key(kind, bytes.getLong(), bytes.getLong(), bytes.getLong(), bytes.getLong());
		}
	}

	/** An identifier a batch found or stored, remembered only once that batch has committed. */
	record Hint(String kind, byte[] index, UUID subject) {
	}

	private final Map<Key, UUID> subjects = new HashMap<>();

	/** The subject this identifier named when last seen in this import, or null. */
	UUID hint(String kind, byte[] index) {
		return subjects.get(Key.of(kind, index));
	}

	void remember(String kind, byte[] index, UUID subject) {
		// interned: every entry of a kind then shares one string instead of holding its own copy
		Key key = Key.of(kind.intern(), index);
		if (subjects.size() < LIMIT || subjects.containsKey(key)) {
			subjects.put(key, subject);
		}
	}

	void remember(Hint hint) {
		remember(hint.kind(), hint.index(), hint.subject());
	}

	void forget(String kind, byte[] index) {
		subjects.remove(Key.of(kind, index));
	}

	int size() {
		return subjects.size();
	}
}

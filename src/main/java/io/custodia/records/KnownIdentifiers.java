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
 * <p>
 * It also keeps the wrapped keys of the subjects the import has met, so that a batch need not read their rows
 * again (a tenth of the import's writing thread went to those reads, docs/benchmarks.md, session 14). A key is kept
 * with the tenant's count of erasures at the time it was read ({@link ErasureLock}); a batch that finds the count
 * changed drops every key kept, as any of their subjects may have been erased, and reads the rows as before. Keys
 * are kept only once the transaction that read or made them has committed, for the same reason as the hints. They
 * are the subjects' keys as stored, wrapped by the tenant's key: nothing here opens a record. At most
 * {@value #KEY_LIMIT} of them (some 200 bytes each).
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

	/** About 200 bytes a key: at most some 60 MiB of heap, enough for an import that meets 300,000 subjects. */
	static final int KEY_LIMIT = 300_000;

	private final Map<Key, UUID> subjects = new HashMap<>();

	private final Map<UUID, byte[]> keys = new HashMap<>();

	/** The tenant's count of erasures under which every key in {@link #keys} was read or made. */
	private long erasures;

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

	/**
	 * The subject's wrapped key if this import keeps it and no subject of the tenant has been erased since it was
	 * kept ({@code erasures}, the count the caller's transaction read under the lock, is the one the keys were kept
	 * under); null otherwise. A changed count drops every key kept.
	 */
	byte[] key(UUID subject, long erasures) {
		if (erasures != this.erasures) {
			keys.clear();
			this.erasures = erasures;
			return null;
		}
		return keys.get(subject);
	}

	/** Keeps these keys, read or made by a transaction that has committed under {@code erasures}. */
	void rememberKeys(long erasures, Map<UUID, byte[]> read) {
		if (read.isEmpty()) {
			return;
		}
		if (erasures != this.erasures) {
			if (!keys.isEmpty()) {
				// kept under another count: the newer one wins, and keys of another count are never mixed
				keys.clear();
			}
			this.erasures = erasures;
		}
		for (var key : read.entrySet()) {
			if (keys.size() >= KEY_LIMIT && !keys.containsKey(key.getKey())) {
				return;
			}
			keys.put(key.getKey(), key.getValue());
		}
	}

	int keys() {
		return keys.size();
	}
}

package io.custodia.records;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.carrotsearch.hppc.IntArrayList;
import com.carrotsearch.hppc.LongIntHashMap;

/**
 * The subjects an import has already met, by identifier kind and blind index: a hint that spares the import a
 * look-up in the identifier index, whose keys are random by design and so are read from disk once an import has
 * outgrown the database's page cache (a third of a large import's time went there).
 * <p>
 * A hint is never trusted on its own. Identifiers are only ever added to a subject and removed when it is erased,
 * so a hint stays true exactly as long as its subject is not erased; {@link BulkImport} takes a hinted subject as
 * live only with its key from here (below) or from its row, read in the batch's own transaction, and drops a hint
 * whose subject is gone or erased, then looks the identifier up in the index as if it had never been hinted. Hints
 * are added only for batches that committed ({@link Hint}): a batch that failed and is tried again would otherwise
 * find its own rolled-back identifier hinted at a live subject and never store it. The hints live as long as one
 * import run, hold no plaintext (only blind indexes) and stop growing at {@value #LIMIT} entries.
 * <p>
 * It also keeps the wrapped keys of the subjects the import has met, so that a batch need not read their rows
 * again (a tenth of the import's writing thread went to those reads, docs/benchmarks.md, session 14). A key is kept
 * with the tenant's count of erasures at the time it was read ({@link ErasureLock}); a batch that finds the count
 * changed drops every key kept, as any of their subjects may have been erased, and reads the rows as before. Keys
 * are kept only once the transaction that read or made them has committed, for the same reason as the hints. They
 * are the subjects' keys as stored, wrapped by the tenant's key: nothing here opens a record. At most
 * {@value #KEY_LIMIT} of them.
 * <p>
 * Both live in primitive arrays, not in an object per entry: an import that has met 250,000 subjects held 1.3
 * million small objects here, most of its live heap, which the collector traced again in every cycle (session 14).
 * An entry is found by 64 bits of what it is for (the blind index's first 8 bytes and its kind; the subject id's
 * random half) and then compared whole: two that share those bits keep only the later one, which costs a look-up
 * in the database, never a wrong answer.
 */
final class KnownIdentifiers {

	/** About 70 bytes a hint: at most some 35 MiB of heap. */
	static final int LIMIT = 500_000;

	/** About 170 bytes a key (144 of them the wrapped key), with the arrays' room to grow: at most some 55 MiB. */
	static final int KEY_LIMIT = 300_000;

	/** An identifier a batch found or stored, remembered only once that batch has committed. */
	record Hint(String kind, byte[] index, UUID subject) {
	}

	private final List<String> kinds = new ArrayList<>();

	/** Hints: slot by the index's first 8 bytes mixed with its kind; per slot the rest of the index and the subject. */
	private final LongIntHashMap hints = new LongIntHashMap();

	private int hintSlots;

	private byte[] hintKinds = new byte[0];

	/** Per slot: the index's four longs, then the subject's two. */
	private long[] hintLongs = new long[0];

	private final IntArrayList freeHints = new IntArrayList();

	/** Keys: slot by the subject id's random half; per slot the id's other half and where its key's bytes are. */
	private final LongIntHashMap keys = new LongIntHashMap();

	private long[] keySubjects = new long[0];

	private long[] keyPlaces = new long[0];

	private final WrappedKeys wrapped = new WrappedKeys();

	/** The tenant's count of erasures under which every key in {@link #keys} was read or made. */
	private long erasures;

	private boolean guessNew = true;

	/**
	 * Whether an identifier this import has not met may be taken as new without a look-up in the identifier index,
	 * and a line's client record id as not stored yet. They may until a batch fails on a unique index: an identifier
	 * taken as new that was stored already is one more row under its primary key (a stored client id one more under
	 * its unique index), so the batch fails whole, writes nothing, and is planned again with both looked up, as a
	 * race with another writer already is. A large import of new people, the common case, then spends no look-up on
	 * them (a tenth of the import's writing thread went there, docs/benchmarks.md, session 17); one about people
	 * already stored, or a file run again after a crash, pays one failed batch and then looks up, instead of failing
	 * every batch once. An import run inside a caller's transaction never guesses: its batches join that
	 * transaction, which a failed batch would fail whole.
	 */
	boolean guessesNew() {
		return guessNew;
	}

	/** Client ids and identifiers not met are looked up from now on, for the rest of this import ({@link #guessesNew}). */
	void stopGuessingNew() {
		guessNew = false;
	}

	/** The subject this identifier named when last seen in this import, or null. */
	UUID hint(String kind, byte[] index) {
		long[] parts = parts(index);
		int code = kinds.indexOf(kind);
		if (code < 0) {
			return null;
		}
		int slot = hints.getOrDefault(hintKey(code, parts[0]), -1);
		if (slot < 0 || !sameHint(slot, code, parts)) {
			return null;
		}
		return new UUID(hintLongs[6 * slot + 4], hintLongs[6 * slot + 5]);
	}

	void remember(String kind, byte[] index, UUID subject) {
		long[] parts = parts(index);
		int code = code(kind);
		if (code < 0) {
			return;
		}
		long key = hintKey(code, parts[0]);
		int slot = hints.getOrDefault(key, -1);
		if (slot < 0) {
			if (hints.size() >= LIMIT) {
				return;
			}
			slot = freeHints.isEmpty() ? newHintSlot() : freeHints.removeLast();
			hints.put(key, slot);
		}
		// a slot of another identifier sharing these 64 bits is taken over: the later one is the one kept
		hintKinds[slot] = (byte) code;
		System.arraycopy(parts, 0, hintLongs, 6 * slot, 4);
		hintLongs[6 * slot + 4] = subject.getMostSignificantBits();
		hintLongs[6 * slot + 5] = subject.getLeastSignificantBits();
	}

	void remember(Hint hint) {
		remember(hint.kind(), hint.index(), hint.subject());
	}

	void forget(String kind, byte[] index) {
		long[] parts = parts(index);
		int code = kinds.indexOf(kind);
		if (code < 0) {
			return;
		}
		long key = hintKey(code, parts[0]);
		int slot = hints.getOrDefault(key, -1);
		if (slot >= 0 && sameHint(slot, code, parts)) {
			hints.remove(key);
			freeHints.add(slot);
		}
	}

	int size() {
		return hints.size();
	}

	/**
	 * The subject's wrapped key if this import keeps it and no subject of the tenant has been erased since it was
	 * kept ({@code erasures}, the count the caller's transaction read under the lock, is the one the keys were kept
	 * under); null otherwise. A changed count drops every key kept.
	 */
	byte[] key(UUID subject, long erasures) {
		countIs(erasures);
		int slot = keys.getOrDefault(subject.getLeastSignificantBits(), -1);
		if (slot < 0 || keySubjects[slot] != subject.getMostSignificantBits()) {
			return null;
		}
		return wrapped.get(keyPlaces[slot]);
	}

	/** Keeps these keys, read or made by a transaction that has committed under {@code erasures}. */
	void rememberKeys(long erasures, Map<UUID, byte[]> read) {
		if (read.isEmpty()) {
			return;
		}
		countIs(erasures);
		for (var entry : read.entrySet()) {
			long id = entry.getKey().getLeastSignificantBits();
			int slot = keys.getOrDefault(id, -1);
			if (slot >= 0 && keySubjects[slot] == entry.getKey().getMostSignificantBits()) {
				continue;
			}
			if (slot < 0) {
				if (keys.size() >= KEY_LIMIT) {
					return;
				}
				slot = keys.size();
				keys.put(id, slot);
				if (slot == keySubjects.length) {
					keySubjects = Arrays.copyOf(keySubjects, Math.max(1024, 2 * slot));
					keyPlaces = Arrays.copyOf(keyPlaces, keySubjects.length);
				}
			}
			// a key once kept never changes (only an erasure ends it, and that drops them all): rewritten only when
			// another subject sharing these 64 bits takes the slot over
			keySubjects[slot] = entry.getKey().getMostSignificantBits();
			keyPlaces[slot] = wrapped.add(entry.getValue());
		}
	}

	int keys() {
		return keys.size();
	}

	/**
	 * The count the caller read last is the tenant's now: keys kept under another one are dropped, as a subject may
	 * have been erased since (calls come in the order their transactions ran, so the latest count is the one here).
	 */
	private void countIs(long erasures) {
		if (erasures != this.erasures) {
			keys.clear();
			wrapped.clear();
			this.erasures = erasures;
		}
	}

	/** The kind's number, or -1 past the 127 a byte holds (the policy format has three kinds): no hint is kept. */
	private int code(String kind) {
		int code = kinds.indexOf(kind);
		if (code < 0 && kinds.size() < Byte.MAX_VALUE) {
			kinds.add(kind);
			code = kinds.size() - 1;
		}
		return code;
	}

	private int newHintSlot() {
		int slot = hintSlots++;
		if (slot == hintKinds.length) {
			int capacity = Math.max(1024, 2 * slot);
			hintKinds = Arrays.copyOf(hintKinds, capacity);
			hintLongs = Arrays.copyOf(hintLongs, 6 * capacity);
		}
		return slot;
	}

	private boolean sameHint(int slot, int code, long[] parts) {
		return hintKinds[slot] == code && hintLongs[6 * slot] == parts[0] && hintLongs[6 * slot + 1] == parts[1]
				&& hintLongs[6 * slot + 2] == parts[2] && hintLongs[6 * slot + 3] == parts[3];
	}

	/** The blind index's first 8 bytes, spread by its kind so that one index under two kinds rarely shares a slot. */
	private static long hintKey(int code, long first) {
		return first ^ (code * 0x9E3779B97F4A7C15L);
	}

	/** A blind index of {@link io.custodia.keys.KeyManagement#blindIndex} length as four longs: compact, exact. */
	private static long[] parts(byte[] index) {
		if (index.length != 32) {
			throw new IllegalArgumentException("a blind index has 32 bytes, not " + index.length);
		}
		ByteBuffer bytes = ByteBuffer.wrap(index);
		return new long[] { bytes.getLong(), bytes.getLong(), bytes.getLong(), bytes.getLong() };
	}

	/**
	 * The wrapped keys' bytes, one after another in blocks of 1 MiB: no object per key, and no copy of them all when
	 * they grow. A place is the block, the offset in it and the length, in one long.
	 */
	private static final class WrappedKeys {

		private static final int BLOCK = 1 << 20;

		private final List<byte[]> blocks = new ArrayList<>();

		private int used = BLOCK;

		long add(byte[] key) {
			if (key.length > BLOCK) {
				throw new IllegalArgumentException("a wrapped subject key of " + key.length + " bytes");
			}
			if (blocks.isEmpty() || used + key.length > BLOCK) {
				blocks.add(new byte[BLOCK]);
				used = 0;
			}
			System.arraycopy(key, 0, blocks.get(blocks.size() - 1), used, key.length);
			long place = ((long) (blocks.size() - 1) << 42) | ((long) used << 21) | key.length;
			used += key.length;
			return place;
		}

		byte[] get(long place) {
			int block = (int) (place >>> 42);
			int offset = (int) ((place >>> 21) & (BLOCK * 2 - 1));
			int length = (int) (place & (BLOCK * 2 - 1));
			return Arrays.copyOfRange(blocks.get(block), offset, offset + length);
		}

		/** Zeroed first: a key the import let go of, e.g. of a subject erased meanwhile, lingers nowhere. */
		void clear() {
			blocks.forEach(block -> Arrays.fill(block, (byte) 0));
			blocks.clear();
			used = BLOCK;
		}
	}
}

package io.custodia.activity;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;

import org.apache.commons.collections4.bloomfilter.BitMapExtractor;
import org.apache.commons.collections4.bloomfilter.BitMaps;
import org.apache.commons.collections4.bloomfilter.EnhancedDoubleHasher;
import org.apache.commons.collections4.bloomfilter.Shape;
import org.apache.commons.collections4.bloomfilter.SimpleBloomFilter;

/**
 * The events of one segment (one ingested batch of one tenant and month), oldest first, in a compact binary form,
 * and the Bloom filter of their user pseudonyms. Pseudonyms are the raw {@value PeriodKeys#PSEUDONYM_BYTES}-byte
 * PRF outputs; products, browser names and versions are kept once per segment in a small dictionary. The Bloom
 * filters are those of Apache Commons Collections.
 *
 * <pre>
 * version (1 byte) · first sequence number (varint) · events (varint) · epoch second of the first event (zig-zag varint)
 * dictionary: entries (varint), each as UTF-8 length (varint) and bytes
 * per event: flags (1 byte: type in bits 0-1; user, IP, host, MAC pseudonym, keyed event id present in bits 2-6)
 *            seconds since the previous event (varint) · nanoseconds (varint)
 *            product, browser name, browser version (varint each: 0 none, else dictionary index + 1)
 *            the pseudonyms present, 12 bytes each, in the order user, IP, host, MAC, event id
 * </pre>
 *
 * The sequence number of an event is the first sequence number plus its position; it stays the same when events
 * before it are deleted (the first sequence number grows), so that an event's id does not change.
 *
 * @param firstSeq the sequence number of the first event
 * @param events the events, oldest first
 */
record EventSegment(int firstSeq, List<Event> events) {

	static final int VERSION = 1;

	/** Events per segment; sequence numbers stay below this, so an event's id is {@code segment id × 65,536 + seq}. */
	static final int MAX_EVENTS = 1 << 16;

	private static final int LENGTH = PeriodKeys.PSEUDONYM_BYTES;

	private static final EventType[] TYPES = EventType.values();

	/** Of the Bloom filters: about 10 bits per value. */
	private static final double FALSE_POSITIVES = 0.01;

	/**
	 * One event as a segment holds it; a pseudonym is null when the event had no such value or has become anonymous,
	 * and so is the keyed client event id ({@code eventKey}).
	 */
	record Event(EventType type, Instant at, String product, String browserName, String browserVersion, byte[] user,
			byte[] ip, byte[] host, byte[] mac, byte[] eventKey) {

		boolean pseudonymous() {
			return user != null || ip != null || host != null || mac != null || eventKey != null;
		}

		Event anonymous() {
			return new Event(type, at, product, browserName, browserVersion, null, null, null, null, null);
		}
	}

	EventSegment {
		if (firstSeq < 0 || events.isEmpty() || firstSeq + events.size() > MAX_EVENTS) {
			throw new IllegalArgumentException("a segment holds 1 to " + MAX_EVENTS + " events, sequence numbers below "
					+ MAX_EVENTS);
		}
	}

	/** The events in time order (stable: events at the same instant keep their order). */
	static EventSegment of(List<Event> events) {
		var sorted = new ArrayList<>(events);
		sorted.sort(Comparator.comparing(Event::at));
		return new EventSegment(0, sorted);
	}

	Instant firstAt() {
		return events.get(0).at();
	}

	Instant lastAt() {
		return events.get(events.size() - 1).at();
	}

	/** The time of the first event that still has a pseudonym, or null when all are anonymous. */
	Instant pseudonymousFrom() {
		for (Event event : events) {
			if (event.pseudonymous()) {
				return event.at();
			}
		}
		return null;
	}

	/** The serialised Bloom filter of the user pseudonyms (1 % false positives), or null when there is none. */
	byte[] userBloom() {
		return bloom(Event::user);
	}

	/** The serialised Bloom filter of the keyed client event ids (1 % false positives), or null when there is none. */
	byte[] eventBloom() {
		return bloom(Event::eventKey);
	}

	/**
	 * A Bloom filter of Apache Commons Collections (1 % false positives) over the values, serialised as the number
	 * of hash functions (1 byte), the number of bits (4 bytes) and the bit map (big-endian longs). The values are PRF
	 * outputs, uniformly random already, so their own bytes are the two numbers of the filter's double hashing: no
	 * further hash is computed.
	 */
	private byte[] bloom(Function<Event, byte[]> field) {
		int count = 0;
		for (Event event : events) {
			if (field.apply(event) != null) {
				count++;
			}
		}
		if (count == 0) {
			return null;
		}
		Shape shape = Shape.fromNP(count, FALSE_POSITIVES);
		var bloom = new SimpleBloomFilter(shape);
		for (Event event : events) {
			byte[] value = field.apply(event);
			if (value != null) {
				bloom.merge(new EnhancedDoubleHasher(value));
			}
		}
		long[] bits = bloom.asBitMapArray();
		var out = ByteBuffer.allocate(5 + bits.length * Long.BYTES);
		out.put((byte) shape.getNumberOfHashFunctions());
		out.putInt(shape.getNumberOfBits());
		out.asLongBuffer().put(bits);
		return out.array();
	}

	/** A stored Bloom filter as a test: false means the segment certainly does not hold the value. */
	static Predicate<byte[]> bloom(byte[] serialised) {
		if (serialised == null) {
			return value -> false;
		}
		var in = ByteBuffer.wrap(serialised);
		int functions = in.get() & 0xFF;
		int size = in.getInt();
		if (functions < 1 || size < 1 || in.remaining() != BitMaps.numberOfBitMaps(size) * Long.BYTES) {
			throw new IllegalStateException("an activity segment's Bloom filter cannot be read");
		}
		long[] bits = new long[in.remaining() / Long.BYTES];
		in.asLongBuffer().get(bits);
		var bloom = new SimpleBloomFilter(Shape.fromKM(functions, size));
		bloom.merge(BitMapExtractor.fromBitMapArray(bits));
		return value -> bloom.contains(new EnhancedDoubleHasher(value));
	}

	/** Whether a segment with this Bloom filter may hold the user pseudonym (false: it certainly does not). */
	static boolean mayHoldUser(byte[] userBloom, byte[] user) {
		return bloom(userBloom).test(user);
	}

	byte[] encode() {
		var dictionary = new HashMap<String, Integer>();
		var words = new ArrayList<byte[]>();
		int[] labels = new int[events.size() * 3];
		for (int i = 0; i < events.size(); i++) {
			Event event = events.get(i);
			labels[3 * i] = word(event.product(), dictionary, words);
			labels[3 * i + 1] = word(event.browserName(), dictionary, words);
			labels[3 * i + 2] = word(event.browserVersion(), dictionary, words);
		}
		var out = new Out(32 + events.size() * (12 + 4 * LENGTH));
		out.write(VERSION);
		out.varint(firstSeq);
		out.varint(events.size());
		long second = firstAt().getEpochSecond();
		out.varint((second << 1) ^ (second >> 63));
		out.varint(words.size());
		for (byte[] word : words) {
			out.varint(word.length);
			out.write(word, 0, word.length);
		}
		for (int i = 0; i < events.size(); i++) {
			Event event = events.get(i);
			out.write(event.type().ordinal() | (event.user() != null ? 4 : 0) | (event.ip() != null ? 8 : 0)
					| (event.host() != null ? 16 : 0) | (event.mac() != null ? 32 : 0) | (event.eventKey() != null ? 64 : 0));
			long at = event.at().getEpochSecond();
			if (at < second) {
				throw new IllegalArgumentException("the events of a segment are in time order");
			}
			out.varint(at - second);
			second = at;
			out.varint(event.at().getNano());
			out.varint(labels[3 * i]);
			out.varint(labels[3 * i + 1]);
			out.varint(labels[3 * i + 2]);
			out.pseudonym(event.user());
			out.pseudonym(event.ip());
			out.pseudonym(event.host());
			out.pseudonym(event.mac());
			out.pseudonym(event.eventKey());
		}
		return out.bytes();
	}

	private static int word(String label, HashMap<String, Integer> dictionary, List<byte[]> words) {
		if (label == null) {
			return 0;
		}
		Integer index = dictionary.get(label);
		if (index == null) {
			index = words.size() + 1;
			dictionary.put(label, index);
			words.add(label.getBytes(StandardCharsets.UTF_8));
		}
		return index;
	}

	static EventSegment decode(byte[] data) {
		var in = new In(data);
		int version = in.read();
		if (version != VERSION) {
			throw new IllegalStateException("an activity segment of unknown version " + version);
		}
		int firstSeq = (int) in.varint();
		int count = (int) in.varint();
		long zigzag = in.varint();
		long second = (zigzag >>> 1) ^ -(zigzag & 1);
		var words = new String[(int) in.varint()];
		for (int i = 0; i < words.length; i++) {
			int length = (int) in.varint();
			words[i] = in.text(length);
		}
		var events = new ArrayList<Event>(count);
		for (int i = 0; i < count; i++) {
			int flags = in.read();
			second += in.varint();
			Instant at = Instant.ofEpochSecond(second, in.varint());
			String product = label(words, in.varint());
			String browserName = label(words, in.varint());
			String browserVersion = label(words, in.varint());
			byte[] user = (flags & 4) != 0 ? in.pseudonym() : null;
			byte[] ip = (flags & 8) != 0 ? in.pseudonym() : null;
			byte[] host = (flags & 16) != 0 ? in.pseudonym() : null;
			byte[] mac = (flags & 32) != 0 ? in.pseudonym() : null;
			byte[] eventKey = (flags & 64) != 0 ? in.pseudonym() : null;
			events.add(new Event(TYPES[flags & 3], at, product, browserName, browserVersion, user, ip, host, mac, eventKey));
		}
		if (!in.done()) {
			throw new IllegalStateException("an activity segment has bytes after its last event");
		}
		return new EventSegment(firstSeq, events);
	}

	private static String label(String[] words, long index) {
		return index == 0 ? null : words[(int) index - 1];
	}

	/** A growing byte buffer; not synchronised, unlike ByteArrayOutputStream. */
	private static final class Out {

		private byte[] bytes;

		private int size;

		Out(int capacity) {
			bytes = new byte[capacity];
		}

		private void room(int more) {
			if (size + more > bytes.length) {
				bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
			}
		}

		void write(int b) {
			room(1);
			bytes[size++] = (byte) b;
		}

		void write(byte[] b, int from, int length) {
			room(length);
			System.arraycopy(b, from, bytes, size, length);
			size += length;
		}

		void varint(long value) {
			room(10);
			while ((value & ~0x7FL) != 0) {
				bytes[size++] = (byte) ((value & 0x7F) | 0x80);
				value >>>= 7;
			}
			bytes[size++] = (byte) value;
		}

		void pseudonym(byte[] raw) {
			if (raw != null) {
				if (raw.length != LENGTH) {
					throw new IllegalArgumentException("a pseudonym has " + LENGTH + " bytes");
				}
				write(raw, 0, LENGTH);
			}
		}

		byte[] bytes() {
			return Arrays.copyOf(bytes, size);
		}
	}

	private static final class In {

		private final byte[] bytes;

		private int at;

		In(byte[] bytes) {
			this.bytes = bytes;
		}

		private void need(int length) {
			if (at + length > bytes.length) {
				throw new IllegalStateException("an activity segment ends early");
			}
		}

		int read() {
			need(1);
			return bytes[at++] & 0xFF;
		}

		long varint() {
			long value = 0;
			for (int shift = 0; shift < 64; shift += 7) {
				int b = read();
				value |= (long) (b & 0x7F) << shift;
				if ((b & 0x80) == 0) {
					return value;
				}
			}
			throw new IllegalStateException("an activity segment holds a malformed number");
		}

		String text(int length) {
			need(length);
			String text = new String(bytes, at, length, StandardCharsets.UTF_8);
			at += length;
			return text;
		}

		byte[] pseudonym() {
			need(LENGTH);
			byte[] raw = Arrays.copyOfRange(bytes, at, at + LENGTH);
			at += LENGTH;
			return raw;
		}

		boolean done() {
			return at == bytes.length;
		}
	}
}

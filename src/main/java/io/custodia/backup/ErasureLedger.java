package io.custodia.backup;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.google.crypto.tink.Mac;

import io.custodia.InvalidConfigurationException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The erasure ledger: one JSON line per subject erasure, file deletion and tenant termination, appended and forced
 * to disk before the erasing transaction commits. It holds ids and times only. Each line carries the MAC of the
 * line before it and its own MAC (Tink HMAC-SHA256 under the ledger key in the service key store), so an edited,
 * removed or reordered line is found by {@link #verify()}. A torn last line (a crash in the middle of a write, whose
 * transaction therefore never committed) is cut off when the ledger is opened.
 *
 * <p>Several processes may append (a service and a command on PostgreSQL): every append locks the file and first
 * reads what others appended since.
 */
public class ErasureLedger {

	private static final Logger log = LoggerFactory.getLogger(ErasureLedger.class);

	private static final String GENESIS = "0".repeat(64);

	private static final ThreadLocal<Boolean> REPLAYING = ThreadLocal.withInitial(() -> false);

	private final Path file;

	private final Mac mac;

	private final Clock clock;

	private long size;

	private long sequence;

	private String head = GENESIS;

	/** The outcome of checking the whole ledger. */
	public record Verification(boolean intact, long entries, String problem) {
	}

	ErasureLedger(Path file, Mac mac, Clock clock) {
		this.file = file;
		this.mac = mac;
		this.clock = clock;
		try {
			Files.createDirectories(file.getParent());
			if (Files.notExists(file)) {
				Files.createFile(file);
			}
			cutTornLine();
			var check = read(0, 0, GENESIS, null);
			if (!check.intact()) {
				throw new InvalidConfigurationException("custodia.erasure-ledger.file", file + " is broken: " + check.problem(),
						"The ledger was altered. Restore it from a copy you trust (or the original), then start again; "
								+ "custodia erasures verify says where it breaks.");
			}
		}
		catch (IOException ex) {
			throw new InvalidConfigurationException("custodia.erasure-ledger.file", "cannot use " + file + " (" + ex.getMessage() + ")",
					"Point custodia.erasure-ledger.file at a file in a directory this user may create and write, outside the data and backup directories.");
		}
	}

	public Path file() {
		return file;
	}

	/**
	 * Appends an entry and forces it to disk; call it inside the erasing transaction, before it commits. Inside
	 * {@link #replaying} nothing is appended: a replayed erasure is in the ledger already.
	 */
	public synchronized LedgerEntry append(ErasureKind kind, String tenantId, UUID subjectId, UUID fileId) {
		var written = write(List.of(new Line(kind, tenantId, subjectId, fileId, null)));
		return written.isEmpty() ? null : written.get(0);
	}

	/** Appends the lines in their order with a single forced write (what one transaction erased, of any kinds). */
	public synchronized List<LedgerEntry> appendLines(List<Line> lines) {
		return write(lines);
	}

	/** A line to append: its kind, its tenant and the ids it names (see {@link LedgerEntry}). */
	public record Line(ErasureKind kind, String tenantId, UUID subjectId, UUID fileId, UUID recordId) {

		/** A record deleted, de-identified or awaiting erasure while its subject stays. */
		public static Line record(ErasureKind kind, String tenantId, UUID recordId, UUID subjectId) {
			if (kind != ErasureKind.RECORD_DELETED && kind != ErasureKind.RECORD_DEIDENTIFIED
					&& kind != ErasureKind.RECORD_AWAITING_ERASURE) {
				throw new IllegalArgumentException(
						"records are appended as RECORD_DELETED, RECORD_DEIDENTIFIED or RECORD_AWAITING_ERASURE, not " + kind);
			}
			return new Line(kind, tenantId, subjectId, null, recordId);
		}
	}

	private List<LedgerEntry> write(List<Line> lines) {
		if (REPLAYING.get() || lines.isEmpty()) {
			return List.of();
		}
		try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
				FileLock lock = channel.lock()) {
			if (channel.size() != size) {
				// another process appended since; continue its chain
				var check = read(size, sequence, head, null);
				if (!check.intact()) {
					throw new IllegalStateException("the erasure ledger " + file + " is broken: " + check.problem());
				}
			}
			Instant at = clock.instant();
			var text = new StringBuilder();
			var entries = new ArrayList<LedgerEntry>();
			long next = sequence;
			String previous = head;
			for (Line one : lines) {
				var entry = new LedgerEntry(++next, at, one.kind(), one.tenantId(), one.subjectId(), one.fileId(), one.recordId());
				String own = mac(entry, previous);
				var line = new LinkedHashMap<String, Object>();
				line.put("seq", entry.sequence());
				line.put("at", at.toString());
				line.put("kind", one.kind().name());
				line.put("tenant", one.tenantId());
				line.put("subject", one.subjectId() == null ? null : one.subjectId().toString());
				line.put("file", one.fileId() == null ? null : one.fileId().toString());
				if (one.recordId() != null) {
					line.put("record", one.recordId().toString());
				}
				line.put("prev", previous);
				line.put("mac", own);
				text.append(JsonMapper.shared().writeValueAsString(line)).append('\n');
				entries.add(entry);
				previous = own;
			}
			channel.position(channel.size());
			ByteBuffer buffer = ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8));
			while (buffer.hasRemaining()) {
				channel.write(buffer);
			}
			channel.force(true);
			size = channel.size();
			sequence = next;
			head = previous;
			return entries;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot append to the erasure ledger " + file, ex);
		}
	}

	/** Every entry at or after the instant, in ledger order; fails if the ledger is broken. */
	public synchronized List<LedgerEntry> entriesSince(Instant since) {
		var entries = new ArrayList<LedgerEntry>();
		try {
			var check = read(0, 0, GENESIS, entries);
			if (!check.intact()) {
				throw new IllegalStateException("the erasure ledger " + file + " is broken: " + check.problem()
						+ "; nothing was replayed");
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot read the erasure ledger " + file, ex);
		}
		return since == null ? entries : entries.stream().filter(e -> !e.at().isBefore(since)).toList();
	}

	/** Checks every line: sequence without gaps, each line's MAC, and the link to the line before. */
	public synchronized Verification verify() {
		try {
			return read(0, 0, GENESIS, null);
		}
		catch (IOException ex) {
			return new Verification(false, sequence, "cannot read " + file + " (" + ex.getMessage() + ")");
		}
	}

	/** Runs work whose erasures replay entries already in the ledger, so they are not appended again. */
	public static <T> T replaying(Supplier<T> work) {
		boolean before = REPLAYING.get();
		REPLAYING.set(true);
		try {
			return work.get();
		}
		finally {
			REPLAYING.set(before);
		}
	}

	public static boolean isReplaying() {
		return REPLAYING.get();
	}

	/**
	 * Reads lines from a byte offset, continuing a chain at the given sequence and MAC; on an intact read the head
	 * moves to the end. Collects entries where asked.
	 */
	private Verification read(long offset, long fromSequence, String fromHead, List<LedgerEntry> into) throws IOException {
		byte[] all = Files.readAllBytes(file);
		if (all.length < offset) {
			// lines this process wrote or read are gone: the file was cut short or replaced under it
			return new Verification(false, fromSequence, "the file is shorter (" + all.length + " bytes) than the "
					+ offset + " bytes already read from it");
		}
		String text = new String(all, (int) offset, (int) (all.length - offset), StandardCharsets.UTF_8);
		long expected = fromSequence;
		String previous = fromHead;
		int lineNumber = 0;
		for (String line : text.split("\n")) {
			if (line.isEmpty()) {
				continue;
			}
			lineNumber++;
			LedgerEntry entry;
			String prev;
			String own;
			try {
				JsonNode node = JsonMapper.shared().readTree(line);
				entry = new LedgerEntry(node.get("seq").asLong(), Instant.parse(node.get("at").asString()),
						ErasureKind.valueOf(node.get("kind").asString()), node.get("tenant").asString(), uuid(node.get("subject")),
						uuid(node.get("file")), uuid(node.get("record")));
				prev = node.get("prev").asString();
				own = node.get("mac").asString();
			}
			catch (RuntimeException ex) {
				return new Verification(false, expected, "entry " + (expected + 1) + " is not a ledger line (EDITED)");
			}
			if (entry.sequence() != expected + 1) {
				return new Verification(false, expected, "entry " + (expected + 1) + " is missing; the next line is entry "
						+ entry.sequence() + " (REMOVED or REORDERED)");
			}
			if (!verifyMac(entry, prev, own)) {
				return new Verification(false, expected, "entry " + entry.sequence() + " does not match its MAC (EDITED)");
			}
			if (!prev.equals(previous)) {
				return new Verification(false, expected, "entry " + entry.sequence()
						+ " does not follow the entry before it (REORDERED, or entries removed before it)");
			}
			if (into != null) {
				into.add(entry);
			}
			expected = entry.sequence();
			previous = own;
		}
		size = all.length;
		sequence = expected;
		head = previous;
		return new Verification(true, expected, null);
	}

	private String mac(LedgerEntry entry, String previous) {
		try {
			return HexFormat.of().formatHex(mac.computeMac(canonical(entry, previous)));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("cannot compute the ledger MAC", ex);
		}
	}

	private boolean verifyMac(LedgerEntry entry, String previous, String own) {
		try {
			mac.verifyMac(HexFormat.of().parseHex(own), canonical(entry, previous));
			return true;
		}
		catch (GeneralSecurityException | IllegalArgumentException ex) {
			return false;
		}
	}

	/**
	 * Every field, one per line; none of them can hold a line break (ids, an instant, an enum name, hex). The record
	 * id comes last and only where there is one, so entries written before it existed keep their MACs.
	 */
	private static byte[] canonical(LedgerEntry entry, String previous) {
		String fields = String.join("\n", Long.toString(entry.sequence()), entry.at().toString(), entry.kind().name(),
				entry.tenantId(), String.valueOf(entry.subjectId()), String.valueOf(entry.fileId()), previous);
		return (entry.recordId() == null ? fields : fields + "\nrecord:" + entry.recordId()).getBytes(StandardCharsets.UTF_8);
	}

	private static UUID uuid(JsonNode node) {
		return node == null || node.isNull() ? null : UUID.fromString(node.asString());
	}

	/** A line without its line break was being written when the process died; its transaction never committed. */
	private void cutTornLine() throws IOException {
		try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
			long length = channel.size();
			if (length == 0) {
				return;
			}
			long end = length;
			ByteBuffer one = ByteBuffer.allocate(1);
			while (end > 0) {
				one.clear();
				channel.read(one, end - 1);
				if (one.get(0) == '\n') {
					break;
				}
				end--;
			}
			if (end < length) {
				log.warn("The erasure ledger {} ended in a torn line ({} bytes, a write interrupted by a crash); it was cut off",
						file, length - end);
				channel.truncate(end);
				channel.force(true);
			}
		}
	}
}

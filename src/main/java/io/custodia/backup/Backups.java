package io.custodia.backup;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.DigestInputStream;
import java.security.DigestOutputStream;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

import javax.sql.DataSource;

import org.springframework.stereotype.Service;

import com.google.crypto.tink.StreamingAead;

import io.custodia.keys.KeyManagement;
import io.custodia.keys.ServiceKeys;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Creates, lists, verifies, restores and prunes backups. A backup is two files in the backup directory: the
 * ciphertext ({@code ID.backup}: a zip of the database export and the files directory, encrypted with Tink
 * streaming AEAD, AES-256-GCM-HKDF in 1 MiB segments, under the backup's own key, associated data
 * {@code custodia/backup/ID}) and a description in the clear ({@code ID.json}: times, counts and the SHA-256 of the
 * ciphertext, no personal data). The key is in the service key store; {@link #prune()} destroys it when the backup
 * is {@code custodia.backup.retention} (30 days) old, and a backup found expired is never opened.
 */
@Service
public class Backups {

	private static final DateTimeFormatter ID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

	/** A backup as its description tells it. */
	public record BackupInfo(String id, Instant createdAt, Instant expiresAt, String database, String schemaVersion,
			long bytes, String sha256, Map<String, Long> rows, long files, boolean keyPresent) {
	}

	/** What a verification found: intact, or the first problem. */
	public record Verification(String id, boolean intact, String problem) {
	}

	/** What a restore did, the replay of the erasure ledger included. */
	public record Restored(BackupInfo backup, long rows, long files, Instant replayedSince, ErasureReplays.Report replay) {
	}

	/** Thrown when a backup cannot be read or restored; the message says why. */
	public static class BackupException extends RuntimeException {

		BackupException(String message, Throwable cause) {
			super(message, cause);
		}
	}

	private final BackupConfiguration.Locations locations;

	private final BackupProperties properties;

	private final ServiceKeys serviceKeys;

	private final KeyManagement keys;

	private final DataSource dataSource;

	private final ErasureReplays replays;

	private final Clock clock;

	Backups(BackupConfiguration.Locations locations, BackupProperties properties, ServiceKeys serviceKeys,
			KeyManagement keys, DataSource dataSource, ErasureReplays replays, Clock clock) {
		this.locations = locations;
		this.properties = properties;
		this.serviceKeys = serviceKeys;
		this.keys = keys;
		this.dataSource = dataSource;
		this.replays = replays;
		this.clock = clock;
	}

	public Path directory() {
		return locations.backups();
	}

	/** Takes a backup now: the database in one consistent snapshot, then the files directory. */
	public BackupInfo create() {
		Instant now = clock.instant();
		String id = ID_TIME.format(now) + "-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()).substring(0, 6);
		Path target = locations.backups().resolve(id + ".backup");
		Path partial = locations.backups().resolve(id + ".backup.partial");
		StreamingAead aead = serviceKeys.createBackupKey(id);
		try {
			Files.createDirectories(locations.backups());
			Files.createFile(partial, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
			MessageDigest digest = sha256();
			var rows = new LinkedHashMap<String, Long>();
			long files;
			String database;
			String schema;
			try (OutputStream file = Files.newOutputStream(partial);
					OutputStream hashed = new DigestOutputStream(file, digest);
					OutputStream encrypted = aead.newEncryptingStream(hashed, context(id));
					ZipOutputStream zip = new ZipOutputStream(encrypted)) {
				zip.setLevel(Deflater.BEST_SPEED);
				try (Connection connection = dataSource.getConnection()) {
					connection.setAutoCommit(false);
					connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
					try {
						database = connection.getMetaData().getDatabaseProductName();
						schema = DatabaseExport.schemaVersion(connection);
						var manifest = new LinkedHashMap<String, Object>();
						manifest.put("id", id);
						manifest.put("created_at", now.toString());
						manifest.put("database", database);
						manifest.put("schema_version", schema);
						entry(zip, "manifest.json", manifest);
						int n = 0;
						for (var table : DatabaseExport.tables(connection)) {
							zip.putNextEntry(new ZipEntry(String.format("db/%03d-%s.jsonl", n++, table.name())));
							Writer writer = DatabaseExport.writer(zip);
							rows.put(table.name(), DatabaseExport.export(connection, table, writer));
							writer.close();
							zip.closeEntry();
						}
					}
					finally {
						connection.rollback();
					}
				}
				files = copyFiles(zip);
				var summary = new LinkedHashMap<String, Object>();
				summary.put("rows", rows);
				summary.put("files", files);
				entry(zip, "summary.json", summary);
			}
			force(partial);
			Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
			var info = new BackupInfo(id, now, now.plus(properties.retention()), database, schema, Files.size(target),
					HexFormat.of().formatHex(digest.digest()), rows, files, true);
			writeDescription(info);
			return info;
		}
		catch (IOException | SQLException | GeneralSecurityException | RuntimeException ex) {
			serviceKeys.destroyBackupKey(id);
			try {
				Files.deleteIfExists(partial);
			}
			catch (IOException ignored) {
				// the partial file is unreadable without its key, destroyed just now
			}
			throw new BackupException("backup " + id + " failed: " + ex.getMessage(), ex);
		}
	}

	/** Every backup in the directory, newest first. */
	public List<BackupInfo> list() {
		try (Stream<Path> files = Files.list(locations.backups())) {
			return files.filter(p -> p.getFileName().toString().endsWith(".json"))
				.map(this::readDescription)
				.flatMap(Optional::stream)
				.sorted(Comparator.comparing(BackupInfo::createdAt).reversed())
				.toList();
		}
		catch (java.nio.file.NoSuchFileException ex) {
			return List.of();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot list " + locations.backups(), ex);
		}
	}

	public Optional<BackupInfo> find(String id) {
		return list().stream().filter(b -> b.id().equals(id)).findFirst();
	}

	/**
	 * Reads the whole backup: the ciphertext's SHA-256, every segment's authentication, the end of the stream, and
	 * the rows and files against the counts written at the end.
	 */
	public Verification verify(String id) {
		try {
			BackupInfo info = readable(id);
			var counted = read(info, null);
			if (!counted.rows().equals(info.rows()) || counted.files() != info.files()) {
				return new Verification(id, false, "the content does not match its description (rows or files differ)");
			}
			return new Verification(id, true, null);
		}
		catch (BackupException ex) {
			return new Verification(id, false, ex.getMessage());
		}
	}

	/**
	 * Restores the database and the files directory from a backup, then applies the erasure ledger's entries since
	 * shortly before the backup was taken, so nothing erased, deleted or terminated since comes back. Stop every
	 * other instance first.
	 */
	public Restored restore(String id) {
		BackupInfo info = readable(id);
		Path staging = locations.files().resolveSibling(locations.files().getFileName() + ".restoring");
		Counted counted;
		try (Connection connection = dataSource.getConnection()) {
			connection.setAutoCommit(false);
			try {
				String schema = DatabaseExport.schemaVersion(connection);
				if (!schema.equals(info.schemaVersion())) {
					throw new BackupException("backup " + id + " was taken at schema version " + info.schemaVersion()
							+ " and this database is at " + schema + "; restore it with the release that took it, then upgrade", null);
				}
				deleteRecursively(staging);
				counted = read(info, new Target(connection, staging));
				if (!counted.rows().equals(info.rows()) || counted.files() != info.files()) {
					throw new BackupException("backup " + id + " does not match its description; nothing was restored", null);
				}
				connection.commit();
			}
			catch (SQLException | RuntimeException ex) {
				connection.rollback();
				deleteRecursively(staging);
				throw ex instanceof BackupException backup ? backup : new BackupException("restoring backup " + id + " failed; nothing was restored: " + ex.getMessage(), ex);
			}
		}
		catch (SQLException ex) {
			throw new BackupException("restoring backup " + id + " failed: " + ex.getMessage(), ex);
		}
		try {
			deleteRecursively(locations.files());
			if (Files.exists(staging)) {
				Files.move(staging, locations.files());
			}
		}
		catch (IOException ex) {
			throw new BackupException("the database of backup " + id + " is restored, but its files could not be put in place in "
					+ locations.files() + ": " + ex.getMessage() + "; the ledger was not replayed yet: run custodia erasures replay", ex);
		}
		keys.clearCaches();
		Instant since = info.createdAt().minus(properties.replayOverlap());
		var replay = replays.replaySince(since);
		return new Restored(info, counted.rows().values().stream().mapToLong(Long::longValue).sum(), counted.files(), since, replay);
	}

	/** Destroys the key of every backup at or past its expiry and deletes its files; returns their ids. */
	public List<String> prune() {
		Instant now = clock.instant();
		var pruned = new ArrayList<String>();
		for (BackupInfo info : list()) {
			if (!now.isBefore(info.expiresAt())) {
				expire(info.id());
				pruned.add(info.id());
			}
		}
		return pruned;
	}

	/**
	 * The backups that still hold readable ciphertext of what exists now (not expired, key present), newest first:
	 * the last of them to expire is the newest.
	 */
	public List<BackupInfo> live() {
		Instant now = clock.instant();
		return list().stream().filter(b -> b.keyPresent() && now.isBefore(b.expiresAt())).toList();
	}

	private void expire(String id) {
		serviceKeys.destroyBackupKey(id);
		try {
			Files.deleteIfExists(locations.backups().resolve(id + ".backup"));
			Files.deleteIfExists(locations.backups().resolve(id + ".json"));
		}
		catch (IOException ex) {
			throw new UncheckedIOException("the key of backup " + id + " is destroyed, but its files could not be deleted", ex);
		}
	}

	/** The backup's description, if it may be read: not expired (an expired one has its key destroyed now). */
	private BackupInfo readable(String id) {
		BackupInfo info = find(id).orElseThrow(() -> new BackupException("no backup " + id + " in " + locations.backups(), null));
		if (!clock.instant().isBefore(info.expiresAt())) {
			serviceKeys.destroyBackupKey(id);
			throw new BackupException("backup " + id + " expired at " + info.expiresAt()
					+ "; its key is destroyed and nobody can read it", null);
		}
		if (!serviceKeys.hasBackupKey(id)) {
			throw new BackupException("the key of backup " + id + " is destroyed (the backup expired): nobody can read it", null);
		}
		return info;
	}

	private record Counted(Map<String, Long> rows, long files) {
	}

	private record Target(Connection connection, Path staging) {
	}

	/** Reads and authenticates the whole backup; with a target, restores into it on the way. */
	private Counted read(BackupInfo info, Target target) {
		Path file = locations.backups().resolve(info.id() + ".backup");
		StreamingAead aead;
		try {
			aead = serviceKeys.backupKey(info.id());
		}
		catch (RuntimeException ex) {
			throw new BackupException(ex.getMessage(), ex);
		}
		MessageDigest digest = sha256();
		var rows = new LinkedHashMap<String, Long>();
		long files = 0;
		boolean summary = false;
		try (InputStream raw = Files.newInputStream(file);
				InputStream hashed = new DigestInputStream(raw, digest);
				InputStream plain = aead.newDecryptingStream(hashed, context(info.id()));
				ZipInputStream zip = new ZipInputStream(plain)) {
			Map<String, DatabaseExport.Table> current = null;
			boolean postgres = false;
			ZipEntry entry;
			while ((entry = zip.getNextEntry()) != null) {
				String name = entry.getName();
				if (name.startsWith("db/")) {
					var reader = new BufferedReader(new InputStreamReader(nonClosing(zip), StandardCharsets.UTF_8));
					if (target == null) {
						reader.readLine();
						long count = 0;
						String line;
						while ((line = reader.readLine()) != null && !line.isEmpty()) {
							count++;
						}
						rows.put(tableName(name), count);
					}
					else {
						if (current == null) {
							var tables = DatabaseExport.tables(target.connection());
							current = tables.stream().collect(Collectors.toMap(DatabaseExport.Table::name, Function.identity()));
							postgres = target.connection().getMetaData().getDatabaseProductName().toLowerCase().contains("postgres");
							DatabaseExport.deleteAll(target.connection(), tables);
						}
						rows.put(tableName(name), DatabaseExport.restore(target.connection(), current, reader, postgres));
					}
				}
				else if (name.startsWith("files/")) {
					files++;
					if (target != null) {
						Path out = target.staging().resolve(name.substring("files/".length())).normalize();
						if (!out.startsWith(target.staging())) {
							throw new BackupException("backup " + info.id() + " names a file outside the files directory: " + name, null);
						}
						Files.createDirectories(out.getParent());
						Files.copy(zip, out, StandardCopyOption.REPLACE_EXISTING);
					}
					else {
						zip.transferTo(OutputStream.nullOutputStream());
					}
				}
				else if (name.equals("summary.json")) {
					summary = true;
				}
				zip.closeEntry();
			}
			plain.transferTo(OutputStream.nullOutputStream());
		}
		catch (IOException | GeneralSecurityException ex) {
			throw new BackupException("backup " + info.id() + " cannot be read: it is damaged, altered or truncated (" + ex.getMessage() + ")", ex);
		}
		catch (SQLException ex) {
			throw new BackupException("restoring backup " + info.id() + " into the database failed: " + ex.getMessage(), ex);
		}
		if (!summary) {
			throw new BackupException("backup " + info.id() + " is incomplete (no summary at its end)", null);
		}
		if (!HexFormat.of().formatHex(digest.digest()).equals(info.sha256())) {
			throw new BackupException("backup " + info.id() + " is not the file that was written (SHA-256 differs)", null);
		}
		return new Counted(rows, files);
	}

	private long copyFiles(ZipOutputStream zip) throws IOException {
		Path root = locations.files();
		if (!Files.isDirectory(root)) {
			return 0;
		}
		long count = 0;
		List<Path> all;
		try (Stream<Path> walk = Files.walk(root)) {
			all = walk.filter(Files::isRegularFile).sorted().toList();
		}
		for (Path file : all) {
			String relative = root.relativize(file).toString().replace(java.io.File.separatorChar, '/');
			zip.putNextEntry(new ZipEntry("files/" + relative));
			try (InputStream in = Files.newInputStream(file)) {
				in.transferTo(zip);
			}
			catch (java.nio.file.NoSuchFileException ex) {
				// deleted while the backup ran: it is gone, and its deletion is in the ledger
			}
			zip.closeEntry();
			count++;
		}
		return count;
	}

	private static String tableName(String entry) {
		String file = entry.substring("db/".length(), entry.length() - ".jsonl".length());
		return file.substring(file.indexOf('-') + 1);
	}

	private static void entry(ZipOutputStream zip, String name, Object json) throws IOException {
		zip.putNextEntry(new ZipEntry(name));
		zip.write(JsonMapper.shared().writeValueAsBytes(json));
		zip.closeEntry();
	}

	private void writeDescription(BackupInfo info) throws IOException {
		var json = new LinkedHashMap<String, Object>();
		json.put("id", info.id());
		json.put("created_at", info.createdAt().toString());
		json.put("expires_at", info.expiresAt().toString());
		json.put("database", info.database());
		json.put("schema_version", info.schemaVersion());
		json.put("bytes", info.bytes());
		json.put("sha256", info.sha256());
		json.put("rows", info.rows());
		json.put("files", info.files());
		Path file = locations.backups().resolve(info.id() + ".json");
		Path temporary = locations.backups().resolve(info.id() + ".json.tmp");
		Files.write(temporary, JsonMapper.shared().writerWithDefaultPrettyPrinter().writeValueAsBytes(json));
		force(temporary);
		Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE);
	}

	private Optional<BackupInfo> readDescription(Path file) {
		try {
			JsonNode json = JsonMapper.shared().readTree(Files.readString(file));
			var rows = new LinkedHashMap<String, Long>();
			json.get("rows").properties().forEach(e -> rows.put(e.getKey(), e.getValue().asLong()));
			String id = json.get("id").asString();
			return Optional.of(new BackupInfo(id, Instant.parse(json.get("created_at").asString()),
					Instant.parse(json.get("expires_at").asString()), json.get("database").asString(),
					json.get("schema_version").asString(), json.get("bytes").asLong(), json.get("sha256").asString(), rows,
					json.get("files").asLong(), serviceKeys.hasBackupKey(id)));
		}
		catch (IOException | RuntimeException ex) {
			return Optional.empty();
		}
	}

	private static byte[] context(String id) {
		return ("custodia/backup/" + id).getBytes(StandardCharsets.UTF_8);
	}

	private static MessageDigest sha256() {
		try {
			return MessageDigest.getInstance("SHA-256");
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("every JVM has SHA-256", ex);
		}
	}

	private static void force(Path file) throws IOException {
		try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
			channel.force(true);
		}
	}

	private static InputStream nonClosing(InputStream in) {
		return new java.io.FilterInputStream(in) {
			@Override
			public void close() {
			}
		};
	}

	private static void deleteRecursively(Path dir) {
		if (!Files.exists(dir)) {
			return;
		}
		try (Stream<Path> walk = Files.walk(dir)) {
			for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
				Files.delete(p);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot delete " + dir, ex);
		}
	}
}

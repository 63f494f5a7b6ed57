package io.custodia.vault;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.NoSuchFileException;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

import io.custodia.audit.AuditAction;
import io.custodia.audit.AuditEvent;
import io.custodia.audit.AuditTrail;

import com.google.crypto.tink.StreamingAead;

/**
 * A tenant's files: stored, listed, read (any byte range), moved and deleted. Content streams through in 1 MiB
 * pieces, never whole into memory. Every act is in the tenant's audit trail with the file's id, never its path.
 */
@Service
public class Vault {

	private static final Logger log = LoggerFactory.getLogger(Vault.class);

	/** How much content is read from the caller and encrypted at a time. */
	static final int CHUNK = 1 << 20;

	private final VaultFiles files;

	private final FileKeys keys;

	private final BlobStore blobs;

	private final AuditTrail audit;

	private final Clock clock;

	private final ApplicationEventPublisher events;

	private final VaultProperties properties;

	private final JdbcClient jdbc;

	private final TransactionTemplate transaction;

	private final TransactionTemplate ownTransaction;

	Vault(VaultFiles files, FileKeys keys, BlobStore blobs, AuditTrail audit, Clock clock, ApplicationEventPublisher events,
			VaultProperties properties, JdbcClient jdbc, PlatformTransactionManager transactions) {
		this.files = files;
		this.keys = keys;
		this.blobs = blobs;
		this.audit = audit;
		this.clock = clock;
		this.events = events;
		this.properties = properties;
		this.jdbc = jdbc;
		this.transaction = new TransactionTemplate(transactions);
		this.ownTransaction = new TransactionTemplate(transactions);
		this.ownTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
	}

	/** What a tenant's vault holds and may hold. */
	public record Usage(long usedBytes, long usedFiles, long quotaBytes, long quotaFiles) {
	}

	/** A folder's files and direct subfolders; with {@code recursive}, every file below it and no subfolders. */
	public record Listing(String folder, boolean recursive, List<String> folders, List<VaultFile> files) {
	}

	/** An opened file: {@code content} is the plaintext, seekable; each piece read is verified. Close it. */
	public record Download(VaultFile file, SeekableByteChannel content, SeekableByteChannel ciphertext) implements AutoCloseable {

		@Override
		public void close() throws IOException {
			try {
				content.close();
			}
			finally {
				ciphertext.close();
			}
		}
	}

	/**
	 * Stores the content under a new path, encrypting it as it streams in. {@code declaredSize} (or -1 when
	 * unknown) lets a quota refuse before reading anything; the quota is enforced on the bytes read either way.
	 */
	public VaultFile store(String tenantId, String path, InputStream content, long declaredSize, String actor) throws IOException {
		String normal = VaultPaths.file("path", path);
		byte[] index = keys.pathIndex(tenantId, normal);
		ownTransaction.executeWithoutResult(s -> files.ensureUsage(tenantId));
		Usage before = usage(tenantId);
		if (files.findByPath(tenantId, index).isPresent()) {
			throw new PathTakenException();
		}
		checkQuota(before, Math.max(declaredSize, 0));
		long room = before.quotaBytes() - before.usedBytes();
		UUID id = UUID.randomUUID();
		FileKeys.NewKey key = keys.generate(tenantId, id);
		long size = 0;
		try (BlobStore.PendingBlob blob = blobs.create(tenantId, id)) {
			try (WritableByteChannel out = key.aead().newEncryptingChannel(blob.channel(), FileKeys.contentContext(tenantId, id))) {
				byte[] buffer = new byte[CHUNK];
				ByteBuffer wrapped = ByteBuffer.wrap(buffer);
				int read;
				while ((read = content.readNBytes(buffer, 0, buffer.length)) > 0) {
					size += read;
					if (size > room) {
						throw quotaBytes(before.quotaBytes(), before.usedBytes());
					}
					wrapped.clear().limit(read);
					while (wrapped.hasRemaining()) {
						out.write(wrapped);
					}
				}
			}
			catch (GeneralSecurityException ex) {
				throw new IllegalStateException("cannot encrypt a file of tenant " + tenantId, ex);
			}
			blob.commit();
		}
		Instant now = now();
		var row = new VaultFiles.Row(id, tenantId, keys.seal(tenantId, "path", id, normal), key.wrapped(), size, now, now);
		long stored = size;
		try {
			transaction.executeWithoutResult(status -> {
				VaultFiles.Usage locked = files.lockUsage(tenantId);
				checkQuota(usage(locked), stored);
				try {
					files.insert(row, index);
				}
				catch (DuplicateKeyException ex) {
					throw new PathTakenException();
				}
				files.addUsage(tenantId, stored, 1);
				audit.record(new AuditEvent(tenantId, actor, AuditAction.FILE_STORED, null, null, null,
						Map.of("file_id", id.toString(), "size", Long.toString(stored))));
			});
		}
		catch (RuntimeException ex) {
			blobs.delete(tenantId, id);
			throw ex;
		}
		return VaultFile.of(id, normal, size, now, now);
	}

	/** The file's description (no content, not audited: the path is the tenant's own and stays in its answer). */
	public VaultFile describe(String tenantId, UUID fileId) {
		return view(files.find(tenantId, fileId).orElseThrow(() -> new VaultNotFoundException("file")));
	}

	/** The file at the path, found by blind index. */
	public VaultFile lookup(String tenantId, String path) {
		String normal = VaultPaths.file("path", path);
		return files.findByPath(tenantId, keys.pathIndex(tenantId, normal))
			.map(row -> VaultFile.of(row.id(), normal, row.size(), row.createdAt(), row.updatedAt()))
			.orElseThrow(() -> new VaultNotFoundException("file"));
	}

	public Listing list(String tenantId, String folder, boolean recursive) {
		String normal = VaultPaths.folder("folder", folder);
		return listing(tenantId, normal, recursive, files.all(tenantId).stream().map(this::view).toList());
	}

	static Listing listing(String tenantId, String folder, boolean recursive, List<VaultFile> all) {
		var found = new ArrayList<VaultFile>();
		var folders = new TreeSet<String>();
		for (VaultFile file : all) {
			if (!VaultPaths.within(file.path(), folder)) {
				continue;
			}
			if (recursive || file.folder().equals(folder)) {
				found.add(file);
			}
			else {
				String rest = file.path().substring(folder.equals("/") ? 1 : folder.length() + 1);
				folders.add(rest.substring(0, rest.indexOf('/')));
			}
		}
		found.sort((a, b) -> a.path().compareTo(b.path()));
		return new Listing(folder, recursive, List.copyOf(folders), found);
	}

	/**
	 * Opens the file for reading and records the read; {@code range} says what is read ("all" or "bytes=a-b"), for
	 * the audit only. A blob that was changed fails on the first read of a changed piece.
	 */
	public Download open(String tenantId, UUID fileId, String range, String actor) throws IOException {
		Download download = openUnaudited(tenantId, fileId);
		try {
			audit.record(new AuditEvent(tenantId, actor, AuditAction.FILE_READ, null, null, null,
					Map.of("file_id", fileId.toString(), "range", range)));
		}
		catch (RuntimeException ex) {
			download.close();
			throw ex;
		}
		return download;
	}

	/** Opens the file; the caller records the read (an operator's read goes to the grant's log). */
	Download openUnaudited(String tenantId, UUID fileId) throws IOException {
		VaultFiles.Row row = files.find(tenantId, fileId).orElseThrow(() -> new VaultNotFoundException("file"));
		StreamingAead aead = keys.unwrap(tenantId, fileId, row.wrappedKey());
		SeekableByteChannel ciphertext;
		try {
			ciphertext = blobs.open(tenantId, fileId);
		}
		catch (NoSuchFileException ex) {
			throw new IntegrityException("the content of this file is missing from the blob store", ex);
		}
		try {
			SeekableByteChannel content = aead.newSeekableDecryptingChannel(ciphertext, FileKeys.contentContext(tenantId, fileId));
			return new Download(view(row), content, ciphertext);
		}
		catch (GeneralSecurityException | IOException ex) {
			ciphertext.close();
			throw new IntegrityException("the content of this file does not decrypt: it was changed or damaged", ex);
		}
	}

	/** Gives the file a new path (folder and name); the content and its key stay as they are. */
	public VaultFile move(String tenantId, UUID fileId, String newPath, String actor) {
		String normal = VaultPaths.file("path", newPath);
		byte[] index = keys.pathIndex(tenantId, normal);
		return transaction.execute(status -> {
			VaultFiles.Row row = files.find(tenantId, fileId).orElseThrow(() -> new VaultNotFoundException("file"));
			var holder = files.findByPath(tenantId, index);
			if (holder.isPresent()) {
				if (holder.get().id().equals(fileId)) {
					return view(row);
				}
				throw new PathTakenException();
			}
			Instant now = now();
			try {
				files.move(tenantId, fileId, index, keys.seal(tenantId, "path", fileId, normal), now);
			}
			catch (DuplicateKeyException ex) {
				throw new PathTakenException();
			}
			audit.record(new AuditEvent(tenantId, actor, AuditAction.FILE_MOVED, null, null, null, Map.of("file_id", fileId.toString())));
			return VaultFile.of(fileId, normal, row.size(), row.createdAt(), now);
		});
	}

	/**
	 * Deletes the file: its wrapped key goes with its row, so every copy of the blob, in backups too, is unreadable
	 * from this commit on; then the blob itself is removed. Publishes {@link FileDeleted}.
	 */
	public void delete(String tenantId, UUID fileId, String actor) {
		Instant at = now();
		transaction.executeWithoutResult(status -> {
			VaultFiles.Row row = files.find(tenantId, fileId).orElseThrow(() -> new VaultNotFoundException("file"));
			files.delete(tenantId, fileId);
			files.addUsage(tenantId, -row.size(), -1);
			audit.record(new AuditEvent(tenantId, actor, AuditAction.FILE_DELETED, null, null, null,
					Map.of("file_id", fileId.toString(), "size", Long.toString(row.size()))));
			events.publishEvent(new FileDeleted(tenantId, fileId, at));
		});
		try {
			blobs.delete(tenantId, fileId);
		}
		catch (IOException ex) {
			// the key is gone: what is left is ciphertext nobody can open
			log.warn("The blob of deleted file {} of tenant {} could not be removed ({}); it is unreadable without its key",
					fileId, tenantId, ex.toString());
		}
	}

	public Usage usage(String tenantId) {
		return usage(files.usage(tenantId).orElse(new VaultFiles.Usage(0, 0, null, null)));
	}

	/** Sets the tenant's own quotas; null restores the configured default. */
	public Usage setQuota(String tenantId, Long maxBytes, Long maxFiles) {
		if (maxBytes != null && maxBytes < 0 || maxFiles != null && maxFiles < 0) {
			throw new InvalidInputException("quota", "is negative", "a number of bytes or files, at least 0");
		}
		ownTransaction.executeWithoutResult(s -> files.ensureUsage(tenantId));
		transaction.executeWithoutResult(s -> files.setLimits(tenantId, maxBytes, maxFiles));
		return usage(tenantId);
	}

	/**
	 * Removes the tenant's whole vault, for tenant end: every file row with its wrapped key, the usage row, the
	 * operator grants and their read log, then every blob. Needs no key (the tenant's keys may already be
	 * destroyed) and records nothing in the audit trail: the caller records the termination. Publishes no
	 * {@link FileDeleted} per file: a restore re-applies the tenant's termination instead.
	 */
	public VaultPurge deleteAllOf(String tenantId) {
		long[] counted = transaction.execute(status -> {
			long[] countAndBytes = files.countAndBytes(tenantId);
			files.deleteAll(tenantId);
			files.deleteUsage(tenantId);
			jdbc.sql("delete from vault_operator_read where tenant_id = ?").param(tenantId).update();
			jdbc.sql("delete from vault_grant where tenant_id = ?").param(tenantId).update();
			return countAndBytes;
		});
		long removed;
		try {
			removed = blobs.deleteAll(tenantId);
		}
		catch (IOException ex) {
			throw new IllegalStateException("the vault rows of tenant " + tenantId + " are deleted (its files are unreadable)"
					+ " but its blobs could not all be removed: " + ex.getMessage() + "; run deleteAllOf again", ex);
		}
		return new VaultPurge(tenantId, counted[0], counted[1], removed);
	}

	private Usage usage(VaultFiles.Usage row) {
		return new Usage(row.usedBytes(), row.usedFiles(),
				row.maxBytes() != null ? row.maxBytes() : properties.quotaBytes().toBytes(),
				row.maxFiles() != null ? row.maxFiles() : properties.quotaFiles());
	}

	private static void checkQuota(Usage usage, long adding) {
		if (usage.usedFiles() + 1 > usage.quotaFiles()) {
			throw new QuotaExceededException("quota_files", usage.quotaFiles(), usage.usedFiles(),
					"the vault holds " + usage.usedFiles() + " files and its quota_files is " + usage.quotaFiles()
							+ ": delete files or ask for a larger quota");
		}
		if (usage.usedBytes() + adding > usage.quotaBytes()) {
			throw quotaBytes(usage.quotaBytes(), usage.usedBytes());
		}
	}

	private static QuotaExceededException quotaBytes(long quota, long used) {
		return new QuotaExceededException("quota_bytes", quota, used, "the file does not fit: the vault's quota_bytes is " + quota
				+ " and " + used + " are used (" + Math.max(0, quota - used) + " left)");
	}

	private VaultFile view(VaultFiles.Row row) {
		return VaultFile.of(row.id(), keys.open(row.tenantId(), "path", row.id(), row.sealedPath()), row.size(), row.createdAt(),
				row.updatedAt());
	}

	private Instant now() {
		return clock.instant().truncatedTo(ChronoUnit.MICROS);
	}
}

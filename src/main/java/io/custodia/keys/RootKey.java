package io.custodia.keys;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import com.google.crypto.tink.aead.PredefinedAeadParameters;

import io.custodia.InvalidConfigurationException;

/**
 * The root keyset: a file outside the data directory, readable by its owner only. It never enters the
 * database or a backup. Rotation adds a new primary key and keeps the old ones, so tenant keysets wrapped
 * under them stay readable until they are wrapped again.
 */
final class RootKey {

	private static final Logger log = LoggerFactory.getLogger(RootKey.class);

	private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

	private final Path file;

	private volatile KeysetHandle keyset;

	private volatile Aead aead;

	private RootKey(Path file, KeysetHandle keyset) throws GeneralSecurityException {
		this.file = file;
		use(keyset);
	}

	/**
	 * Loads the root keyset. On the embedded database a missing one is generated (first start); with an
	 * external database it must be provisioned, since generating one there would silently strand the data.
	 */
	static RootKey load(KeysProperties properties, Path dataDirectory, boolean embedded) {
		Tink.configuration();
		Path file = properties.root().toAbsolutePath().normalize();
		String setting = "custodia.keys.root";
		if (file.toString().contains("://")) {
			throw new InvalidConfigurationException(setting, "KMS URIs are not supported yet (" + properties.root() + ")",
					"Provision the root keyset as a file from your secret store and set custodia.keys.root to its path.");
		}
		if (file.startsWith(dataDirectory.toAbsolutePath().normalize())) {
			throw new InvalidConfigurationException(setting, file + " is inside the data directory",
					"Keep the root key outside custodia.data-dir, so that a copy of the data is never a copy of the key.");
		}
		try {
			if (Files.notExists(file)) {
				if (!embedded) {
					throw new InvalidConfigurationException(setting, "no root keyset at " + file,
							"Provision the root keyset file there (custodia keys generate-root FILE makes one), or restore it from its backup.");
				}
				KeysetHandle generated = KeysetHandle.generateNew(PredefinedAeadParameters.AES256_GCM);
				write(file, generated);
				log.warn("Generated a new root key at {} (owner read/write only). Back it up apart from the data: "
						+ "without it nothing stored can be read. In production provision it from a secret store.", file);
				return new RootKey(file, generated);
			}
			String json = Files.readString(file, StandardCharsets.UTF_8);
			return new RootKey(file, TinkJsonProtoKeysetFormat.parseKeyset(json, InsecureSecretKeyAccess.get()));
		}
		catch (IOException ex) {
			throw new InvalidConfigurationException(setting, "cannot read or write " + file + " (" + ex.getMessage() + ")",
					"Check that the directory exists and this user may read and write it.");
		}
		catch (GeneralSecurityException ex) {
			throw new InvalidConfigurationException(setting, file + " is not a Tink keyset",
					"Restore the root keyset file from its backup.");
		}
	}

	static void writeNew(Path file) throws IOException, GeneralSecurityException {
		Tink.configuration();
		write(file.toAbsolutePath().normalize(), KeysetHandle.generateNew(PredefinedAeadParameters.AES256_GCM));
	}

	Aead aead() {
		return aead;
	}

	/**
	 * Adds a new primary key to the root keyset file; earlier keys stay for reading until rewrapping is done. It
	 * starts from the file, not from the keyset read at start: another process may have added a key since, and
	 * wrapped tenant keysets under it, which writing the older keyset back would have stranded.
	 */
	synchronized void rotate() throws GeneralSecurityException, IOException {
		reload();
		KeysetHandle rotated = KeysetHandle.newBuilder(keyset)
			.addEntry(KeysetHandle.generateEntryFromParameters(PredefinedAeadParameters.AES256_GCM).withRandomId().makePrimary())
			.build();
		write(file, rotated);
		use(rotated);
	}

	/**
	 * Reads the file again: another process ({@code custodia keys rotate-root}) may have added a primary key and
	 * wrapped the tenant keysets under it, which the keyset read at start cannot open.
	 */
	synchronized void reload() throws IOException, GeneralSecurityException {
		use(TinkJsonProtoKeysetFormat.parseKeyset(Files.readString(file, StandardCharsets.UTF_8), InsecureSecretKeyAccess.get()));
	}

	Path file() {
		return file;
	}

	int primaryKeyId() {
		return keyset.getPrimary().getId();
	}

	int size() {
		return keyset.size();
	}

	private void use(KeysetHandle handle) throws GeneralSecurityException {
		this.keyset = handle;
		this.aead = handle.getPrimitive(Tink.configuration(), Aead.class);
	}

	/**
	 * Writes atomically with owner-only permissions: a crash never leaves half a key. The file's content and then
	 * the directory entry of the move are forced to disk before this returns, that is before the tenant keysets
	 * wrapped under the new key are committed: otherwise a power loss could leave the database holding keysets
	 * wrapped under a key that never reached the disk, and nothing of the data could be read again.
	 */
	private static void write(Path file, KeysetHandle handle) throws IOException, GeneralSecurityException {
		Path directory = file.getParent();
		Path created = topmostMissing(directory);
		Files.createDirectories(directory);
		Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
		Files.deleteIfExists(temporary);
		Files.createFile(temporary, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
		ByteBuffer json = ByteBuffer.wrap(TinkJsonProtoKeysetFormat.serializeKeyset(handle, InsecureSecretKeyAccess.get())
			.getBytes(StandardCharsets.UTF_8));
		try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
			while (json.hasRemaining()) {
				channel.write(json);
			}
			channel.force(true);
		}
		try {
			Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
		}
		catch (AtomicMoveNotSupportedException ex) {
			Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
		}
		forceDirectory(directory);
		// directories made here (first start) are entries of their parents, which must reach the disk as well
		for (Path made = directory; created != null && made.startsWith(created); made = made.getParent()) {
			forceDirectory(made.getParent());
		}
	}

	/** The highest of the directory and its parents that does not exist yet, or null when it exists. */
	private static Path topmostMissing(Path directory) {
		Path missing = null;
		for (Path path = directory; path != null && Files.notExists(path); path = path.getParent()) {
			missing = path;
		}
		return missing;
	}

	private static void forceDirectory(Path directory) {
		try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
			channel.force(true);
		}
		catch (IOException ex) {
			// some platforms (Windows) cannot open or force a directory; there the file system's own journal is what
			// keeps the move, and there is nothing more to ask of it
			log.debug("cannot force directory {} to disk: {}", directory, ex.toString());
		}
	}
}

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
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.util.regex.Pattern;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Service;

import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.Mac;
import com.google.crypto.tink.PublicKeySign;
import com.google.crypto.tink.PublicKeyVerify;
import com.google.crypto.tink.StreamingAead;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import com.google.crypto.tink.TinkProtoKeysetFormat;
import com.google.crypto.tink.mac.PredefinedMacParameters;
import com.google.crypto.tink.signature.PredefinedSignatureParameters;
import com.google.crypto.tink.signature.SignatureConfig;
import com.google.crypto.tink.streamingaead.PredefinedStreamingAeadParameters;
import com.google.crypto.tink.streamingaead.StreamingAeadConfig;

import io.custodia.CustodiaProperties;
import io.custodia.InvalidConfigurationException;

/**
 * Keys of the service itself rather than of a tenant, kept as files in the key store ({@code custodia.keys.store},
 * by default {@code store/} beside the root keyset), each keyset encrypted under the root key with its name as
 * associated data: one streaming key per backup (destroyed when the backup expires), the MAC key of the erasure
 * ledger, and the signing key of deletion certificates. The key store is never in the database and never in a
 * backup: a backup key kept in the database would travel in the next backup and outlive its expiry there.
 */
@Service
public class ServiceKeys {

	private static final Pattern NAME = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9._-]{0,120}$");

	private static final String LEDGER = "ledger-mac";

	private static final String SIGNING = "certificate-signing";

	private final RootKey root;

	private final Path store;

	ServiceKeys(RootKey root, KeysProperties keys, CustodiaProperties custodia,
			@Value("${custodia.keys.store:}") String configured) {
		this.root = root;
		this.store = (configured == null || configured.isBlank() ? keys.root().toAbsolutePath().normalize().getParent().resolve("store")
				: Path.of(configured)).toAbsolutePath().normalize();
		try {
			StreamingAeadConfig.register();
			SignatureConfig.register();
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("Tink could not register its primitives", ex);
		}
		if (store.startsWith(custodia.dataDir().toAbsolutePath().normalize())) {
			throw new InvalidConfigurationException("custodia.keys.store", store + " is inside the data directory",
					"Keep the key store outside custodia.data-dir (by default it is store/ beside the root keyset).");
		}
		try {
			Files.createDirectories(store);
		}
		catch (IOException ex) {
			throw new InvalidConfigurationException("custodia.keys.store", "cannot create " + store + " (" + ex.getMessage() + ")",
					"Point custodia.keys.store at a directory this user may create and write, outside the data directory.");
		}
		if (!Files.isWritable(store)) {
			throw new InvalidConfigurationException("custodia.keys.store", store + " is not writable",
					"Give this user write access to it, or point custodia.keys.store elsewhere.");
		}
	}

	/** Where the service keys live. */
	public Path store() {
		return store;
	}

	/** Creates the key of a new backup and returns its streaming AEAD. */
	public StreamingAead createBackupKey(String backupId) {
		try {
			KeysetHandle key = KeysetHandle.generateNew(PredefinedStreamingAeadParameters.AES256_GCM_HKDF_1MB);
			write(backupFile(backupId), backupContext(backupId), key);
			return key.getPrimitive(Tink.configuration(), StreamingAead.class);
		}
		catch (GeneralSecurityException | IOException ex) {
			throw new KeyFailure("cannot create the key of backup " + backupId, ex);
		}
	}

	/** Whether the backup's key still exists. */
	public boolean hasBackupKey(String backupId) {
		return Files.exists(backupFile(backupId));
	}

	/** The streaming AEAD of a backup; fails once its key is destroyed. */
	public StreamingAead backupKey(String backupId) {
		Path file = backupFile(backupId);
		if (!Files.exists(file)) {
			throw new KeyFailure("the key of backup " + backupId + " is destroyed (the backup expired): nobody can read it", null);
		}
		try {
			return read(file, backupContext(backupId)).getPrimitive(Tink.configuration(), StreamingAead.class);
		}
		catch (GeneralSecurityException | IOException ex) {
			throw new KeyFailure("cannot open the key of backup " + backupId + " with the root key", ex);
		}
	}

	/**
	 * Destroys a backup's key: overwrites the file, forces it to disk and deletes it. The key existed nowhere else,
	 * so the backup is unreadable from then on, with the root key too.
	 */
	public void destroyBackupKey(String backupId) {
		Path file = backupFile(backupId);
		try {
			if (Files.exists(file)) {
				long size = Files.size(file);
				try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
					channel.write(ByteBuffer.allocate((int) Math.max(size, 1)));
					channel.force(true);
				}
				Files.delete(file);
				forceDirectory(store);
			}
		}
		catch (IOException ex) {
			throw new KeyFailure("cannot destroy the key of backup " + backupId, ex);
		}
	}

	/** The erasure ledger's MAC, created on first use. */
	public synchronized Mac ledgerMac() {
		try {
			return loadOrCreate(LEDGER, () -> KeysetHandle.generateNew(PredefinedMacParameters.HMAC_SHA256_256BITTAG))
				.getPrimitive(Tink.configuration(), Mac.class);
		}
		catch (GeneralSecurityException | IOException ex) {
			throw new KeyFailure("cannot open the erasure ledger's MAC key in " + store, ex);
		}
	}

	/** Signs deletion certificates (Ed25519, raw signatures that any Ed25519 implementation verifies). */
	public synchronized PublicKeySign certificateSigner() {
		try {
			return signingKeyset().getPrimitive(Tink.configuration(), PublicKeySign.class);
		}
		catch (GeneralSecurityException | IOException ex) {
			throw new KeyFailure("cannot open the certificate signing key in " + store, ex);
		}
	}

	/** The public half of the certificate signing key, as a Tink JSON keyset: give it to whoever verifies. */
	public synchronized String certificatePublicKeyset() {
		try {
			return TinkJsonProtoKeysetFormat.serializeKeysetWithoutSecret(signingKeyset().getPublicKeysetHandle());
		}
		catch (GeneralSecurityException | IOException ex) {
			throw new KeyFailure("cannot read the certificate signing key in " + store, ex);
		}
	}

	/** Verifies a signature against a public keyset in Tink JSON form, without any service or secret. */
	public static PublicKeyVerify verifier(String publicKeysetJson) throws GeneralSecurityException {
		SignatureConfig.register();
		return TinkJsonProtoKeysetFormat.parseKeysetWithoutSecret(publicKeysetJson)
			.getPrimitive(Tink.configuration(), PublicKeyVerify.class);
	}

	private KeysetHandle signingKeyset() throws GeneralSecurityException, IOException {
		return loadOrCreate(SIGNING, () -> KeysetHandle.generateNew(PredefinedSignatureParameters.ED25519WithRawOutput));
	}

	private interface Generator {
		KeysetHandle generate() throws GeneralSecurityException;
	}

	private KeysetHandle loadOrCreate(String name, Generator generator) throws GeneralSecurityException, IOException {
		Path file = store.resolve(name + ".keyset");
		byte[] context = ("custodia/service/" + name).getBytes(StandardCharsets.UTF_8);
		if (Files.exists(file)) {
			return read(file, context);
		}
		KeysetHandle key = generator.generate();
		write(file, context, key);
		return key;
	}

	private Path backupFile(String backupId) {
		if (!NAME.matcher(backupId).matches()) {
			throw new IllegalArgumentException("not a backup id: " + backupId);
		}
		return store.resolve("backup-" + backupId + ".keyset");
	}

	private static byte[] backupContext(String backupId) {
		return ("custodia/backup/" + backupId).getBytes(StandardCharsets.UTF_8);
	}

	private KeysetHandle read(Path file, byte[] context) throws GeneralSecurityException, IOException {
		return TinkProtoKeysetFormat.parseEncryptedKeyset(Files.readAllBytes(file), root.aead(), context);
	}

	/** Written atomically, owner read/write only, and forced to disk: a crash never leaves half a key. */
	private void write(Path file, byte[] context, KeysetHandle key) throws GeneralSecurityException, IOException {
		byte[] wrapped = TinkProtoKeysetFormat.serializeEncryptedKeyset(key, root.aead(), context);
		Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
		Files.deleteIfExists(temporary);
		Files.createFile(temporary, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
		try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
			channel.write(ByteBuffer.wrap(wrapped));
			channel.force(true);
		}
		try {
			Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE);
		}
		catch (AtomicMoveNotSupportedException ex) {
			Files.move(temporary, file);
		}
		forceDirectory(store);
	}

	private static void forceDirectory(Path directory) {
		try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
			channel.force(true);
		}
		catch (IOException ex) {
			// not every file system lets a directory be opened; the file itself is forced already
		}
	}
}

package io.custodia.vault;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.UUID;

import org.springframework.stereotype.Component;

import io.custodia.keys.KeyManagement;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.StreamingAead;
import com.google.crypto.tink.TinkProtoKeysetFormat;
import com.google.crypto.tink.streamingaead.PredefinedStreamingAeadParameters;
import com.google.crypto.tink.streamingaead.StreamingAeadConfig;

/**
 * A random streaming-AEAD key per file (AES-256-GCM with HKDF, 1 MiB segments: each segment is authenticated,
 * so any byte range decrypts and verifies alone), wrapped by the tenant's data key. Associated data binds a
 * key and a blob to their tenant and file: a blob or wrapped key moved to another file does not open. Also seals
 * the vault's small texts (paths, grant folders and reasons) with the tenant key.
 */
@Component
class FileKeys {

	static {
		try {
			StreamingAeadConfig.register();
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("Tink could not register streaming AEAD", ex);
		}
	}

	private final KeyManagement keys;

	FileKeys(KeyManagement keys) {
		this.keys = keys;
	}

	record NewKey(StreamingAead aead, byte[] wrapped) {
	}

	NewKey generate(String tenantId, UUID fileId) {
		try {
			KeysetHandle key = KeysetHandle.generateNew(PredefinedStreamingAeadParameters.AES256_GCM_HKDF_1MB);
			byte[] wrapped = TinkProtoKeysetFormat.serializeEncryptedKeyset(key, keys.tenantAead(tenantId),
					context("key", tenantId, fileId));
			return new NewKey(key.getPrimitive(RegistryConfiguration.get(), StreamingAead.class), wrapped);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("cannot create a file key for tenant " + tenantId, ex);
		}
	}

	StreamingAead unwrap(String tenantId, UUID fileId, byte[] wrapped) {
		try {
			return TinkProtoKeysetFormat.parseEncryptedKeyset(wrapped, keys.tenantAead(tenantId), context("key", tenantId, fileId))
				.getPrimitive(RegistryConfiguration.get(), StreamingAead.class);
		}
		catch (GeneralSecurityException ex) {
			throw new IntegrityException("the key of this file does not open with the tenant key", ex);
		}
	}

	/** Associated data of a file's content. */
	static byte[] contentContext(String tenantId, UUID fileId) {
		return context("content", tenantId, fileId);
	}

	byte[] seal(String tenantId, String purpose, UUID owner, String text) {
		try {
			return keys.tenantAead(tenantId).encrypt(text.getBytes(StandardCharsets.UTF_8), context(purpose, tenantId, owner));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("cannot seal a " + purpose + " of tenant " + tenantId, ex);
		}
	}

	String open(String tenantId, String purpose, UUID owner, byte[] sealed) {
		try {
			Aead aead = keys.tenantAead(tenantId);
			return new String(aead.decrypt(sealed, context(purpose, tenantId, owner)), StandardCharsets.UTF_8);
		}
		catch (GeneralSecurityException ex) {
			throw new IntegrityException("a sealed " + purpose + " of the vault does not open with the tenant key", ex);
		}
	}

	byte[] pathIndex(String tenantId, String path) {
		return keys.blindIndex(tenantId, "vault-path", path);
	}

	private static byte[] context(String purpose, String tenantId, UUID id) {
		return ("custodia/vault/" + purpose + "/" + tenantId + "/" + id).getBytes(StandardCharsets.UTF_8);
	}
}

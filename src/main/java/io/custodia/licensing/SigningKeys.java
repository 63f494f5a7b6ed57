package io.custodia.licensing;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

import io.custodia.keys.KeyManagement;

import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.PublicKeySign;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import com.google.crypto.tink.TinkProtoKeysetFormat;
import com.google.crypto.tink.signature.PredefinedSignatureParameters;

/**
 * Each tenant's lease-signing key: a Tink Ed25519 keyset created on first use, its private half stored wrapped
 * by the tenant's data key, its public half stored as Tink JSON for publication.
 */
@Component
class SigningKeys {

	record Signer(PublicKeySign sign, String publicKeyset) {
	}

	private final JdbcClient jdbc;

	private final KeyManagement keys;

	private final Clock clock;

	private final TransactionTemplate own;

	private final Map<String, Signer> signers = new ConcurrentHashMap<>();

	SigningKeys(JdbcClient jdbc, KeyManagement keys, Clock clock, PlatformTransactionManager transactions) {
		this.jdbc = jdbc;
		this.keys = keys;
		this.clock = clock;
		this.own = new TransactionTemplate(transactions);
		this.own.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
		LeaseTokens.register();
	}

	Signer of(String tenantId) {
		return signers.computeIfAbsent(tenantId, this::load);
	}

	/** A tenant whose keys are destroyed: its unwrapped signing key goes from memory too. */
	@org.springframework.context.event.EventListener
	void on(io.custodia.keys.TenantKeysDestroyed destroyed) {
		forget(destroyed.tenantId());
	}

	void forget(String tenantId) {
		signers.remove(tenantId);
	}

	private record Stored(byte[] wrapped, String publicKeyset) {
	}

	private Signer load(String tenantId) {
		var stored = read(tenantId);
		if (stored == null) {
			try {
				own.executeWithoutResult(status -> create(tenantId));
			}
			catch (DuplicateKeyException ex) {
				// created by a concurrent first checkout
			}
			stored = read(tenantId);
		}
		try {
			KeysetHandle handle = TinkProtoKeysetFormat.parseEncryptedKeyset(stored.wrapped(), keys.tenantAead(tenantId),
					context(tenantId));
			return new Signer(handle.getPrimitive(RegistryConfiguration.get(), PublicKeySign.class), stored.publicKeyset());
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("cannot unwrap the signing key of tenant " + tenantId, ex);
		}
	}

	private Stored read(String tenantId) {
		return jdbc.sql("select wrapped_key, public_keyset from licence_signing_key where tenant_id = ?")
			.param(tenantId)
			.query((rs, n) -> new Stored(rs.getBytes(1), rs.getString(2)))
			.optional()
			.orElse(null);
	}

	private void create(String tenantId) {
		try {
			KeysetHandle handle = KeysetHandle.generateNew(PredefinedSignatureParameters.ED25519);
			byte[] wrapped = TinkProtoKeysetFormat.serializeEncryptedKeyset(handle, keys.tenantAead(tenantId), context(tenantId));
			String publicKeyset = TinkJsonProtoKeysetFormat.serializeKeysetWithoutSecret(handle.getPublicKeysetHandle());
			jdbc.sql("insert into licence_signing_key (tenant_id, wrapped_key, public_keyset, created_at) values (?, ?, ?, ?)")
				.params(tenantId, wrapped, publicKeyset, OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC))
				.update();
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("cannot create the signing key of tenant " + tenantId, ex);
		}
	}

	private static byte[] context(String tenantId) {
		return ("custodia/licensing/" + tenantId + "/signing").getBytes(StandardCharsets.UTF_8);
	}
}

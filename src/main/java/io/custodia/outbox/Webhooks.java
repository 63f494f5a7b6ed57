package io.custodia.outbox;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.Mac;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.TinkProtoKeysetFormat;
import com.google.crypto.tink.mac.HmacKey;
import com.google.crypto.tink.mac.HmacParameters;
import com.google.crypto.tink.mac.MacConfig;
import com.google.crypto.tink.util.SecretBytes;

import io.custodia.audit.AuditAction;
import io.custodia.audit.AuditEvent;
import io.custodia.audit.AuditTrail;
import io.custodia.keys.KeyManagement;

/**
 * Webhook endpoints per recipient of a tenant's policy, and the tenant's signing key. A webhook carries
 * {@code Custodia-Timestamp: <epoch seconds>} and {@code Custodia-Signature: v1=<hex HMAC-SHA256 of
 * "timestamp.body">}: receivers check it with the secret shown once when the key was made, and refuse old
 * timestamps. The key is a Tink keyset sealed with the tenant's data key; the MAC is Tink's.
 */
@Service
public class Webhooks {

	private final JdbcClient jdbc;

	private final KeyManagement keys;

	private final AuditTrail audit;

	private final Clock clock;

	private final Map<String, Mac> macs = new ConcurrentHashMap<>();

	Webhooks(JdbcClient jdbc, KeyManagement keys, AuditTrail audit, Clock clock) {
		this.jdbc = jdbc;
		this.keys = keys;
		this.audit = audit;
		this.clock = clock;
		try {
			MacConfig.register();
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("Tink could not register its MAC", ex);
		}
	}

	/** Where a recipient takes its webhooks, if configured. */
	public Optional<String> endpoint(String tenantId, String recipient) {
		return jdbc.sql("select url from webhook_endpoint where tenant_id = ? and recipient = ?")
			.params(tenantId, recipient)
			.query(String.class)
			.optional();
	}

	/** Every configured endpoint of the tenant, by recipient. */
	public Map<String, String> endpoints(String tenantId) {
		var result = new LinkedHashMap<String, String>();
		jdbc.sql("select recipient, url from webhook_endpoint where tenant_id = ? order by recipient")
			.param(tenantId)
			.query((java.sql.ResultSet rs) -> {
				result.put(rs.getString(1), rs.getString(2));
			});
		return result;
	}

	/**
	 * Sets a recipient's endpoint (http or https URL). The caller checks that the recipient is one the policy
	 * names. Returns the signing secret when this call had to create the tenant's key, else empty.
	 */
	@Transactional
	public Optional<String> configure(String tenantId, String recipient, String url, String actor) {
		URI uri;
		try {
			uri = URI.create(url == null ? "" : url.strip());
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException("url: not a URL; give an absolute http or https URL");
		}
		if (uri.getScheme() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))
				|| uri.getHost() == null) {
			throw new IllegalArgumentException("url: give an absolute http or https URL");
		}
		if (uri.toString().length() > 1000) {
			throw new IllegalArgumentException("url: at most 1000 characters (" + uri.toString().length() + " given)");
		}
		int updated = jdbc.sql("update webhook_endpoint set url = ?, updated_at = ? where tenant_id = ? and recipient = ?")
			.params(uri.toString(), utc(), tenantId, recipient)
			.update();
		if (updated == 0) {
			jdbc.sql("insert into webhook_endpoint (tenant_id, recipient, url, updated_at) values (?, ?, ?, ?)")
				.params(tenantId, recipient, uri.toString(), utc())
				.update();
		}
		audit.record(new AuditEvent(tenantId, actor, AuditAction.WEBHOOK_CONFIGURED, null, null, null,
				Map.of("recipient", recipient)));
		if (hasKey(tenantId)) {
			return Optional.empty();
		}
		return Optional.of(newKey(tenantId, actor));
	}

	public boolean hasKey(String tenantId) {
		return jdbc.sql("select count(*) from webhook_key where tenant_id = ?").param(tenantId).query(Integer.class).single() > 0;
	}

	/**
	 * Makes a new signing key for the tenant (replacing the old one) and returns its secret, base64: the only
	 * time it is shown.
	 */
	@Transactional
	public String newKey(String tenantId, String actor) {
		try {
			HmacParameters parameters = HmacParameters.builder()
				.setKeySizeBytes(32)
				.setTagSizeBytes(32)
				.setHashType(HmacParameters.HashType.SHA256)
				.setVariant(HmacParameters.Variant.NO_PREFIX)
				.build();
			SecretBytes secret = SecretBytes.randomBytes(32);
			HmacKey key = HmacKey.builder().setParameters(parameters).setKeyBytes(secret).build();
			KeysetHandle handle = KeysetHandle.newBuilder()
				.addEntry(KeysetHandle.importKey(key).withRandomId().makePrimary())
				.build();
			byte[] sealed = TinkProtoKeysetFormat.serializeEncryptedKeyset(handle, keys.tenantAead(tenantId), context(tenantId));
			jdbc.sql("delete from webhook_key where tenant_id = ?").param(tenantId).update();
			jdbc.sql("insert into webhook_key (tenant_id, keyset, created_at) values (?, ?, ?)").params(tenantId, sealed, utc()).update();
			macs.remove(tenantId);
			audit.record(new AuditEvent(tenantId, actor, AuditAction.WEBHOOK_KEY_CREATED, null, null, null,
					Map.of("algorithm", "HMAC-SHA256")));
			return Base64.getEncoder().encodeToString(secret.toByteArray(InsecureSecretKeyAccess.get()));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("cannot create the webhook key of a tenant", ex);
		}
	}

	/** The hex HMAC of {@code timestamp + "." + body} with the tenant's key. */
	String sign(String tenantId, String timestamp, byte[] body) {
		try {
			return Delivery.hex(mac(tenantId).computeMac(Delivery.signed(timestamp, body)));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("cannot sign a webhook", ex);
		}
	}

	private Mac mac(String tenantId) {
		return macs.computeIfAbsent(tenantId, t -> {
			byte[] sealed = jdbc.sql("select keyset from webhook_key where tenant_id = ?")
				.param(t)
				.query(byte[].class)
				.optional()
				.orElseThrow(() -> new IllegalStateException("the tenant has no webhook key: create one first"));
			try {
				return TinkProtoKeysetFormat.parseEncryptedKeyset(sealed, keys.tenantAead(t), context(t))
					.getPrimitive(RegistryConfiguration.get(), Mac.class);
			}
			catch (GeneralSecurityException ex) {
				throw new IllegalStateException("the webhook key of a tenant does not open", ex);
			}
		});
	}

	private static byte[] context(String tenantId) {
		return (tenantId + "|webhook-key").getBytes(StandardCharsets.UTF_8);
	}

	private OffsetDateTime utc() {
		return OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
	}
}

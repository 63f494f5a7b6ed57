package io.custodia.tenancy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;

import io.custodia.audit.AuditAction;
import io.custodia.audit.AuditEvent;
import io.custodia.audit.AuditTrail;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Issues and checks API keys. A key reads {@code cst_<id>_<secret>}: the id finds the row, the secret's
 * SHA-256 is compared in constant time. The secret has 256 random bits, so a plain hash is enough; a slow
 * password hash would only slow every request.
 */
@Service
public class ApiKeys {

	private static final String PREFIX = "cst_";

	private final JdbcClient jdbc;

	private final Clock clock;

	private final SecureRandom random = new SecureRandom();

	private final AuditTrail audit;

	ApiKeys(JdbcClient jdbc, Clock clock, AuditTrail audit) {
		this.jdbc = jdbc;
		this.audit = audit;
		this.clock = clock;
	}

	@Transactional
	public IssuedApiKey issue(String tenantId, Role role, String label) {
		if (label == null || label.isBlank() || label.length() > 200) {
			throw new IllegalArgumentException("an API key needs a label of 1 to 200 characters (who or what uses it)");
		}
		String id = HexFormat.of().formatHex(bytes(8));
		String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes(32));
		jdbc.sql("insert into api_key (id, tenant_id, role, label, secret_hash, created_at) values (?, ?, ?, ?, ?, ?)")
			.params(id, tenantId, role.name(), label, sha256(secret), OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC))
			.update();
		audit.record(new AuditEvent(tenantId, "system:tenancy", AuditAction.API_KEY_ISSUED, null, null, null,
				java.util.Map.of("key_id", id, "role", role.name())));
		return new IssuedApiKey(id, tenantId, role, PREFIX + id + "_" + secret);
	}

	@Transactional
	public boolean revoke(String tenantId, String keyId) {
		boolean revoked = jdbc.sql("update api_key set revoked_at = ? where id = ? and tenant_id = ? and revoked_at is null")
			.params(OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC), keyId, tenantId)
			.update() > 0;
		if (revoked) {
			audit.record(new AuditEvent(tenantId, "system:tenancy", AuditAction.API_KEY_REVOKED, null, null, null,
					java.util.Map.of("key_id", keyId)));
		}
		return revoked;
	}

	/** The principal of a presented token, if it is a live key; nothing tells a wrong id from a wrong secret. */
	public Optional<ApiPrincipal> authenticate(String token) {
		if (token == null || !token.startsWith(PREFIX) || token.length() > 200) {
			return Optional.empty();
		}
		int separator = token.indexOf('_', PREFIX.length());
		if (separator < 0) {
			return Optional.empty();
		}
		String id = token.substring(PREFIX.length(), separator);
		byte[] presented = sha256(token.substring(separator + 1));
		return jdbc.sql("select tenant_id, role, secret_hash from api_key where id = ? and revoked_at is null")
			.param(id)
			.query((rs, n) -> MessageDigest.isEqual(presented, rs.getBytes(3))
					? new ApiPrincipal(id, rs.getString(1), Role.valueOf(rs.getString(2))) : null)
			.optional();
	}

	private byte[] bytes(int length) {
		byte[] bytes = new byte[length];
		random.nextBytes(bytes);
		return bytes;
	}

	private static byte[] sha256(String secret) {
		try {
			return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("every JVM has SHA-256", ex);
		}
	}
}

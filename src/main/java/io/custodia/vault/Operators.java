package io.custodia.vault;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Operator keys: how the hosting provider's staff authenticate. A key reads {@code cso_<id>_<secret>} (tenant keys
 * read {@code cst_}); only the secret's SHA-256 is stored. Operator keys belong to no tenant and open no tenant
 * endpoint: an operator reaches a tenant's files only under a grant the tenant approved ({@link AccessGrants}).
 * Issued on the command line ({@code custodia operator add}), by whoever runs the installation.
 */
@Service
public class Operators {

	static final String PREFIX = "cso_";

	private final JdbcClient jdbc;

	private final Clock clock;

	private final SecureRandom random = new SecureRandom();

	Operators(JdbcClient jdbc, Clock clock) {
		this.jdbc = jdbc;
		this.clock = clock;
	}

	/** A new operator key; {@code token} is shown this once. */
	public record IssuedOperatorKey(String operatorId, String label, String token) {
	}

	public record Operator(String operatorId, String label, boolean revoked) {
	}

	@Transactional
	public IssuedOperatorKey issue(String label) {
		if (label == null || label.isBlank() || label.length() > 200) {
			throw new IllegalArgumentException("an operator needs a label of 1 to 200 characters (who holds the key)");
		}
		String id = HexFormat.of().formatHex(bytes(8));
		String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes(32));
		jdbc.sql("insert into vault_operator (id, label, secret_hash, created_at) values (?, ?, ?, ?)")
			.params(id, label, sha256(secret), VaultFiles.time(clock.instant()))
			.update();
		return new IssuedOperatorKey(id, label, PREFIX + id + "_" + secret);
	}

	@Transactional
	public boolean revoke(String operatorId) {
		return jdbc.sql("update vault_operator set revoked_at = ? where id = ? and revoked_at is null")
			.params(VaultFiles.time(clock.instant()), operatorId)
			.update() == 1;
	}

	public List<Operator> list() {
		return jdbc.sql("select id, label, revoked_at from vault_operator order by created_at, id")
			.query((rs, n) -> new Operator(rs.getString(1), rs.getString(2), rs.getObject(3) != null))
			.list();
	}

	/** The operator of a presented token, if it is a live key; nothing tells a wrong id from a wrong secret. */
	public Optional<OperatorPrincipal> authenticate(String token) {
		if (token == null || !token.startsWith(PREFIX) || token.length() > 200) {
			return Optional.empty();
		}
		int separator = token.indexOf('_', PREFIX.length());
		if (separator < 0) {
			return Optional.empty();
		}
		String id = token.substring(PREFIX.length(), separator);
		byte[] presented = sha256(token.substring(separator + 1));
		return jdbc.sql("select label, secret_hash from vault_operator where id = ? and revoked_at is null")
			.param(id)
			.query((rs, n) -> MessageDigest.isEqual(presented, rs.getBytes(2)) ? new OperatorPrincipal(id, rs.getString(1)) : null)
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

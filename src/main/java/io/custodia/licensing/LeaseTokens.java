package io.custodia.licensing;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import com.google.crypto.tink.PublicKeySign;
import com.google.crypto.tink.PublicKeyVerify;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import com.google.crypto.tink.signature.SignatureConfig;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Lease tokens: {@code base64url(claims JSON) "." base64url(Tink signature over those bytes)}. A client verifies
 * one offline with the tenant's public keyset ({@code GET /api/v1/licensing/public-keyset}) and {@link #verify}.
 * The claims name the tenant, lease, entitlement, product, seat and times; never a user or host.
 */
public final class LeaseTokens {

	static final String TYPE = "custodia-lease/1";

	private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

	private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

	static {
		register();
	}

	private LeaseTokens() {
	}

	/** What a verified token says. */
	public record Claims(String tenant, UUID leaseId, UUID entitlementId, String product, int slot, Instant issuedAt,
			Instant expiresAt) {

		public boolean validAt(Instant instant) {
			return !instant.isBefore(issuedAt) && instant.isBefore(expiresAt);
		}
	}

	static void register() {
		try {
			SignatureConfig.register();
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("Tink could not register its signature primitives", ex);
		}
	}

	static String sign(PublicKeySign signer, String tenant, Lease lease, Instant issuedAt) {
		var claims = new LinkedHashMap<String, Object>();
		claims.put("typ", TYPE);
		claims.put("tenant", tenant);
		claims.put("lease_id", lease.leaseId().toString());
		claims.put("entitlement_id", lease.entitlementId().toString());
		claims.put("product", lease.product());
		claims.put("slot", lease.slot());
		claims.put("issued_at", issuedAt.toString());
		claims.put("expires_at", lease.expiresAt().toString());
		byte[] payload = JsonMapper.shared().writeValueAsBytes(claims);
		try {
			return ENCODER.encodeToString(payload) + "." + ENCODER.encodeToString(signer.sign(payload));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("cannot sign a lease token", ex);
		}
	}

	/**
	 * Verifies a token with a tenant's public keyset (Tink JSON, as published) and returns its claims; throws when
	 * the signature does not verify or the token is malformed. Whether it is still valid: {@link Claims#validAt}.
	 */
	public static Claims verify(String publicKeysetJson, String token) throws GeneralSecurityException {
		int dot = token == null ? -1 : token.indexOf('.');
		if (dot < 1) {
			throw new GeneralSecurityException("not a lease token");
		}
		byte[] payload;
		byte[] signature;
		try {
			payload = DECODER.decode(token.substring(0, dot));
			signature = DECODER.decode(token.substring(dot + 1));
		}
		catch (IllegalArgumentException ex) {
			throw new GeneralSecurityException("not a lease token", ex);
		}
		PublicKeyVerify verifier = TinkJsonProtoKeysetFormat.parseKeysetWithoutSecret(publicKeysetJson)
			.getPrimitive(RegistryConfiguration.get(), PublicKeyVerify.class);
		verifier.verify(signature, payload);
		JsonNode claims = JsonMapper.shared().readTree(payload);
		if (!TYPE.equals(claims.path("typ").asString(""))) {
			throw new GeneralSecurityException("not a lease token of this format");
		}
		return new Claims(claims.get("tenant").asString(), UUID.fromString(claims.get("lease_id").asString()),
				UUID.fromString(claims.get("entitlement_id").asString()), claims.get("product").asString(),
				claims.get("slot").asInt(), Instant.parse(claims.get("issued_at").asString()),
				Instant.parse(claims.get("expires_at").asString()));
	}

	static Map<String, String> describe() {
		return Map.of("format", TYPE);
	}

	static byte[] utf8(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}
}

package io.custodia.termination;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.LinkedHashMap;

import io.custodia.keys.ServiceKeys;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A signed statement of a tenant's deletion. {@code payload} is the certificate as a JSON text; {@code signature}
 * is an Ed25519 signature (base64) over its UTF-8 bytes, made with the service's certificate key. Verify it with
 * {@link #verify} and the service's public keyset ({@code custodia certificate public-key}), or with any Ed25519
 * implementation and the raw public key.
 */
public record DeletionCertificate(String payload, String signature, String algorithm) {

	public static final String ALGORITHM = "Ed25519";

	/** The file form: a JSON object with the three members. */
	public String toJson() {
		var json = new LinkedHashMap<String, Object>();
		json.put("payload", payload);
		json.put("signature", signature);
		json.put("algorithm", algorithm);
		return JsonMapper.shared().writerWithDefaultPrettyPrinter().writeValueAsString(json) + "\n";
	}

	public JsonNode content() {
		return JsonMapper.shared().readTree(payload);
	}

	public static DeletionCertificate parse(String json) {
		JsonNode node = JsonMapper.shared().readTree(json);
		return new DeletionCertificate(node.get("payload").asString(), node.get("signature").asString(),
				node.has("algorithm") ? node.get("algorithm").asString() : ALGORITHM);
	}

	/** Whether the signature holds for the payload under the given public keyset (Tink JSON); needs no service. */
	public boolean verify(String publicKeysetJson) {
		try {
			ServiceKeys.verifier(publicKeysetJson)
				.verify(Base64.getDecoder().decode(signature), payload.getBytes(StandardCharsets.UTF_8));
			return true;
		}
		catch (GeneralSecurityException | IllegalArgumentException ex) {
			return false;
		}
	}
}

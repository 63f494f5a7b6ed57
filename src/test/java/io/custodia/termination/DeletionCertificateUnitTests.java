package io.custodia.termination;

import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;

import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.PublicKeySign;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import com.google.crypto.tink.signature.PredefinedSignatureParameters;
import com.google.crypto.tink.signature.SignatureConfig;

import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A certificate verifies offline from the public keyset alone, with Tink or with any Ed25519 implementation (here the
 * JDK's), as docs/operations.md says; a changed payload or another key does not verify.
 */
class DeletionCertificateUnitTests {

	/** The DER prefix of an X.509 SubjectPublicKeyInfo for Ed25519, before the 32 raw key bytes. */
	private static final byte[] ED25519_SPKI = HexFormat.of().parseHex("302a300506032b6570032100");

	record Signed(DeletionCertificate certificate, String publicKeyset) {
	}

	static Signed sign(String payload) throws Exception {
		SignatureConfig.register();
		// the parameters ServiceKeys signs certificates with
		KeysetHandle key = KeysetHandle.generateNew(PredefinedSignatureParameters.ED25519WithRawOutput);
		byte[] signature = key.getPrimitive(RegistryConfiguration.get(), PublicKeySign.class)
			.sign(payload.getBytes(StandardCharsets.UTF_8));
		return new Signed(new DeletionCertificate(payload, Base64.getEncoder().encodeToString(signature), DeletionCertificate.ALGORITHM),
				TinkJsonProtoKeysetFormat.serializeKeysetWithoutSecret(key.getPublicKeysetHandle()));
	}

	@Test
	void aCertificateVerifiesWithThePublicKeysetAndNotOnceChanged() throws Exception {
		var signed = sign("{\"tenant\":\"acme\",\"deleted\":{\"subjects\":2}}");
		var file = DeletionCertificate.parse(signed.certificate().toJson());
		assertThat(file.verify(signed.publicKeyset())).isTrue();
		var changed = new DeletionCertificate(file.payload().replace("2", "3"), file.signature(), file.algorithm());
		assertThat(changed.verify(signed.publicKeyset())).isFalse();
		assertThat(file.verify(sign("other").publicKeyset())).isFalse();
	}

	@Test
	void anyEd25519ImplementationVerifiesItWithTheLast32BytesOfTheKeyData() throws Exception {
		var signed = sign("{\"tenant\":\"acme\"}");
		String value = JsonMapper.shared().readTree(signed.publicKeyset()).get("key").get(0).get("keyData").get("value").asString();
		byte[] keyData = Base64.getDecoder().decode(value);
		byte[] raw = Arrays.copyOfRange(keyData, keyData.length - 32, keyData.length);
		byte[] spki = new byte[ED25519_SPKI.length + 32];
		System.arraycopy(ED25519_SPKI, 0, spki, 0, ED25519_SPKI.length);
		System.arraycopy(raw, 0, spki, ED25519_SPKI.length, 32);
		var verifier = Signature.getInstance("Ed25519");
		verifier.initVerify(KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(spki)));
		verifier.update(signed.certificate().payload().getBytes(StandardCharsets.UTF_8));
		assertThat(verifier.verify(Base64.getDecoder().decode(signed.certificate().signature()))).isTrue();
	}
}

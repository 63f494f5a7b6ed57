package io.custodia.audit;

import java.security.GeneralSecurityException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.context.annotation.Bean;

import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.Mac;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.mac.MacConfig;
import com.google.crypto.tink.mac.PredefinedMacParameters;

/**
 * Audit keys for tests until the keys module provides the real ones: a Tink HMAC-SHA256 keyset per tenant, made on
 * first use and kept in memory. The keysets are shared by every Spring context of the test JVM (the command line
 * starts one of its own), as stored keys would be.
 * <p>
 * Deliberately not a component: the command line starts the application in the test JVM, and component scanning
 * would otherwise give it keys it must not have. Tests ask for them with {@code @Import(AuditTestKeys.class)}, or
 * {@code --spring.main.sources=io.custodia.audit.AuditTestKeys} on the command line.
 */
public class AuditTestKeys {

	@Bean
	AuditKeys auditKeys() {
		return new TinkAuditKeys();
	}

	static final class TinkAuditKeys implements AuditKeys {

		private static final Map<String, Mac> MACS = new ConcurrentHashMap<>();

		static {
			try {
				MacConfig.register();
			}
			catch (GeneralSecurityException ex) {
				throw new ExceptionInInitializerError(ex);
			}
		}

		@Override
		public byte[] computeMac(String tenantId, byte[] data) {
			try {
				return mac(tenantId).computeMac(data);
			}
			catch (GeneralSecurityException ex) {
				throw new IllegalStateException(ex);
			}
		}

		@Override
		public boolean verifyMac(String tenantId, byte[] mac, byte[] data) {
			try {
				mac(tenantId).verifyMac(mac, data);
				return true;
			}
			catch (GeneralSecurityException ex) {
				return false;
			}
		}

		private static Mac mac(String tenantId) {
			return MACS.computeIfAbsent(tenantId, id -> {
				try {
					return KeysetHandle.generateNew(PredefinedMacParameters.HMAC_SHA256_256BITTAG)
						.getPrimitive(RegistryConfiguration.get(), Mac.class);
				}
				catch (GeneralSecurityException ex) {
					throw new IllegalStateException(ex);
				}
			});
		}
	}
}

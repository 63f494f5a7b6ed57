package io.custodia.activity;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

import io.custodia.keys.KeyManagement;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.TinkProtoKeysetFormat;
import com.google.crypto.tink.prf.PredefinedPrfParameters;
import com.google.crypto.tink.prf.Prf;
import com.google.crypto.tink.prf.PrfConfig;
import com.google.crypto.tink.prf.PrfSet;

/**
 * One pseudonym key per tenant and period: a random Tink HMAC-SHA256 PRF keyset, created on first use, stored
 * wrapped by the tenant's data key (associated data binds it to tenant and period), destroyed by clearing the
 * wrapped bytes. A random key, never a derived one: a derived key could be derived again after its destruction.
 */
@Component
class PeriodKeys {

	/** Pseudonyms carry 96 bits of the PRF's output: collisions within one tenant and month are negligible. */
	static final int PSEUDONYM_BYTES = 12;

	/** The kinds of value keyed, and the prefix that tells a pseudonym's kind. */
	enum Kind {
		USER("u-"), IP("ip-"), HOST("h-"), MAC("m-");

		final String prefix;

		private final byte[] bytes;

		Kind(String prefix) {
			this.prefix = prefix;
			this.bytes = name().getBytes(StandardCharsets.US_ASCII);
		}

		static Optional<Kind> of(String pseudonym) {
			for (Kind kind : values()) {
				if (pseudonym != null && pseudonym.startsWith(kind.prefix)) {
					return Optional.of(kind);
				}
			}
			return Optional.empty();
		}
	}

	/** A period's key, ready to compute pseudonyms. */
	static final class PeriodKey {

		private final Prf prf;

		PeriodKey(PrfSet prfs) throws GeneralSecurityException {
			this.prf = prfs.getPrfs().get(prfs.getPrimaryId());
		}

		/** The pseudonym as stored: the first {@value #PSEUDONYM_BYTES} bytes of the PRF of {@code KIND NUL value}. */
		byte[] raw(Kind kind, String normalised) {
			return normalised == null ? null : of(input(kind, normalised));
		}

		/** The pseudonym of a PRF input as {@link PrfInput} builds it, or null. */
		byte[] of(byte[] input) {
			if (input == null) {
				return null;
			}
			try {
				return prf.compute(input, PSEUDONYM_BYTES);
			}
			catch (GeneralSecurityException ex) {
				throw new IllegalStateException("cannot compute a pseudonym", ex);
			}
		}

		/**
		 * The keyed form of a client's event id and the event's time, {@value #PSEUDONYM_BYTES} bytes of the PRF of
		 * {@code EVENT NUL id NUL time}: what makes a re-sent event known without storing the id as given.
		 */
		byte[] eventKey(String eventId, java.time.Instant at) {
			if (eventId == null) {
				return null;
			}
			try {
				return prf.compute(input(EVENT, eventId + '\u0000' + at), PSEUDONYM_BYTES);
			}
			catch (GeneralSecurityException ex) {
				throw new IllegalStateException("cannot key an event id", ex);
			}
		}

		/** The pseudonym as shown: the kind's prefix and the raw bytes in lower-case hex. */
		String pseudonym(Kind kind, String normalised) {
			return text(kind, raw(kind, normalised));
		}
	}

	private static final HexFormat HEX = HexFormat.of();

	/** A raw pseudonym as the API shows it ({@code u-…}), or null. */
	static String text(Kind kind, byte[] raw) {
		return raw == null ? null : kind.prefix + HEX.formatHex(raw);
	}

	/**
	 * The PRF's input, the UTF-8 bytes of {@code kind.name() + '\u0000' + normalised}, built without the
	 * concatenation: ASCII values (all of them in practice) byte by byte, others through the encoder.
	 */
	static byte[] input(Kind kind, String normalised) {
		return input(kind.bytes, normalised);
	}

	/** The label of event ids in the PRF's input; no kind of pseudonym is called so. */
	private static final byte[] EVENT = "EVENT".getBytes(StandardCharsets.US_ASCII);

	private static byte[] input(byte[] name, String normalised) {
		int length = normalised.length();
		boolean ascii = true;
		for (int i = 0; i < length && ascii; i++) {
			ascii = normalised.charAt(i) < 0x80;
		}
		byte[] value = ascii ? null : normalised.getBytes(StandardCharsets.UTF_8);
		byte[] input = new byte[name.length + 1 + (ascii ? length : value.length)];
		System.arraycopy(name, 0, input, 0, name.length);
		if (ascii) {
			for (int i = 0, at = name.length + 1; i < length; i++, at++) {
				input[at] = (byte) normalised.charAt(i);
			}
		}
		else {
			System.arraycopy(value, 0, input, name.length + 1, value.length);
		}
		return input;
	}

	/** A period whose key was destroyed: its events are anonymous and nothing more can be keyed for it. */
	static final class PeriodClosedException extends RuntimeException {

		PeriodClosedException(String period) {
			super("the log retention of period " + period + " has ended and its pseudonym key is destroyed");
		}
	}

	static {
		try {
			PrfConfig.register();
		}
		catch (GeneralSecurityException ex) {
			throw new ExceptionInInitializerError(ex);
		}
	}

	private final JdbcClient jdbc;

	private final KeyManagement keys;

	private final Clock clock;

	private final TransactionTemplate own;

	/** Unwrapped keys; short-lived so that a key destroyed by another instance stops being used soon. */
	private final Cache<String, Optional<PeriodKey>> cache = Caffeine.newBuilder()
		.maximumSize(10_000)
		.expireAfterWrite(Duration.ofMinutes(5))
		.build();

	PeriodKeys(JdbcClient jdbc, KeyManagement keys, Clock clock, PlatformTransactionManager transactions) {
		this.jdbc = jdbc;
		this.keys = keys;
		this.clock = clock;
		this.own = new TransactionTemplate(transactions);
		this.own.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
	}

	/** The period's key, created if the period has none yet; refused if it was destroyed. */
	PeriodKey keyFor(String tenantId, String period) {
		Optional<PeriodKey> key = cache.get(tenantId + "/" + period, k -> load(tenantId, period, true));
		if (key.isEmpty()) {
			cache.invalidate(tenantId + "/" + period);
			throw new PeriodClosedException(period);
		}
		return key.get();
	}

	/** The period's key if it exists and is not destroyed; never creates one. */
	Optional<PeriodKey> existing(String tenantId, String period) {
		Optional<PeriodKey> key = cache.getIfPresent(tenantId + "/" + period);
		return key != null ? key : load(tenantId, period, false);
	}

	/** Periods with a live key, oldest first. */
	List<String> livePeriods(String tenantId) {
		return jdbc.sql("select period from activity_period_key where tenant_id = ? and wrapped_key is not null order by period")
			.param(tenantId)
			.query(String.class)
			.list();
	}

	/** Destroys the period's key, in the caller's transaction; true if it was live. */
	boolean destroy(String tenantId, String period) {
		int cleared = jdbc.sql("update activity_period_key set wrapped_key = null, destroyed_at = ? "
				+ "where tenant_id = ? and period = ? and wrapped_key is not null")
			.params(OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC), tenantId, period)
			.update();
		cache.invalidate(tenantId + "/" + period);
		return cleared == 1;
	}

	/** A tenant whose keys are destroyed: its unwrapped period keys go from memory too. */
	@org.springframework.context.event.EventListener
	void on(io.custodia.keys.TenantKeysDestroyed destroyed) {
		forget(destroyed.tenantId());
	}

	void forget(String tenantId) {
		cache.asMap().keySet().removeIf(k -> k.startsWith(tenantId + "/"));
	}

	private record Stored(byte[] wrapped, boolean destroyed) {
	}

	private Optional<PeriodKey> load(String tenantId, String period, boolean create) {
		Optional<Stored> stored = read(tenantId, period);
		if (stored.isEmpty() && create) {
			try {
				// in a transaction of its own: a duplicate key must not end the caller's transaction (PostgreSQL)
				own.executeWithoutResult(status -> insert(tenantId, period));
			}
			catch (DuplicateKeyException ex) {
				// another ingest created it first
			}
			stored = read(tenantId, period);
		}
		if (stored.isEmpty() || stored.get().destroyed()) {
			return Optional.empty();
		}
		try {
			KeysetHandle handle = TinkProtoKeysetFormat.parseEncryptedKeyset(stored.get().wrapped(),
					keys.tenantAead(tenantId), context(tenantId, period));
			return Optional.of(new PeriodKey(handle.getPrimitive(RegistryConfiguration.get(), PrfSet.class)));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("cannot unwrap the pseudonym key of a period of tenant " + tenantId, ex);
		}
	}

	private Optional<Stored> read(String tenantId, String period) {
		return jdbc.sql("select wrapped_key from activity_period_key where tenant_id = ? and period = ?")
			.params(tenantId, period)
			.query((rs, n) -> new Stored(rs.getBytes(1), rs.getBytes(1) == null))
			.optional();
	}

	private void insert(String tenantId, String period) {
		try {
			KeysetHandle key = KeysetHandle.generateNew(PredefinedPrfParameters.HMAC_SHA256_PRF);
			byte[] wrapped = TinkProtoKeysetFormat.serializeEncryptedKeyset(key, keys.tenantAead(tenantId),
					context(tenantId, period));
			jdbc.sql("insert into activity_period_key (tenant_id, period, wrapped_key, created_at) values (?, ?, ?, ?)")
				.params(tenantId, period, wrapped, OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC))
				.update();
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("cannot create a pseudonym key for tenant " + tenantId, ex);
		}
	}

	private static byte[] context(String tenantId, String period) {
		return ("custodia/activity/" + tenantId + "/" + period).getBytes(StandardCharsets.UTF_8);
	}
}

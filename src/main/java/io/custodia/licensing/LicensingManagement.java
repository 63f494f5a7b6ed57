package io.custodia.licensing;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.jdbc.core.BatchPreparedStatementSetter;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

import io.custodia.activity.ActivityEvent;
import io.custodia.activity.ActivityLog;
import io.custodia.activity.EventType;
import io.custodia.activity.InvalidEventException;
import io.custodia.audit.AuditAction;
import io.custodia.audit.AuditEvent;
import io.custodia.audit.AuditTrail;
import io.custodia.keys.KeyManagement;

/**
 * Entitlements and floating licences of every tenant. A seat is a row {@code (entitlement, slot)}; a checkout
 * takes a free one with {@code update ... where lease_id is null}, which at most one of racing transactions can
 * do to a row (both databases re-check the condition after waiting for the row), so there are never more leases
 * than seats. Time comes from the injected clock.
 */
@Service
public class LicensingManagement {

	private static final Logger log = LoggerFactory.getLogger(LicensingManagement.class);

	/** Free seats looked at per round of a checkout. */
	private static final int CANDIDATES = 16;

	static final int MAX_SEATS = 100_000;

	/** The most characters of each of a lease holder's values as the client gives them. */
	static final int HOLDER_VALUE_LENGTH = 300;

	private static final String SEAT_COLUMNS = "s.entitlement_id, s.slot, s.lease_id, s.holder_sealed, s.checked_out_at, "
			+ "s.expires_at, e.product";

	private final JdbcClient jdbc;

	private final JdbcTemplate template;

	private final ActivityLog activity;

	private final KeyManagement keys;

	private final SigningKeys signing;

	private final AuditTrail audit;

	private final Clock clock;

	private final LicensingProperties properties;

	private final TransactionTemplate transaction;

	LicensingManagement(JdbcClient jdbc, JdbcTemplate template, ActivityLog activity, KeyManagement keys, SigningKeys signing,
			AuditTrail audit, Clock clock, LicensingProperties properties, PlatformTransactionManager transactions) {
		this.jdbc = jdbc;
		this.template = template;
		this.activity = activity;
		this.keys = keys;
		this.signing = signing;
		this.audit = audit;
		this.clock = clock;
		this.properties = properties;
		this.transaction = new TransactionTemplate(transactions);
	}

	/** The client's identifying values as given at checkout; kept sealed while the lease lasts. */
	public record Holder(String userName, String hostName, String ipAddress, String macAddress) {
	}

	/** Grants an entitlement: {@code seats} seat rows, free. Audited. */
	@Transactional
	public Entitlement grant(String tenantId, String product, int seats, Instant validFrom, Instant validUntil, String actor) {
		if (product == null || product.isBlank() || product.strip().length() > 100) {
			throw LicensingException.invalid("product", "must be 1 to 100 characters", "the product's name");
		}
		if (seats < 1 || seats > MAX_SEATS) {
			throw LicensingException.invalid("seats", "is out of range", "1 to " + MAX_SEATS);
		}
		if (validFrom == null || validUntil == null || !validUntil.isAfter(validFrom)) {
			throw LicensingException.invalid("valid_until", "must be after valid_from (both required)",
					"two ISO-8601 instants, valid_from before valid_until");
		}
		var entitlement = new Entitlement(UUID.randomUUID(), product.strip(), seats, validFrom, validUntil, clock.instant(), 0);
		jdbc.sql("insert into licence_entitlement (id, tenant_id, product, seats, valid_from, valid_until, created_at) "
				+ "values (?, ?, ?, ?, ?, ?, ?)")
			.params(entitlement.id(), tenantId, entitlement.product(), seats, utc(validFrom), utc(validUntil),
					utc(entitlement.createdAt()))
			.update();
		template.batchUpdate("insert into licence_seat (entitlement_id, slot, tenant_id) values (?, ?, ?)",
				new BatchPreparedStatementSetter() {
					@Override
					public void setValues(PreparedStatement ps, int i) throws SQLException {
						ps.setObject(1, entitlement.id());
						ps.setInt(2, i);
						ps.setString(3, tenantId);
					}

					@Override
					public int getBatchSize() {
						return seats;
					}
				});
		audit.record(new AuditEvent(tenantId, actor, AuditAction.ENTITLEMENT_GRANTED, null, null, null,
				Map.of("entitlement_id", entitlement.id().toString(), "product", entitlement.product(), "seats",
						Integer.toString(seats), "valid_from", validFrom.toString(), "valid_until", validUntil.toString())));
		return entitlement;
	}

	@Transactional(readOnly = true)
	public List<Entitlement> entitlements(String tenantId) {
		return jdbc.sql("select e.id, e.product, e.seats, e.valid_from, e.valid_until, e.created_at, "
				+ "(select count(*) from licence_seat s where s.entitlement_id = e.id and s.lease_id is not null) "
				+ "from licence_entitlement e where e.tenant_id = ? order by e.product, e.valid_from")
			.param(tenantId)
			.query(LicensingManagement::entitlement)
			.list();
	}

	@Transactional(readOnly = true)
	public Entitlement entitlement(String tenantId, UUID id) {
		return jdbc.sql("select e.id, e.product, e.seats, e.valid_from, e.valid_until, e.created_at, "
				+ "(select count(*) from licence_seat s where s.entitlement_id = e.id and s.lease_id is not null) "
				+ "from licence_entitlement e where e.tenant_id = ? and e.id = ?")
			.params(tenantId, id)
			.query(LicensingManagement::entitlement)
			.optional()
			.orElseThrow(() -> LicensingException.notFound("entitlement"));
	}

	/**
	 * Checks out a seat of the product for the holder: expired leases of the product are released first, then a
	 * free seat is taken by a conditional update. Exactly as many checkouts succeed as there are free seats, however
	 * many race. The product start goes into the activity log, pseudonymised there.
	 */
	public Lease checkout(String tenantId, String product, Holder holder) {
		if (product == null || product.isBlank()) {
			throw LicensingException.invalid("product", "is required", "the product's name");
		}
		if (holder == null || holder.userName() == null || holder.userName().isBlank()) {
			throw LicensingException.invalid("user_name", "is required", "the user name on the client");
		}
		// as given, before they are normalised (the activity log checks those): they are sealed as given, into a
		// column of 4096 bytes on H2 (four values of 300 characters, 3 bytes each at most)
		holderValueLength("user_name", holder.userName());
		holderValueLength("host_name", holder.hostName());
		holderValueLength("ip_address", holder.ipAddress());
		holderValueLength("mac_address", holder.macAddress());
		Instant now = clock.instant();
		List<UUID> valid = jdbc.sql("select id from licence_entitlement where tenant_id = ? and product = ? "
				+ "and valid_from <= ? and valid_until > ? order by valid_until, id")
			.params(tenantId, product.strip(), utc(now), utc(now))
			.query(UUID.class)
			.list();
		if (valid.isEmpty()) {
			throw new LicensingException(LicensingException.Kind.UNAVAILABLE,
					"no entitlement to this product is valid now", "product", "a product with a valid entitlement");
		}
		UUID leaseId = UUID.randomUUID();
		byte[] sealed = seal(tenantId, leaseId, holder);
		// checked and pseudonymised before any seat is locked: a bad value takes no seat, and the locks stay short
		ActivityLog.PreparedEvent started = activity.prepare(tenantId, new ActivityEvent(EventType.PRODUCT_START, now,
				holder.userName(), holder.ipAddress(), holder.hostName(), holder.macAddress(), null, null, product.strip()));
		for (UUID entitlementId : valid) {
			releaseExpired(tenantId, entitlementId, now);
			Lease lease = take(tenantId, entitlementId, product.strip(), leaseId, sealed, started, now);
			if (lease != null) {
				return lease;
			}
		}
		throw new LicensingException(LicensingException.Kind.UNAVAILABLE, "every seat of this product is taken; a seat "
				+ "is free again when its lease is checked in or not renewed within " + properties.leaseTtl(), "product",
				"a product with a free seat");
	}

	private Lease take(String tenantId, UUID entitlementId, String product, UUID leaseId, byte[] sealed,
			ActivityLog.PreparedEvent started, Instant now) {
		Instant expires = now.plus(properties.leaseTtl());
		while (true) {
			// no order: the (entitlement_id, lease_id) index then finds free seats directly, however many are taken
			List<Integer> free = jdbc.sql("select slot from licence_seat where entitlement_id = ? and lease_id is null "
					+ "fetch first " + CANDIDATES + " rows only")
				.param(entitlementId)
				.query(Integer.class)
				.list();
			if (free.isEmpty()) {
				return null;
			}
			// racing clients start at different candidates, so most of them try different rows
			int start = ThreadLocalRandom.current().nextInt(free.size());
			for (int i = 0; i < free.size(); i++) {
				int slot = free.get((start + i) % free.size());
				Boolean won;
				try {
					won = transaction.execute(status -> {
						int updated = jdbc.sql("update licence_seat set lease_id = ?, holder_sealed = ?, checked_out_at = ?, "
								+ "expires_at = ? where entitlement_id = ? and slot = ? and lease_id is null")
							.params(leaseId, sealed, utc(now), utc(expires), entitlementId, slot)
							.update();
						if (updated != 1) {
							return false;
						}
						activity.record(started);
						return true;
					});
				}
				catch (TransientDataAccessException ex) {
					// another transaction held the row (and most likely took it): the next round looks again
					won = false;
				}
				if (Boolean.TRUE.equals(won)) {
					var lease = new Lease(leaseId, entitlementId, product, slot, now, expires, null);
					return withToken(tenantId, lease, now);
				}
			}
		}
	}

	/** Renews a lease for another lease time; a lease checked in, expired or of another tenant is not found. */
	public Lease heartbeat(String tenantId, UUID leaseId) {
		Instant now = clock.instant();
		Instant expires = now.plus(properties.leaseTtl());
		int renewed = jdbc.sql("update licence_seat set expires_at = ? where tenant_id = ? and lease_id = ? and expires_at > ?")
			.params(utc(expires), tenantId, leaseId, utc(now))
			.update();
		if (renewed != 1) {
			throw LicensingException.notFound("active lease");
		}
		return withToken(tenantId, seat(tenantId, leaseId).orElseThrow(() -> LicensingException.notFound("active lease"))
			.lease(), now);
	}

	/** Checks a lease in: the seat is free at once and the product end is logged. */
	public void checkin(String tenantId, UUID leaseId) {
		Seat seat = seat(tenantId, leaseId).orElseThrow(() -> LicensingException.notFound("lease"));
		Instant now = clock.instant();
		if (!release(tenantId, seat, now.isBefore(seat.expiresAt()) ? now : seat.expiresAt())) {
			throw LicensingException.notFound("lease");
		}
	}

	/** Releases every expired lease of the tenant; returns how many. */
	public int sweep(String tenantId) {
		Instant now = clock.instant();
		int released = 0;
		for (UUID entitlementId : jdbc.sql("select id from licence_entitlement where tenant_id = ?").param(tenantId)
			.query(UUID.class)
			.list()) {
			released += releaseExpired(tenantId, entitlementId, now);
		}
		return released;
	}

	/** Releases every expired lease of every tenant: the scheduled sweep. */
	public int sweepAll() {
		Instant now = clock.instant();
		int released = 0;
		for (Map.Entry<UUID, String> entitlement : jdbc.sql("select distinct s.entitlement_id, s.tenant_id from licence_seat s "
				+ "where s.lease_id is not null and s.expires_at <= ?")
			.param(utc(now))
			.query((rs, n) -> Map.entry(rs.getObject(1, UUID.class), rs.getString(2)))
			.list()) {
			try {
				released += releaseExpired(entitlement.getValue(), entitlement.getKey(), now);
			}
			catch (RuntimeException ex) {
				log.warn("releasing expired leases failed for tenant {}: {}", entitlement.getValue(), ex.getClass().getSimpleName());
			}
		}
		return released;
	}

	/** The tenant's public keyset (Tink JSON) to verify lease tokens offline. */
	public String publicKeyset(String tenantId) {
		return signing.of(tenantId).publicKeyset();
	}

	private int releaseExpired(String tenantId, UUID entitlementId, Instant now) {
		List<Seat> expired = jdbc.sql("select " + SEAT_COLUMNS + " from licence_seat s join licence_entitlement e "
				+ "on e.id = s.entitlement_id where s.entitlement_id = ? and s.lease_id is not null and s.expires_at <= ?")
			.params(entitlementId, utc(now))
			.query(LicensingManagement::seat)
			.list();
		int released = 0;
		for (Seat seat : expired) {
			if (release(tenantId, seat, seat.expiresAt())) {
				released++;
			}
		}
		return released;
	}

	/** Frees the seat if it still holds this lease, and logs the product end; false when another did it first. */
	private boolean release(String tenantId, Seat seat, Instant endedAt) {
		Holder holder = unseal(tenantId, seat.leaseId(), seat.holderSealed());
		ActivityLog.PreparedEvent ended;
		try {
			ended = activity.prepare(tenantId, new ActivityEvent(EventType.PRODUCT_END, endedAt, holder.userName(),
					holder.ipAddress(), holder.hostName(), holder.macAddress(), null, null, seat.product()));
		}
		catch (InvalidEventException ex) {
			// e.g. a lease that ended before the log retention: the seat is freed all the same, unlogged
			log.info("a product end of tenant {} is not logged: {}", tenantId, ex.field());
			ended = null;
		}
		ActivityLog.PreparedEvent event = ended;
		try {
			return Boolean.TRUE.equals(transaction.execute(status -> {
				int freed = jdbc.sql("update licence_seat set lease_id = null, holder_sealed = null, checked_out_at = null, "
						+ "expires_at = null where entitlement_id = ? and slot = ? and lease_id = ?")
					.params(seat.entitlementId(), seat.slot(), seat.leaseId())
					.update();
				if (freed != 1) {
					return false;
				}
				if (event != null) {
					activity.record(event);
				}
				return true;
			}));
		}
		catch (TransientDataAccessException ex) {
			return false;
		}
	}

	record Seat(UUID entitlementId, int slot, UUID leaseId, byte[] holderSealed, Instant checkedOutAt, Instant expiresAt,
			String product) {

		Lease lease() {
			return new Lease(leaseId, entitlementId, product, slot, checkedOutAt, expiresAt, null);
		}
	}

	private java.util.Optional<Seat> seat(String tenantId, UUID leaseId) {
		return jdbc.sql("select " + SEAT_COLUMNS + " from licence_seat s join licence_entitlement e on e.id = s.entitlement_id "
				+ "where s.tenant_id = ? and s.lease_id = ?")
			.params(tenantId, leaseId)
			.query(LicensingManagement::seat)
			.optional();
	}

	private Lease withToken(String tenantId, Lease lease, Instant now) {
		String token = LeaseTokens.sign(signing.of(tenantId).sign(), tenantId, lease, now);
		return new Lease(lease.leaseId(), lease.entitlementId(), lease.product(), lease.slot(), lease.checkedOutAt(),
				lease.expiresAt(), token);
	}

	private static void holderValueLength(String field, String value) {
		if (value != null && value.length() > HOLDER_VALUE_LENGTH) {
			throw LicensingException.invalid(field, "is longer than " + HOLDER_VALUE_LENGTH + " characters",
					"at most " + HOLDER_VALUE_LENGTH + " characters");
		}
	}

	private byte[] seal(String tenantId, UUID leaseId, Holder holder) {
		String joined = String.join("\u0000", text(holder.userName()), text(holder.hostName()), text(holder.ipAddress()),
				text(holder.macAddress()));
		try {
			return keys.tenantAead(tenantId).encrypt(joined.getBytes(StandardCharsets.UTF_8), context(tenantId, leaseId));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("cannot seal a lease holder of tenant " + tenantId, ex);
		}
	}

	private Holder unseal(String tenantId, UUID leaseId, byte[] sealed) {
		try {
			String[] parts = new String(keys.tenantAead(tenantId).decrypt(sealed, context(tenantId, leaseId)),
					StandardCharsets.UTF_8).split("\u0000", -1);
			return new Holder(value(parts[0]), value(parts[1]), value(parts[2]), value(parts[3]));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("cannot open a lease holder of tenant " + tenantId, ex);
		}
	}

	private static String text(String value) {
		return value == null ? "" : value;
	}

	private static String value(String text) {
		return text.isEmpty() ? null : text;
	}

	private static byte[] context(String tenantId, UUID leaseId) {
		return ("custodia/licensing/" + tenantId + "/lease/" + leaseId).getBytes(StandardCharsets.UTF_8);
	}

	private static OffsetDateTime utc(Instant instant) {
		return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
	}

	private static Instant instant(java.sql.ResultSet rs, int column) throws SQLException {
		OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
		return value == null ? null : value.toInstant();
	}

	private static Seat seat(java.sql.ResultSet rs, int n) throws SQLException {
		return new Seat(rs.getObject(1, UUID.class), rs.getInt(2), rs.getObject(3, UUID.class), rs.getBytes(4), instant(rs, 5),
				instant(rs, 6), rs.getString(7));
	}

	private static Entitlement entitlement(java.sql.ResultSet rs, int n) throws SQLException {
		return new Entitlement(rs.getObject(1, UUID.class), rs.getString(2), rs.getInt(3), instant(rs, 4), instant(rs, 5),
				instant(rs, 6), rs.getInt(7));
	}

}

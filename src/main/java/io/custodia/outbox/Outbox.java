package io.custodia.outbox;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

import io.custodia.audit.AuditAction;
import io.custodia.audit.AuditEvent;
import io.custodia.audit.AuditTrail;
import io.custodia.keys.KeyManagement;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes messages in the caller's transaction and delivers them afterwards. A message is claimed before it is
 * sent (its next attempt moved past a lease), so two pollers never send it at the same moment; a process killed
 * between sending and marking sends it again later with the same message id, which receivers use to ignore the
 * repeat. Content (addresses, texts, payloads) is sealed with the tenant's key.
 */
@Service
public class Outbox {

	static final String EMAIL = "EMAIL";

	static final String WEBHOOK = "WEBHOOK";

	private static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() {
	};

	private final JdbcClient jdbc;

	private final KeyManagement keys;

	private final AuditTrail audit;

	private final Clock clock;

	private final OutboxProperties settings;

	private final Delivery delivery;

	Outbox(JdbcClient jdbc, KeyManagement keys, AuditTrail audit, Clock clock, OutboxProperties settings,
			Delivery delivery) {
		this.jdbc = jdbc;
		this.keys = keys;
		this.audit = audit;
		this.clock = clock;
		this.settings = settings;
		this.delivery = delivery;
	}

	/** Queues an e-mail in the caller's transaction; returns its message id. */
	@Transactional(propagation = Propagation.MANDATORY)
	public UUID email(String tenantId, String to, String subject, String text) {
		var content = new LinkedHashMap<String, Object>();
		content.put("to", to);
		content.put("subject", subject);
		content.put("text", text);
		return insert(tenantId, EMAIL, null, content);
	}

	/**
	 * Queues a webhook to a recipient of the tenant's policy, if the tenant has configured its endpoint; returns
	 * the message id, or empty when the recipient has no endpoint (the caller reports that).
	 */
	@Transactional(propagation = Propagation.MANDATORY)
	public Optional<UUID> webhook(String tenantId, String recipient, String event, Map<String, Object> payload) {
		if (jdbc.sql("select count(*) from webhook_endpoint where tenant_id = ? and recipient = ?")
			.params(tenantId, recipient)
			.query(Integer.class)
			.single() == 0) {
			return Optional.empty();
		}
		var content = new LinkedHashMap<String, Object>();
		content.put("event", event);
		content.put("payload", payload);
		return Optional.of(insert(tenantId, WEBHOOK, recipient, content));
	}

	private UUID insert(String tenantId, String kind, String destination, Map<String, Object> content) {
		UUID id = UUID.randomUUID();
		Instant now = clock.instant();
		jdbc.sql("""
				insert into outbox_message (id, tenant_id, kind, destination, sealed, created_at, attempts, next_attempt_at, dead)
				values (?, ?, ?, ?, ?, ?, 0, ?, false)""")
			.params(id, tenantId, kind, destination, seal(tenantId, id, content), utc(now), utc(now))
			.update();
		return id;
	}

	/** Delivers every due message of every tenant; returns how many were delivered. */
	public int deliverDue() {
		return deliverDue(null, id -> {
		});
	}

	/** Called after each delivered message (the command line prints it). */
	public interface Progress {

		void delivered(UUID messageId);
	}

	/** Delivers the due messages of one tenant (all when null), in batches until none is due. */
	public int deliverDue(String tenantId, Progress progress) {
		int delivered = 0;
		while (true) {
			Instant now = clock.instant();
			var due = jdbc.sql("select id, next_attempt_at from outbox_message where delivered_at is null and dead = false and next_attempt_at <= ?"
					+ (tenantId == null ? "" : " and tenant_id = ?") + " order by next_attempt_at fetch first 100 rows only")
				.params(tenantId == null ? new Object[] { utc(now) } : new Object[] { utc(now), tenantId })
				.query((rs, n) -> new Object[] { rs.getObject(1, UUID.class), rs.getObject(2, OffsetDateTime.class) })
				.list();
			if (due.isEmpty()) {
				return delivered;
			}
			int before = delivered;
			for (Object[] row : due) {
				if (deliver((UUID) row[0], (OffsetDateTime) row[1])) {
					delivered++;
					progress.delivered((UUID) row[0]);
				}
			}
			if (delivered == before) {
				// all failed or were claimed elsewhere: they wait for their next attempt
				return delivered;
			}
		}
	}

	private boolean deliver(UUID id, OffsetDateTime seen) {
		Instant now = clock.instant();
		// claim: one sender per message; a killed sender's claim runs out after the lease
		int claimed = jdbc.sql("update outbox_message set attempts = attempts + 1, next_attempt_at = ? where id = ? and next_attempt_at = ? and delivered_at is null and dead = false")
			.params(utc(now.plus(java.time.Duration.ofMinutes(5))), id, seen)
			.update();
		if (claimed == 0) {
			return false;
		}
		var message = jdbc.sql("select tenant_id, kind, destination, sealed, attempts from outbox_message where id = ?")
			.param(id)
			.query((rs, n) -> new Object[] { rs.getString(1), rs.getString(2), rs.getString(3), rs.getBytes(4), rs.getInt(5) })
			.single();
		String tenantId = (String) message[0];
		int attempts = (Integer) message[4];
		try {
			Map<String, Object> content = open(tenantId, id, (byte[]) message[3]);
			if (EMAIL.equals(message[1])) {
				delivery.email(id, content);
			}
			else {
				delivery.webhook(tenantId, id, (String) message[2], content);
			}
			jdbc.sql("update outbox_message set delivered_at = ?, last_error = null where id = ?").params(utc(clock.instant()), id).update();
			return true;
		}
		catch (RuntimeException ex) {
			boolean dead = attempts >= settings.maxAttempts();
			String error = ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage();
			jdbc.sql("update outbox_message set next_attempt_at = ?, dead = ?, last_error = ? where id = ?")
				.params(utc(clock.instant().plus(settings.backoff(attempts))), dead, error.length() > 500 ? error.substring(0, 500) : error, id)
				.update();
			return false;
		}
	}

	/** Messages that failed too often, newest first: the dead-letter list. */
	public List<OutboxMessage> deadLetters(String tenantId) {
		return jdbc.sql(SELECT + " where tenant_id = ? and dead = true order by created_at desc").param(tenantId).query(this::message).list();
	}

	/** Messages not yet delivered (dead ones included). */
	public List<OutboxMessage> pending(String tenantId) {
		return jdbc.sql(SELECT + " where tenant_id = ? and delivered_at is null order by created_at").param(tenantId).query(this::message).list();
	}

	public Optional<OutboxMessage> find(String tenantId, UUID id) {
		return jdbc.sql(SELECT + " where tenant_id = ? and id = ?").params(tenantId, id).query(this::message).optional();
	}

	/** Gives a dead message a new set of attempts, due now; false when the tenant has no such dead message. */
	@Transactional
	public boolean retry(String tenantId, UUID id, String actor) {
		int updated = jdbc.sql("update outbox_message set dead = false, attempts = 0, next_attempt_at = ? where tenant_id = ? and id = ? and dead = true")
			.params(utc(clock.instant()), tenantId, id)
			.update();
		if (updated == 1) {
			audit.record(new AuditEvent(tenantId, actor, AuditAction.OUTBOX_MESSAGE_RETRIED, null, null, "dead letter retried",
					Map.of("message", id.toString())));
		}
		return updated == 1;
	}

	private static final String SELECT = "select id, kind, destination, attempts, next_attempt_at, delivered_at, dead, last_error from outbox_message";

	private OutboxMessage message(java.sql.ResultSet rs, int n) throws java.sql.SQLException {
		var delivered = rs.getObject(6, OffsetDateTime.class);
		return new OutboxMessage(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3), rs.getInt(4),
				rs.getObject(5, OffsetDateTime.class).toInstant(), delivered == null ? null : delivered.toInstant(),
				rs.getBoolean(7), rs.getString(8));
	}

	private byte[] seal(String tenantId, UUID id, Map<String, Object> content) {
		try {
			return keys.tenantAead(tenantId).encrypt(JsonMapper.shared().writeValueAsBytes(content), context(tenantId, id));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("sealing an outbox message failed", ex);
		}
	}

	private Map<String, Object> open(String tenantId, UUID id, byte[] sealed) {
		try {
			return JsonMapper.shared().readValue(keys.tenantAead(tenantId).decrypt(sealed, context(tenantId, id)), MAP);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("an outbox message does not open with its tenant's key", ex);
		}
	}

	private static byte[] context(String tenantId, UUID id) {
		return (tenantId + "|outbox|" + id).getBytes(StandardCharsets.UTF_8);
	}

	static OffsetDateTime utc(Instant instant) {
		return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
	}
}

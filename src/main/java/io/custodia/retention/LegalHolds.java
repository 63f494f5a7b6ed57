package io.custodia.retention;

import java.time.Clock;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import io.custodia.records.RetentionCandidate;

/** Places, releases and finds legal holds; retention and erasure ask here first. */
@Service
public class LegalHolds {

	private final JdbcClient jdbc;

	private final Clock clock;

	private final RetentionAudit audit;

	private final io.custodia.records.RecordManagement records;

	LegalHolds(JdbcClient jdbc, Clock clock, RetentionAudit audit, io.custodia.records.RecordManagement records) {
		this.records = records;
		this.jdbc = jdbc;
		this.clock = clock;
		this.audit = audit;
	}

	@Transactional
	public LegalHold place(String tenantId, String reference, HoldScope scope, String scopeId, String reason,
			LocalDate reviewDate, String actor) {
		if (reference == null || reference.isBlank()) {
			throw new RetentionProblem("reference", "a legal hold needs the reference of the case or request it is for (e.g. a "
					+ "court file number), at most 200 characters", List.of());
		}
		if (reason == null || reason.isBlank()) {
			throw new RetentionProblem("reason", "a legal hold needs a reason, at most 1000 characters", List.of());
		}
		if (reviewDate == null) {
			throw new RetentionProblem("review_date", "a legal hold needs the date it is to be reviewed (yyyy-mm-dd)", List.of());
		}
		if (reference.length() > 200) {
			throw new RetentionProblem("reference", "at most 200 characters (" + reference.length() + " given)", List.of());
		}
		if (reason.length() > 1000) {
			throw new RetentionProblem("reason", "at most 1000 characters (" + reason.length() + " given)", List.of());
		}
		String target = canonical(scope, scopeId);
		// an erasure under way finishes first, and one that comes after sees this hold (lockErasures says why); what
		// the hold names is looked for once that erasure is done, so a hold is never acknowledged for data it just took
		records.lockErasures(tenantId);
		boolean there = switch (scope) {
			case SUBJECT -> records.hasSubject(tenantId, UUID.fromString(target));
			case RECORD -> records.hasRecord(tenantId, UUID.fromString(target));
			case ACTIVITY -> true;
		};
		if (!there) {
			throw new HoldTargetNotFound();
		}
		var hold = new LegalHold(UUID.randomUUID(), reference, scope, target, reason, reviewDate, actor, clock.instant(),
				null);
		jdbc.sql("""
				insert into legal_hold (id, tenant_id, reference, scope, scope_id, reason, review_date, placed_by, placed_at)
				values (?, ?, ?, ?, ?, ?, ?, ?, ?)""")
			.params(hold.id(), tenantId, reference, scope.name(), hold.scopeId(), reason, reviewDate, actor, utc(hold.placedAt()))
			.update();
		audit.holdPlaced(tenantId, actor, hold);
		return hold;
	}

	@Transactional
	public boolean release(String tenantId, UUID holdId, String actor) {
		var hold = find(tenantId, holdId);
		if (hold.isEmpty() || !hold.get().isActive()) {
			return false;
		}
		jdbc.sql("update legal_hold set released_by = ?, released_at = ? where id = ? and tenant_id = ?")
			.params(actor, utc(clock.instant()), holdId, tenantId)
			.update();
		audit.holdReleased(tenantId, actor, hold.get());
		return true;
	}

	public Optional<LegalHold> find(String tenantId, UUID holdId) {
		return jdbc.sql(SELECT + " where tenant_id = ? and id = ?").params(tenantId, holdId).query(this::hold).optional();
	}

	public List<LegalHold> active(String tenantId) {
		return jdbc.sql(SELECT + " where tenant_id = ? and released_at is null order by placed_at")
			.param(tenantId)
			.query(this::hold)
			.list();
	}

	/** Active holds whose review date has passed: the DPO's list. */
	public List<LegalHold> pastReview(String tenantId, LocalDate today) {
		return active(tenantId).stream().filter(h -> h.reviewDate().isBefore(today)).toList();
	}

	/** The active hold that covers a record, if any. */
	public Optional<LegalHold> covering(List<LegalHold> active, RetentionCandidate record) {
		return active.stream().filter(h -> switch (h.scope()) {
			case RECORD -> h.scopeId().equals(record.id().toString());
			case SUBJECT -> record.subjectId() != null && h.scopeId().equals(record.subjectId().toString());
			case ACTIVITY -> h.scopeId().equals(record.activity());
		}).findFirst();
	}

	/**
	 * Audits that a hold kept {@code act} (an erasure request, a consent withdrawal) from a record: the hold is named
	 * in the audit wherever it stops something, not only in retention runs. In the caller's transaction.
	 */
	public void heldBack(String tenantId, String actor, UUID subjectId, UUID recordId, LegalHold hold, String act) {
		audit.heldBack(tenantId, actor, subjectId, recordId, hold.id(), hold.reference(), act);
	}

	/** The subject or record a hold names is not the tenant's (any more); answered as if it never existed. */
	static class HoldTargetNotFound extends RuntimeException {

		HoldTargetNotFound() {
			super("not found");
		}
	}

	private static final String SELECT = "select id, reference, scope, scope_id, reason, review_date, placed_by, placed_at, released_at from legal_hold";

	private LegalHold hold(java.sql.ResultSet rs, int n) throws java.sql.SQLException {
		var released = rs.getObject(9, OffsetDateTime.class);
		var scope = HoldScope.valueOf(rs.getString(3));
		return new LegalHold(rs.getObject(1, UUID.class), rs.getString(2), scope, canonical(scope, rs.getString(4)),
				rs.getString(5), rs.getObject(6, LocalDate.class), rs.getString(7), rs.getObject(8, OffsetDateTime.class).toInstant(),
				released == null ? null : released.toInstant());
	}

	/**
	 * A subject's or record's id as {@link UUID#toString()} writes it, whatever form it was given in: holds are
	 * matched against ids as text, and "3F25...", or even "1-2-3-4-5", parse to the same id as its canonical form.
	 * Also applied to holds read back, so that one stored before this was done still covers what it names.
	 */
	static String canonical(HoldScope scope, String scopeId) {
		if (scope == HoldScope.ACTIVITY || scopeId == null) {
			return scopeId;
		}
		try {
			return UUID.fromString(scopeId.strip()).toString();
		}
		catch (IllegalArgumentException ex) {
			throw new RetentionProblem("scope_id", "a " + scope.name().toLowerCase(java.util.Locale.ROOT) + " hold names a "
					+ scope.name().toLowerCase(java.util.Locale.ROOT) + " id (a UUID)", List.of());
		}
	}

	private static OffsetDateTime utc(java.time.Instant instant) {
		return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
	}
}

package io.custodia.requests;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Requests, their one-time codes and their downloads. */
@Repository
class Requests {

	record Row(UUID id, String tenantId, RequestType type, RequestState state, String channel, UUID subjectId,
			byte[] emailIndex, byte[] emailSealed, byte[] detailsSealed, Instant receivedAt, LocalDate receivedOn,
			LocalDate dueOn, String extensionReason, Instant verifiedAt, String verificationMethod, byte[] answerSealed,
			String refusalReason, Instant closedAt) {
	}

	record Code(byte[] hash, Instant expiresAt, int failures, Instant usedAt) {
	}

	private static final String COLUMNS = "id, tenant_id, type, state, channel, subject_id, email_index, email_sealed, details_sealed, received_at, received_on, due_on, extension_reason, verified_at, verification_method, answer_sealed, refusal_reason, closed_at";

	private final JdbcClient jdbc;

	Requests(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	void insert(Row row) {
		jdbc.sql("insert into data_request (id, tenant_id, type, state, channel, subject_id, email_index, email_sealed, details_sealed, received_at, received_on, due_on, updated_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
			.params(row.id(), row.tenantId(), row.type().name(), row.state().name(), row.channel(), row.subjectId(),
					row.emailIndex(), row.emailSealed(), row.detailsSealed(), utc(row.receivedAt()), row.receivedOn(),
					row.dueOn(), utc(row.receivedAt()))
			.update();
	}

	Optional<Row> find(String tenantId, UUID id) {
		return jdbc.sql("select " + COLUMNS + " from data_request where tenant_id = ? and id = ?")
			.params(tenantId, id)
			.query(this::row)
			.optional();
	}

	/** Locks the request's row for a change of state (concurrent changes take turns). */
	Optional<Row> lock(String tenantId, UUID id) {
		return jdbc.sql("select " + COLUMNS + " from data_request where tenant_id = ? and id = ? for update")
			.params(tenantId, id)
			.query(this::row)
			.optional();
	}

	List<Row> open(String tenantId) {
		return jdbc.sql("select " + COLUMNS + " from data_request where tenant_id = ? and state not in ('COMPLETED', 'REFUSED') order by due_on, received_at")
			.param(tenantId)
			.query(this::row)
			.list();
	}

	List<Row> all(String tenantId) {
		return jdbc.sql("select " + COLUMNS + " from data_request where tenant_id = ? order by received_at, id")
			.param(tenantId)
			.query(this::row)
			.list();
	}

	List<Row> ofSubject(String tenantId, UUID subjectId) {
		return jdbc.sql("select " + COLUMNS + " from data_request where tenant_id = ? and subject_id = ? order by received_at, id")
			.params(tenantId, subjectId)
			.query(this::row)
			.list();
	}

	int codesSentSince(String tenantId, byte[] emailIndex, Instant since) {
		return jdbc.sql("select count(*) from data_request r join request_code c on c.request_id = r.id where r.tenant_id = ? and r.email_index = ? and r.received_at >= ?")
			.params(tenantId, emailIndex, utc(since))
			.query(Integer.class)
			.single();
	}

	void state(UUID id, RequestState state, Instant now) {
		jdbc.sql("update data_request set state = ?, updated_at = ? where id = ?").params(state.name(), utc(now), id).update();
	}

	void verified(UUID id, UUID subjectId, String method, String reason, Instant now) {
		jdbc.sql("update data_request set state = 'VERIFIED', subject_id = ?, verification_method = ?, verification_reason = ?, verified_at = ?, updated_at = ? where id = ?")
			.params(subjectId, method, reason, utc(now), utc(now), id)
			.update();
	}

	void extended(UUID id, LocalDate due, String reason, Instant now) {
		jdbc.sql("update data_request set state = 'EXTENDED', due_on = ?, extension_reason = ?, updated_at = ? where id = ?")
			.params(due, reason, utc(now), id)
			.update();
	}

	void closed(UUID id, RequestState state, byte[] answerSealed, String refusalReason, Instant now) {
		jdbc.sql("update data_request set state = ?, answer_sealed = ?, refusal_reason = ?, closed_at = ?, updated_at = ? where id = ?")
			.params(state.name(), answerSealed, refusalReason, utc(now), utc(now), id)
			.update();
	}

	void putCode(UUID requestId, byte[] hash, Instant expiresAt) {
		jdbc.sql("delete from request_code where request_id = ?").param(requestId).update();
		jdbc.sql("insert into request_code (request_id, code_hash, expires_at, failures) values (?, ?, ?, 0)")
			.params(requestId, hash, utc(expiresAt))
			.update();
	}

	Optional<Code> code(UUID requestId) {
		return jdbc.sql("select code_hash, expires_at, failures, used_at from request_code where request_id = ? for update")
			.param(requestId)
			.query((rs, n) -> {
				var used = rs.getObject(4, OffsetDateTime.class);
				return new Code(rs.getBytes(1), rs.getObject(2, OffsetDateTime.class).toInstant(), rs.getInt(3),
						used == null ? null : used.toInstant());
			})
			.optional();
	}

	void codeFailed(UUID requestId) {
		jdbc.sql("update request_code set failures = failures + 1 where request_id = ?").param(requestId).update();
	}

	void codeUsed(UUID requestId, Instant now) {
		jdbc.sql("update request_code set used_at = ? where request_id = ?").params(utc(now), requestId).update();
	}

	void putDownload(String tenantId, UUID requestId, byte[] tokenHash, byte[] sealedPackage, Instant expiresAt) {
		jdbc.sql("delete from request_download where request_id = ?").param(requestId).update();
		jdbc.sql("insert into request_download (request_id, tenant_id, token_hash, package, expires_at) values (?, ?, ?, ?, ?)")
			.params(requestId, tenantId, tokenHash, sealedPackage, utc(expiresAt))
			.update();
	}

	record Download(byte[] tokenHash, byte[] sealedPackage, Instant expiresAt) {
	}

	Optional<Download> download(String tenantId, UUID requestId) {
		return jdbc.sql("select token_hash, package, expires_at from request_download where tenant_id = ? and request_id = ? for update")
			.params(tenantId, requestId)
			.query((rs, n) -> new Download(rs.getBytes(1), rs.getBytes(2), rs.getObject(3, OffsetDateTime.class).toInstant()))
			.optional();
	}

	void deleteDownload(UUID requestId) {
		jdbc.sql("delete from request_download where request_id = ?").param(requestId).update();
	}

	int deleteExpiredDownloads(Instant now) {
		return jdbc.sql("delete from request_download where expires_at < ?").param(utc(now)).update();
	}

	private Row row(ResultSet rs, int n) throws SQLException {
		var verified = rs.getObject(14, OffsetDateTime.class);
		var closed = rs.getObject(18, OffsetDateTime.class);
		return new Row(rs.getObject(1, UUID.class), rs.getString(2), RequestType.valueOf(rs.getString(3)),
				RequestState.valueOf(rs.getString(4)), rs.getString(5), rs.getObject(6, UUID.class), rs.getBytes(7),
				rs.getBytes(8), rs.getBytes(9), rs.getObject(10, OffsetDateTime.class).toInstant(),
				rs.getObject(11, LocalDate.class), rs.getObject(12, LocalDate.class), rs.getString(13),
				verified == null ? null : verified.toInstant(), rs.getString(15), rs.getBytes(16), rs.getString(17),
				closed == null ? null : closed.toInstant());
	}

	static OffsetDateTime utc(Instant instant) {
		return instant == null ? null : OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
	}
}

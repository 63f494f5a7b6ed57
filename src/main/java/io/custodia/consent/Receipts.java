package io.custodia.consent;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The receipts table. Insert and read only: nothing here updates or deletes a receipt. */
@Repository
class Receipts {

	/** A receipt as stored: how it was given is sealed with the tenant key. */
	record Row(UUID id, String tenantId, UUID subjectId, byte[] visitorIndex, ConsentKind kind, List<String> purposes,
			List<String> cookieCategories, GivenBy givenBy, ConsentMethod method, boolean gpc, String noticeVersion,
			String noticeLanguage, String noticeSha256, byte[] howSealed, String actor, String reason, Instant recordedAt) {
	}

	private static final String COLUMNS = "id, tenant_id, subject_id, visitor_index, kind, purposes, cookie_categories, given_by, method, gpc, "
			+ "notice_version, notice_language, notice_sha256, how_sealed, actor, reason, recorded_at";

	private final JdbcClient jdbc;

	Receipts(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	void insert(Row row) {
		jdbc.sql("insert into consent_receipt (" + COLUMNS + ") values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
			.params(row.id(), row.tenantId(), row.subjectId(), row.visitorIndex(), row.kind().name(),
					String.join(",", row.purposes()), String.join(",", row.cookieCategories()), row.givenBy().name(),
					row.method().name(), row.gpc(), row.noticeVersion(), row.noticeLanguage(), row.noticeSha256(),
					row.howSealed(), row.actor(), row.reason(), OffsetDateTime.ofInstant(row.recordedAt(), ZoneOffset.UTC))
			.update();
	}

	List<Row> ofSubject(String tenantId, UUID subjectId) {
		return jdbc.sql("select " + COLUMNS + " from consent_receipt where tenant_id = ? and subject_id = ? order by seq")
			.params(tenantId, subjectId)
			.query(this::row)
			.list();
	}

	List<Row> ofVisitor(String tenantId, byte[] visitorIndex) {
		return jdbc.sql("select " + COLUMNS + " from consent_receipt where tenant_id = ? and visitor_index = ? order by seq")
			.params(tenantId, visitorIndex)
			.query(this::row)
			.list();
	}

	private Row row(ResultSet rs, int n) throws SQLException {
		return new Row(rs.getObject(1, UUID.class), rs.getString(2), rs.getObject(3, UUID.class), rs.getBytes(4),
				ConsentKind.valueOf(rs.getString(5)), split(rs.getString(6)), split(rs.getString(7)),
				GivenBy.valueOf(rs.getString(8)), ConsentMethod.valueOf(rs.getString(9)), rs.getBoolean(10), rs.getString(11),
				rs.getString(12), rs.getString(13), rs.getBytes(14), rs.getString(15), rs.getString(16),
				rs.getObject(17, OffsetDateTime.class).toInstant());
	}

	private static List<String> split(String joined) {
		return joined == null || joined.isEmpty() ? List.of() : Arrays.asList(joined.split(","));
	}
}

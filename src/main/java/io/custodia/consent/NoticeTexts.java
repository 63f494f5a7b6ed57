package io.custodia.consent;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import javax.sql.DataSource;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import io.custodia.notice.NoticeFormat;
import io.custodia.notice.Notices;
import io.custodia.policy.Language;
import io.custodia.tenancy.PublishedPolicy;

/**
 * The notice a receipt points to: rendered once per published version and language (the Markdown text the
 * notice module serves), hashed with SHA-256, and stored once per tenant and hash before any receipt names
 * it, in the same transaction, so the evidence can always show the exact words.
 */
@Component
class NoticeTexts {

	record Shown(String version, Language language, String sha256) {
	}

	private final JdbcClient jdbc;

	private final Clock clock;

	private final boolean postgres;

	/** Notices known to be stored: filled only after the transaction that stored (or found) them commits. */
	private final Map<String, Shown> stored = new ConcurrentHashMap<>();

	NoticeTexts(JdbcClient jdbc, Clock clock, DataSource dataSource) throws SQLException {
		this.jdbc = jdbc;
		this.clock = clock;
		try (Connection connection = dataSource.getConnection()) {
			this.postgres = connection.getMetaData().getURL().startsWith("jdbc:postgresql:");
		}
	}

	/**
	 * The notice shown, stored in the caller's transaction if it is not yet: it commits with the first receipt
	 * that names it. No second connection is taken, so a full pool cannot deadlock here.
	 */
	Shown shown(PublishedPolicy published, Language language) {
		String key = published.tenantId() + "|" + published.sha256() + "|" + language.code();
		Shown known = stored.get(key);
		if (known != null) {
			return known;
		}
		Shown shown = store(published, language);
		if (TransactionSynchronizationManager.isSynchronizationActive()) {
			TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
				@Override
				public void afterCommit() {
					stored.put(key, shown);
				}
			});
		}
		return shown;
	}

	Optional<ConsentEvidence.Notice> text(String tenantId, String sha256) {
		return jdbc.sql("select version, language, sha256, notice_text from consent_notice where tenant_id = ? and sha256 = ?")
			.params(tenantId, sha256)
			.query((rs, n) -> new ConsentEvidence.Notice(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)))
			.optional();
	}

	private Shown store(PublishedPolicy published, Language language) {
		String text = Notices.render(published.policy(), language, NoticeFormat.MD);
		String sha = sha256(text);
		var at = OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
		if (postgres) {
			// safe against a concurrent first receipt, and a conflict does not abort the caller's transaction
			jdbc.sql("insert into consent_notice (tenant_id, sha256, version, language, notice_text, stored_at) values (?, ?, ?, ?, ?, ?) "
					+ "on conflict (tenant_id, sha256) do nothing")
				.params(published.tenantId(), sha, published.version(), language.code(), text, at)
				.update();
		}
		else {
			boolean known = jdbc.sql("select count(*) from consent_notice where tenant_id = ? and sha256 = ?")
				.params(published.tenantId(), sha)
				.query(Integer.class)
				.single() > 0;
			if (!known) {
				try {
					jdbc.sql("insert into consent_notice (tenant_id, sha256, version, language, notice_text, stored_at) values (?, ?, ?, ?, ?, ?)")
						.params(published.tenantId(), sha, published.version(), language.code(), text, at)
						.update();
				}
				catch (DuplicateKeyException raced) {
					// H2 fails the statement only; the other transaction stores the same text
				}
			}
		}
		return new Shown(published.version(), language, sha);
	}

	static String sha256(String text) {
		try {
			return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("every JVM has SHA-256", ex);
		}
	}
}

package io.custodia.consent;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

import io.custodia.notice.NoticeFormat;
import io.custodia.notice.Notices;
import io.custodia.policy.Language;
import io.custodia.tenancy.PublishedPolicy;

/**
 * The notice a receipt points to: rendered once per published version and language (the Markdown text the
 * notice module serves), hashed with SHA-256, and stored once per tenant and hash before any receipt names
 * it, so the evidence can always show the exact words.
 */
@Component
class NoticeTexts {

	record Shown(String version, Language language, String sha256) {
	}

	private final JdbcClient jdbc;

	private final Clock clock;

	private final TransactionTemplate separate;

	private final Map<String, Shown> stored = new ConcurrentHashMap<>();

	NoticeTexts(JdbcClient jdbc, Clock clock, PlatformTransactionManager transactions) {
		this.jdbc = jdbc;
		this.clock = clock;
		this.separate = new TransactionTemplate(transactions);
		this.separate.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
	}

	Shown shown(PublishedPolicy published, Language language) {
		String key = published.tenantId() + "|" + published.sha256() + "|" + language.code();
		return stored.computeIfAbsent(key, k -> store(published, language));
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
		// in a transaction of its own, so that two first receipts racing here cannot spoil their callers'
		separate.executeWithoutResult(status -> {
			boolean known = jdbc.sql("select count(*) from consent_notice where tenant_id = ? and sha256 = ?")
				.params(published.tenantId(), sha)
				.query(Integer.class)
				.single() > 0;
			if (!known) {
				try {
					jdbc.sql("insert into consent_notice (tenant_id, sha256, version, language, notice_text, stored_at) values (?, ?, ?, ?, ?, ?)")
						.params(published.tenantId(), sha, published.version(), language.code(), text,
								OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC))
						.update();
				}
				catch (DuplicateKeyException raced) {
					status.setRollbackOnly();
				}
			}
		});
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

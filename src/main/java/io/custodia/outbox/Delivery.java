package io.custodia.outbox;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import jakarta.mail.internet.MimeMessage;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.mail.javamail.MimeMessageHelper;
import org.springframework.stereotype.Component;

import tools.jackson.databind.json.JsonMapper;

/**
 * Sends one message: an e-mail through the configured SMTP server ({@code spring.mail.*}), or a webhook as a
 * signed JSON POST. Throws when the message was not accepted, so the outbox retries it.
 */
@Component
class Delivery {

	static final String IDEMPOTENCY_KEY = "Idempotency-Key";

	static final String SIGNATURE = "Custodia-Signature";

	static final String TIMESTAMP = "Custodia-Timestamp";

	static final String EVENT = "Custodia-Event";

	private final ObjectProvider<JavaMailSender> mail;

	private final Webhooks webhooks;

	private final OutboxProperties settings;

	private final Clock clock;

	private final HttpClient http;

	Delivery(ObjectProvider<JavaMailSender> mail, Webhooks webhooks, OutboxProperties settings, Clock clock) {
		this.mail = mail;
		this.webhooks = webhooks;
		this.settings = settings;
		this.clock = clock;
		this.http = HttpClient.newBuilder().connectTimeout(settings.webhookTimeout()).build();
	}

	void email(UUID id, Map<String, Object> content) {
		JavaMailSender sender = mail.getIfAvailable();
		if (sender == null) {
			throw new IllegalStateException("no mail server is configured: set spring.mail.host (see docs/operations.md)");
		}
		try {
			MimeMessage message = sender.createMimeMessage();
			var helper = new MimeMessageHelper(message, false, "UTF-8");
			helper.setFrom(settings.mailFrom());
			helper.setTo((String) content.get("to"));
			helper.setSubject((String) content.get("subject"));
			helper.setText((String) content.get("text"));
			message.setHeader("X-Custodia-Message-Id", id.toString());
			sender.send(message);
		}
		catch (jakarta.mail.MessagingException | org.springframework.mail.MailException ex) {
			// never the address or the text in the error: it is kept in the database
			throw new IllegalStateException("the mail server did not accept the message (" + ex.getClass().getSimpleName() + ")");
		}
	}

	void webhook(String tenantId, UUID id, String recipient, Map<String, Object> content) {
		String url = webhooks.endpoint(tenantId, recipient)
			.orElseThrow(() -> new IllegalStateException("recipient '" + recipient + "' has no webhook endpoint any more"));
		var body = new LinkedHashMap<String, Object>();
		body.put("id", id.toString());
		body.put("event", content.get("event"));
		body.put("tenant", tenantId);
		body.put("recipient", recipient);
		body.put("payload", content.get("payload"));
		byte[] json = JsonMapper.shared().writeValueAsBytes(body);
		String timestamp = Long.toString(clock.instant().getEpochSecond());
		String signature = webhooks.sign(tenantId, timestamp, json);
		try {
			var request = HttpRequest.newBuilder(URI.create(url))
				.timeout(settings.webhookTimeout())
				.header("Content-Type", "application/json")
				.header(IDEMPOTENCY_KEY, id.toString())
				.header(EVENT, String.valueOf(content.get("event")))
				.header(TIMESTAMP, timestamp)
				.header(SIGNATURE, "v1=" + signature)
				.POST(HttpRequest.BodyPublishers.ofByteArray(json))
				.build();
			int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
			if (status < 200 || status > 299) {
				throw new IllegalStateException("the receiver answered HTTP " + status);
			}
		}
		catch (java.io.IOException ex) {
			throw new IllegalStateException("the receiver could not be reached (" + ex.getClass().getSimpleName() + ")");
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("interrupted while sending a webhook");
		}
	}

	static String hex(byte[] bytes) {
		return java.util.HexFormat.of().formatHex(bytes);
	}

	static byte[] signed(String timestamp, byte[] body) {
		byte[] prefix = (timestamp + ".").getBytes(StandardCharsets.UTF_8);
		byte[] all = new byte[prefix.length + body.length];
		System.arraycopy(prefix, 0, all, 0, prefix.length);
		System.arraycopy(body, 0, all, prefix.length, body.length);
		return all;
	}
}

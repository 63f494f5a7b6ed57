package io.custodia.requests;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.sun.net.httpserver.HttpServer;

/**
 * A webhook receiver on a free loopback port: records what arrives, answers 200 (or 503 for the first
 * {@code failures} calls), and checks signatures independently of Tink with the JDK's HMAC-SHA256.
 */
final class WebhookListener implements AutoCloseable {

	record Call(String path, Map<String, List<String>> headers, String body) {

		String header(String name) {
			return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name)).map(e -> e.getValue().get(0)).findFirst().orElse(null);
		}
	}

	final List<Call> calls = new CopyOnWriteArrayList<>();

	final AtomicInteger failures = new AtomicInteger();

	volatile long delayMillis;

	private final HttpServer server;

	WebhookListener() throws IOException {
		server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		server.createContext("/", exchange -> {
			byte[] body = exchange.getRequestBody().readAllBytes();
			try {
				if (delayMillis > 0) {
					Thread.sleep(delayMillis);
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			int status = failures.getAndUpdate(n -> Math.max(0, n - 1)) > 0 ? 503 : 200;
			if (status == 200) {
				calls.add(new Call(exchange.getRequestURI().getPath(), Map.copyOf(exchange.getRequestHeaders()),
						new String(body, StandardCharsets.UTF_8)));
			}
			exchange.sendResponseHeaders(status, -1);
			exchange.close();
		});
		server.start();
	}

	String url(String path) {
		return "http://127.0.0.1:" + server.getAddress().getPort() + path;
	}

	static boolean signatureValid(Call call, String base64Secret) {
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(new SecretKeySpec(java.util.Base64.getDecoder().decode(base64Secret), "HmacSHA256"));
			byte[] expected = mac.doFinal((call.header("Custodia-Timestamp") + "." + call.body()).getBytes(StandardCharsets.UTF_8));
			return ("v1=" + java.util.HexFormat.of().formatHex(expected)).equals(call.header("Custodia-Signature"));
		}
		catch (java.security.GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

	@Override
	public void close() {
		server.stop(0);
	}
}

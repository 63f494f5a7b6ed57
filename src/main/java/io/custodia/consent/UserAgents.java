package io.custodia.consent;

import java.util.Locale;

/**
 * The class of a User-Agent header, which is all a receipt keeps of it: a full header helps fingerprint a
 * person, the class is enough to show how consent was given.
 */
final class UserAgents {

	private UserAgents() {
	}

	static String classify(String header) {
		if (header == null || header.isBlank()) {
			return "unknown";
		}
		String ua = header.toLowerCase(Locale.ROOT);
		if (ua.contains("bot") || ua.contains("crawler") || ua.contains("spider")) {
			return "bot";
		}
		if (ua.contains("mozilla/")) {
			return ua.contains("mobile") || ua.contains("android") || ua.contains("iphone") || ua.contains("ipad")
					? "mobile browser" : "desktop browser";
		}
		return "application";
	}
}

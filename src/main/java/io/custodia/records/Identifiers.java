package io.custodia.records;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The identifiers a subject is found by, normalised so that the same person meets the same blind index:
 * e-mail addresses trimmed and lower-cased, phone numbers reduced to + and digits, account ids trimmed.
 */
final class Identifiers {

	static final List<String> KINDS = List.of("email", "phone", "account_id");

	private Identifiers() {
	}

	static Map<String, String> normalise(Map<String, String> identifiers) {
		if (identifiers == null || identifiers.isEmpty()) {
			throw new PolicyViolationException("identifiers", "a subject needs at least one identifier", KINDS);
		}
		var result = new LinkedHashMap<String, String>();
		identifiers.forEach((kind, value) -> {
			if (!KINDS.contains(kind)) {
				throw new PolicyViolationException(PolicyGate.path("identifiers", kind),
						"unknown identifier kind " + PolicyGate.named(kind), KINDS);
			}
			String normalised = normalise(kind, value == null ? "" : value);
			if (normalised.isEmpty()) {
				throw new PolicyViolationException("identifiers." + kind, "identifier '" + kind + "' is empty", KINDS);
			}
			result.put(kind, normalised);
		});
		return result;
	}

	static String normalise(String kind, String value) {
		return switch (kind) {
			case "email" -> value.strip().toLowerCase(Locale.ROOT);
			case "phone" -> {
				String digits = value.replaceAll("[^0-9+]", "");
				yield digits.startsWith("00") ? "+" + digits.substring(2) : digits;
			}
			default -> value.strip();
		};
	}
}

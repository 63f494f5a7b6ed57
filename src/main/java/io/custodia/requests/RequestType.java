package io.custodia.requests;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** The rights a request exercises. */
public enum RequestType {
	ACCESS, PORTABILITY, RECTIFICATION, ERASURE, RESTRICTION, OBJECTION, CONSENT_WITHDRAWAL;

	/** As written in the API and on the command line: {@code consent_withdrawal}. */
	public String id() {
		return name().toLowerCase(Locale.ROOT);
	}

	public static List<String> ids() {
		return Arrays.stream(values()).map(RequestType::id).toList();
	}

	public static RequestType of(String id) {
		for (var type : values()) {
			if (type.id().equals(id)) {
				return type;
			}
		}
		throw new RequestProblem("type", "unknown request type '" + id + "'", ids());
	}
}

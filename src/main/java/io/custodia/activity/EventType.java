package io.custodia.activity;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** What an activity event records. On the wire and in the database: the lower-case name. */
public enum EventType {

	LOGIN, LOGOUT, PRODUCT_START, PRODUCT_END;

	public String wire() {
		return name().toLowerCase(Locale.ROOT);
	}

	boolean isProduct() {
		return this == PRODUCT_START || this == PRODUCT_END;
	}

	static Optional<EventType> parse(String text) {
		return Arrays.stream(values()).filter(t -> t.wire().equals(text)).findFirst();
	}

	static List<String> allowed() {
		return Arrays.stream(values()).map(EventType::wire).toList();
	}
}

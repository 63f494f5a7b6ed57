package io.custodia.policy;

import java.util.Locale;

/** A language a notice is published in. Adding one means adding its message bundle. */
public enum Language {

	EN, DE, NL;

	public String code() {
		return name().toLowerCase(Locale.ROOT);
	}

	public Locale locale() {
		return Locale.forLanguageTag(code());
	}

	public static Language of(String code) {
		for (Language language : values()) {
			if (language.code().equalsIgnoreCase(code)) {
				return language;
			}
		}
		throw new IllegalArgumentException("unknown language '" + code + "'; use one of en, de, nl");
	}

	@Override
	public String toString() {
		return code();
	}
}

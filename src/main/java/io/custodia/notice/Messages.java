package io.custodia.notice;

import java.text.MessageFormat;
import java.util.Locale;
import java.util.MissingResourceException;
import java.util.ResourceBundle;

import io.custodia.policy.Language;

/**
 * The fixed wording of notices and records in one language, from {@code notice/messages_xx.properties}.
 * A test keeps the bundles of all languages in step, so a key missing here is a bug, not a translation gap.
 */
final class Messages {

	static final String BUNDLE = "notice.messages";

	private final ResourceBundle bundle;

	private final Locale locale;

	private Messages(Language language) {
		this.locale = language.locale();
		this.bundle = ResourceBundle.getBundle(BUNDLE, locale, Messages.class.getClassLoader(),
				ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES));
	}

	static Messages of(Language language) {
		return new Messages(language);
	}

	Locale locale() {
		return locale;
	}

	String get(String key, Object... arguments) {
		String pattern;
		try {
			pattern = bundle.getString(key);
		}
		catch (MissingResourceException ex) {
			throw new IllegalStateException("message '" + key + "' is missing for " + locale, ex);
		}
		return arguments.length == 0 ? pattern : new MessageFormat(pattern, locale).format(arguments);
	}

	boolean has(String key) {
		return bundle.containsKey(key);
	}
}

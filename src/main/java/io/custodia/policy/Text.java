package io.custodia.policy;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.annotation.JsonCreator;

/**
 * A text of the policy in one or more languages. A plain string in the policy file is written in the
 * policy's first language; it is kept under no language until {@link #in(Language, Language)} is asked.
 */
public record Text(Map<String, String> values) {

	private static final String UNSPECIFIED = "";

	public Text {
		values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
	}

	@JsonCreator(mode = JsonCreator.Mode.DELEGATING)
	static Text from(Object value) {
		if (value instanceof Map<?, ?> map) {
			var copy = new LinkedHashMap<String, String>();
			map.forEach((k, v) -> copy.put(String.valueOf(k), String.valueOf(v)));
			return new Text(copy);
		}
		return new Text(Map.of(UNSPECIFIED, String.valueOf(value)));
	}

	public static Text of(String plain) {
		return new Text(Map.of(UNSPECIFIED, plain));
	}

	/** The text written in exactly this language, if there is one. */
	public Optional<String> exactly(Language language, Language original) {
		String value = values.get(language.code());
		if (value == null && language == original) {
			value = values.get(UNSPECIFIED);
		}
		return Optional.ofNullable(value);
	}

	/** The text in this language, or a visible fallback to the original language. */
	public Localized in(Language language, Language original) {
		var exact = exactly(language, original);
		if (exact.isPresent()) {
			return new Localized(exact.get(), language, false);
		}
		var fallback = exactly(original, original);
		if (fallback.isPresent()) {
			return new Localized(fallback.get(), original, true);
		}
		var any = values.entrySet().iterator().next();
		return new Localized(any.getValue(), any.getKey().isEmpty() ? original : Language.of(any.getKey()), true);
	}

	/** Language keys written in the file, the unspecified one reported as the original language. */
	public boolean isPlain() {
		return values.containsKey(UNSPECIFIED);
	}

	/** A text resolved for one language; {@code fallback} when it is in another language than asked. */
	public record Localized(String value, Language language, boolean fallback) {

		@Override
		public String toString() {
			return value;
		}
	}
}

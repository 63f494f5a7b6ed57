package io.custodia.notice;

/**
 * A text as a notice shows it. {@code fallback} names the language it is really in when the policy has no
 * text in the notice's language, so the page can mark it instead of hiding the gap.
 */
record Shown(String text, String fallback) {

	static Shown of(io.custodia.policy.Text.Localized localized) {
		return new Shown(localized.value(), localized.fallback() ? localized.language().code() : null);
	}

	static Shown plain(String text) {
		return new Shown(text, null);
	}

	public boolean isFallback() {
		return fallback != null;
	}

	@Override
	public String toString() {
		return text;
	}
}

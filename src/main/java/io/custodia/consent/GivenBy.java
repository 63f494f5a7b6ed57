package io.custodia.consent;

import java.util.Locale;

/** Who gave the consent: the person, or a holder of parental responsibility for a child (R22). */
public enum GivenBy {

	SUBJECT, PARENT;

	public String id() {
		return name().toLowerCase(Locale.ROOT);
	}

	static GivenBy of(String id) {
		if (id == null || id.isBlank()) {
			return SUBJECT;
		}
		for (GivenBy value : values()) {
			if (value.id().equalsIgnoreCase(id.trim())) {
				return value;
			}
		}
		throw new io.custodia.records.PolicyViolationException("given_by", "a consent is given by the subject or a parent",
				java.util.List.of("subject", "parent"));
	}
}

package io.custodia.consent;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** Where the person acted. Using a site or accepting a notice is none of these: it is never consent. */
public enum ConsentMethod {

	BANNER, FORM, EMAIL, PAPER, PHONE, IN_PRODUCT, REQUEST;

	public String id() {
		return name().toLowerCase(Locale.ROOT);
	}

	static List<String> ids() {
		return Arrays.stream(values()).map(ConsentMethod::id).toList();
	}

	static ConsentMethod of(String id) {
		if (id != null) {
			String normal = id.trim().toLowerCase(Locale.ROOT).replace('-', '_');
			if (normal.equals("e_mail")) {
				normal = "email";
			}
			for (ConsentMethod method : values()) {
				if (method.id().equals(normal)) {
					return method;
				}
			}
		}
		throw new io.custodia.records.PolicyViolationException("method", "a consent is recorded with one of the methods listed", ids());
	}
}

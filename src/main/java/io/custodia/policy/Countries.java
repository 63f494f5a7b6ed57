package io.custodia.policy;

import java.util.Set;

/** Where the GDPR's transfer rules start: the EEA, and the countries with an adequacy decision. */
public final class Countries {

	/** The EU member states plus Iceland, Liechtenstein and Norway. */
	private static final Set<String> EEA = Set.of("AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE",
			"GR", "HU", "IE", "IT", "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE", "IS", "LI",
			"NO");

	/**
	 * Countries with an adequacy decision of the European Commission (Art. 45), as of 2025. The United States
	 * is adequate only for organisations certified under the EU-US Data Privacy Framework, which the policy
	 * states in the recipient's safeguard details.
	 */
	private static final Set<String> ADEQUATE = Set.of("AD", "AR", "CA", "FO", "GG", "IL", "IM", "JP", "JE", "NZ",
			"KR", "CH", "GB", "UY", "US");

	private Countries() {
	}

	public static boolean isEea(String country) {
		return EEA.contains(country);
	}

	public static boolean hasAdequacyDecision(String country) {
		return ADEQUATE.contains(country);
	}
}

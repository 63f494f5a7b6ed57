package io.custodia.policy;

import java.time.LocalDate;
import java.time.Period;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * An organisation's processing of personal data, as written in its policy file. Every capability of
 * Custodia reads this one model: what the notice says is what the platform enforces.
 *
 * <p>Instances come only from {@link Policies}, which checks them first; a {@code Policy} in hand is valid.
 */
public record Policy(
		String format,
		String version,
		LocalDate effective,
		LocalDate lastUpdated,
		Period changeNoticePeriod,
		List<Language> languages,
		String timeZone,
		Controller controller,
		PrivacyContact privacyContact,
		Authority supervisoryAuthority,
		int ageOfConsent,
		Map<String, Channel> channels,
		Map<Right, List<String>> rights,
		List<Text> securityMeasures,
		Map<String, Category> dataCategories,
		Map<String, SubjectType> subjects,
		Map<String, Recipient> recipients,
		Map<String, Activity> activities,
		List<Cookie> cookies) {

	public static final String FORMAT = "custodia/policy/1";

	/** The built-in clock every record has: the moment it was stored. */
	public static final String COLLECTED = "collected";

	/** The cookie provider that stands for the controller itself. */
	public static final String FIRST_PARTY = "first_party";

	/**
	 * The longest a record's lifecycle facts may be as stored: a JSON object of names and values in
	 * {@code personal_record.facts varchar(8000)}. A policy whose activity could need more is refused; a record
	 * that carries facts of earlier versions beside today's is refused more facts past it.
	 */
	public static final int MAX_FACTS_TEXT = 8000;

	public Policy {
		rights = rights == null ? Map.of() : rights;
		securityMeasures = securityMeasures == null ? List.of() : securityMeasures;
		recipients = recipients == null ? Map.of() : recipients;
		cookies = cookies == null ? List.of() : cookies;
	}

	/** The language texts are written in when the file does not say. */
	public Language original() {
		return languages.get(0);
	}

	/** The controller's text in a language, falling back visibly to the original language. */
	public Text.Localized text(Text text, Language language) {
		return text.in(language, original());
	}

	public Optional<PrivacyContact> contact() {
		return Optional.ofNullable(privacyContact);
	}

	/** The purposes that rest on consent: what a consent is given to, and withdrawn from. */
	public List<String> consentPurposes() {
		return activities.entrySet()
			.stream()
			.filter(e -> e.getValue().legalBasis() == LegalBasis.CONSENT)
			.map(Map.Entry::getKey)
			.toList();
	}

	/**
	 * What the Global Privacy Control signal objects to: every marketing activity, and every activity on consent
	 * or legitimate interest that passes data to another controller for its own use (sale or sharing).
	 */
	public Set<String> sellingOrMarketing() {
		var result = new LinkedHashSet<String>();
		activities.forEach((id, activity) -> {
			boolean sharing = (activity.legalBasis() == LegalBasis.CONSENT
					|| activity.legalBasis() == LegalBasis.LEGITIMATE_INTEREST)
					&& activity.recipients().stream().map(recipients::get).anyMatch(r -> r != null
							&& (r.role() == RecipientRole.CONTROLLER || r.role() == RecipientRole.JOINT_CONTROLLER));
			if (activity.marketing() || sharing) {
				result.add(id);
			}
		});
		return result;
	}

	public record Address(String street, String postalCode, String city, String country) {

		public String oneLine() {
			return street + ", " + postalCode + " " + city + ", " + country;
		}
	}

	public record Controller(String name, Address address, String registration, String email, String phone,
			String website) {
	}

	public enum ContactRole {
		DPO, PRIVACY_MANAGER
	}

	public record PrivacyContact(ContactRole role, String name, String email, String phone, Address address) {
	}

	public record Authority(Text name, String country, String website, String address) {
	}

	public enum ChannelKind {
		EMAIL, WEB, POST, PHONE, IN_PRODUCT
	}

	public record Channel(ChannelKind kind, String address, String url, Text description) {

		/** Where to go: the address or the URL, whichever the channel has. */
		public String target() {
			return address != null ? address : url;
		}
	}

	public enum Right {
		ACCESS, RECTIFICATION, ERASURE, RESTRICTION, PORTABILITY, OBJECTION, WITHDRAW_CONSENT, COMPLAINT;

		public String id() {
			return name().toLowerCase(java.util.Locale.ROOT);
		}
	}

	public record Field(boolean identifying, Text label) {
	}

	public record Category(Text name, Text description, boolean special, Map<String, Field> fields) {

		public Set<String> fieldNames() {
			return fields.keySet();
		}
	}

	public record SubjectType(Text name) {
	}

	public enum RecipientRole {
		PROCESSOR, CONTROLLER, JOINT_CONTROLLER, AUTHORITY, AFFILIATE, ACQUIRER, SUBJECT, INTERNAL
	}

	public enum Safeguard {
		ADEQUACY, SCC, BCR, DEROGATION
	}

	public record Recipient(Text name, RecipientRole role, String country, Safeguard safeguard,
			Text safeguardDetails, Text description) {

		/** True when data sent to this recipient leaves the European Economic Area. */
		public boolean isTransfer() {
			return !Countries.isEea(country);
		}
	}

	public enum LegalBasis {
		CONSENT("6(1)(a)"), CONTRACT("6(1)(b)"), PRE_CONTRACT("6(1)(b)"), LEGAL_OBLIGATION("6(1)(c)"),
		VITAL_INTEREST("6(1)(d)"), PUBLIC_TASK("6(1)(e)"), LEGITIMATE_INTEREST("6(1)(f)");

		private final String article;

		LegalBasis(String article) {
			this.article = article;
		}

		/** The GDPR provision, e.g. {@code 6(1)(f)}. */
		public String article() {
			return article;
		}

		public String id() {
			return name().toLowerCase(java.util.Locale.ROOT);
		}
	}

	public enum SourceKind {
		SUBJECT, OBSERVED, THIRD_PARTY, PUBLIC
	}

	public record Source(SourceKind kind, Text description) {
	}

	public record Consent(List<String> withdrawal) {
	}

	public enum Bound {
		AT_MOST, AT_LEAST
	}

	public enum RetentionAction {
		DELETE, DE_IDENTIFY, REVIEW
	}

	public record RetentionRule(String id, Map<String, Object> when, String from, Period period, Bound bound,
			Period max, RetentionAction action, Text note) {

		public RetentionRule {
			when = when == null ? Map.of() : when;
		}

		/** The values each state must have for this rule to apply; empty when it applies always. */
		public Map<String, List<String>> conditions() {
			var result = new java.util.LinkedHashMap<String, List<String>>();
			when.forEach((state, value) -> result.put(state,
					value instanceof List<?> list ? list.stream().map(String::valueOf).toList() : List.of(String.valueOf(value))));
			return result;
		}

		public boolean appliesTo(Map<String, String> states) {
			return conditions().entrySet().stream().allMatch(c -> c.getValue().contains(states.get(c.getKey())));
		}
	}

	public record Activity(Text name, Text purpose, LegalBasis legalBasis, Text legitimateInterest,
			Text legalBasisDetails, Consent consent, boolean marketing, List<String> subjects, List<String> categories,
			Source source, List<String> recipients, Map<String, Text> clocks, Map<String, Map<String, Text>> states,
			List<RetentionRule> retention, List<Text> securityMeasures) {

		public Activity {
			recipients = recipients == null ? List.of() : recipients;
			clocks = clocks == null ? Map.of() : clocks;
			states = states == null ? Map.of() : states;
			securityMeasures = securityMeasures == null ? List.of() : securityMeasures;
		}

		/**
		 * The most characters a record's lifecycle facts can take as stored, every clock and state set at once: a
		 * JSON object {@code {"name":"value",...}} of ids, dates (YYYY-MM-DD) and state values, none needing escapes.
		 * {@code collected} is not among them (it is the record's own time).
		 */
		public int longestFacts() {
			int pairs = 0;
			int length = 0;
			for (String clock : clocks.keySet()) {
				if (!COLLECTED.equals(clock)) {
					pairs++;
					length += clock.length() + "YYYY-MM-DD".length();
				}
			}
			for (var state : states.entrySet()) {
				pairs++;
				length += state.getKey().length() + state.getValue().keySet().stream().mapToInt(String::length).max().orElse(0);
			}
			// two pairs of quotes and a colon in each pair, commas between pairs, the braces around
			return pairs == 0 ? 0 : length + 5 * pairs + (pairs - 1) + 2;
		}
	}

	public enum CookieCategory {
		NECESSARY, PREFERENCES, STATISTICS, MARKETING
	}

	public record Cookie(String name, String provider, CookieCategory category, String lifetime, Text purpose) {

		public boolean isSession() {
			return "session".equals(lifetime);
		}

		/** The lifetime as a period; empty for a session cookie. */
		public Optional<Period> period() {
			return isSession() ? Optional.empty() : Optional.of(Period.parse(lifetime));
		}
	}
}

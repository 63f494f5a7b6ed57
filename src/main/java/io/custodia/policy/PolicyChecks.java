package io.custodia.policy;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.Period;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

import io.custodia.policy.Policy.Activity;
import io.custodia.policy.Policy.Bound;
import io.custodia.policy.Policy.LegalBasis;
import io.custodia.policy.Policy.RetentionAction;
import io.custodia.policy.Policy.RetentionRule;
import io.custodia.policy.Policy.Right;

/**
 * The rules of meaning a schema cannot express: references resolve, every record has an end (R3), every
 * basis has what the law asks of it, transfers are safeguarded (R23), and every published text exists in
 * every published language.
 */
final class PolicyChecks {

	/** The youngest age of consent Art. 8 GDPR lets a member state set, and the oldest. */
	static final int MIN_AGE_OF_CONSENT = 13;

	static final int MAX_AGE_OF_CONSENT = 16;

	/** The longest the consent purposes of one receipt may be, joined with commas: {@code consent_receipt.purposes}. */
	static final int MAX_CONSENT_PURPOSES_TEXT = 4000;

	/** A cap on the state combinations checked for coverage, so a hostile file cannot stall the checker. */
	private static final int MAX_COMBINATIONS = 4096;

	private final Policy policy;

	private final Reporter reporter;

	private PolicyChecks(Policy policy, Reporter reporter) {
		this.policy = policy;
		this.reporter = reporter;
	}

	static void check(Policy policy, Reporter reporter) {
		new PolicyChecks(policy, reporter).run();
	}

	private void run() {
		checkDates();
		checkController();
		checkAgeOfConsent();
		checkRights();
		checkRecipients();
		policy.activities().forEach(this::checkActivity);
		checkConsentPurposes();
		checkCookies();
		checkUnused();
		checkTranslations();
	}

	private void checkDates() {
		try {
			ZoneId.of(policy.timeZone());
		}
		catch (DateTimeException ex) {
			reporter.error("/time_zone", "'" + policy.timeZone() + "' is not a known time zone",
					"use an IANA zone id such as Europe/Berlin or Europe/Brussels");
		}
		if (policy.changeNoticePeriod().isNegative() || policy.changeNoticePeriod().isZero()) {
			reporter.error("/change_notice_period", "change_notice_period must be longer than zero",
					"material changes must be announced before they take effect (R25), e.g. P30D");
		}
		if (policy.effective().isBefore(policy.lastUpdated())) {
			reporter.warning("/effective", "effective (" + policy.effective() + ") is before last_updated ("
					+ policy.lastUpdated() + ")", "a published version should not change after it took effect; publish a new version");
		}
	}

	private void checkController() {
		var controller = policy.controller();
		boolean email = present(controller.email());
		boolean phone = present(controller.phone());
		if (!email && !phone) {
			reporter.errorAtKey(controller.email() != null ? "/controller/email" : "/controller",
					"the controller has no contact: email and phone are both missing or empty",
					"give at least an e-mail address people can write to (Art. 13(1)(a), R25)");
		}
		if (controller.email() != null && email && !controller.email().contains("@")) {
			reporter.error("/controller/email", "'" + controller.email() + "' is not an e-mail address",
					"write it as name@example.org");
		}
		policy.contact().ifPresent(contact -> {
			if (!present(contact.email()) && !present(contact.phone()) && contact.address() == null) {
				reporter.error("/privacy_contact", "the privacy contact cannot be reached: no email, phone or address",
						"give at least an e-mail address");
			}
		});
	}

	private void checkAgeOfConsent() {
		int age = policy.ageOfConsent();
		if (age < MIN_AGE_OF_CONSENT) {
			reporter.error("/age_of_consent", "age_of_consent " + age + " is below " + MIN_AGE_OF_CONSENT,
					"Art. 8 GDPR allows no threshold below 13 (DE: 16, BE: 13)");
		}
		else if (age > MAX_AGE_OF_CONSENT) {
			reporter.error("/age_of_consent", "age_of_consent " + age + " is above " + MAX_AGE_OF_CONSENT,
					"Art. 8 GDPR sets 16 unless a member state lowers it (DE: 16, BE: 13)");
		}
	}

	private void checkRights() {
		policy.rights().forEach((right, channels) -> references("/rights/" + right.id(), channels,
				policy.channels().keySet(), "channel"));
		var expected = EnumSet.of(Right.ACCESS, Right.RECTIFICATION, Right.ERASURE, Right.RESTRICTION, Right.COMPLAINT);
		if (uses(LegalBasis.LEGITIMATE_INTEREST) || uses(LegalBasis.PUBLIC_TASK)) {
			if (!policy.rights().containsKey(Right.OBJECTION)) {
				reporter.errorAtKey("/rights", "activities rely on legitimate interest or a public task, but the right to object has no channel",
						"add objection: [channel] under rights; the notice must show it prominently (Art. 21(4))");
			}
		}
		if (uses(LegalBasis.CONSENT) || uses(LegalBasis.CONTRACT)) {
			expected.add(Right.PORTABILITY);
		}
		for (Right right : expected) {
			if (!policy.rights().containsKey(right)) {
				reporter.warning("/rights", "the right '" + right.id() + "' has no channel",
						"add " + right.id() + ": [channel] under rights so the notice can say how to exercise it");
			}
		}
	}

	private void checkRecipients() {
		policy.recipients().forEach((id, recipient) -> {
			String at = "/recipients/" + id;
			if (recipient.isTransfer()) {
				if (recipient.safeguard() == null) {
					reporter.error(at + "/country", "recipient '" + id + "' is outside the EEA (" + recipient.country()
							+ ") without a safeguard",
							"add safeguard: adequacy, scc, bcr or derogation, or do not transfer (Art. 44-49, R23)");
				}
				else if (recipient.safeguard() == Policy.Safeguard.ADEQUACY
						&& !Countries.hasAdequacyDecision(recipient.country())) {
					reporter.error(at + "/safeguard", "there is no adequacy decision for " + recipient.country(),
							"use scc, bcr or derogation for recipient '" + id + "'");
				}
				if (recipient.safeguard() == Policy.Safeguard.DEROGATION && recipient.safeguardDetails() == null) {
					reporter.error(at + "/safeguard", "recipient '" + id + "' relies on a derogation without naming it",
							"add safeguard_details naming the Art. 49 derogation, e.g. explicit consent");
				}
			}
			else if (recipient.safeguard() != null) {
				reporter.warning(at + "/safeguard", "recipient '" + id + "' is inside the EEA; a transfer safeguard is not needed",
						"remove safeguard, or correct the country");
			}
		});
	}

	private void checkActivity(String id, Activity activity) {
		String at = "/activities/" + id;
		references(at + "/subjects", activity.subjects(), policy.subjects().keySet(), "data subject type");
		references(at + "/categories", activity.categories(), policy.dataCategories().keySet(), "data category");
		references(at + "/recipients", activity.recipients(), policy.recipients().keySet(), "recipient");
		checkBasis(id, activity, at);
		checkRetention(id, activity, at);
		checkFactsFit(id, activity, at);
	}

	/**
	 * A record can carry every clock and state of its activity at once, and they must fit its row. Checked here
	 * so that the policy's author hears of it, instead of every such record failing when it is stored.
	 */
	private void checkFactsFit(String id, Activity activity, String at) {
		int longest = activity.longestFacts();
		if (longest > Policy.MAX_FACTS_TEXT) {
			reporter.error(at + (activity.states().isEmpty() ? "/clocks" : "/states"), "the clocks and states of activity '"
					+ id + "' take up to " + longest + " characters on a record, more than the " + Policy.MAX_FACTS_TEXT
					+ " a record holds", "declare fewer clocks or states, or shorter names and values");
		}
	}

	/**
	 * A consent receipt may name every purpose that rests on consent (a grant or a withdrawal of all), or every
	 * purpose the Global Privacy Control signal objects to; either list must fit in it.
	 */
	private void checkConsentPurposes() {
		int joined = Math.max(String.join(",", policy.consentPurposes()).length(),
				String.join(",", policy.sellingOrMarketing()).length());
		if (joined > MAX_CONSENT_PURPOSES_TEXT) {
			reporter.error("/activities", "the ids of the activities a consent receipt may name (those on consent, or "
					+ "those the Global Privacy Control objects to) take up to " + joined + " characters, more than the "
					+ MAX_CONSENT_PURPOSES_TEXT + " a receipt holds",
					"give them shorter ids, or group purposes that are consented to together into one activity");
		}
	}

	private void checkBasis(String id, Activity activity, String at) {
		if (activity.legalBasis() == LegalBasis.LEGITIMATE_INTEREST && activity.legitimateInterest() == null) {
			reporter.error(at + "/legal_basis", "activity '" + id + "' relies on legitimate interest without stating the interest",
					"add legitimate_interest: the interest pursued, in words a reader understands (Art. 13(1)(d))");
		}
		if (activity.legalBasis() != LegalBasis.LEGITIMATE_INTEREST && activity.legitimateInterest() != null) {
			reporter.warning(at + "/legitimate_interest", "activity '" + id + "' states a legitimate interest but relies on "
					+ activity.legalBasis().id(), "remove legitimate_interest or change legal_basis");
		}
		if (activity.legalBasis() == LegalBasis.CONSENT) {
			List<String> withdrawal = activity.consent() != null ? activity.consent().withdrawal() : null;
			if (withdrawal != null) {
				references(at + "/consent/withdrawal", withdrawal, policy.channels().keySet(), "channel");
			}
			else if (!policy.rights().containsKey(Right.WITHDRAW_CONSENT)) {
				reporter.error(at + "/legal_basis", "activity '" + id + "' relies on consent but names no channel to withdraw it",
						"add consent: {withdrawal: [channel]} here, or withdraw_consent: [channel] under rights (Art. 7(3))");
			}
		}
		else if (activity.consent() != null) {
			reporter.warning(at + "/consent", "activity '" + id + "' has consent settings but relies on "
					+ activity.legalBasis().id(), "remove consent or change legal_basis");
		}
		if (activity.marketing() && activity.legalBasis() != LegalBasis.CONSENT
				&& activity.legalBasis() != LegalBasis.LEGITIMATE_INTEREST) {
			reporter.error(at + "/marketing", "direct marketing can rely only on consent or legitimate interest",
					"change legal_basis of '" + id + "'");
		}
		boolean special = activity.categories().stream()
			.map(policy.dataCategories()::get)
			.anyMatch(c -> c != null && c.special());
		if (special && activity.legalBasisDetails() == null) {
			reporter.error(at + "/categories", "activity '" + id + "' processes a special category without an Art. 9(2) condition",
					"add legal_basis_details naming the Art. 9(2) condition, e.g. explicit consent");
		}
	}

	private void checkRetention(String id, Activity activity, String at) {
		Set<String> clocks = new HashSet<>(activity.clocks().keySet());
		clocks.add(Policy.COLLECTED);
		Map<String, Set<String>> states = new LinkedHashMap<>();
		activity.states().forEach((state, values) -> states.put(state, values.keySet()));
		Set<String> ruleIds = new HashSet<>();
		boolean conditionsValid = true;
		for (int i = 0; i < activity.retention().size(); i++) {
			RetentionRule rule = activity.retention().get(i);
			String ruleAt = at + "/retention/" + i;
			if (!ruleIds.add(rule.id())) {
				reporter.error(ruleAt + "/id", "retention rule id '" + rule.id() + "' is used twice in activity '" + id + "'",
						"give each rule its own id; audit entries name the rule by it");
			}
			if (!clocks.contains(rule.from())) {
				reporter.error(ruleAt + "/from", "clock '" + rule.from() + "' is not declared in activity '" + id + "'",
						"declare it under clocks, or use one of: " + String.join(", ", sorted(clocks)));
			}
			if (!positive(rule.period())) {
				reporter.error(ruleAt + "/period", "retention period must be longer than zero", "e.g. P6M, P5Y");
			}
			checkBound(rule, ruleAt);
			for (var condition : rule.conditions().entrySet()) {
				Set<String> values = states.get(condition.getKey());
				if (values == null) {
					conditionsValid = false;
					reporter.errorAtKey(ruleAt + "/when/" + condition.getKey(), "state '" + condition.getKey()
							+ "' is not declared in activity '" + id + "'", states.isEmpty()
									? "declare it under states with its values"
									: "declare it under states, or use one of: " + String.join(", ", states.keySet()));
					continue;
				}
				for (String value : condition.getValue()) {
					if (!values.contains(value)) {
						conditionsValid = false;
						reporter.error(ruleAt + "/when/" + condition.getKey(), "'" + value + "' is not a value of state '"
								+ condition.getKey() + "'", "use one of: " + String.join(", ", values));
					}
				}
			}
		}
		if (conditionsValid) {
			checkCoverage(id, activity, at, states);
		}
	}

	private void checkBound(RetentionRule rule, String ruleAt) {
		if (rule.bound() == Bound.AT_LEAST) {
			if (rule.action() != RetentionAction.REVIEW && rule.max() == null) {
				reporter.error(ruleAt + "/bound", "an at_least rule needs an end: neither action review nor max is given",
						"set action: review (a person decides after the minimum) or add max: the latest end (R3)");
			}
			if (rule.max() != null && !(days(rule.max()) > days(rule.period()))) {
				reporter.error(ruleAt + "/max", "max " + rule.max() + " is not longer than the minimum " + rule.period(),
						"max is the latest end and must come after period");
			}
		}
		else if (rule.max() != null) {
			reporter.error(ruleAt + "/max", "max applies only to at_least rules",
					"remove max, or set bound: at_least with period as the minimum");
		}
	}

	/**
	 * Every combination of declared state values must meet a rule (R3); rules are tried in order and the first
	 * that applies decides, so a rule no combination reaches is dead and worth a warning.
	 */
	private void checkCoverage(String id, Activity activity, String at, Map<String, Set<String>> states) {
		List<Map<String, String>> combinations = combinations(states);
		if (combinations == null) {
			reporter.warning(at + "/states", "activity '" + id + "' has too many state combinations to check coverage",
					"split the activity or reduce its states");
			return;
		}
		Set<Integer> used = new HashSet<>();
		for (Map<String, String> combination : combinations) {
			int first = -1;
			for (int i = 0; i < activity.retention().size(); i++) {
				if (activity.retention().get(i).appliesTo(combination)) {
					first = i;
					break;
				}
			}
			if (first < 0) {
				String condition = combination.isEmpty() ? "any record"
						: combination.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).reduce((a, b) -> a + ", " + b).get();
				// with one state, the uncovered value is the place to look; with several, the rules are
				String place = combination.size() == 1
						? at + "/states/" + combination.keySet().iterator().next() + "/" + combination.values().iterator().next()
						: at + "/retention";
				reporter.errorAtKey(place, "no retention rule of activity '" + id + "' covers " + condition,
						"add a rule with when: {" + condition.replace("=", ": ") + "}, or a last rule without when (R3)");
			}
			else {
				used.add(first);
			}
		}
		for (int i = 0; i < activity.retention().size(); i++) {
			if (!used.contains(i)) {
				reporter.warning(at + "/retention/" + i, "retention rule '" + activity.retention().get(i).id()
						+ "' never applies: rules before it cover all its cases", "remove it or move it up");
			}
		}
	}

	private static List<Map<String, String>> combinations(Map<String, Set<String>> states) {
		List<Map<String, String>> result = new ArrayList<>();
		result.add(new LinkedHashMap<>());
		for (var state : states.entrySet()) {
			List<Map<String, String>> next = new ArrayList<>();
			for (Map<String, String> partial : result) {
				for (String value : state.getValue()) {
					var extended = new LinkedHashMap<>(partial);
					extended.put(state.getKey(), value);
					next.add(extended);
				}
			}
			if (next.size() > MAX_COMBINATIONS) {
				return null;
			}
			result = next;
		}
		return result;
	}

	private void checkCookies() {
		Set<String> names = new HashSet<>();
		for (int i = 0; i < policy.cookies().size(); i++) {
			var cookie = policy.cookies().get(i);
			String at = "/cookies/" + i;
			if (!names.add(cookie.name())) {
				reporter.error(at + "/name", "cookie '" + cookie.name() + "' is declared twice", "declare each cookie once");
			}
			if (!Policy.FIRST_PARTY.equals(cookie.provider()) && !policy.recipients().containsKey(cookie.provider())) {
				reporter.error(at + "/provider", "cookie provider '" + cookie.provider() + "' is not a declared recipient",
						"use first_party or one of: " + String.join(", ", policy.recipients().keySet()));
			}
			cookie.period().filter(p -> !positive(p)).ifPresent(p -> reporter.error(at + "/lifetime",
					"cookie lifetime must be longer than zero", "write session, or a period such as P1Y"));
		}
	}

	private void checkUnused() {
		Set<String> categories = new HashSet<>();
		Set<String> subjects = new HashSet<>();
		Set<String> recipients = new HashSet<>();
		policy.activities().values().forEach(a -> {
			categories.addAll(a.categories());
			subjects.addAll(a.subjects());
			recipients.addAll(a.recipients());
		});
		policy.cookies().forEach(c -> recipients.add(c.provider()));
		unused("/data_categories", policy.dataCategories().keySet(), categories, "data category");
		unused("/subjects", policy.subjects().keySet(), subjects, "data subject type");
		unused("/recipients", policy.recipients().keySet(), recipients, "recipient");
	}

	private void unused(String at, Collection<String> declared, Set<String> used, String what) {
		for (String id : declared) {
			if (!used.contains(id)) {
				reporter.warning(at + "/" + id, what + " '" + id + "' is declared but no activity uses it",
						"remove it, or name it in the activity that processes it");
			}
		}
	}

	/** Every text should exist in every published language; a missing one falls back visibly. */
	private void checkTranslations() {
		var languages = policy.languages();
		Language original = policy.original();
		BiConsumer<String, Text> text = (at, value) -> {
			if (value == null) {
				return;
			}
			for (String key : value.values().keySet()) {
				if (!key.isEmpty() && !languages.contains(Language.of(key))) {
					reporter.warning(at + "/" + key, "text in '" + key + "' but the policy does not publish in that language",
							"add " + key + " to languages, or remove the text");
				}
			}
			for (Language language : languages) {
				if (value.exactly(language, original).isEmpty()) {
					reporter.warning(at, "no " + language.code() + " text here; the " + language.code()
							+ " notice shows the " + value.in(language, original).language().code() + " text instead",
							"add " + language.code() + ": ... to this text");
				}
			}
		};
		text.accept("/supervisory_authority/name", policy.supervisoryAuthority().name());
		policy.channels().forEach((id, c) -> text.accept("/channels/" + id + "/description", c.description()));
		for (int i = 0; i < policy.securityMeasures().size(); i++) {
			text.accept("/security_measures/" + i, policy.securityMeasures().get(i));
		}
		policy.dataCategories().forEach((id, c) -> {
			text.accept("/data_categories/" + id + "/name", c.name());
			text.accept("/data_categories/" + id + "/description", c.description());
		});
		policy.subjects().forEach((id, s) -> text.accept("/subjects/" + id + "/name", s.name()));
		policy.recipients().forEach((id, r) -> {
			text.accept("/recipients/" + id + "/name", r.name());
			text.accept("/recipients/" + id + "/safeguard_details", r.safeguardDetails());
			text.accept("/recipients/" + id + "/description", r.description());
		});
		policy.activities().forEach((id, a) -> {
			String at = "/activities/" + id;
			text.accept(at + "/name", a.name());
			text.accept(at + "/purpose", a.purpose());
			text.accept(at + "/legitimate_interest", a.legitimateInterest());
			text.accept(at + "/legal_basis_details", a.legalBasisDetails());
			text.accept(at + "/source/description", a.source().description());
			a.clocks().forEach((clock, phrase) -> text.accept(at + "/clocks/" + clock, phrase));
			a.states().forEach((state, values) -> values.forEach((value, label) -> text.accept(at + "/states/" + state + "/" + value, label)));
			for (int i = 0; i < a.retention().size(); i++) {
				text.accept(at + "/retention/" + i + "/note", a.retention().get(i).note());
			}
		});
		for (int i = 0; i < policy.cookies().size(); i++) {
			text.accept("/cookies/" + i + "/purpose", policy.cookies().get(i).purpose());
		}
	}

	private void references(String at, List<String> ids, Set<String> declared, String what) {
		for (int i = 0; i < ids.size(); i++) {
			if (!declared.contains(ids.get(i))) {
				reporter.error(at + "/" + i, what + " '" + ids.get(i) + "' is not declared",
						declared.isEmpty() ? "declare it first" : "declare it, or use one of: " + String.join(", ", sorted(declared)));
			}
		}
	}

	private boolean uses(LegalBasis basis) {
		return policy.activities().values().stream().anyMatch(a -> a.legalBasis() == basis);
	}

	private static boolean present(String value) {
		return value != null && !value.isBlank();
	}

	private static boolean positive(Period period) {
		return !period.isNegative() && !period.isZero();
	}

	/** Periods compared by their length from a fixed day, so P12M and P1Y are equal and P1M is less than P31D. */
	static long days(Period period) {
		LocalDate start = LocalDate.of(2001, 1, 1);
		return start.plus(period).toEpochDay() - start.toEpochDay();
	}

	private static List<String> sorted(Collection<String> values) {
		return values.stream().sorted().toList();
	}
}

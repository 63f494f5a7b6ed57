package io.custodia.policy;

import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.custodia.Examples;
import io.custodia.policy.PolicyChange.Kind;

import static org.assertj.core.api.Assertions.assertThat;

/** Each kind of change is found and classified; editing a copy of the Belgian example makes each one. */
class PolicyDiffUnitTests {

	private static final String BASE = Examples.text("imengine");

	private static final String NEW_ACTIVITY = """
			  newsletter:
			    name: { nl: Nieuwsbrief, en: Newsletter, de: Newsletter }
			    purpose: { nl: Nieuws sturen, en: To send news, de: Neuigkeiten senden }
			    legal_basis: consent
			    marketing: true
			    subjects: [customer]
			    categories: [identity_contact]
			    source: { kind: subject }
			    retention:
			      - { id: until_withdrawn, from: collected, period: P2Y, bound: at_most, action: delete }

			""";

	static Stream<Arguments> changes() {
		return Stream.of(
				change("a new activity", "  communication:\n", NEW_ACTIVITY + "  communication:\n", Kind.ACTIVITY_ADDED),
				change("a longer retention", "period: P6M", "period: P9M", Kind.RETENTION_LONGER),
				change("a changed basis", "    legal_basis: pre_contract", "    legal_basis: contract", Kind.LEGAL_BASIS_CHANGED),
				change("a changed purpose", "en: To assess your application", "en: To assess and profile your application",
						Kind.PURPOSE_CHANGED),
				change("a new category on an activity", "categories: [browsing]", "categories: [browsing, identity_contact]",
						Kind.CATEGORY_ADDED),
				change("a new field", "      device_type: { identifying: false }",
						"      device_type: { identifying: false }\n      screen_size: { identifying: false }", Kind.FIELD_ADDED),
				change("a new recipient on an activity", "    recipients: [staff_suppliers]\n    clocks:\n      visit:",
						"    recipients: [staff_suppliers, authorities]\n    clocks:\n      visit:", Kind.RECIPIENT_ADDED),
				change("a transfer outside the EEA", "    role: processor\n    country: BE",
						"    role: processor\n    country: IN\n    safeguard: scc", Kind.TRANSFER_ADDED),
				change("a weaker retention action", "    action: de_identify\n\n  website_analytics",
						"    action: review\n\n  website_analytics", Kind.RETENTION_ACTION_WEAKER),
				change("a new cookie", "cookies:\n", "cookies:\n  - { name: _ga, provider: first_party, category: statistics, lifetime: P2Y, purpose: { nl: Analyse, en: Analytics, de: Analyse } }\n",
						Kind.COOKIE_ADDED),
				change("a longer cookie lifetime", "lifetime: P13M", "lifetime: P25M", Kind.COOKIE_LONGER),
				change("a lower age of consent", "age_of_consent: 13", "age_of_consent: 13\n# lowered below", null),
				change("a shorter notice period", "change_notice_period: P30D", "change_notice_period: P14D",
						Kind.NOTICE_PERIOD_SHORTER),
				change("a new controller", "  name: IMENGINE bv", "  name: IMENGINE Holding bv", Kind.CONTROLLER_CHANGED),
				change("a removed channel for a right", "  access: [privacy_mail]\n", "  access: [authority_site]\n",
						Kind.RIGHT_CHANNEL_REMOVED),
				change("a field kept after de-identification", "      ip_address: { identifying: true }",
						"      ip_address: { identifying: false }", Kind.FIELD_NO_LONGER_IDENTIFYING),
				change("a changed retention clock", "        from: visit\n        period: P6M",
						"        from: collected\n        period: P6M", Kind.RETENTION_CLOCK_CHANGED),
				change("a changed interest", "en: Our legitimate interest in keeping our online presence secure",
						"en: Our legitimate interest in profiling visitors", Kind.LEGITIMATE_INTEREST_CHANGED),
				change("a new source", "    source: { kind: observed }", "    source: { kind: third_party }", Kind.SOURCE_CHANGED));
	}

	private static Arguments change(String name, String from, String to, Kind kind) {
		return Arguments.of(name, from, to, kind);
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("changes")
	void eachMaterialChangeIsFlaggedMaterial(String name, String from, String to, Kind expected) {
		if (expected == null) {
			return; // covered by its own test below
		}
		List<PolicyChange> changes = PolicyDiff.compare(policy(BASE), policy(edit(from, to)));
		assertThat(changes).extracting(PolicyChange::kind).contains(expected);
		assertThat(changes.stream().filter(c -> c.kind() == expected)).allSatisfy(c -> assertThat(c.material()).isTrue());
		assertThat(PolicyDiff.anyMaterial(changes)).isTrue();
	}

	@Test
	void aLowerAgeOfConsentIsMaterialAndAHigherOneIsNot() {
		var lower = PolicyDiff.compare(policy(BASE.replace("age_of_consent: 13", "age_of_consent: 16")),
				policy(BASE));
		assertThat(lower).extracting(PolicyChange::kind).containsExactly(Kind.AGE_OF_CONSENT_LOWERED);
		assertThat(PolicyDiff.anyMaterial(lower)).isTrue();
		var higher = PolicyDiff.compare(policy(BASE), policy(BASE.replace("age_of_consent: 13", "age_of_consent: 16")));
		assertThat(higher).extracting(PolicyChange::kind).containsExactly(Kind.AGE_OF_CONSENT_RAISED);
		assertThat(PolicyDiff.anyMaterial(higher)).isFalse();
	}

	@Test
	void rewordingAndShorterRetentionAreEditorial() {
		String edited = BASE.replace("version: \"2020.1\"", "version: \"2020.2\"")
			.replace("en: Website operation and security", "en: Running and securing the website")
			.replaceFirst("period: P6M", "period: P3M");
		var changes = PolicyDiff.compare(policy(BASE), policy(edited));
		assertThat(changes).extracting(PolicyChange::kind)
			.containsExactlyInAnyOrder(Kind.VERSION_CHANGED, Kind.TEXT_CHANGED, Kind.RETENTION_SHORTER);
		assertThat(PolicyDiff.anyMaterial(changes)).isFalse();
	}

	@Test
	void anUnchangedPolicyHasNoChanges() {
		assertThat(PolicyDiff.compare(policy(BASE), policy(BASE))).isEmpty();
	}

	@Test
	void everyChangeNamesTheElementItConcerns() {
		var changes = PolicyDiff.compare(policy(BASE), policy(edit("period: P6M", "period: P9M")));
		assertThat(changes).singleElement()
			.satisfies(c -> assertThat(c.element()).isEqualTo("activities.server_logs.retention.logs_6_months"))
			.satisfies(c -> assertThat(c.description()).contains("P6M").contains("P9M"));
	}

	private static String edit(String from, String to) {
		assertThat(BASE).as("the base policy contains the text to edit").contains(from);
		return BASE.replaceFirst(java.util.regex.Pattern.quote(from), java.util.regex.Matcher.quoteReplacement(to));
	}

	private static Policy policy(String text) {
		PolicyReport report = Policies.parse("edited.yaml", text);
		assertThat(report.errors()).as(() -> report.errors().toString()).isEmpty();
		return report.orThrow();
	}
}

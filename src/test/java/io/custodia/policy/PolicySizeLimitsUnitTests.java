package io.custodia.policy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.IntFunction;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A record holds all the lifecycle facts its activity declares, and a consent receipt all the purposes that rest on
 * consent, in columns of a fixed size. A policy whose names could not fit is refused where it declares them, so its
 * author hears of it before the first record or receipt fails to be stored; a policy just inside the limit passes.
 */
class PolicySizeLimitsUnitTests {

	private static final String BASE = text("/policies/broken/_valid-base.yaml");

	/** 63 characters, the longest an id may be. */
	private static String id(String prefix, int n) {
		String head = prefix + n + "_";
		return head + "x".repeat(63 - head.length());
	}

	@Test
	void anActivityWhoseFactsTakeExactlyWhatARecordHoldsIsAccepted() {
		// ticket_closed and ticket=closed with the braces: 48; 100 clocks of 63 characters: 79 each; one of 36: 52
		String text = withClocks(100, 36);

		PolicyReport report = Policies.parse("clocks.yaml", text);

		assertThat(report.errors()).isEmpty();
		assertThat(report.orThrow().activities().get("support").longestFacts()).isEqualTo(8000);
	}

	@Test
	void anActivityWhoseFactsTakeOneCharacterMoreIsRefusedAtItsStates() {
		String text = withClocks(100, 37);

		PolicyReport report = Policies.parse("clocks.yaml", text);

		assertThat(report.errors()).singleElement().satisfies(finding -> {
			assertThat(finding.message()).contains("clocks and states of activity 'support' take up to 8001 characters",
					"8000");
			assertThat(finding.line()).isEqualTo(lineOf(text, "    states:") + 1);
		});
	}

	@Test
	void consentPurposesThatCouldNotAllFitOnAReceiptAreRefused() {
		// the newsletter (10) and 62 more of 63 characters, commas between: 10 + 62 * 64 = 3,978 fits; 63 more do not
		assertThat(Policies.parse("consent.yaml", withActivities(62, "consent")).errors()).isEmpty();

		PolicyReport report = Policies.parse("consent.yaml", withActivities(63, "consent"));

		assertThat(report.errors()).singleElement().satisfies(finding -> {
			assertThat(finding.message()).contains("take up to 4042 characters", "4000 a receipt holds");
			assertThat(finding.line()).isEqualTo(lineOf(BASE, "activities:") + 1);
		});
	}

	@Test
	void marketingPurposesTheGlobalPrivacyControlObjectsToMustFitOnAReceiptToo() {
		// on legitimate interest, so not among the consent purposes: the receipt that records the signal's objection
		// names them all
		PolicyReport report = Policies.parse("marketing.yaml", withActivities(63, "legitimate_interest"));

		assertThat(report.errors()).singleElement()
			.satisfies(finding -> assertThat(finding.message()).contains("Global Privacy Control", "4042"));
	}

	/** The valid base with {@code count} more clocks of 63 characters and one of {@code lastLength}. */
	private static String withClocks(int count, int lastLength) {
		String clocks = lines(count, n -> "      " + id("c", n) + ": the day " + n + " came")
				+ "      " + "d".repeat(lastLength) + ": the last day came\n";
		return BASE.replace("      ticket_closed: the ticket is closed\n",
				"      ticket_closed: the ticket is closed\n" + clocks);
	}

	/** The valid base with {@code count} more marketing activities of 63-character ids on this legal basis. */
	private static String withActivities(int count, String basis) {
		String basisLines = basis.equals("consent") ? "legal_basis: consent\n  consent: { withdrawal: [privacy_mail] }"
				: "legal_basis: legitimate_interest\n  legitimate_interest: Telling our customers about our offers";
		String activities = lines(count, n -> """
				%s:
				  name: Offer %d
				  purpose: To send you offer %d
				  %s
				  marketing: true
				  subjects: [customer]
				  categories: [contact_details]
				  source: { kind: subject }
				  recipients: [mail_host]
				  retention:
				    - { id: offer_%d, from: collected, period: P1Y, bound: at_most, action: delete }""".formatted(id("o", n),
				n, n, basisLines, n).indent(2).stripTrailing());
		return BASE.replace("\ncookies:", activities + "\n\ncookies:");
	}

	private static String lines(int count, IntFunction<String> line) {
		return IntStream.range(0, count).mapToObj(line).collect(Collectors.joining("\n", "", "\n"));
	}

	private static int lineOf(String text, String line) {
		return text.lines().toList().indexOf(line) + 1;
	}

	private static String text(String resource) {
		try (InputStream in = PolicySizeLimitsUnitTests.class.getResourceAsStream(resource)) {
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
	}
}

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
	void anActivityWhoseClocksCouldNotAllFitOnARecordIsRefusedAtItsStates() {
		// each clock takes 63 + 10 + 6 = 79 characters: 101 of them and the ticket state exceed 8000
		PolicyReport report = Policies.parse("clocks.yaml", withClocks(101));

		assertThat(report.errors()).anySatisfy(finding -> {
			assertThat(finding.message()).contains("clocks and states of activity 'support'", "8000");
			assertThat(finding.line()).isEqualTo(lineOf(withClocks(101), "    states:") + 1);
		});
	}

	@Test
	void anActivityWhoseClocksFitExactlyIsAccepted() {
		// 100 clocks (7,900) and the state ticket=closed (6 + 6 + 6 = 18) with the braces: 7,919
		PolicyReport report = Policies.parse("clocks.yaml", withClocks(100));

		assertThat(report.errors()).isEmpty();
	}

	@Test
	void consentPurposesThatCouldNotAllFitOnAReceiptAreRefused() {
		// the newsletter (10) and 62 more of 63 characters, commas between: 10 + 62 * 64 = 3,978 fits; 63 more do not
		assertThat(Policies.parse("consent.yaml", withConsentActivities(62)).errors()).isEmpty();

		PolicyReport report = Policies.parse("consent.yaml", withConsentActivities(63));

		assertThat(report.errors()).anySatisfy(finding -> {
			assertThat(finding.message()).contains("the ids of the activities that rest on consent take 4042 characters",
					"4000");
			assertThat(finding.line()).isEqualTo(lineOf(BASE, "activities:") + 1);
		});
	}

	private static String withClocks(int count) {
		String clocks = lines(count, n -> "      " + id("c", n) + ": the day " + n + " came");
		return BASE.replace("      ticket_closed: the ticket is closed\n",
				"      ticket_closed: the ticket is closed\n" + clocks);
	}

	private static String withConsentActivities(int count) {
		String activities = lines(count, n -> """
				  %s:
				    name: Offer %d
				    purpose: To send you offer %d
				    legal_basis: consent
				    consent: { withdrawal: [privacy_mail] }
				    subjects: [customer]
				    categories: [contact_details]
				    source: { kind: subject }
				    recipients: [mail_host]
				    retention:
				      - { id: offer_%d, from: collected, period: P1Y, bound: at_most, action: delete }""".formatted(id("o", n),
				n, n, n).indent(2).stripTrailing());
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

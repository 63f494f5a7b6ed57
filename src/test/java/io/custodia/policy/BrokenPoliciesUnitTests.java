package io.custodia.policy;

import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every file in {@code policies/broken} is a small valid policy ({@code _valid-base.yaml}) with one deliberate
 * mistake, or a few. Its first lines say which errors the validator must report and where:
 * {@code # expect: LINE:COLUMN: part of the message}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BrokenPoliciesUnitTests {

	private static final String CORPUS = "/policies/broken";

	private static final String VALID_BASE = "_valid-base.yaml";

	private static final Pattern EXPECT = Pattern.compile("^#\\s*expect:\\s*(\\d+):(\\d+):\\s*(.+?)\\s*$");

	@ParameterizedTest(name = "{0}")
	@MethodSource("brokenPolicies")
	void eachBrokenPolicyReportsTheExpectedErrorAtItsLineAndColumn(String fileName) throws Exception {
		String text = Files.readString(corpus().resolve(fileName), StandardCharsets.UTF_8);
		List<Expectation> expectations = expectations(text);
		PolicyReport report = Policies.parse(fileName, text);

		assertThat(expectations).as("%s has no '# expect: LINE:COLUMN: message' lines", fileName).isNotEmpty();
		assertThat(report.isValid()).as("%s should be invalid; findings:%n%s", fileName, describe(report)).isFalse();
		for (Expectation expected : expectations) {
			assertThat(report.findings())
				.as("%s should report an error at %d:%d containing \"%s\"; findings:%n%s", fileName, expected.line(),
						expected.column(), expected.message(), describe(report))
				.anyMatch(expected::matches);
		}
	}

	@Test
	void theValidBasePolicyHasNoFindingsAtAll() throws Exception {
		String text = Files.readString(corpus().resolve(VALID_BASE), StandardCharsets.UTF_8);
		PolicyReport report = Policies.parse(VALID_BASE, text);

		assertThat(report.findings()).as("findings of %s:%n%s", VALID_BASE, describe(report)).isEmpty();
		assertThat(report.isValid()).isTrue();
	}

	@Test
	void theCorpusHoldsAtLeastThirtyBrokenPolicies() throws Exception {
		assertThat(brokenPolicies()).hasSizeGreaterThanOrEqualTo(30);
	}

	List<String> brokenPolicies() throws IOException, URISyntaxException {
		try (Stream<Path> files = Files.list(corpus())) {
			return files.map(file -> file.getFileName().toString())
				.filter(name -> name.endsWith(".yaml") && !name.equals(VALID_BASE))
				.sorted()
				.toList();
		}
	}

	private Path corpus() throws URISyntaxException {
		URL url = getClass().getResource(CORPUS);
		assertThat(url).as("%s on the test class path", CORPUS).isNotNull();
		return Path.of(url.toURI());
	}

	private static List<Expectation> expectations(String text) {
		return text.lines()
			.map(EXPECT::matcher)
			.filter(Matcher::matches)
			.map(m -> new Expectation(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), m.group(3)))
			.toList();
	}

	private static String describe(PolicyReport report) {
		if (report.findings().isEmpty()) {
			return "(none)";
		}
		return report.findings().stream().map(Finding::format).collect(Collectors.joining(System.lineSeparator()));
	}

	private record Expectation(int line, int column, String message) {

		boolean matches(Finding finding) {
			return finding.isError() && finding.line() == line && finding.column() == column
					&& finding.message().contains(message);
		}
	}
}

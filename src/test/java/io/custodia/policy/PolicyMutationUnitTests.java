package io.custodia.policy;

import java.util.ArrayList;
import java.util.List;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import io.custodia.Examples;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Whatever a careless edit does to a valid policy, the validator answers with findings inside the file, never
 * with an exception.
 */
class PolicyMutationUnitTests {

	private static final List<String> LINES = Examples.text("imengine").lines().toList();

	private static final List<String> NOISE = List.of("", " ", "~", "null", "[]", "{}", "- x", ": :", "\"", "'", "P", "P0D",
			"-1", "99999999999999999999", "&a", "*a", "!!binary x", "{ a: b", "\t", "é", "\u0000", "---", "legal_basis: x",
			"when: { outcome: nobody }", "country: US", "age_of_consent: 3", "period: P-1M");

	record Mutation(int kind, int line, int column, String noise) {
	}

	@Provide
	Arbitrary<List<Mutation>> mutations() {
		Arbitrary<Mutation> one = Combinators.combine(Arbitraries.integers().between(0, 5),
				Arbitraries.integers().between(0, LINES.size() - 1), Arbitraries.integers().between(0, 80),
				Arbitraries.of(NOISE))
			.as(Mutation::new);
		return one.list().ofMinSize(1).ofMaxSize(4);
	}

	@Property(tries = 300)
	void mutatedPoliciesNeverCrashTheValidator(@ForAll("mutations") List<Mutation> mutations) {
		String text = apply(mutations);
		PolicyReport report = Policies.parse("mutated.yaml", text);
		int lineCount = (int) text.lines().count() + 1;
		assertThat(report.findings()).allSatisfy(finding -> {
			assertThat(finding.line()).isBetween(1, Math.max(1, lineCount));
			assertThat(finding.column()).isPositive();
			assertThat(finding.message()).isNotBlank();
		});
		if (!report.isValid()) {
			assertThat(report.errors()).isNotEmpty();
		}
	}

	private static String apply(List<Mutation> mutations) {
		var lines = new ArrayList<>(LINES);
		for (Mutation m : mutations) {
			int at = Math.min(m.line(), lines.size() - 1);
			String line = lines.get(at);
			switch (m.kind()) {
				case 0 -> lines.remove(at);
				case 1 -> lines.add(at, line);
				case 2 -> lines.set(at, line.substring(0, Math.min(m.column(), line.length())) + m.noise()
						+ line.substring(Math.min(m.column(), line.length())));
				case 3 -> lines.set(at, m.noise());
				case 4 -> lines.set(at, "  " + line);
				default -> lines.set(at, line.stripLeading());
			}
			if (lines.isEmpty()) {
				lines.add("");
			}
		}
		return String.join("\n", lines);
	}
}

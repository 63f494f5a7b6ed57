package io.custodia.notice;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.web.util.HtmlUtils;

import io.custodia.Examples;
import io.custodia.policy.Language;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every fact of the seed notices (periods, contacts, authorities, bases, recipients, cookies) appears in the
 * notice rendered from its example policy, in every language and format. The table is written by hand from
 * the seeds, not derived from the code under test.
 */
class NoticeSeedFactsUnitTests {

	private static final Map<String, String> RENDERED = new ConcurrentHashMap<>();

	record Fact(String example, String language, String text) {
	}

	static List<Fact> facts() throws IOException {
		try (InputStream in = NoticeSeedFactsUnitTests.class.getResourceAsStream("/notices/seed-facts.psv")) {
			var facts = new ArrayList<Fact>();
			for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList()) {
				if (line.isBlank() || line.startsWith("#")) {
					continue;
				}
				String[] parts = line.split("\\|", 3);
				facts.add(new Fact(parts[0], parts[1], parts[2]));
			}
			return facts;
		}
	}

	static Stream<Arguments> factsByLanguageAndFormat() throws IOException {
		return facts().stream()
			.flatMap(f -> (f.language().equals("*") ? Stream.of(Language.values()) : Stream.of(Language.of(f.language())))
				.flatMap(l -> Stream.of(NoticeFormat.values()).map(format -> Arguments.of(f.example(), l, format, f.text()))));
	}

	@ParameterizedTest(name = "{0} {1} {2}: {3}")
	@MethodSource("factsByLanguageAndFormat")
	void eachSeedFactAppearsInTheNotice(String example, Language language, NoticeFormat format, String fact) {
		assertThat(rendered(example, language, format)).contains(fact);
	}

	@Test
	void everyExampleHasFactsInEveryLanguage() throws IOException {
		for (String example : List.of("imengine", "imig", "imk")) {
			for (Language language : Language.values()) {
				assertThat(facts()).as(example + " " + language)
					.anyMatch(f -> f.example().equals(example) && f.language().equals(language.code()));
			}
		}
	}

	@Test
	void aTextMissingInALanguageFallsBackVisibly() {
		var report = io.custodia.policy.Policies
			.parse("partial.yaml", Examples.text("imengine").replace(
					"      de: Einen möglichst störungsfreien Betrieb unserer Website sicherstellen und Schadsoftware, illegale Inhalte und Verhalten sowie anderen möglichen Missbrauch erkennen und verhindern\n",
					""));
		assertThat(report.warnings()).singleElement()
			.satisfies(w -> assertThat(w.message()).isEqualTo("no de text here; the de notice shows the nl text instead"));
		var policy = report.orThrow();
		String html = Notices.render(policy, Language.DE, NoticeFormat.HTML);
		assertThat(html).contains("Einige Abschnitte liegen noch nicht auf Deutsch vor und werden auf Niederländisch gezeigt")
			.contains("Een zo storingsvrij mogelijke werking van onze website")
			.contains("<span class=\"fallback\">(nl)</span>");
		String md = Notices.render(policy, Language.DE, NoticeFormat.MD);
		assertThat(md).contains("Een zo storingsvrij mogelijke werking van onze website waarborgen").contains("*(nl)*");
	}

	private static String rendered(String example, Language language, NoticeFormat format) {
		return RENDERED.computeIfAbsent(example + language + format, key -> {
			String text = Notices.render(Examples.policy(example), language, format);
			// HTML is compared as a reader sees it: without tags, entities resolved, white space folded
			return format == NoticeFormat.HTML
					? HtmlUtils.htmlUnescape(text.replaceAll("<[^>]+>", " ")).replaceAll("\\s+", " ")
					: text.replaceAll("[ \\t]+", " ");
		});
	}
}

package io.custodia.notice;

import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Properties;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.custodia.policy.Language;

import static org.assertj.core.api.Assertions.assertThat;

/** Every language says everything: the bundles have the same keys and no empty texts. */
class MessageBundlesUnitTests {

	@ParameterizedTest
	@EnumSource(Language.class)
	void everyBundleHasExactlyTheKeysOfTheEnglishOne(Language language) throws IOException {
		assertThat(bundle(language).stringPropertyNames())
			.containsExactlyInAnyOrderElementsOf(bundle(Language.EN).stringPropertyNames());
	}

	@ParameterizedTest
	@EnumSource(Language.class)
	void noMessageIsEmpty(Language language) throws IOException {
		Properties bundle = bundle(language);
		assertThat(bundle.stringPropertyNames()).allSatisfy(key -> assertThat(bundle.getProperty(key)).as(key).isNotBlank());
	}

	@Test
	void translatedBundlesAreNotCopiesOfTheEnglishOne() throws IOException {
		Properties en = bundle(Language.EN);
		for (Language language : new Language[] { Language.DE, Language.NL }) {
			Properties other = bundle(language);
			long same = en.stringPropertyNames().stream().filter(k -> en.getProperty(k).equals(other.getProperty(k))).count();
			// a few words are the same in all three (Cookies, Marketing, Website); whole sentences are not
			assertThat(same).as(language.code()).isLessThan(en.size() / 8);
		}
	}

	private static Properties bundle(Language language) throws IOException {
		var properties = new Properties();
		try (var in = MessageBundlesUnitTests.class.getResourceAsStream("/notice/messages_" + language.code() + ".properties")) {
			assertThat(in).as("bundle for " + language).isNotNull();
			properties.load(new InputStreamReader(in, StandardCharsets.UTF_8));
		}
		return properties;
	}
}

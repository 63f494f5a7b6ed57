package io.custodia.policy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

import static org.assertj.core.api.Assertions.assertThat;

/** The format reference stays true: its complete example is valid, and so is each fragment put in its place. */
class PolicyFormatDocsUnitTests {

	private static final Path DOC = Path.of("docs", "policy-format.md");

	private static final YAMLMapper YAML = new YAMLMapper();

	static List<String> yamlBlocks() throws IOException {
		String text = Files.readString(DOC, StandardCharsets.UTF_8);
		Matcher matcher = Pattern.compile("```yaml\\n(.*?)```", Pattern.DOTALL).matcher(text);
		var blocks = new ArrayList<String>();
		while (matcher.find()) {
			blocks.add(matcher.group(1));
		}
		return blocks;
	}

	static List<String> fragments() throws IOException {
		var blocks = yamlBlocks();
		return blocks.subList(1, blocks.size());
	}

	@Test
	void theCompleteExampleIsValidWithoutWarnings() throws IOException {
		PolicyReport report = Policies.parse("policy-format.md", yamlBlocks().get(0));
		assertThat(report.findings()).as(report.findings().toString()).isEmpty();
	}

	@ParameterizedTest
	@MethodSource("fragments")
	void eachFragmentIsValidInPlaceOfTheSamePartOfTheCompleteExample(String fragment) throws IOException {
		var merged = (ObjectNode) YAML.readTree(yamlBlocks().get(0));
		JsonNode part = YAML.readTree(fragment);
		assertThat(part.isObject()).as("a fragment is a map of top-level fields").isTrue();
		part.properties().forEach(entry -> {
			assertThat(merged.has(entry.getKey()) || entry.getKey().equals("privacy_contact")
					|| entry.getKey().equals("recipients") || entry.getKey().equals("cookies"))
				.as("top-level field " + entry.getKey())
				.isTrue();
			merged.set(entry.getKey(), entry.getValue());
		});
		PolicyReport report = Policies.parse("fragment", YAML.writeValueAsString(merged));
		assertThat(report.errors()).as(report.errors().toString()).isEmpty();
	}

	@Test
	void everyTopLevelFieldOfTheSchemaIsDocumented() throws IOException {
		String doc = Files.readString(DOC, StandardCharsets.UTF_8);
		JsonNode schema = tools.jackson.databind.json.JsonMapper.shared().readTree(Policies.schema());
		assertThat(schema.get("properties").propertyNames()).allSatisfy(field -> assertThat(doc).contains("`" + field + "`"));
		for (String def : List.of("activity", "retention_rule", "recipient", "cookie", "category", "channel", "controller")) {
			assertThat(schema.get("$defs").get(def).get("properties").propertyNames()).as(def)
				.allSatisfy(field -> assertThat(doc).contains("`" + field + "`"));
		}
	}
}

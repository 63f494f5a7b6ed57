package io.custodia.notice;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.custodia.Examples;
import io.custodia.policy.Language;
import io.custodia.policy.Policies;
import io.custodia.policy.Policy;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.csv.CsvMapper;
import tools.jackson.dataformat.csv.CsvReadFeature;

import static org.assertj.core.api.Assertions.assertThat;

class RecordOfProcessingUnitTests {

	static Stream<Arguments> examplesAndLanguages() {
		return Examples.files().stream().flatMap(f -> Stream.of(Language.values()).map(l -> Arguments.of(f, l)));
	}

	@ParameterizedTest
	@MethodSource("examplesAndLanguages")
	void everyArticle30ColumnIsFilledForEveryActivity(Path example, Language language) {
		Policy policy = Policies.read(example).orThrow();
		List<Map<String, String>> entries = RecordOfProcessing.entries(policy, language);
		assertThat(entries).hasSize(policy.activities().size());
		assertThat(entries).allSatisfy(entry -> {
			assertThat(entry.keySet()).containsExactlyElementsOf(RecordOfProcessing.COLUMNS);
			assertThat(entry.values()).as(entry.get("activity")).allSatisfy(v -> assertThat(v).isNotBlank());
		});
	}

	@Test
	void csvHasAHeaderAndOneRowPerActivityThatSpreadsheetsCanRead() {
		Policy policy = Examples.policy("imengine");
		String csv = RecordOfProcessing.render(policy, Language.EN, RecordOfProcessing.Format.CSV);
		List<List<String>> rows = new CsvMapper().readerForListOf(String.class)
			.with(CsvReadFeature.WRAP_AS_ARRAY)
			.<List<String>>readValues(csv)
			.readAll();
		assertThat(rows).hasSize(policy.activities().size() + 1);
		assertThat(rows.get(0)).contains("Purposes of the processing", "Time limits for erasure",
				"Transfers to third countries and safeguards");
		assertThat(rows).allSatisfy(row -> assertThat(row).hasSize(RecordOfProcessing.COLUMNS.size()));
		assertThat(rows.get(1).get(0)).isEqualTo("server_logs");
	}

	@Test
	void jsonNamesTheTransfersAndTheirSafeguards() {
		String json = RecordOfProcessing.render(Examples.policy("imengine"), Language.EN, RecordOfProcessing.Format.JSON);
		JsonNode document = JsonMapper.shared().readTree(json);
		JsonNode transfer = document.get("activities")
			.valueStream()
			.filter(a -> a.get("activity").asString().equals("business_transfer"))
			.findFirst()
			.orElseThrow();
		assertThat(transfer.get("third_country_transfers").asString()).contains("Standard contractual clauses");
		assertThat(transfer.get("retention").asString()).contains("Up to 1 year after the disclosure to the third party, then deleted");
	}

	@Test
	void htmlHasATableRowPerActivity() {
		Policy policy = Examples.policy("imengine");
		String html = RecordOfProcessing.render(policy, Language.DE, RecordOfProcessing.Format.HTML);
		assertThat(html).contains("Verzeichnis von Verarbeitungstätigkeiten der IMENGINE bv");
		assertThat(html.split("<tr>", -1)).hasSize(policy.activities().size() + 2);
	}
}

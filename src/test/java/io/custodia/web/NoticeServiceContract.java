package io.custodia.web;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.LocalDate;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.custodia.Examples;
import io.custodia.tenancy.TenantManagement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What the running service promises a reader of its notices, whatever database is under it. The clock is
 * fixed at 2026-01-15 by the subclasses.
 */
abstract class NoticeServiceContract {

	@LocalServerPort
	int port;

	@Autowired
	TenantManagement tenants;

	private final HttpClient http = HttpClient.newHttpClient();

	HttpResponse<String> get(String path, String... headers) throws IOException, InterruptedException {
		var request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path));
		if (headers.length > 0) {
			request.headers(headers);
		}
		return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	@Test
	void theIndexLinksTheNoticesOfTheThreeExampleTenants() throws Exception {
		var response = get("/");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).contains("IMENGINE bv", "IMIG GmbH", "imk automotive GmbH")
			.contains("href=\"/notices/imengine/nl\"")
			.contains("The clock is fixed at 2026-01-15T09:00:00Z");
	}

	@ParameterizedTest
	@CsvSource({ "imengine,nl,IMENGINE bv,Tot 6 maanden na uw bezoek", "imengine,en,IMENGINE bv,Up to 6 months after your visit",
			"imengine,de,IMENGINE bv,Bis zu 6 Monate nach Ihrem Besuch", "imig,en,IMIG GmbH,Roemerstrasse 75",
			"imig,de,IMIG GmbH,Landesbeauftragte", "imk,en,imk automotive GmbH,data-privacy@imk-ic.com",
			"imk,nl,imk automotive GmbH,Amselgrund 30" })
	void eachNoticeIsServedAtItsStableAddressInEachLanguage(String tenant, String lang, String controller, String fact)
			throws Exception {
		var response = get("/notices/" + tenant + "/" + lang);
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/html"));
		assertThat(response.headers().firstValue("Content-Language")).hasValue(lang);
		assertThat(response.headers().firstValue("X-Custodia-Clock")).hasValue("fixed at 2026-01-15T09:00:00Z");
		assertThat(response.body()).contains("lang=\"" + lang + "\"").contains(controller).contains(fact);
		var markdown = get("/notices/" + tenant + "/" + lang + ".md");
		assertThat(markdown.statusCode()).isEqualTo(200);
		assertThat(markdown.body()).startsWith("# ").contains(fact);
	}

	@Test
	void aReaderIsSentToTheLanguageTheyPrefer() throws Exception {
		var response = get("/notices/imengine", "Accept-Language", "de-CH,de;q=0.9,en;q=0.5");
		assertThat(response.statusCode()).isEqualTo(303);
		assertThat(response.headers().firstValue("Location")).hasValue("/notices/imengine/de");
		var fallback = get("/notices/imengine", "Accept-Language", "fr");
		assertThat(fallback.headers().firstValue("Location")).hasValue("/notices/imengine/nl");
	}

	@Test
	void anUnpublishedLanguageIsAProblemNamingThePublishedOnes() throws Exception {
		var response = get("/notices/imengine/fr");
		assertThat(response.statusCode()).isEqualTo(404);
		assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		assertThat(response.body()).contains("published in: nl, en, de").doesNotContain("Exception");
	}

	@Test
	void anUnknownTenantIsNotFound() throws Exception {
		var response = get("/notices/nobody/en");
		assertThat(response.statusCode()).isEqualTo(404);
		assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
	}

	@Test
	void healthAndMetricsAreExposed() throws Exception {
		assertThat(get("/actuator/health").body()).contains("\"status\":\"UP\"");
		get("/notices/imengine/en");
		assertThat(get("/actuator/prometheus").body()).contains("http_server_requests_seconds_count");
	}

	@Test
	void aMaterialChangeCannotTakeEffectBeforeItsNoticePeriod() {
		String tooSoon = Examples.text("imengine")
			.replace("version: \"2020.1\"", "version: \"2026.1\"")
			.replace("effective: 2020-09-02", "effective: 2026-01-20")
			.replaceFirst("period: P6M", "period: P9M");
		assertThatThrownBy(() -> tenants.publish("imengine", "imengine-2026.yaml", tooSoon))
			.hasMessageContaining("can take effect on 2026-02-14 at the earliest");
		assertThat(tenants.upcoming("imengine")).isEmpty();
	}

	@Test
	void anAnnouncedVersionWaitsForItsEffectiveDate() throws Exception {
		String announced = Examples.text("imig")
			.replaceFirst("version: \"[^\"]+\"", "version: \"2026.2\"")
			.replaceFirst("effective: [0-9-]+", "effective: 2026-03-01");
		tenants.publish("imig", "imig-2026.yaml", announced);
		assertThat(tenants.upcoming("imig")).singleElement().satisfies(p -> {
			assertThat(p.version()).isEqualTo("2026.2");
			assertThat(p.effective()).isEqualTo(LocalDate.of(2026, 3, 1));
		});
		assertThat(get("/notices/imig/en").headers().firstValue("X-Policy-Version")).isPresent()
			.hasValueSatisfying(v -> assertThat(v).isNotEqualTo("2026.2"));
	}
}

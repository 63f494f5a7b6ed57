package io.custodia.web;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.custodia.Chromium;
import io.custodia.CustodiaApplication;
import io.custodia.TestSettings;

import static org.assertj.core.api.Assertions.assertThat;

/** What a reader sees in a real browser: the right to object first and prominent, a page that fits a phone. */
@SpringBootTest(classes = CustodiaApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "custodia.demo=true", "custodia.clock=2026-01-15T09:00:00Z" })
class NoticePageBrowserIntegrationTests {

	@DynamicPropertySource
	static void isolated(DynamicPropertyRegistry registry) {
		TestSettings.isolate(registry);
	}

	@LocalServerPort
	int port;

	private ChromeDriver browser;

	@AfterEach
	void close() {
		if (browser != null) {
			browser.quit();
		}
	}

	@Test
	void theRightToObjectIsShownOnTheFirstScreenBeforeAnythingElse() {
		browser = Chromium.start(1280, 900);
		browser.get("http://localhost:" + port + "/notices/imengine/en");
		assertThat(browser.getTitle()).isEqualTo("Privacy notice of IMENGINE bv");
		WebElement objection = browser.findElement(By.id("right-to-object"));
		assertThat(objection.isDisplayed()).isTrue();
		Number top = (Number) browser.executeScript("return arguments[0].getBoundingClientRect().top", objection);
		Number viewport = (Number) browser.executeScript("return window.innerHeight");
		assertThat(top.doubleValue()).isLessThan(viewport.doubleValue());
		Number processing = (Number) browser.executeScript(
				"return document.getElementById('processing').getBoundingClientRect().top");
		assertThat(top.doubleValue()).isLessThan(processing.doubleValue());
		assertThat(objection.getText()).contains("Your right to object").contains("privacy@imengine.be");
		assertThat(objection.getCssValue("border-top-style")).isEqualTo("solid");
	}

	@Test
	void theNoticeFitsAPhoneScreenWithoutSidewaysScrolling() {
		browser = Chromium.start(375, 812);
		browser.get("http://localhost:" + port + "/notices/imig/de");
		assertThat(browser.findElement(By.tagName("html")).getAttribute("lang")).isEqualTo("de");
		Number scrollWidth = (Number) browser.executeScript("return document.documentElement.scrollWidth");
		Number innerWidth = (Number) browser.executeScript("return window.innerWidth");
		assertThat(scrollWidth.intValue()).isLessThanOrEqualTo(innerWidth.intValue());
	}

	@Test
	void theCookieTableListsEveryDeclaredCookieWithItsLifetime() {
		browser = Chromium.start(1280, 900);
		browser.get("http://localhost:" + port + "/notices/imengine/nl");
		var rows = browser.findElements(By.cssSelector("#cookies tbody tr"));
		assertThat(rows).hasSize(2);
		assertThat(rows.get(0).getText()).contains("cookie_consent").contains("Strikt noodzakelijk").contains("6 maanden");
		assertThat(rows.get(1).getText()).contains("_pk_id").contains("Statistieken").contains("13 maanden");
	}
}

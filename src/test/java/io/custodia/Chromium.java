package io.custodia;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's Chromium and ChromeDriver for page tests. Outside CI a missing browser skips the test with a
 * message; under CI=true it fails, since .ci/run installs both.
 */
public final class Chromium {

	static final Path BROWSER = Path.of("/usr/bin/chromium");

	static final Path DRIVER = Path.of("/usr/bin/chromedriver");

	private Chromium() {
	}

	public static ChromeDriver start(int width, int height) {
		if (!Files.isExecutable(BROWSER) || !Files.isExecutable(DRIVER)) {
			String message = "Chromium or ChromeDriver missing (" + BROWSER + ", " + DRIVER
					+ "); install the Debian packages chromium and chromium-driver";
			if ("true".equalsIgnoreCase(System.getenv("CI"))) {
				throw new IllegalStateException(message + "; under CI=true the browser tests must run");
			}
			System.err.println("SKIPPED browser tests: " + message);
			Assumptions.abort(message);
		}
		var options = new ChromeOptions();
		options.setBinary(BROWSER.toFile());
		// flags the closed network of these machines needs, and a throw-away profile
		options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
				"--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
				"--disable-sync", "--window-size=" + width + "," + height);
		var service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile()).usingAnyFreePort().build();
		return new ChromeDriver(service, options);
	}
}

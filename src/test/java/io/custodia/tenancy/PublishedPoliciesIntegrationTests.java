package io.custodia.tenancy;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.custodia.Examples;
import io.custodia.TestSettings;
import io.custodia.policy.InvalidPolicyException;
import io.custodia.policy.Policies;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A policy version published under an earlier release stays in effect when a check added since would refuse it
 * (here the limit of 200 characters on the controller's name): its tenant keeps working and the log says what to
 * correct. Publishing such a version now is refused.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE)
@ExtendWith(OutputCaptureExtension.class)
class PublishedPoliciesIntegrationTests {

	@DynamicPropertySource
	static void isolated(DynamicPropertyRegistry registry) {
		TestSettings.isolate(registry);
	}

	@Autowired
	TenantManagement tenants;

	@Autowired
	Tenants stored;

	@Autowired
	Clock clock;

	@Test
	void aVersionPublishedBeforeACheckWasAddedStaysInEffectAndTheLogSaysWhatToCorrect(CapturedOutput output) {
		String tenant = "p" + UUID.randomUUID().toString().substring(0, 8);
		tenants.create(tenant, "imengine.yaml", Examples.text("imengine"));
		String longName = "IMENGINE bv " + "x".repeat(200);
		String source = Examples.text("imengine").replace("  name: IMENGINE bv\n", "  name: " + longName + "\n")
			.replaceFirst("(?m)^version: .*$", "version: \"9.9\"");
		assertThat(Policies.parse("imengine.yaml", source).isValid()).as("the check refuses it today").isFalse();
		assertThatThrownBy(() -> tenants.publish(tenant, "imengine.yaml", source)).isInstanceOf(InvalidPolicyException.class);

		// as an earlier release stored it when it was published, to take effect in a week
		LocalDate nextWeek = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC).plusDays(7);
		stored.insertVersion(tenant, "9.9", nextWeek, source, TenantManagement.sha256(source), clock.instant());

		var announced = tenants.upcoming(tenant);

		assertThat(announced).singleElement().satisfies(version -> {
			assertThat(version.version()).isEqualTo("9.9");
			assertThat(version.policy().controller().name()).isEqualTo(longName);
		});
		assertThat(output.getAll()).contains("Tenant " + tenant + ": its published policy version 9.9 fails 1 check(s) "
				+ "added since it was published", "controller.name is longer than 200 characters",
				"publish a corrected version");
	}
}

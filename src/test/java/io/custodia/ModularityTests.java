package io.custodia;

import org.junit.jupiter.api.Test;
import org.springframework.modulith.core.ApplicationModules;
import org.springframework.modulith.docs.Documenter;

import static org.assertj.core.api.Assertions.assertThat;

/** Keeps the capabilities apart: each module touches others only through their public API and events. */
class ModularityTests {

	private final ApplicationModules modules = ApplicationModules.of(CustodiaApplication.class);

	@Test
	void modulesOnlyUseEachOthersPublicApi() {
		modules.verify();
	}

	@Test
	void everyCapabilityIsAModule() {
		assertThat(modules.stream().map(m -> m.getIdentifier().toString()))
			.contains("policy", "notice", "tenancy", "web", "cli");
	}

	@Test
	void writesModuleDocumentation() {
		new Documenter(modules).writeDocumentation().writeIndividualModulesAsPlantUml().writeModuleCanvases();
	}
}

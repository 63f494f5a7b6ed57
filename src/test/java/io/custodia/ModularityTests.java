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
			.contains("policy", "notice", "tenancy", "web", "cli", "audit");
	}

	/** Every module records into the audit trail, and it outlives tenants: it must need none of them. */
	@Test
	void theAuditTrailDependsOnNoOtherModule() {
		var audit = modules.getModuleByName("audit").orElseThrow();
		assertThat(audit.getAllDependencies(modules).uniqueModules().map(m -> m.getIdentifier().toString())).isEmpty();
	}

	@Test
	void writesModuleDocumentation() {
		new Documenter(modules).writeDocumentation().writeIndividualModulesAsPlantUml().writeModuleCanvases();
	}
}

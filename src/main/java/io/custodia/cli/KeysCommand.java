package io.custodia.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;

import io.custodia.keys.KeyManagement;
import io.custodia.keys.KeysProperties;
import io.custodia.keys.RootKeys;
import io.custodia.tenancy.TenantManagement;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "keys", description = "Key provisioning and rotation.",
		subcommands = { KeysCommand.GenerateRoot.class, KeysCommand.RotateRoot.class, KeysCommand.RotateTenant.class })
class KeysCommand {

	@Command(name = "generate-root", description = { "Write a new root keyset (owner read/write only) for a production start.",
			"Keep it outside the data directory and back it up apart from the data." })
	static class GenerateRoot implements Callable<Integer> {

		@Spec
		CommandSpec spec;

		@Parameters(paramLabel = "FILE", description = "where to write it; never overwritten")
		Path file;

		@Override
		public Integer call() throws Exception {
			RootKeys.generate(file);
			spec.commandLine().getOut().println("root keyset written to " + file + "; set custodia.keys.root to this path");
			return 0;
		}
	}

	@Command(name = "rotate-root", description = { "Add a new primary key to the root keyset (custodia.keys.root) and wrap",
			"every tenant's keysets again under it; the earlier keys stay in the file.",
			"Back the file up again afterwards: the earlier copy no longer opens the data." })
	static class RotateRoot implements Callable<Integer> {

		@Spec
		CommandSpec spec;

		@Mixin
		ServiceOptions service = new ServiceOptions();

		@Override
		public Integer call() {
			try (var context = service.start()) {
				var keys = context.getBean(KeyManagement.class);
				long tenants = context.getBean(TenantManagement.class).all().stream().filter(t -> keys.hasKeys(t.id())).count();
				keys.rotateRootKey();
				Path file = context.getBean(KeysProperties.class).root().toAbsolutePath().normalize();
				spec.commandLine().getOut().println("root key rotated in " + file + " (new primary key, earlier keys kept); the keys of "
						+ tenants + (tenants == 1 ? " tenant are" : " tenants are")
						+ " wrapped again under it; back this file up again now, the earlier copy no longer opens the data");
			}
			return 0;
		}
	}

	@Command(name = "rotate-tenant", description = { "Give a tenant new primary data and audit keys: new subject keys are",
			"wrapped and new audit entries sealed with them; the earlier keys stay for reading and verifying.",
			"The blind-index key is not rotated (it would orphan every index)." })
	static class RotateTenant implements Callable<Integer> {

		@Spec
		CommandSpec spec;

		@Parameters(paramLabel = "TENANT", description = "the tenant whose keys to rotate")
		String tenant;

		@Mixin
		ServiceOptions service = new ServiceOptions();

		@Override
		public Integer call() {
			try (var context = service.start()) {
				var keys = context.getBean(KeyManagement.class);
				if (!keys.hasKeys(tenant)) {
					spec.commandLine().getErr().println("custodia: tenant '" + tenant
							+ "' has no keys to rotate (no such tenant, or its keys were destroyed)");
					return 1;
				}
				keys.rotateTenantKeys(tenant);
				spec.commandLine().getOut().println("tenant " + tenant
						+ ": data and audit keys rotated (new primary keys, earlier keys kept for reading and verifying); index key unchanged");
			}
			return 0;
		}
	}
}

package io.custodia.cli;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

import io.custodia.tenancy.ApiKeys;
import io.custodia.tenancy.Role;
import io.custodia.tenancy.TenantManagement;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "tenant", description = "Create tenants and issue their API keys.",
		subcommands = { TenantCommand.Create.class, TenantCommand.IssueKey.class, TenantTerminateCommand.class })
class TenantCommand {

	@Command(name = "create", description = { "Create a tenant with its own keys and first policy version,",
			"and print a tenant-admin API key (shown this once)." })
	static class Create implements Callable<Integer> {

		@Spec
		CommandSpec spec;

		@Parameters(paramLabel = "ID", description = "tenant id: lower-case letters, digits and hyphens")
		String id;

		@Option(names = "--policy", required = true, paramLabel = "FILE", description = "the tenant's policy")
		Path policy;

		@Mixin
		ServiceOptions service = new ServiceOptions();

		@Override
		public Integer call() throws Exception {
			if (PolicyCommand.load(policy, spec) == null) {
				return PolicyCommand.INVALID;
			}
			String source = Files.readString(policy, StandardCharsets.UTF_8);
			try (var context = service.start()) {
				var tenant = context.getBean(TenantManagement.class).create(id, policy.getFileName().toString(), source);
				var key = context.getBean(ApiKeys.class).issue(tenant.id(), Role.TENANT_ADMIN, "created by custodia tenant create");
				var out = spec.commandLine().getOut();
				out.println("tenant " + tenant.id() + " created (" + tenant.name() + ")");
				out.println("tenant-admin API key (shown once, store it in your secret store): " + key.token());
			}
			return 0;
		}
	}

	@Command(name = "issue-key", description = "Issue an API key for a tenant (shown this once).")
	static class IssueKey implements Callable<Integer> {

		@Spec
		CommandSpec spec;

		@Parameters(paramLabel = "ID", description = "tenant id")
		String id;

		@Option(names = "--role", required = true, paramLabel = "ROLE", description = "tenant_admin, dpo, application or read_only")
		String role;

		@Option(names = "--label", defaultValue = "issued by custodia tenant issue-key", paramLabel = "TEXT")
		String label;

		@Mixin
		ServiceOptions service = new ServiceOptions();

		@Override
		public Integer call() {
			Role chosen = Options.choice(spec, "--role", role.toUpperCase(Locale.ROOT), Role.class);
			try (var context = service.start()) {
				if (context.getBean(TenantManagement.class).find(id).isEmpty()) {
					spec.commandLine().getErr().println("custodia: no tenant '" + id + "'");
					return 1;
				}
				var key = context.getBean(ApiKeys.class).issue(id, chosen, label);
				spec.commandLine().getOut().println(chosen.name().toLowerCase(Locale.ROOT) + " API key for " + id
						+ " (shown once): " + key.token());
			}
			return 0;
		}
	}
}

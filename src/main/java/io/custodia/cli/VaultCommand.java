package io.custodia.cli;

import java.util.concurrent.Callable;

import org.springframework.util.unit.DataSize;

import io.custodia.tenancy.TenantManagement;
import io.custodia.vault.Vault;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "vault", description = "The file vault: show and set a tenant's quotas.", subcommands = VaultCommand.Quota.class)
class VaultCommand {

	@Command(name = "quota", description = { "Show a tenant's vault usage and quotas; with --bytes or --files, set them",
			"('default' restores custodia.vault.quota-bytes / quota-files)." })
	static class Quota implements Callable<Integer> {

		@Spec
		CommandSpec spec;

		@Parameters(paramLabel = "TENANT", description = "tenant id")
		String tenant;

		@Option(names = "--bytes", paramLabel = "SIZE", description = "content the vault may hold, e.g. 50GB, or 'default'")
		String bytes;

		@Option(names = "--files", paramLabel = "N", description = "files the vault may hold, or 'default'")
		String files;

		@Mixin
		ServiceOptions service = new ServiceOptions();

		@Override
		public Integer call() {
			Long maxBytes;
			Long maxFiles;
			try {
				maxBytes = bytes == null || bytes.equals("default") ? null : DataSize.parse(bytes).toBytes();
				maxFiles = files == null || files.equals("default") ? null : Long.parseLong(files);
			}
			catch (IllegalArgumentException ex) {
				spec.commandLine().getErr().println("custodia: --bytes takes a size like 50GB or 'default', --files a number or 'default'");
				return 2;
			}
			try (var context = service.start()) {
				if (context.getBean(TenantManagement.class).find(tenant).isEmpty()) {
					spec.commandLine().getErr().println("custodia: no tenant '" + tenant + "'");
					return 1;
				}
				Vault vault = context.getBean(Vault.class);
				Vault.Usage current = vault.usage(tenant);
				if (bytes != null || files != null) {
					current = vault.setQuota(tenant, bytes != null ? maxBytes : current.quotaBytes(),
							files != null ? maxFiles : current.quotaFiles());
				}
				spec.commandLine().getOut().printf("%s: %d of %d bytes, %d of %d files%n", tenant, current.usedBytes(),
						current.quotaBytes(), current.usedFiles(), current.quotaFiles());
			}
			return 0;
		}
	}
}

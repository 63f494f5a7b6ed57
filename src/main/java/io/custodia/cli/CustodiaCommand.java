package io.custodia.cli;

import picocli.CommandLine.Command;

@Command(name = "custodia", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
		description = "Privacy policy as code: validate policies, render notices and records of processing, run the service.",
		subcommands = { PolicyCommand.class, ServeCommand.class, TenantCommand.class, RetentionCommand.class, KeysCommand.class })
class CustodiaCommand {
}

package io.custodia.cli;

import picocli.CommandLine.Command;

@Command(name = "custodia", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
		description = "Privacy policy as code: validate policies, render notices and records of processing, verify the audit trail, run the service.",
		subcommands = { PolicyCommand.class, AuditCommand.class, ServeCommand.class })
class CustodiaCommand {
}

package io.custodia.cli;

import picocli.CommandLine.Command;

@Command(name = "custodia", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
		description = "Privacy policy as code: validate policies, render notices and records of processing, keep personal data, verify the audit trail, run the service.",
		subcommands = { PolicyCommand.class, ServeCommand.class, TenantCommand.class, ImportCommand.class, RetentionCommand.class,
				AuditCommand.class, KeysCommand.class, RequestCommand.class, OutboxCommand.class,
				ActivityCommand.class, OperatorCommand.class, VaultCommand.class, BackupCommand.class, ErasuresCommand.class,
				CertificateCommand.class })
class CustodiaCommand {
}

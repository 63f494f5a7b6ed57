package io.custodia.cli;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import io.custodia.termination.DeletionCertificate;
import io.custodia.termination.TenantTermination;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "certificate", description = "Deletion certificates: the public key that verifies them, and verifying one offline.",
		subcommands = { CertificateCommand.Verify.class, CertificateCommand.PublicKey.class })
class CertificateCommand {

	@Command(name = "verify", description = { "Verify a deletion certificate offline against the service's public keyset",
			"(from custodia certificate public-key); needs no service, database or secret." })
	static class Verify implements Callable<Integer> {

		@Spec
		CommandSpec spec;

		@Parameters(paramLabel = "FILE", description = "the certificate (JSON with payload and signature)")
		Path file;

		@Option(names = "--public-key", required = true, paramLabel = "FILE", description = "the public keyset (Tink JSON)")
		Path publicKey;

		@Override
		public Integer call() throws Exception {
			var certificate = DeletionCertificate.parse(Files.readString(file, StandardCharsets.UTF_8));
			if (!certificate.verify(Files.readString(publicKey, StandardCharsets.UTF_8))) {
				spec.commandLine().getOut().println(file + ": signature NOT valid: the certificate was altered or signed by another key");
				return 1;
			}
			var content = certificate.content();
			spec.commandLine().getOut().println(file + ": signature valid; tenant " + content.get("tenant").asString() + " terminated at "
					+ content.get("terminated_at").asString() + "; deleted " + content.get("deleted") + "; last backup holding its data expires at "
					+ (content.get("last_backup_expires_at").isNull() ? "- (none)" : content.get("last_backup_expires_at").asString()));
			return 0;
		}
	}

	@Command(name = "public-key", description = "Print the public keyset (Tink JSON) that verifies this service's deletion certificates.")
	static class PublicKey implements Callable<Integer> {

		@Spec
		CommandSpec spec;

		@Mixin
		ServiceOptions service = new ServiceOptions();

		@Override
		public Integer call() {
			try (var context = service.start()) {
				spec.commandLine().getOut().println(context.getBean(TenantTermination.class).publicKeyset());
			}
			return 0;
		}
	}
}

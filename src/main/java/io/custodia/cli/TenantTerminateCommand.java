package io.custodia.cli;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import io.custodia.termination.TenantAlreadyTerminatedException;
import io.custodia.termination.TenantTermination;
import io.custodia.termination.TerminationRefusedException;
import io.custodia.tenancy.TenantNotFoundException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "terminate", description = { "End a tenant: delete its data and files, revoke its API keys, destroy its keys,",
		"record it in the erasure ledger and issue a signed deletion certificate." })
class TenantTerminateCommand implements Callable<Integer> {

	@Spec
	CommandSpec spec;

	@Parameters(paramLabel = "ID", description = "tenant id")
	String id;

	@Option(names = "--yes", description = "confirm: the tenant's data, files and keys are deleted for good")
	boolean yes;

	@Option(names = "--certificate", paramLabel = "FILE", description = "write the certificate here (default: print it)")
	Path certificateFile;

	@Mixin
	ServiceOptions service = new ServiceOptions();

	@Override
	public Integer call() throws Exception {
		if (!yes) {
			spec.commandLine().getErr().println("custodia: add --yes to terminate tenant " + id
					+ ": its data, files and keys are deleted for good");
			return 2;
		}
		try (var context = service.start()) {
			var certificate = context.getBean(TenantTermination.class).terminate(id, "cli");
			var out = spec.commandLine().getOut();
			if (certificateFile != null) {
				Files.writeString(certificateFile, certificate.toJson(), StandardCharsets.UTF_8);
				out.println("tenant " + id + " terminated; deletion certificate written to " + certificateFile);
			}
			else {
				out.print(certificate.toJson());
			}
			return 0;
		}
		catch (TenantNotFoundException | TenantAlreadyTerminatedException | TerminationRefusedException ex) {
			spec.commandLine().getErr().println("custodia: " + ex.getMessage());
			return 1;
		}
	}
}

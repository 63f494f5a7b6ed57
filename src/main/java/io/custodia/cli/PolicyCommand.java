package io.custodia.cli;

import java.nio.file.Path;
import java.util.List;

import io.custodia.policy.Finding;
import io.custodia.policy.Policies;
import io.custodia.policy.PolicyReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "policy", description = "Check policy files and render what they publish.",
		subcommands = { PolicyCommand.Check.class, NoticeCommand.class, RopaCommand.class, DiffCommand.class,
				PolicyCommand.Schema.class })
class PolicyCommand {

	static final int INVALID = 1;

	@Command(name = "check", description = {
			"Validate policy files: syntax, schema and meaning. Every finding is printed as FILE:LINE:COLUMN: message.",
			"Exit 0 when all are valid (warnings allowed), 1 when any has an error, 2 on a usage error." })
	static class Check implements java.util.concurrent.Callable<Integer> {

		@Spec
		CommandSpec spec;

		@Parameters(arity = "1..*", paramLabel = "FILE", description = "policy files (YAML)")
		List<Path> files;

		@Override
		public Integer call() {
			var out = spec.commandLine().getOut();
			var err = spec.commandLine().getErr();
			boolean allValid = true;
			for (Path file : files) {
				PolicyReport report = Policies.read(file);
				report.findings().stream().map(Finding::format).forEach(err::println);
				allValid &= report.isValid();
				out.println(file + ": " + (report.isValid() ? "valid" : "invalid") + " (" + report.errors().size()
						+ " errors, " + report.warnings().size() + " warnings)");
			}
			return allValid ? 0 : INVALID;
		}
	}

	@Command(name = "schema", description = "Print the JSON Schema of the policy format (for editor support).")
	static class Schema implements Runnable {

		@Spec
		CommandSpec spec;

		@Override
		public void run() {
			spec.commandLine().getOut().println(Policies.schema());
		}
	}

	/** Reads a policy for a rendering command, printing findings; null when it has errors. */
	static io.custodia.policy.Policy load(Path file, CommandSpec spec) {
		PolicyReport report = Policies.read(file);
		var err = spec.commandLine().getErr();
		report.findings().stream().filter(Finding::isError).map(Finding::format).forEach(err::println);
		return report.policy().orElse(null);
	}
}

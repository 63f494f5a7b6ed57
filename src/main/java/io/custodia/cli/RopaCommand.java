package io.custodia.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;

import io.custodia.notice.RecordOfProcessing;
import io.custodia.policy.Policy;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "ropa", description = "Render the record of processing activities (Art. 30(1) GDPR) of a policy.")
class RopaCommand implements Callable<Integer> {

	@Spec
	CommandSpec spec;

	@Parameters(paramLabel = "FILE", description = "policy file")
	Path file;

	@Option(names = "--format", paramLabel = "FORMAT", defaultValue = "csv", description = "csv, json or html (default: ${DEFAULT-VALUE})")
	String format;

	@Option(names = "--lang", paramLabel = "LANG", description = "en, de or nl; default: the policy's first language")
	String language;

	@Override
	public Integer call() {
		var ropaFormat = Options.choice(spec, "--format", format, RecordOfProcessing.Format.class);
		Policy policy = PolicyCommand.load(file, spec);
		if (policy == null) {
			return PolicyCommand.INVALID;
		}
		spec.commandLine().getOut().print(RecordOfProcessing.render(policy, Options.language(spec, language, policy), ropaFormat));
		spec.commandLine().getOut().flush();
		return 0;
	}
}

package io.custodia.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;

import io.custodia.notice.NoticeFormat;
import io.custodia.notice.Notices;
import io.custodia.policy.Language;
import io.custodia.policy.Policy;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "notice", description = "Render the privacy notice (Art. 13/14 GDPR) of a policy.")
class NoticeCommand implements Callable<Integer> {

	@Spec
	CommandSpec spec;

	@Parameters(paramLabel = "FILE", description = "policy file")
	Path file;

	@Option(names = "--lang", paramLabel = "LANG", description = "en, de or nl; default: the policy's first language")
	String language;

	@Option(names = "--format", paramLabel = "FORMAT", defaultValue = "html", description = "html or md (default: ${DEFAULT-VALUE})")
	String format;

	@Override
	public Integer call() {
		NoticeFormat noticeFormat = Options.choice(spec, "--format", format, NoticeFormat.class);
		Policy policy = PolicyCommand.load(file, spec);
		if (policy == null) {
			return PolicyCommand.INVALID;
		}
		Language lang = Options.language(spec, language, policy);
		spec.commandLine().getOut().print(Notices.render(policy, lang, noticeFormat));
		spec.commandLine().getOut().flush();
		return 0;
	}
}

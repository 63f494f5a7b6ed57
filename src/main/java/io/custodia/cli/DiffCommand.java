package io.custodia.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import io.custodia.policy.Policy;
import io.custodia.policy.PolicyChange;
import io.custodia.policy.PolicyDiff;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

@Command(name = "diff", description = { "List every change between two versions of a policy, each classified material or editorial.",
		"Exit 0 when nothing material changed, 3 when something did, 1 when a file is invalid." })
class DiffCommand implements Callable<Integer> {

	static final int MATERIAL = 3;

	@Spec
	CommandSpec spec;

	@Parameters(index = "0", paramLabel = "OLD", description = "the published version")
	Path oldFile;

	@Parameters(index = "1", paramLabel = "NEW", description = "the proposed version")
	Path newFile;

	@Option(names = "--json", description = "print the changes as JSON")
	boolean json;

	@Override
	public Integer call() {
		Policy before = PolicyCommand.load(oldFile, spec);
		Policy after = PolicyCommand.load(newFile, spec);
		if (before == null || after == null) {
			return PolicyCommand.INVALID;
		}
		List<PolicyChange> changes = PolicyDiff.compare(before, after);
		boolean material = PolicyDiff.anyMaterial(changes);
		var out = spec.commandLine().getOut();
		if (json) {
			Map<String, Object> document = new LinkedHashMap<>();
			document.put("old_version", before.version());
			document.put("new_version", after.version());
			document.put("material", material);
			document.put("changes", changes.stream().map(c -> {
				Map<String, Object> change = new LinkedHashMap<>();
				change.put("kind", c.kind().label());
				change.put("material", c.material());
				change.put("element", c.element());
				change.put("description", c.description());
				return change;
			}).toList());
			out.println(JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build().writeValueAsString(document));
		}
		else {
			for (PolicyChange change : changes) {
				out.printf("%-9s %-28s %s: %s%n", change.material() ? "MATERIAL" : "editorial", change.kind().label(),
						change.element(), change.description());
			}
			long count = changes.stream().filter(PolicyChange::material).count();
			out.println(changes.isEmpty() ? "no changes"
					: changes.size() + " changes, " + count + " material"
							+ (material ? ": announce them at least " + after.changeNoticePeriod() + " before " + after.effective() : ""));
		}
		out.flush();
		return material ? MATERIAL : 0;
	}
}

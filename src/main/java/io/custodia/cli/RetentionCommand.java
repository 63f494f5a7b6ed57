package io.custodia.cli;

import java.time.LocalDate;
import java.util.concurrent.Callable;

import io.custodia.retention.RetentionReport;
import io.custodia.retention.RetentionRuns;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

@Command(name = "retention", description = "Retention runs and forecasts.", subcommands = RetentionCommand.Run.class)
class RetentionCommand {

	@Command(name = "run", description = { "Act on every record due today, or with --dry-run list what is due;",
			"--as-of with --dry-run forecasts what falls due up to that date." })
	static class Run implements Callable<Integer> {

		@Spec
		CommandSpec spec;

		@Option(names = "--tenant", required = true, paramLabel = "ID")
		String tenant;

		@Option(names = "--dry-run", description = "change nothing; list what is (or will be) due")
		boolean dryRun;

		@Option(names = "--as-of", paramLabel = "DATE", description = "with --dry-run: forecast up to this date (YYYY-MM-DD)")
		LocalDate asOf;

		@Option(names = "--json", description = "print the report as JSON")
		boolean json;

		@Mixin
		ServiceOptions service = new ServiceOptions();

		@Override
		public Integer call() {
			if (asOf != null && !dryRun) {
				throw new picocli.CommandLine.ParameterException(spec.commandLine(),
						"--as-of forecasts and needs --dry-run: a real run acts as of today only");
			}
			try (var context = service.start()) {
				var out = spec.commandLine().getOut();
				RetentionReport report = context.getBean(RetentionRuns.class).run(tenant, asOf, dryRun, "cli", count -> {
					if (count % 100 == 0 && !json) {
						out.println("acted on " + count + " records");
						out.flush();
					}
				});
				if (json) {
					out.println(JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build().writeValueAsString(report));
				}
				else {
					for (var item : report.items()) {
						out.printf("%s  %-22s %-24s %-30s %s%s%n", item.due(), item.outcome(), item.activity(), item.ruleId(),
								item.recordId(), item.hold() == null ? "" : "  hold " + item.hold());
					}
					out.println((report.dryRun() ? "dry run as of " : "run as of ") + report.asOf() + ": " + report.items().size()
							+ " records due " + report.counts());
					for (var waiting : report.waiting()) {
						out.println("waiting: " + waiting.records() + " " + waiting.activity() + " record(s) stored since "
								+ waiting.oldestStored() + (waiting.ruleId() == null
										? " match no retention rule: record the state that chooses one"
										: " under rule " + waiting.ruleId() + " have no " + waiting.waitingFor()
												+ " yet: nothing expires them until it is recorded"));
					}
				}
			}
			return 0;
		}
	}
}

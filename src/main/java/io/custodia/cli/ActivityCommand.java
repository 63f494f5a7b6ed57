package io.custodia.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import io.custodia.activity.ActivityLog;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "activity", description = "The pseudonymised activity log.",
		subcommands = { ActivityCommand.Import.class, ActivityCommand.Expire.class })
class ActivityCommand {

	@Command(name = "import", description = { "Import activity events from JSON lines (one event per line, see docs/operations.md).",
			"User names, IP addresses, host names and MAC addresses are replaced by pseudonyms before anything is stored.",
			"Batches of 1000 lines commit whole. Exit 0 when every line is in, 1 when some had errors." })
	static class Import implements Callable<Integer> {

		@Spec
		CommandSpec spec;

		@Option(names = "--tenant", required = true, paramLabel = "ID")
		String tenant;

		@Parameters(paramLabel = "FILE", description = "JSON lines")
		Path file;

		@Mixin
		ServiceOptions service = new ServiceOptions();

		@Override
		public Integer call() throws IOException {
			if (!Files.isReadable(file)) {
				throw new NoSuchFileException(file + ": no such file, or not readable");
			}
			var out = spec.commandLine().getOut();
			var err = spec.commandLine().getErr();
			try (var context = service.start();
					var reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
				var report = context.getBean(ActivityLog.class).importLines(tenant, reader, "cli:activity-import", (line, stored) -> {
					out.println("acknowledged through line " + line + " (" + stored + " stored)");
					out.flush();
				});
				report.errors().forEach(e -> err.println(file + ":" + e.line() + ":1: error: " + e.field() + ": " + e.message()));
				out.println(file + ": " + report.received() + " events, " + report.stored() + " stored pseudonymised, "
						+ (report.duplicates() > 0 ? report.duplicates() + " stored before (same event_id), " : "")
						+ report.errors().size() + " with errors");
				return report.complete() ? 0 : 1;
			}
		}
	}

	@Command(name = "expire", description = { "End the log retention where it is due now: events past it become anonymous",
			"and the keys of expired months are destroyed (the daily schedule does the same)." })
	static class Expire implements Callable<Integer> {

		@Spec
		CommandSpec spec;

		@Option(names = "--tenant", required = true, paramLabel = "ID")
		String tenant;

		@Mixin
		ServiceOptions service = new ServiceOptions();

		@Override
		public Integer call() {
			try (var context = service.start()) {
				var expiry = context.getBean(ActivityLog.class).expire(tenant, "cli:activity-expire");
				if (expiry.heldBy() != null) {
					spec.commandLine().getOut().println("tenant " + tenant + ": the log is under legal hold " + expiry.heldBy()
							+ "; nothing expired (release the hold when its case ends)");
					return 0;
				}
				spec.commandLine().getOut().println("tenant " + tenant + ": retention " + expiry.retention() + ", "
						+ expiry.events() + (expiry.deleted() ? " events deleted" : " events made anonymous")
						+ ", period keys destroyed: " + (expiry.periodsDestroyed().isEmpty() ? "none"
								: String.join(", ", expiry.periodsDestroyed())));
				return 0;
			}
		}
	}
}

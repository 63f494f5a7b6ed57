package io.custodia.cli;

import java.time.Instant;
import java.util.concurrent.Callable;

import io.custodia.backup.ErasureLedger;
import io.custodia.backup.ErasureReplays;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "erasures", description = "The erasure ledger: verify it, or apply its entries again after a restore.",
		subcommands = { ErasuresCommand.Replay.class, ErasuresCommand.Verify.class })
class ErasuresCommand {

	@Command(name = "replay", description = { "Apply again every subject erasure, file deletion and tenant termination",
			"the ledger recorded (since INSTANT), e.g. after restoring the database with your own tooling.",
			"Entries already in effect are left as they are." })
	static class Replay implements Callable<Integer> {

		@Spec
		CommandSpec spec;

		@Option(names = "--since", paramLabel = "INSTANT", description = "only entries at or after this time (ISO-8601), e.g. when your backup was taken minus an hour")
		Instant since;

		@Mixin
		ServiceOptions service = new ServiceOptions();

		@Override
		public Integer call() {
			try (var context = service.start()) {
				var report = context.getBean(ErasureReplays.class).replaySince(since);
				spec.commandLine().getOut().println("erasure ledger" + (since == null ? "" : " since " + since) + ": " + report.entries()
						+ " entries, " + report.applied() + " applied again, " + report.alreadyDone() + " already in effect");
				report.failures().forEach(f -> spec.commandLine().getErr().println("custodia: not applied: " + f));
				return report.complete() ? 0 : 1;
			}
		}
	}

	@Command(name = "verify", description = "Check every line of the erasure ledger against its MAC and the line before.")
	static class Verify implements Callable<Integer> {

		@Spec
		CommandSpec spec;

		@Mixin
		ServiceOptions service = new ServiceOptions();

		@Override
		public Integer call() {
			try (var context = service.start()) {
				var ledger = context.getBean(ErasureLedger.class);
				var verification = ledger.verify();
				if (verification.intact()) {
					spec.commandLine().getOut().println("erasure ledger " + ledger.file() + ": intact, " + verification.entries() + " entries");
					return 0;
				}
				spec.commandLine().getOut().println("erasure ledger " + ledger.file() + ": BROKEN: " + verification.problem());
				return 1;
			}
		}
	}
}

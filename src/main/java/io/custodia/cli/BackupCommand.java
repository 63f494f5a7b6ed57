package io.custodia.cli;

import java.util.List;
import java.util.concurrent.Callable;

import io.custodia.backup.Backups;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "backup", description = "Encrypted backups of the database and files, each under its own key, gone after 30 days.",
		subcommands = { BackupCommand.Create.class, BackupCommand.ListBackups.class, BackupCommand.Verify.class,
				BackupCommand.Restore.class, BackupCommand.Prune.class })
class BackupCommand {

	/** What every backup subcommand shares: the data directory and Spring settings. */
	abstract static class Base implements Callable<Integer> {

		@Spec
		CommandSpec spec;

		@Mixin
		ServiceOptions service = new ServiceOptions();

		@Override
		public Integer call() {
			try (var context = service.start()) {
				return run(context.getBean(Backups.class));
			}
		}

		abstract int run(Backups backups);

		void out(String line) {
			spec.commandLine().getOut().println(line);
		}

		void err(String line) {
			spec.commandLine().getErr().println("custodia: " + line);
		}
	}

	@Command(name = "create", description = "Back up the database and the files directory now.")
	static class Create extends Base {

		@Override
		int run(Backups backups) {
			var info = backups.create();
			out("backup " + info.id() + " written to " + backups.directory() + " (" + info.bytes() + " bytes, "
					+ info.rows().values().stream().mapToLong(Long::longValue).sum() + " rows, " + info.files()
					+ " files); it expires, its key destroyed, at " + info.expiresAt());
			return 0;
		}
	}

	@Command(name = "list", description = "List the backups, newest first.")
	static class ListBackups extends Base {

		@Override
		int run(Backups backups) {
			var all = backups.list();
			if (all.isEmpty()) {
				out("no backups in " + backups.directory());
			}
			for (var info : all) {
				out(info.id() + "  created " + info.createdAt() + "  expires " + info.expiresAt() + "  " + info.bytes() + " bytes  "
						+ info.files() + " files  " + (info.keyPresent() ? "key present" : "KEY DESTROYED"));
			}
			return 0;
		}
	}

	@Command(name = "verify", description = "Read a whole backup and check that it is intact.")
	static class Verify extends Base {

		@Parameters(paramLabel = "ID")
		String id;

		@Override
		int run(Backups backups) {
			var verification = backups.verify(id);
			if (verification.intact()) {
				out("backup " + id + ": intact");
				return 0;
			}
			out("backup " + id + ": NOT INTACT: " + verification.problem());
			return 1;
		}
	}

	@Command(name = "restore", description = { "Restore the database and files from a backup, then apply again every",
			"erasure, file deletion and tenant termination the erasure ledger recorded since.",
			"Stop the service (every instance) first." })
	static class Restore extends Base {

		@Parameters(paramLabel = "ID")
		String id;

		@Override
		int run(Backups backups) {
			var restored = backups.restore(id);
			var replay = restored.replay();
			out("backup " + id + " restored (" + restored.rows() + " rows, " + restored.files() + " files); erasure ledger since "
					+ restored.replayedSince() + ": " + replay.entries() + " entries, " + replay.applied() + " applied again, "
					+ replay.alreadyDone() + " already in effect");
			replay.failures().forEach(failure -> err("not applied: " + failure));
			return replay.complete() ? 0 : 1;
		}
	}

	@Command(name = "prune", description = "Destroy the keys of backups 30 days old and delete them.")
	static class Prune extends Base {

		@Override
		int run(Backups backups) {
			var pruned = backups.prune();
			out(pruned.isEmpty() ? "no backup has expired" : "expired, keys destroyed and files deleted: " + String.join(", ", pruned));
			return 0;
		}
	}
}

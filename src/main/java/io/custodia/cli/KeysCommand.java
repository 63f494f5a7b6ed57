package io.custodia.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;

import io.custodia.keys.RootKeys;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "keys", description = "Key provisioning.", subcommands = KeysCommand.GenerateRoot.class)
class KeysCommand {

	@Command(name = "generate-root", description = { "Write a new root keyset (owner read/write only) for a production start.",
			"Keep it outside the data directory and back it up apart from the data." })
	static class GenerateRoot implements Callable<Integer> {

		@Spec
		CommandSpec spec;

		@Parameters(paramLabel = "FILE", description = "where to write it; never overwritten")
		Path file;

		@Override
		public Integer call() throws Exception {
			RootKeys.generate(file);
			spec.commandLine().getOut().println("root keyset written to " + file + "; set custodia.keys.root to this path");
			return 0;
		}
	}
}

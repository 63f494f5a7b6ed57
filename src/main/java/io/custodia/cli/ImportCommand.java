package io.custodia.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import io.custodia.records.BulkImport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "import", description = { "Import records from JSON lines (one record per line, see docs/operations.md).",
		"Batches commit whole; progress lines say what is stored for good. Running the same file again",
		"after a crash stores what is missing and nothing twice. Exit 0 when every line is in, 1 when some had errors." })
class ImportCommand implements Callable<Integer> {

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
			var report = context.getBean(BulkImport.class).run(tenant, reader, "cli:import", (line, stored) -> {
				out.println("acknowledged through line " + line + " (" + stored + " stored)");
				out.flush();
			});
			report.errors().forEach(e -> err.println(file + ":" + e.line() + ":1: error: " + e.field() + ": " + e.message()));
			out.println(file + ": " + report.lines() + " lines, " + report.stored() + " stored, " + report.alreadyStored()
					+ " already stored, " + report.errors().size() + " with errors");
			return report.complete() ? 0 : 1;
		}
	}
}

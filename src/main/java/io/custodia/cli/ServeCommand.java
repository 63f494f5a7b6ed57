package io.custodia.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import org.springframework.boot.SpringApplication;

import io.custodia.CustodiaApplication;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Unmatched;

@Command(name = "serve", description = { "Start the HTTP service.",
		"Without a database configured it runs on an embedded H2 file database under --data-dir." })
class ServeCommand implements Callable<Integer> {

	/** Returned while the service runs, so that main does not exit the JVM under it. */
	static final int RUNNING = -1;

	@Option(names = "--port", paramLabel = "PORT", description = "HTTP port (default: 8080)")
	Integer port;

	@Option(names = "--data-dir", paramLabel = "DIR", description = "where the embedded database lives (default: ./data)")
	Path dataDir;

	@Option(names = "--demo", description = "load the example policies as tenants (imengine, imig, imk)")
	boolean demo;

	@Option(names = "--clock", paramLabel = "INSTANT", description = "fix the clock, e.g. 2026-01-15T09:00:00Z (demos and tests)")
	String clock;

	@Unmatched
	List<String> springArguments = new ArrayList<>();

	@Override
	public Integer call() {
		var arguments = new ArrayList<String>();
		if (port != null) {
			arguments.add("--server.port=" + port);
		}
		if (dataDir != null) {
			arguments.add("--custodia.data-dir=" + dataDir);
		}
		if (demo) {
			arguments.add("--custodia.demo=true");
		}
		if (clock != null) {
			arguments.add("--custodia.clock=" + clock);
		}
		arguments.addAll(springArguments);
		SpringApplication.run(CustodiaApplication.class, arguments.toArray(String[]::new));
		return RUNNING;
	}
}

package io.custodia.cli;

import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import io.custodia.CustodiaApplication;

/** Commands that work on the stored data start the application without its web server. */
final class ServiceContext {

	/** H2's code for a database file another process holds open. */
	private static final int H2_DATABASE_IN_USE = 90020;

	private ServiceContext() {
	}

	static ConfigurableApplicationContext start(Path dataDir, List<String> springArguments) {
		var arguments = new ArrayList<String>();
		if (dataDir != null) {
			arguments.add("--custodia.data-dir=" + dataDir);
		}
		if (springArguments.stream().noneMatch(a -> a.startsWith("--logging.level.root="))) {
			// a command's answer is its output; the service's start-up log would spoil it, and failures reach the
			// user as the command's error message anyway
			arguments.add("--logging.level.root=OFF");
		}
		arguments.addAll(springArguments);
		try {
			return new SpringApplicationBuilder(CustodiaApplication.class).web(WebApplicationType.NONE)
				.logStartupInfo(false)
				.run(arguments.toArray(String[]::new));
		}
		catch (RuntimeException ex) {
			throw explained(ex);
		}
	}

	/**
	 * The one failure a user of the embedded database meets in normal use, said in their terms: the service
	 * holds the database, and H2 lets one process at a time open it.
	 */
	static RuntimeException explained(RuntimeException failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof SQLException sql && sql.getErrorCode() == H2_DATABASE_IN_USE) {
				return new IllegalStateException("the embedded database is open in another process, most likely a running "
						+ "'custodia serve' on this data directory; it can be opened by one process at a time: stop the "
						+ "service, run the command, start the service again", failure);
			}
		}
		return failure;
	}
}

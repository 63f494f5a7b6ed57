package io.custodia.cli;

import java.io.PrintWriter;

import org.springframework.dao.DataAccessException;

import io.custodia.DatabaseBusyException;
import io.custodia.LockConflicts;
import picocli.CommandLine;

/**
 * The {@code custodia} command line. Policy commands run without starting the service, so they answer in
 * well under a second and can sit in a pre-commit hook or a CI step.
 */
public final class Cli {

	private Cli() {
	}

	/** Outside the service, libraries have nothing to say to a user; findings and errors go to stderr. */
	private static void quietLogging() {
		var root = org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
		if (root instanceof ch.qos.logback.classic.Logger logback) {
			logback.setLevel(ch.qos.logback.classic.Level.OFF);
		}
	}

	/** Runs a command and returns its exit code: 0 ok, 1 the input is invalid, 2 usage, 3 material change. */
	public static int run(PrintWriter out, PrintWriter err, String... args) {
		var commandLine = new CommandLine(new CustodiaCommand());
		commandLine.setOut(out);
		commandLine.setErr(err);
		commandLine.setExecutionExceptionHandler((ex, cmd, parsed) -> {
			// a user never sees a stack trace; the message says what went wrong
			cmd.getErr().println("custodia: " + message(ex));
			return ex instanceof CommandLine.ParameterException ? CommandLine.ExitCode.USAGE : 1;
		});
		return commandLine.execute(args);
	}

	/** What went wrong in words; a database's own message can quote rows, so only its kind is named. */
	static String message(Exception ex) {
		String kind = ex.getClass().getSimpleName();
		if (ex instanceof DatabaseBusyException) {
			return ex.getMessage() + "; what committed before it stays: run the same command again to go on";
		}
		if (LockConflicts.isConflict(ex)) {
			return "the database was busy (" + kind + "): another transaction held what this command needed; nothing of "
					+ "it was kept: run it again";
		}
		if (ex instanceof DataAccessException) {
			return "the database refused the command (" + kind + "); nothing of the failed step was kept";
		}
		return ex.getMessage() == null ? kind : ex.getMessage();
	}

	public static void main(String[] args) {
		if (args.length == 0 || !"serve".equals(args[0])) {
			quietLogging();
		}
		var out = new PrintWriter(System.out, true);
		var err = new PrintWriter(System.err, true);
		int code = run(out, err, args);
		if (code != ServeCommand.RUNNING) {
			System.exit(code);
		}
	}
}

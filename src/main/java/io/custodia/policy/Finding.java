package io.custodia.policy;

import java.util.Comparator;

/**
 * One thing wrong (or worth a look) in a policy file, at the line and column where it is written.
 *
 * @param file the file as the user named it
 * @param line 1-based line
 * @param column 1-based column
 * @param severity whether the policy can still be used
 * @param message what is wrong, naming the element
 * @param hint how to fix it
 */
public record Finding(String file, int line, int column, Severity severity, String message, String hint) {

	public static final Comparator<Finding> IN_FILE_ORDER = Comparator.comparing(Finding::file)
		.thenComparingInt(Finding::line)
		.thenComparingInt(Finding::column)
		.thenComparing(Finding::message);

	public enum Severity {
		ERROR, WARNING;

		String label() {
			return name().toLowerCase(java.util.Locale.ROOT);
		}
	}

	public boolean isError() {
		return severity == Severity.ERROR;
	}

	/** {@code FILE:LINE:COLUMN: error: message}, and the hint on an indented second line. */
	public String format() {
		String first = file + ":" + line + ":" + column + ": " + severity.label() + ": " + message;
		return hint == null || hint.isBlank() ? first : first + System.lineSeparator() + "    hint: " + hint;
	}
}

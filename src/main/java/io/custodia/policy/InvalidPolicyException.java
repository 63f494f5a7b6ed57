package io.custodia.policy;

import java.util.stream.Collectors;

/** Thrown where a valid policy is required and the file has errors; the message lists them all. */
public class InvalidPolicyException extends RuntimeException {

	private final transient PolicyReport report;

	public InvalidPolicyException(PolicyReport report) {
		super(report.file() + " is not a valid policy:" + System.lineSeparator()
				+ report.errors().stream().map(Finding::format).collect(Collectors.joining(System.lineSeparator())));
		this.report = report;
	}

	public PolicyReport report() {
		return report;
	}
}

package io.custodia.termination;

/** The tenant cannot be terminated now (a legal hold is active); the message says what to do. */
public class TerminationRefusedException extends RuntimeException {

	public TerminationRefusedException(String message) {
		super(message);
	}
}

package io.custodia.activity;

/** An event that cannot be ingested; the message names the field and what is allowed, never its value. */
public class InvalidEventException extends RuntimeException {

	private final String field;

	private final String allowed;

	InvalidEventException(String field, String message, String allowed) {
		super(field + ": " + message);
		this.field = field;
		this.allowed = allowed;
	}

	public String field() {
		return field;
	}

	public String allowed() {
		return allowed;
	}
}

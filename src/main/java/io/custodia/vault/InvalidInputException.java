package io.custodia.vault;

/** A request field that is not allowed; the message names the field, never its value. */
class InvalidInputException extends RuntimeException {

	private final String field;

	private final String allowed;

	InvalidInputException(String field, String problem, String allowed) {
		super(field + " " + problem);
		this.field = field;
		this.allowed = allowed;
	}

	String field() {
		return field;
	}

	String allowed() {
		return allowed;
	}
}

package io.custodia.retention;

import java.util.List;

/**
 * A legal hold that cannot be placed, or a run that cannot be done, as asked: names the field and, where it is a
 * choice, what is allowed.
 */
public class RetentionProblem extends IllegalArgumentException {

	private final String field;

	private final List<String> allowed;

	RetentionProblem(String field, String message, List<String> allowed) {
		super(field + ": " + message);
		this.field = field;
		this.allowed = List.copyOf(allowed);
	}

	public String field() {
		return field;
	}

	public List<String> allowed() {
		return allowed;
	}
}

package io.custodia.requests;

import java.util.List;

/** A request the caller may not make as it is: names the field and what is allowed (422). */
public class RequestProblem extends RuntimeException {

	private final String field;

	private final List<String> allowed;

	public RequestProblem(String field, String message, List<String> allowed) {
		super(message);
		this.field = field;
		this.allowed = allowed;
	}

	public String field() {
		return field;
	}

	public List<String> allowed() {
		return allowed;
	}
}

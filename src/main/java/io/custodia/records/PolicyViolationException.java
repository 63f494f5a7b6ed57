package io.custodia.records;

import java.util.List;

/**
 * Data the tenant's policy does not declare (R11). {@code field} names the offending input, {@code allowed}
 * what the policy allows there. Messages never repeat personal data values.
 */
public class PolicyViolationException extends RuntimeException {

	private final String field;

	private final List<String> allowed;

	public PolicyViolationException(String field, String message, List<String> allowed) {
		super(message);
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

package io.custodia.vault;

/** The grant is not in a state that allows the act (approving a denied grant, reading under an expired one). */
class GrantStateException extends RuntimeException {

	GrantStateException(String detail) {
		super(detail);
	}
}

package io.custodia.keys;

/** A key could not be created, unwrapped or used; the message names the tenant, never key material. */
public class KeyFailure extends RuntimeException {

	public KeyFailure(String message, Throwable cause) {
		super(message, cause);
	}
}

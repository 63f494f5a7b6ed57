package io.custodia.vault;

/** A blob did not decrypt: it was changed, truncated or swapped since it was written. */
class IntegrityException extends RuntimeException {

	IntegrityException(String detail, Throwable cause) {
		super(detail, cause);
	}
}

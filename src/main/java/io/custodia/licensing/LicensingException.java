package io.custodia.licensing;

/** What the licensing service refuses, with the answer a client should get. Messages never hold personal data. */
public class LicensingException extends RuntimeException {

	public enum Kind {
		/** Unknown id, or another tenant's: the same answer. */
		NOT_FOUND,
		/** Every seat is taken, or no entitlement is valid now. */
		UNAVAILABLE,
		/** A request field is wrong. */
		INVALID
	}

	private final Kind kind;

	private final String field;

	private final String allowed;

	LicensingException(Kind kind, String message, String field, String allowed) {
		super(message);
		this.kind = kind;
		this.field = field;
		this.allowed = allowed;
	}

	static LicensingException notFound(String what) {
		return new LicensingException(Kind.NOT_FOUND, "no " + what + " with this id", null, null);
	}

	static LicensingException invalid(String field, String message, String allowed) {
		return new LicensingException(Kind.INVALID, field + ": " + message, field, allowed);
	}

	public Kind kind() {
		return kind;
	}

	public String field() {
		return field;
	}

	public String allowed() {
		return allowed;
	}
}

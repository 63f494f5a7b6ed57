package io.custodia;

/** A setting that keeps Custodia from starting; {@link #fix()} says what to change. */
public class InvalidConfigurationException extends RuntimeException {

	private final String property;

	private final String fix;

	public InvalidConfigurationException(String property, String problem, String fix) {
		super(property + ": " + problem);
		this.property = property;
		this.fix = fix;
	}

	public String property() {
		return property;
	}

	public String fix() {
		return fix;
	}
}

package io.custodia.requests;

import java.util.Locale;

/** Where a request stands: received → verified → in progress → (extended) → completed or refused. */
public enum RequestState {
	RECEIVED, VERIFIED, IN_PROGRESS, EXTENDED, COMPLETED, REFUSED;

	public String id() {
		return name().toLowerCase(Locale.ROOT);
	}

	public boolean isOpen() {
		return this != COMPLETED && this != REFUSED;
	}
}

package io.custodia.consent;

/** What a receipt records. */
public enum ConsentKind {
	/** Consent given to the purposes and cookie categories named. */
	GRANTED,
	/** Consent withdrawn from them. */
	WITHDRAWN,
	/** An objection (here: the Global Privacy Control signal) to sale, sharing and marketing; nothing is granted. */
	OBJECTED
}

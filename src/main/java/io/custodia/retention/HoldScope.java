package io.custodia.retention;

/** What a legal hold covers. */
public enum HoldScope {
	SUBJECT, RECORD, ACTIVITY
}

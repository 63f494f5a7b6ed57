package io.custodia.records;

/** What retention does to a record whose time has come. */
public enum ExpiryAction {
	DELETE, DE_IDENTIFY
}

package io.custodia.records;

/** Where a record stands. */
public enum RecordStatus {
	/** In use. */
	ACTIVE,
	/** Kept, but excluded from every listing, export and job except storage and legal claims (Art. 18). */
	RESTRICTED,
	/** No identifying field and no link to the subject left (R4). */
	DEIDENTIFIED
}

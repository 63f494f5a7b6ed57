package io.custodia.records;

/** A restricted record asked for by a caller who may not process it (Art. 18); nothing was read. */
class RecordRestrictedException extends RuntimeException {

	RecordRestrictedException() {
		super("this record is restricted: it is kept, not processed (Art. 18 GDPR); the DPO or the tenant's admin can "
				+ "read it, and lift the restriction");
	}
}

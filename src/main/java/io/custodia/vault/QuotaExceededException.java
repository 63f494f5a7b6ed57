package io.custodia.vault;

/** Storing would take the tenant's vault over one of its quotas. */
class QuotaExceededException extends RuntimeException {

	private final String quota;

	private final long limit;

	private final long used;

	QuotaExceededException(String quota, long limit, long used, String detail) {
		super(detail);
		this.quota = quota;
		this.limit = limit;
		this.used = used;
	}

	/** {@code quota_bytes} or {@code quota_files}. */
	String quota() {
		return quota;
	}

	long limit() {
		return limit;
	}

	long used() {
		return used;
	}
}

package io.custodia.records;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A tenant's erasure lock: one row per tenant, held until the transaction ends by whatever erases subjects or
 * changes a subject's records for a request (an erasure, a retention chunk, a request, a consent withdrawal, the
 * tenant's end) and by an import batch.
 *
 * <p>Writes for one subject and its erasure meet on the subject's row ({@link Subjects#lock}). An import batch
 * writes for hundreds of subjects; locking each row would cost it a write per subject (a fifth of an import on the
 * embedded database), so it takes this one row instead, and an erasure takes it after its subject's: it waits for
 * a batch in progress and then sees what the batch stored, and a batch that comes after it sees the erasure.
 * Everywhere in one order, so that no two of them wait for each other: the subjects' locks (in id order), this
 * one, the records, the audit's head.
 *
 * <p>The row also counts the tenant's erasures ({@link #erased}): a transaction that erases subjects adds one under
 * the lock (the tenant's end deletes the row instead, and a new one counts from a random number), so whoever holds
 * it next and finds the count unchanged knows that no subject was erased in between. An import uses that to keep
 * the subjects it has met, and their keys, from one batch to the next instead of reading their rows again.
 */
@Component
class ErasureLock {

	private final JdbcClient jdbc;

	private final TransactionTemplate apart;

	ErasureLock(JdbcClient jdbc, PlatformTransactionManager transactions) {
		this.jdbc = jdbc;
		this.apart = new TransactionTemplate(transactions);
		this.apart.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
	}

	/**
	 * Holds the tenant's erasure lock until the caller's transaction ends. V55 made the rows of the tenants there
	 * were; a newer tenant's is made the first time, in a transaction of its own that commits at once: made in the
	 * caller's, a second caller would wait for the first one's whole transaction before it learnt that the row
	 * exists. Returns the tenant's count of erasures as it is once the lock is held.
	 */
	long hold(String tenantId) {
		var count = locked(tenantId);
		if (count.isPresent()) {
			return count.get();
		}
		try {
			// counting from a random number: the tenant's end deletes the row, and a count started again at zero could
			// equal one an import read before that end
			long start = java.util.concurrent.ThreadLocalRandom.current().nextLong(1L << 62);
			apart.executeWithoutResult(status -> jdbc.sql("insert into erasure_lock (tenant_id, erasures) values (?, ?)")
				.params(tenantId, start)
				.update());
		}
		catch (DuplicateKeyException ex) {
			// another caller made it first
		}
		return locked(tenantId)
			.orElseThrow(() -> new IllegalStateException("the erasure lock of tenant '" + tenantId + "' could not be taken"));
	}

	/**
	 * Counts an erasure of the tenant's subjects, in the caller's transaction, which must {@link #hold} the lock
	 * before it changes any subject: an import batch that read the count before that would otherwise write with keys
	 * of a subject being erased.
	 */
	void erased(String tenantId) {
		if (jdbc.sql("update erasure_lock set erasures = erasures + 1 where tenant_id = ?").param(tenantId).update() == 0) {
			// no row: nothing took the lock first (hold makes the row)
			throw new IllegalStateException("tenant '" + tenantId + "' erased subjects without holding its erasure lock");
		}
	}

	/** The tenant's count of erasures, its row locked; empty if the row is not there yet. */
	private java.util.Optional<Long> locked(String tenantId) {
		return jdbc.sql("select erasures from erasure_lock where tenant_id = ? for update").param(tenantId).query(Long.class)
			.optional();
	}
}

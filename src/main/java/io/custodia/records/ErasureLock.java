package io.custodia.records;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A tenant's erasure lock: one row per tenant, held until the transaction ends by whatever erases subjects (an
 * erasure, a retention chunk that empties subjects, the tenant's end) and by an import batch.
 *
 * <p>Writes for one subject and its erasure meet on the subject's row ({@link Subjects#lock}). An import batch
 * writes for a thousand subjects; locking each row would cost it a write per subject (a fifth of an import on the
 * embedded database), so it takes this one row instead, and an erasure takes it after its subject's: it waits for
 * a batch in progress and then sees what the batch stored, and a batch that comes after it sees the erasure.
 * Everywhere in one order, so that no two of them wait for each other: the subjects' locks (in id order), this
 * one, the records, the audit's head.
 */
@Component
class ErasureLock {

	private final JdbcClient jdbc;

	private final TransactionTemplate savepoint;

	ErasureLock(JdbcClient jdbc, PlatformTransactionManager transactions) {
		this.jdbc = jdbc;
		this.savepoint = new TransactionTemplate(transactions);
		this.savepoint.setPropagationBehavior(TransactionDefinition.PROPAGATION_NESTED);
	}

	/** Holds the tenant's erasure lock until the caller's transaction ends; makes its row the first time. */
	void hold(String tenantId) {
		if (locked(tenantId)) {
			return;
		}
		try {
			// in a savepoint: on PostgreSQL a failed statement would otherwise end the caller's transaction
			savepoint.executeWithoutResult(status -> jdbc.sql("insert into erasure_lock (tenant_id) values (?)").param(tenantId).update());
		}
		catch (DuplicateKeyException ex) {
			// another transaction made it first; it is locked below like any other
		}
		if (!locked(tenantId)) {
			throw new IllegalStateException("the erasure lock of tenant '" + tenantId + "' could not be taken");
		}
	}

	private boolean locked(String tenantId) {
		return jdbc.sql("select tenant_id from erasure_lock where tenant_id = ? for update").param(tenantId).query(String.class)
			.optional()
			.isPresent();
	}
}

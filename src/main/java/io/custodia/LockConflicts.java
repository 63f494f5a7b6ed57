package io.custodia;

import java.sql.SQLException;
import java.time.Duration;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.retry.RetryException;
import org.springframework.core.retry.RetryListener;
import org.springframework.core.retry.RetryPolicy;
import org.springframework.core.retry.RetryState;
import org.springframework.core.retry.RetryTemplate;
import org.springframework.core.retry.Retryable;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Tries a transaction again when it lost a lock conflict. A batch job's transaction (an import batch, a retention
 * chunk) can wait for rows another one holds: an erasure, another import, the end of a tenant that locks all its
 * subjects. On H2 the wait ends after the lock timeout (2 s), on PostgreSQL after the lock timeout if one is set,
 * and a deadlock's victim is rolled back; either way the transaction left nothing behind and the same work may
 * simply be done again. Without this, the conflict looked like a fault of the data: an import reported its lines
 * as refused by the database, a retention run skipped the records of its chunk until the next day.
 *
 * <p>Only lost conflicts ({@link #isConflict}: lock and query timeouts, PostgreSQL's lock timeout, deadlocks,
 * serialisation failures, a connection lost for a moment) are tried again, and only where the work is a
 * transaction of its own: called inside a caller's transaction, it runs once, as there is nothing left to try
 * again in it. Requests over HTTP are not tried again here; they are answered 503 with {@code Retry-After} and the
 * client sends them again. On PostgreSQL a lock wait ends only if a lock timeout is set (docs/operations.md).
 */
public final class LockConflicts {

	private static final Logger log = LoggerFactory.getLogger(LockConflicts.class);

	/** Tries after the first: with H2's 2 s lock timeout a step is given up after about 8 s of conflicts. */
	private static final int RETRIES = 3;

	/** PostgreSQL's SQL state when a lock wait ran past {@code lock_timeout}. */
	private static final String LOCK_NOT_AVAILABLE = "55P03";

	private static final RetryTemplate RETRY = retryTemplate();

	/**
	 * Seconds a client whose request lost a conflict is asked to wait before sending it again (HTTP's
	 * {@code Retry-After}): H2 gives up a lock wait after 2 s, so the holder is usually done by then.
	 */
	public static final int RETRY_AFTER_SECONDS = 1;

	private LockConflicts() {
	}

	private static RetryTemplate retryTemplate() {
		var template = new RetryTemplate(RetryPolicy.builder()
			.predicate(LockConflicts::isConflict)
			.maxRetries(RETRIES)
			.delay(Duration.ofMillis(50))
			.multiplier(4)
			.jitter(Duration.ofMillis(20))
			.maxDelay(Duration.ofSeconds(1))
			.build());
		template.setRetryListener(new RetryListener() {
			@Override
			public void beforeRetry(RetryPolicy policy, Retryable<?> retryable, RetryState state) {
				// the class only: the database's message quotes the rows it waited for
				Throwable conflict = state.getLastException();
				log.warn("{} met a lock conflict ({}); trying again", retryable.getName(),
						conflict == null ? "?" : conflict.getClass().getSimpleName());
			}
		});
		return template;
	}

	/**
	 * Runs {@code work} (a transaction of its own), again after a short pause while it loses lock conflicts.
	 * @param step what the work is, for the log and the error, e.g. "the import batch from line 2001"
	 * @throws DatabaseBusyException when it lost the last try too
	 */
	public static <T> T retried(String step, Supplier<T> work) {
		if (TransactionSynchronizationManager.isActualTransactionActive()) {
			// the work joins the caller's transaction, which a lost conflict has marked for rollback (on PostgreSQL,
			// aborted): nothing could be tried again in it, so it runs once and the caller sees the conflict
			return work.get();
		}
		try {
			return RETRY.execute(new Retryable<T>() {
				@Override
				public T execute() {
					return work.get();
				}

				@Override
				public String getName() {
					return step;
				}
			});
		}
		catch (RetryException ex) {
			Throwable last = ex.getLastException() != null ? ex.getLastException() : ex.getCause();
			if (last instanceof DataAccessException conflict && isConflict(conflict)) {
				log.warn("{} was given up after {} lock conflicts ({})", step, ex.getExceptions().size(),
						conflict.getClass().getSimpleName());
				throw new DatabaseBusyException(step, ex.getExceptions().size(), conflict);
			}
			if (last instanceof RuntimeException unchecked) {
				throw unchecked;
			}
			if (last instanceof Error error) {
				throw error;
			}
			throw new IllegalStateException(step + " failed", last);
		}
	}

	/**
	 * Whether {@code ex} is a lost lock conflict: the work may be done again and nothing of it was kept. Spring
	 * translates most of them to a {@link TransientDataAccessException}, but not PostgreSQL's {@code lock_timeout}
	 * (SQL state 55P03, lock not available), which it leaves uncategorised.
	 */
	public static boolean isConflict(Throwable ex) {
		return ex instanceof TransientDataAccessException || ex instanceof DatabaseBusyException
				|| ex instanceof DataAccessException access && access.getMostSpecificCause() instanceof SQLException sql
						&& LOCK_NOT_AVAILABLE.equals(sql.getSQLState());
	}
}

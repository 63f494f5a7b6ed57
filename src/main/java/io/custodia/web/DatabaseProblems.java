package io.custodia.web;

import java.sql.SQLException;
import java.util.UUID;

import jakarta.servlet.http.HttpServletRequest;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

import io.custodia.DatabaseBusyException;
import io.custodia.LockConflicts;

/**
 * What every API answers when the database refused a request, as problem+json. The database's own message is
 * neither shown nor logged: H2's and PostgreSQL's messages quote the rows and values involved (a wrapped key, a
 * blind index, the value that was too long).
 *
 * <ul>
 * <li>A lost lock conflict (the request waited past the lock timeout for rows another transaction held, an
 * erasure, an import batch, a tenant's end, or was a deadlock's victim): its transaction was rolled back, so
 * nothing of it was kept and sending it again is safe. 503 with {@code Retry-After}.</li>
 * <li>No transaction could be started (the pool exhausted, the database unreachable): 503 too. A connection lost
 * later is a 500: it may come after a commit (the forced write after a request, a batch of an ingest), and sending
 * the request again could then do it twice.</li>
 * <li>Any other refusal is a fault of the service (input it should have checked, a bug): 500, with a reference
 * that the log's line carries too, and the kind of error, its SQL state and where in Custodia it happened.</li>
 * </ul>
 * Also for the pages (the public notices): their database failures must not reach Boot's error page either.
 * A database error in the API key's look-up happens in a servlet filter, before any controller; the filters answer
 * it themselves ({@code tenancy.SecurityProblems.databaseFailed}).
 */
@RestControllerAdvice(basePackages = "io.custodia")
class DatabaseProblems {

	private static final Logger log = LoggerFactory.getLogger(DatabaseProblems.class);

	@ExceptionHandler({ TransientDataAccessException.class, DatabaseBusyException.class })
	ResponseEntity<ProblemDetail> busy(RuntimeException ex, HttpServletRequest request) {
		log.warn("{} {} met a lock conflict ({}); answered 503, the transaction that waited kept nothing",
				request.getMethod(), request.getRequestURI(), ex.getClass().getSimpleName());
		return tryAgain(ex instanceof DatabaseBusyException busy ? busy.getMessage() + "; what committed before it stays"
				: "another change to the same data was in progress and did not finish in time; the transaction that "
						+ "waited kept nothing (for most requests, the whole request)");
	}

	/**
	 * No connection or transaction could be had (the pool exhausted, the database unreachable): the transaction that
	 * needed it did not start. For most requests that is all of it; a request done in several transactions (an import
	 * or an ingest, batch by batch) keeps those that committed before.
	 */
	@ExceptionHandler(CannotCreateTransactionException.class)
	ResponseEntity<ProblemDetail> unavailable(CannotCreateTransactionException ex, HttpServletRequest request) {
		log.warn("{} {} found the database unavailable ({}); answered 503", request.getMethod(), request.getRequestURI(),
				ex.getClass().getSimpleName());
		return tryAgain("the database could not be reached; the transaction that needed it did not start (for most "
				+ "requests nothing was done; an import or ingest keeps the batches stored before it)");
	}

	private static ResponseEntity<ProblemDetail> tryAgain(String detail) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE,
				detail + ". Send it again after the time in Retry-After.");
		problem.setTitle("Busy: try again");
		problem.setProperty("retry_after_seconds", LockConflicts.RETRY_AFTER_SECONDS);
		return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
			.header(HttpHeaders.RETRY_AFTER, String.valueOf(LockConflicts.RETRY_AFTER_SECONDS))
			.body(problem);
	}

	@ExceptionHandler(DataAccessException.class)
	ResponseEntity<ProblemDetail> refused(DataAccessException ex, HttpServletRequest request) {
		if (LockConflicts.isConflict(ex)) {
			// PostgreSQL's lock_timeout, which Spring leaves uncategorised
			return busy(ex, request);
		}
		String reference = UUID.randomUUID().toString();
		String state = ex.getMostSpecificCause() instanceof SQLException sql ? sql.getSQLState() : null;
		log.error("{} {} failed in the database, reference {}: {} (SQL state {}) at {}", request.getMethod(),
				request.getRequestURI(), reference, ex.getClass().getSimpleName(), state, where(ex));
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.INTERNAL_SERVER_ERROR,
				"the database refused this request (" + ex.getClass().getSimpleName() + "); the service's log has "
						+ "reference " + reference);
		problem.setTitle("Internal error");
		problem.setProperty("reference", reference);
		return ResponseEntity.internalServerError().body(problem);
	}

	/** The innermost of Custodia's own frames: where the refused statement was made. */
	private static String where(Throwable ex) {
		for (StackTraceElement frame : ex.getStackTrace()) {
			if (frame.getClassName().startsWith("io.custodia.")) {
				return frame.toString();
			}
		}
		return "an unknown place";
	}
}

package io.custodia.web;

import jakarta.servlet.http.HttpServletRequest;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.bind.annotation.RestControllerAdvice;

import io.custodia.DatabaseBusyException;

/**
 * A request that lost a lock conflict in the database, on every API: it waited past the lock timeout for rows
 * another transaction held (an erasure, an import batch, a tenant's end) or was a deadlock's victim. Its
 * transaction was rolled back, so nothing of it was kept and sending it again is safe; the answer says so, as
 * 503 problem+json with {@code Retry-After}, instead of a bare 500. The database's own message is neither shown
 * nor logged: it quotes the rows waited for.
 */
@RestControllerAdvice(annotations = RestController.class)
class BusyProblems {

	private static final Logger log = LoggerFactory.getLogger(BusyProblems.class);

	/** Seconds a client is asked to wait: H2 gives up a lock wait after 2 s, so the holder is usually done by then. */
	static final int RETRY_AFTER_SECONDS = 1;

	@ExceptionHandler({ TransientDataAccessException.class, DatabaseBusyException.class })
	ResponseEntity<ProblemDetail> busy(RuntimeException ex, HttpServletRequest request) {
		log.warn("{} {} met a lock conflict ({}); answered 503, nothing of it was kept", request.getMethod(),
				request.getRequestURI(), ex.getClass().getSimpleName());
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE,
				(ex instanceof DatabaseBusyException busy ? busy.getMessage() + "; what committed before it stays"
						: "another change to the same data was in progress and did not finish in time; nothing of this "
								+ "request was kept")
						+ ". Send it again after the time in Retry-After.");
		problem.setTitle("Busy: try again");
		problem.setProperty("retry_after_seconds", RETRY_AFTER_SECONDS);
		return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
			.header(HttpHeaders.RETRY_AFTER, String.valueOf(RETRY_AFTER_SECONDS))
			.body(problem);
	}
}

package io.custodia.vault;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

import io.custodia.keys.KeyFailure;

/** Problems of the vault and operator APIs as RFC 9457 problem+json, naming the field or quota and what is allowed. */
@RestControllerAdvice(assignableTypes = { VaultApi.class, OperatorApi.class })
class VaultProblems {

	private static final Logger log = LoggerFactory.getLogger(VaultProblems.class);

	@ExceptionHandler(VaultNotFoundException.class)
	ProblemDetail notFound(VaultNotFoundException ex) {
		return ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, ex.getMessage());
	}

	@ExceptionHandler(InvalidInputException.class)
	ProblemDetail invalid(InvalidInputException ex) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, ex.getMessage());
		problem.setTitle("Invalid request");
		problem.setProperty("field", ex.field());
		problem.setProperty("allowed", ex.allowed());
		return problem;
	}

	@ExceptionHandler(QuotaExceededException.class)
	ProblemDetail quota(QuotaExceededException ex) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONTENT_TOO_LARGE, ex.getMessage());
		problem.setTitle("Over the vault's quota");
		problem.setProperty("quota", ex.quota());
		problem.setProperty("limit", ex.limit());
		problem.setProperty("used", ex.used());
		return problem;
	}

	@ExceptionHandler(PathTakenException.class)
	ProblemDetail taken(PathTakenException ex) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, ex.getMessage());
		problem.setTitle("Path taken");
		problem.setProperty("field", "path");
		return problem;
	}

	@ExceptionHandler(GrantStateException.class)
	ProblemDetail grantState(GrantStateException ex) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, ex.getMessage());
		problem.setTitle("Grant does not allow this");
		return problem;
	}

	@ExceptionHandler(Downloads.RangeNotSatisfiable.class)
	ResponseEntity<ProblemDetail> range(Downloads.RangeNotSatisfiable ex) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.REQUESTED_RANGE_NOT_SATISFIABLE, ex.getMessage());
		problem.setProperty("field", "Range");
		problem.setProperty("allowed", "bytes=first-last with first below " + ex.size);
		return ResponseEntity.status(HttpStatus.REQUESTED_RANGE_NOT_SATISFIABLE)
			.header(HttpHeaders.CONTENT_RANGE, "bytes */" + ex.size)
			.body(problem);
	}

	@ExceptionHandler(IntegrityException.class)
	ProblemDetail integrity(IntegrityException ex) {
		log.error("A vault file failed its integrity check: {}", ex.getMessage());
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.INTERNAL_SERVER_ERROR, ex.getMessage());
		problem.setTitle("File failed its integrity check");
		return problem;
	}

	@ExceptionHandler(KeyFailure.class)
	ProblemDetail keys(KeyFailure ex) {
		// a tenant without keys (terminated) has no files to show
		return ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, "not found");
	}
}

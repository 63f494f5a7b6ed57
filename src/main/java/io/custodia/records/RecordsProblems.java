package io.custodia.records;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

import io.custodia.tenancy.TenantNotFoundException;

/** Problems of the personal-data API as RFC 9457 problem+json, naming the field and what is allowed. */
@RestControllerAdvice(assignableTypes = RecordsApi.class)
class RecordsProblems {

	@ExceptionHandler(PolicyViolationException.class)
	ProblemDetail refused(PolicyViolationException ex) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.UNPROCESSABLE_CONTENT, ex.getMessage());
		problem.setTitle("Not allowed by the policy");
		problem.setProperty("field", ex.field());
		problem.setProperty("allowed", ex.allowed());
		return problem;
	}

	@ExceptionHandler(RecordRestrictedException.class)
	ProblemDetail restricted(RecordRestrictedException ex) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, ex.getMessage());
		problem.setTitle("Restricted");
		return problem;
	}

	@ExceptionHandler(SubjectHeldException.class)
	ProblemDetail held(SubjectHeldException ex) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, ex.getMessage());
		problem.setTitle("Under legal hold");
		problem.setProperty("holds", ex.holds().stream()
			.map(hold -> java.util.Map.of("reference", hold.reference(), "review_date", hold.reviewDate().toString()))
			.toList());
		return problem;
	}

	@ExceptionHandler({ RecordNotFoundException.class, TenantNotFoundException.class })
	ProblemDetail notFound(RuntimeException ex) {
		return ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND,
				ex instanceof RecordNotFoundException ? ex.getMessage() : "not found");
	}
}

package io.custodia.requests;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

import io.custodia.records.PolicyViolationException;
import io.custodia.records.RecordNotFoundException;
import io.custodia.tenancy.TenantNotFoundException;

/** Problems of the requests API as RFC 9457 problem+json, naming the field and what is allowed. */
@RestControllerAdvice(assignableTypes = RequestsApi.class)
class RequestsProblems {

	@ExceptionHandler(RequestProblem.class)
	ProblemDetail refused(RequestProblem ex) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.UNPROCESSABLE_CONTENT, ex.getMessage());
		problem.setTitle("Not allowed");
		problem.setProperty("field", ex.field());
		problem.setProperty("allowed", ex.allowed());
		return problem;
	}

	@ExceptionHandler(PolicyViolationException.class)
	ProblemDetail policy(PolicyViolationException ex) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.UNPROCESSABLE_CONTENT, ex.getMessage());
		problem.setTitle("Not allowed by the policy");
		problem.setProperty("field", ex.field());
		problem.setProperty("allowed", ex.allowed());
		return problem;
	}

	@ExceptionHandler({ RequestNotFoundException.class, RecordNotFoundException.class, TenantNotFoundException.class })
	ProblemDetail notFound(RuntimeException ex) {
		return ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, "not found");
	}
}

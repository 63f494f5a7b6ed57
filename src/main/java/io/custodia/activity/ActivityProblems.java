package io.custodia.activity;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

import io.custodia.tenancy.TenantNotFoundException;

/** Problems of the activity API as problem+json: the field and what is allowed, never a submitted value. */
@RestControllerAdvice(assignableTypes = ActivityApi.class)
class ActivityProblems {

	@ExceptionHandler(InvalidEventException.class)
	ProblemDetail invalid(InvalidEventException ex) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.UNPROCESSABLE_CONTENT, ex.getMessage());
		problem.setTitle("Not a valid activity event or request");
		problem.setProperty("field", ex.field());
		problem.setProperty("allowed", ex.allowed());
		return problem;
	}

	@ExceptionHandler(TenantNotFoundException.class)
	ProblemDetail notFound(TenantNotFoundException ex) {
		return ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, "not found");
	}
}

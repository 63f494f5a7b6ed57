package io.custodia.licensing;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

import io.custodia.activity.InvalidEventException;

/** Problems of the licensing API as problem+json. */
@RestControllerAdvice(assignableTypes = LicensingApi.class)
class LicensingProblems {

	@ExceptionHandler(LicensingException.class)
	ProblemDetail licensing(LicensingException ex) {
		return switch (ex.kind()) {
			case NOT_FOUND -> ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, "not found");
			case UNAVAILABLE -> {
				ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, ex.getMessage());
				problem.setTitle("No licence available");
				yield problem;
			}
			case INVALID -> {
				ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.UNPROCESSABLE_CONTENT, ex.getMessage());
				problem.setTitle("Not a valid licensing request");
				problem.setProperty("field", ex.field());
				problem.setProperty("allowed", ex.allowed());
				yield problem;
			}
		};
	}

	@ExceptionHandler(InvalidEventException.class)
	ProblemDetail invalidHolder(InvalidEventException ex) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.UNPROCESSABLE_CONTENT, ex.getMessage());
		problem.setTitle("Not a valid licensing request");
		problem.setProperty("field", ex.field());
		problem.setProperty("allowed", ex.allowed());
		return problem;
	}
}

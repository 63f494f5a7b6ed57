package io.custodia.web;

import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import org.springframework.beans.TypeMismatchException;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Spring MVC's own problems (a missing parameter, an unreadable body, a wrong method) as problem+json, in place of
 * Boot's handler of the same kind, with one change: a path or query value of the wrong type is named by its
 * parameter and what it must be, never quoted. Spring's detail quotes it ("Failed to convert 'subject_id' with
 * value: '...'"), and what a caller puts in the wrong place is often personal data (an e-mail address where a
 * subject id belongs).
 */
@ControllerAdvice
@Order(0)
class RequestProblems extends ResponseEntityExceptionHandler {

	@Override
	protected ResponseEntity<Object> handleTypeMismatch(TypeMismatchException ex, HttpHeaders headers, HttpStatusCode status,
			WebRequest request) {
		String name = ex instanceof MethodArgumentTypeMismatchException argument ? argument.getName() : ex.getPropertyName();
		String allowed = allowed(ex.getRequiredType());
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
				(name == null ? "a value" : "'" + name + "'") + " must be " + allowed);
		problem.setTitle("Bad Request");
		problem.setProperty("field", name);
		problem.setProperty("allowed", List.of(allowed));
		return handleExceptionInternal(ex, problem, headers, HttpStatus.BAD_REQUEST, request);
	}

	static String allowed(Class<?> type) {
		if (type == null) {
			return "a value of another type";
		}
		if (type == UUID.class) {
			return "a UUID";
		}
		if (type == LocalDate.class) {
			return "a date, YYYY-MM-DD";
		}
		if (type == boolean.class || type == Boolean.class) {
			return "true or false";
		}
		if (type.isEnum()) {
			return "one of " + String.join(", ", Arrays.stream(type.getEnumConstants()).map(Object::toString).toList());
		}
		if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
			return "a whole number";
		}
		return "a " + type.getSimpleName();
	}
}

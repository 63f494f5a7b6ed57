package io.custodia.web;

import java.io.IOException;
import java.util.UUID;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.ErrorResponse;
import org.springframework.web.servlet.HandlerExceptionResolver;
import org.springframework.web.servlet.ModelAndView;
import org.springframework.web.util.DisconnectedClientHelper;

import tools.jackson.databind.json.JsonMapper;

/**
 * The last answer for an exception nothing else answered (a fault of the service): 500 as problem+json with a
 * reference that the log's line carries too, like a database failure ({@link DatabaseProblems}).
 *
 * <p>Runs after Spring's resolvers and every module's {@code @ExceptionHandler}, so it sees only what they left.
 * Without it such an exception went on to the servlet container, which logged it with its message and stack trace,
 * and Boot's error page answered plain JSON. Neither the answer nor the log carries the exception's message: a
 * message may quote a value (a field, an identifier) and so personal data. The log names the exception's class and
 * the frames in Custodia's code where it happened, which is what an operator needs to find the fault. Spring
 * Security's exceptions (also as a cause) are left to its filters, which answer 401 and 403 themselves; a response
 * already partly sent goes on to the container as {@link AnswerCutShort}, so that it cuts the connection; a client
 * that went away is no fault.
 */
@Component
class UnexpectedProblems implements HandlerExceptionResolver, Ordered {

	private static final Logger log = LoggerFactory.getLogger(UnexpectedProblems.class);

	/** Custodia's frames logged at most: enough to follow the call, not a whole stack trace. */
	static final int FRAMES = 8;

	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE;
	}

	@Override
	public ModelAndView resolveException(HttpServletRequest request, HttpServletResponse response, Object handler,
			Exception ex) {
		if (ex instanceof ErrorResponse || fromSecurity(ex)) {
			return null;
		}
		if (DisconnectedClientHelper.isClientDisconnectedException(ex)) {
			// the client went away (a download cancelled): nobody is left to answer, and it is no fault of the service
			log.debug("{} {}: the client disconnected ({})", request.getMethod(), request.getRequestURI(), ex.getClass().getSimpleName());
			return new ModelAndView();
		}
		String reference = UUID.randomUUID().toString();
		log.error("{} {} failed unexpectedly, reference {}: {} at {}", request.getMethod(), request.getRequestURI(), reference,
				ex.getClass().getName(), frames(ex));
		if (response.isCommitted()) {
			// part of the answer has gone already (a download): it cannot become a problem any more. The container,
			// which this goes on to, closes the connection so that the client sees the answer cut short, and logs
			// this exception, which quotes nothing, instead of the original, whose message might
			throw new AnswerCutShort(reference);
		}
		// the members of RFC 9457 and Spring's ProblemDetail, as the other handlers answer them
		var problem = new java.util.LinkedHashMap<String, Object>();
		problem.put("type", "about:blank");
		problem.put("title", "Internal error");
		problem.put("status", HttpStatus.INTERNAL_SERVER_ERROR.value());
		problem.put("detail", "the service failed to answer this request (" + ex.getClass().getSimpleName()
				+ "); the service's log has reference " + reference);
		problem.put("instance", request.getRequestURI());
		problem.put("reference", reference);
		try {
			response.reset();
			response.setStatus(HttpStatus.INTERNAL_SERVER_ERROR.value());
			response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
			response.setCharacterEncoding("UTF-8");
			response.getWriter().write(JsonMapper.shared().writeValueAsString(problem));
		}
		catch (IOException | IllegalStateException writing) {
			log.warn("The answer to reference {} could not be written ({})", reference, writing.getClass().getSimpleName());
		}
		return new ModelAndView();
	}

	/** An answer that failed after it had started; its cause is in the log under the reference. */
	static final class AnswerCutShort extends RuntimeException {

		AnswerCutShort(String reference) {
			super("the answer failed after it had started to be sent; the service's log has reference " + reference, null,
					false, false);
		}
	}

	/** A refusal of Spring Security's, also as a cause: its filters turn them into 401 and 403. */
	private static boolean fromSecurity(Throwable ex) {
		var seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<Throwable, Boolean>());
		for (Throwable cause = ex; cause != null && seen.add(cause); cause = cause.getCause()) {
			if (cause instanceof org.springframework.security.access.AccessDeniedException
					|| cause instanceof org.springframework.security.core.AuthenticationException) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Where in Custodia's code the exception was thrown (up to {@value #FRAMES} frames, innermost first), and for each
	 * cause its class and innermost Custodia frame.
	 */
	static String frames(Throwable ex) {
		var where = new StringBuilder();
		int written = 0;
		for (StackTraceElement frame : ex.getStackTrace()) {
			if (written < FRAMES && frame.getClassName().startsWith("io.custodia.")) {
				where.append(written++ == 0 ? "" : ", ").append(frame);
			}
		}
		if (where.isEmpty()) {
			where.append("no frame of Custodia");
		}
		var seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<Throwable, Boolean>());
		seen.add(ex);
		for (Throwable cause = ex.getCause(); cause != null && seen.add(cause); cause = cause.getCause()) {
			where.append(" <- caused by ").append(cause.getClass().getName());
			java.util.Arrays.stream(cause.getStackTrace())
				.filter(frame -> frame.getClassName().startsWith("io.custodia."))
				.findFirst()
				.ifPresent(frame -> where.append(" at ").append(frame));
		}
		return where.toString();
	}
}

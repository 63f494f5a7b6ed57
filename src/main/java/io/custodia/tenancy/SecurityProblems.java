package io.custodia.tenancy;

import java.io.IOException;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.transaction.CannotCreateTransactionException;

import io.custodia.LockConflicts;
import tools.jackson.databind.json.JsonMapper;

/**
 * The problem+json answer of a security filter chain (API keys here, operator keys in the vault), written by hand
 * because no controller, and so no exception handler, is reached. The same shape the rest of the API answers with:
 * the request as instance, no null members, and {@code WWW-Authenticate: Bearer} on a 401.
 */
public final class SecurityProblems {

	private static final Logger log = LoggerFactory.getLogger(SecurityProblems.class);

	private SecurityProblems() {
	}

	public static void write(HttpServletRequest request, HttpServletResponse response, HttpStatus status, String detail)
			throws IOException {
		write(request, response, status, detail, Map.of());
	}

	/**
	 * Answers a request whose key could not be looked up because the database failed. The look-up is one select
	 * outside any transaction, so when no connection could be had or the select lost a lock conflict nothing was
	 * done and the answer is 503 with {@code Retry-After}; anything else is 500 with a reference the log's line
	 * carries too (as the API answers, {@code web.DatabaseProblems}). Neither the answer nor the log holds the
	 * database's message, which can quote the statement and the hash looked up; without this the servlet container
	 * logged it with its stack trace and Boot's error page answered.
	 */
	public static void databaseFailed(HttpServletRequest request, HttpServletResponse response, RuntimeException ex)
			throws IOException {
		if (LockConflicts.isConflict(ex) || ex instanceof CannotGetJdbcConnectionException
				|| ex instanceof CannotCreateTransactionException) {
			log.warn("{} {}: the key could not be looked up, the database was busy or unreachable ({}); answered 503",
					request.getMethod(), request.getRequestURI(), ex.getClass().getSimpleName());
			response.setHeader(HttpHeaders.RETRY_AFTER, String.valueOf(LockConflicts.RETRY_AFTER_SECONDS));
			write(request, response, HttpStatus.SERVICE_UNAVAILABLE, "the database was busy or could not be reached while "
					+ "checking the key; nothing of this request was done. Send it again after the time in Retry-After.",
					Map.of("retry_after_seconds", LockConflicts.RETRY_AFTER_SECONDS));
			return;
		}
		String reference = UUID.randomUUID().toString();
		String state = ex instanceof DataAccessException dae && dae.getMostSpecificCause() instanceof SQLException sql
				? sql.getSQLState() : null;
		log.error("{} {}: the key could not be looked up, reference {}: {} (SQL state {})", request.getMethod(),
				request.getRequestURI(), reference, ex.getClass().getSimpleName(), state);
		write(request, response, HttpStatus.INTERNAL_SERVER_ERROR, "the database refused the key's look-up ("
				+ ex.getClass().getSimpleName() + "); the service's log has reference " + reference,
				Map.of("reference", reference));
	}

	private static void write(HttpServletRequest request, HttpServletResponse response, HttpStatus status, String detail,
			Map<String, Object> properties) throws IOException {
		var problem = new LinkedHashMap<String, Object>();
		problem.put("type", "about:blank");
		problem.put("title", status.getReasonPhrase());
		problem.put("status", status.value());
		problem.put("detail", detail);
		problem.put("instance", request.getRequestURI());
		problem.putAll(properties);
		response.setStatus(status.value());
		response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
		response.setCharacterEncoding("UTF-8");
		if (status == HttpStatus.UNAUTHORIZED) {
			response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
		}
		response.getWriter().write(JsonMapper.shared().writeValueAsString(problem));
	}
}

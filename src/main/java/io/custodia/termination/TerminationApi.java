package io.custodia.termination;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.bind.annotation.RestControllerAdvice;

import io.custodia.tenancy.ApiPrincipal;
import io.custodia.tenancy.Role;
import io.custodia.tenancy.TenantNotFoundException;

/**
 * A tenant admin ends its own tenant: {@code POST /api/v1/tenants/{tenant}/termination} with
 * {@code {"confirm": "<tenant id>"}}. The answer is the signed deletion certificate. Any other tenant's key is
 * answered as for a tenant that does not exist.
 */
@RestController
class TerminationApi {

	record Confirmation(String confirm) {
	}

	/** The confirmation is missing or names another tenant. */
	static class NotConfirmedException extends RuntimeException {

		NotConfirmedException(String message) {
			super(message);
		}
	}

	private final TenantTermination termination;

	private final io.custodia.records.Durability durability;

	TerminationApi(TenantTermination termination, io.custodia.records.Durability durability) {
		this.termination = termination;
		this.durability = durability;
	}

	@PostMapping("/api/v1/tenants/{tenantId}/termination")
	Map<String, Object> terminate(@AuthenticationPrincipal ApiPrincipal caller, @PathVariable String tenantId,
			@RequestBody(required = false) Confirmation confirmation) {
		if (!caller.tenantId().equals(tenantId)) {
			throw new TenantNotFoundException(tenantId);
		}
		if (caller.role() != Role.TENANT_ADMIN) {
			throw new AccessDeniedException("only a tenant_admin key may terminate its tenant");
		}
		if (confirmation == null || !tenantId.equals(confirmation.confirm())) {
			throw new NotConfirmedException("send {\"confirm\": \"" + tenantId
					+ "\"} to terminate this tenant: its data, files and keys are deleted for good");
		}
		var certificate = termination.terminate(tenantId, caller.actor());
		// on disk before the certificate that says it happened leaves, also on the embedded database
		durability.flush();
		var answer = new LinkedHashMap<String, Object>();
		answer.put("payload", certificate.payload());
		answer.put("signature", certificate.signature());
		answer.put("algorithm", certificate.algorithm());
		answer.put("certificate", certificate.content());
		return answer;
	}

	@RestControllerAdvice(assignableTypes = TerminationApi.class)
	static class Problems {

		@ExceptionHandler(TenantNotFoundException.class)
		ProblemDetail notFound(TenantNotFoundException ex) {
			return ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, "not found");
		}

		@ExceptionHandler(NotConfirmedException.class)
		ProblemDetail notConfirmed(NotConfirmedException ex) {
			ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.UNPROCESSABLE_CONTENT, ex.getMessage());
			problem.setTitle("Termination not confirmed");
			problem.setProperty("field", "confirm");
			return problem;
		}

		@ExceptionHandler({ TenantAlreadyTerminatedException.class, TerminationRefusedException.class })
		ProblemDetail terminated(RuntimeException ex) {
			return ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, ex.getMessage());
		}
	}
}

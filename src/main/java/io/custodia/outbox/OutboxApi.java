package io.custodia.outbox;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import io.custodia.tenancy.ApiPrincipal;
import io.custodia.tenancy.Role;
import io.custodia.tenancy.TenantManagement;

/**
 * Webhook endpoints of the policy's recipients, the signing key, the dead-letter list and delivery on demand.
 * Only the tenant's administrator and DPO; everything within the API key's tenant.
 */
@RestController
@RequestMapping("/api/v1")
class OutboxApi {

	private static final List<Role> MANAGERS = List.of(Role.TENANT_ADMIN, Role.DPO);

	private final Webhooks webhooks;

	private final Outbox outbox;

	private final TenantManagement tenants;

	OutboxApi(Webhooks webhooks, Outbox outbox, TenantManagement tenants) {
		this.webhooks = webhooks;
		this.outbox = outbox;
		this.tenants = tenants;
	}

	record EndpointRequest(String url) {
	}

	record Endpoint(String recipient, String url, String signingSecret) {
	}

	record SigningKey(String signingSecret, String algorithm, String header) {
	}

	record Delivered(int delivered) {
	}

	@PutMapping("/webhooks/{recipient}")
	Endpoint configure(@AuthenticationPrincipal ApiPrincipal caller, @PathVariable String recipient,
			@RequestBody EndpointRequest request) {
		require(caller);
		var recipients = tenants.inEffect(caller.tenantId()).orElseThrow().policy().recipients().keySet();
		if (!recipients.contains(recipient)) {
			throw new WebhookProblem("recipient", "the policy in effect names no recipient '" + recipient + "'",
					List.copyOf(recipients));
		}
		try {
			var secret = webhooks.configure(caller.tenantId(), recipient, request.url(), caller.actor());
			return new Endpoint(recipient, webhooks.endpoint(caller.tenantId(), recipient).orElseThrow(), secret.orElse(null));
		}
		catch (IllegalArgumentException ex) {
			throw new WebhookProblem("url", ex.getMessage(), List.of("http://...", "https://..."));
		}
	}

	@GetMapping("/webhooks")
	Map<String, String> endpoints(@AuthenticationPrincipal ApiPrincipal caller) {
		require(caller);
		return webhooks.endpoints(caller.tenantId());
	}

	@PostMapping("/webhooks/signing-key")
	SigningKey newKey(@AuthenticationPrincipal ApiPrincipal caller) {
		require(caller);
		return new SigningKey(webhooks.newKey(caller.tenantId(), caller.actor()), "HMAC-SHA256 of \"timestamp.body\"",
				"Custodia-Signature: v1=<hex>");
	}

	@GetMapping("/outbox/dead-letters")
	List<OutboxMessage> deadLetters(@AuthenticationPrincipal ApiPrincipal caller) {
		require(caller);
		return outbox.deadLetters(caller.tenantId());
	}

	@PostMapping("/outbox/{messageId}/retry")
	OutboxMessage retry(@AuthenticationPrincipal ApiPrincipal caller, @PathVariable UUID messageId) {
		require(caller);
		if (!outbox.retry(caller.tenantId(), messageId, caller.actor())) {
			throw new MessageNotFound();
		}
		return outbox.find(caller.tenantId(), messageId).orElseThrow(MessageNotFound::new);
	}

	@PostMapping("/outbox/deliveries")
	Delivered deliver(@AuthenticationPrincipal ApiPrincipal caller) {
		require(caller);
		return new Delivered(outbox.deliverDue(caller.tenantId(), id -> {
		}));
	}

	private static void require(ApiPrincipal caller) {
		if (!MANAGERS.contains(caller.role())) {
			throw new AccessDeniedException("role " + caller.role() + " may not do this");
		}
	}

	static final class MessageNotFound extends RuntimeException {

		MessageNotFound() {
			super("no such dead letter");
		}
	}

	static final class WebhookProblem extends RuntimeException {

		final String field;

		final List<String> allowed;

		WebhookProblem(String field, String message, List<String> allowed) {
			super(message);
			this.field = field;
			this.allowed = allowed;
		}
	}

	@ExceptionHandler(WebhookProblem.class)
	ProblemDetail refused(WebhookProblem ex) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.UNPROCESSABLE_CONTENT, ex.getMessage());
		problem.setTitle("Not allowed");
		problem.setProperty("field", ex.field);
		problem.setProperty("allowed", ex.allowed);
		return problem;
	}

	@ExceptionHandler(MessageNotFound.class)
	ProblemDetail notFound(MessageNotFound ex) {
		return ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, "message not found");
	}
}

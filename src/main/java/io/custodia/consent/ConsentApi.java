package io.custodia.consent;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import io.custodia.records.RecordNotFoundException;
import io.custodia.tenancy.ApiPrincipal;
import io.custodia.tenancy.Role;

/**
 * The consent API: an application (a banner, a form, staff logging a letter) records consents and
 * withdrawals; the DPO exports the ledger as evidence. The tenant is always the API key's. Problems are
 * problem+json ({@link ConsentProblems}).
 */
@RestController
@RequestMapping("/api/v1/consents")
class ConsentApi {

	private static final List<Role> RECORDERS = List.of(Role.TENANT_ADMIN, Role.DPO, Role.APPLICATION);

	private static final List<Role> EXPORTERS = List.of(Role.TENANT_ADMIN, Role.DPO);

	private final ConsentLedger ledger;

	ConsentApi(ConsentLedger ledger) {
		this.ledger = ledger;
	}

	/** How the person acted; the user-agent class is taken from the request when not given. */
	record How(String action, String userAgentClass) {
	}

	record ConsentRequest(UUID subjectId, String visitorId, List<String> purposes, List<String> cookieCategories,
			String method, String language, String givenBy, How how) {
	}

	record WithdrawalRequest(UUID subjectId, String visitorId, List<String> purposes, List<String> cookieCategories,
			String method, How how, String reason) {
	}

	record Recorded(List<ConsentReceipt> receipts) {
	}

	record BirthDate(String birthDate) {
	}

	record VisitorRequest(String visitorId) {
	}

	record SubjectStanding(UUID subjectId, Map<String, String> purposes, Map<String, String> cookieCategories) {
	}

	@PostMapping
	ResponseEntity<Recorded> give(@AuthenticationPrincipal ApiPrincipal caller, @RequestBody ConsentRequest request,
			@RequestHeader(name = "Sec-GPC", required = false) String gpc,
			@RequestHeader(name = HttpHeaders.USER_AGENT, required = false) String userAgent) {
		require(caller, RECORDERS);
		How how = request.how() == null ? new How(null, null) : request.how();
		var receipts = ledger.give(caller.tenantId(),
				new ConsentGrant(request.subjectId(), request.visitorId(), request.purposes(), request.cookieCategories(),
						request.method(), request.language(), request.givenBy(), how.action(), userAgentClass(how, userAgent),
						"1".equals(gpc == null ? null : gpc.trim())),
				caller.actor());
		// no Location: a receipt is read back through the subject's or visitor's evidence, not on its own
		return ResponseEntity.status(201).body(new Recorded(receipts));
	}

	@PostMapping("/withdrawals")
	Withdrawal withdraw(@AuthenticationPrincipal ApiPrincipal caller, @RequestBody WithdrawalRequest request,
			@RequestHeader(name = HttpHeaders.USER_AGENT, required = false) String userAgent) {
		require(caller, RECORDERS);
		How how = request.how() == null ? new How(null, null) : request.how();
		return ledger.withdraw(caller.tenantId(), request.subjectId(), request.visitorId(), request.purposes(),
				request.cookieCategories(), request.method(), how.action(), userAgentClass(how, userAgent), request.reason(),
				caller.actor());
	}

	@GetMapping("/subjects/{subjectId}")
	SubjectStanding standing(@AuthenticationPrincipal ApiPrincipal caller, @PathVariable UUID subjectId) {
		var standing = ledger.standing(caller.tenantId(), subjectId);
		if (standing.purposes().isEmpty() && standing.cookieCategories().isEmpty() && !ledger.hasSubject(caller.tenantId(), subjectId)) {
			throw new RecordNotFoundException("subject");
		}
		return new SubjectStanding(subjectId, standing.purposes(), standing.cookieCategories());
	}

	@PutMapping("/subjects/{subjectId}/birth-date")
	ConsentLedger.AgeCheck birthDate(@AuthenticationPrincipal ApiPrincipal caller, @PathVariable UUID subjectId,
			@RequestBody BirthDate request) {
		require(caller, RECORDERS);
		return ledger.recordBirthDate(caller.tenantId(), subjectId, request.birthDate(), caller.actor());
	}

	@GetMapping("/subjects/{subjectId}/evidence")
	ConsentEvidence subjectEvidence(@AuthenticationPrincipal ApiPrincipal caller, @PathVariable UUID subjectId) {
		require(caller, EXPORTERS);
		return ledger.evidenceOfSubject(caller.tenantId(), subjectId, caller.actor());
	}

	/** A visitor id goes in the body, not the address, so that it never lands in an access log. */
	@PostMapping("/visitors/evidence")
	ConsentEvidence visitorEvidence(@AuthenticationPrincipal ApiPrincipal caller, @RequestBody VisitorRequest request) {
		require(caller, EXPORTERS);
		return ledger.evidenceOfVisitor(caller.tenantId(), request.visitorId(), caller.actor());
	}

	private static String userAgentClass(How how, String userAgent) {
		return how.userAgentClass() != null && !how.userAgentClass().isBlank() ? how.userAgentClass()
				: UserAgents.classify(userAgent);
	}

	private static void require(ApiPrincipal caller, List<Role> roles) {
		if (!roles.contains(caller.role())) {
			throw new AccessDeniedException("role " + caller.role() + " may not do this");
		}
	}
}

package io.custodia.retention;

import java.net.URI;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import io.custodia.records.RecordManagement;
import io.custodia.tenancy.ApiPrincipal;
import io.custodia.tenancy.Role;
import io.custodia.tenancy.TenantManagement;

/** Retention runs, forecasts, the review queue and legal holds: the DPO's tools. */
@RestController
@RequestMapping("/api/v1")
class RetentionApi {

	private static final List<Role> DPO = List.of(Role.TENANT_ADMIN, Role.DPO);

	private final RetentionRuns runs;

	private final LegalHolds holds;

	private final RecordManagement records;

	private final TenantManagement tenants;

	RetentionApi(RetentionRuns runs, LegalHolds holds, RecordManagement records, TenantManagement tenants) {
		this.runs = runs;
		this.holds = holds;
		this.records = records;
		this.tenants = tenants;
	}

	record HoldRequest(String reference, HoldScope scope, String scopeId, String reason, LocalDate reviewDate) {
	}

	static final class NotFound extends RuntimeException {

		NotFound() {
			super("not found");
		}
	}

	@PostMapping("/retention/runs")
	RetentionReport run(@AuthenticationPrincipal ApiPrincipal caller,
			@RequestParam(name = "dry_run", defaultValue = "true") boolean dryRun,
			@RequestParam(name = "as_of", required = false) LocalDate asOf) {
		require(caller);
		return runs.run(caller.tenantId(), asOf, dryRun, caller.actor());
	}

	@GetMapping("/retention/reviews")
	List<RetentionRuns.ReviewItem> reviews(@AuthenticationPrincipal ApiPrincipal caller) {
		require(caller);
		return runs.reviewQueue(caller.tenantId());
	}

	@PostMapping("/holds")
	ResponseEntity<LegalHold> place(@AuthenticationPrincipal ApiPrincipal caller, @RequestBody HoldRequest request) {
		require(caller);
		if (request.scope() == null) {
			throw new RetentionProblem("scope", "what the hold keeps: a subject, a record or an activity",
					java.util.Arrays.stream(HoldScope.values()).map(Enum::name).toList());
		}
		if (request.scopeId() == null || request.scopeId().isBlank()) {
			throw new RetentionProblem("scope_id", "the id of the subject or record, or the name of the activity, the hold keeps",
					List.of());
		}
		String tenant = caller.tenantId();
		boolean known = switch (request.scope()) {
			case SUBJECT -> records.hasSubject(tenant, uuid(request.scopeId()));
			case RECORD -> records.hasRecord(tenant, uuid(request.scopeId()));
			case ACTIVITY -> tenants.inEffect(tenant).map(p -> p.policy().activities().containsKey(request.scopeId())).orElse(false);
		};
		if (!known) {
			throw new NotFound();
		}
		LegalHold hold = holds.place(tenant, request.reference(), request.scope(), request.scopeId(), request.reason(),
				request.reviewDate(), caller.actor());
		return ResponseEntity.created(URI.create("/api/v1/holds/" + hold.id())).body(hold);
	}

	@GetMapping("/holds")
	List<LegalHold> holds(@AuthenticationPrincipal ApiPrincipal caller,
			@RequestParam(name = "past_review", defaultValue = "false") boolean pastReview) {
		require(caller);
		return pastReview ? holds.pastReview(caller.tenantId(), runs.today(caller.tenantId())) : holds.active(caller.tenantId());
	}

	@DeleteMapping("/holds/{holdId}")
	ResponseEntity<Void> release(@AuthenticationPrincipal ApiPrincipal caller, @PathVariable UUID holdId) {
		require(caller);
		if (!holds.release(caller.tenantId(), holdId, caller.actor())) {
			throw new NotFound();
		}
		return ResponseEntity.noContent().build();
	}

	@ExceptionHandler({ NotFound.class, LegalHolds.HoldTargetNotFound.class })
	ProblemDetail notFound() {
		return ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, "not found");
	}

	@ExceptionHandler(RetentionProblem.class)
	ProblemDetail invalid(RetentionProblem ex) {
		var problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, ex.getMessage());
		problem.setTitle("Not accepted");
		problem.setProperty("field", ex.field());
		problem.setProperty("allowed", ex.allowed());
		return problem;
	}

	@ExceptionHandler(IllegalArgumentException.class)
	ProblemDetail invalid(IllegalArgumentException ex) {
		return ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, ex.getMessage());
	}

	private static UUID uuid(String value) {
		try {
			return UUID.fromString(value);
		}
		catch (IllegalArgumentException ex) {
			throw new NotFound();
		}
	}

	private static void require(ApiPrincipal caller) {
		if (!DPO.contains(caller.role())) {
			throw new AccessDeniedException("role " + caller.role() + " may not do this");
		}
	}
}

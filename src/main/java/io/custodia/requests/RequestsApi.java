package io.custodia.requests;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import io.custodia.records.Durability;
import io.custodia.tenancy.ApiPrincipal;
import io.custodia.tenancy.Role;

/**
 * The requests API. Intake, code confirmation and the download are for the tenant's applications (a privacy
 * centre or web form acting for the person) and staff; working the queue is for the DPO and the tenant's
 * administrator. Everything within the API key's tenant: another tenant's request is not found.
 */
@RestController
@RequestMapping("/api/v1")
class RequestsApi {

	private static final List<Role> INTAKE = List.of(Role.TENANT_ADMIN, Role.DPO, Role.APPLICATION);

	private static final List<Role> STAFF = List.of(Role.TENANT_ADMIN, Role.DPO);

	private final RequestManagement requests;

	private final Suppressions suppressions;

	private final Durability durability;

	RequestsApi(RequestManagement requests, Suppressions suppressions, Durability durability) {
		this.requests = requests;
		this.suppressions = suppressions;
		this.durability = durability;
	}

	/** An acknowledged change is on disk before the answer leaves, also on the embedded database. */
	private <T> T durable(T committed) {
		durability.flush();
		return committed;
	}

	record CodeRequest(String code) {
	}

	record ManualVerification(UUID subjectId, String method, String reason) {
	}

	record ExtensionRequest(Integer months, String reason) {
	}

	record RefusalRequest(String reason) {
	}

	record FulfilmentRequest(Map<UUID, Map<String, Object>> changes, List<String> activities, List<String> purposes) {
	}

	record GroundsRequest(String grounds) {
	}

	record Lifted(UUID subjectId, String activity, int recordsResumed) {
	}

	record Suppressed(UUID subjectId, String activity, boolean suppressed) {
	}

	@PostMapping("/requests")
	ResponseEntity<DataRequest> submit(@AuthenticationPrincipal ApiPrincipal caller,
			@RequestBody RequestManagement.Intake intake) {
		require(caller, INTAKE);
		var request = durable(requests.submit(caller.tenantId(), intake, caller.actor()));
		return ResponseEntity.status(HttpStatus.ACCEPTED).location(URI.create("/api/v1/requests/" + request.id())).body(request);
	}

	@PostMapping("/requests/{requestId}/verification")
	DataRequest confirm(@AuthenticationPrincipal ApiPrincipal caller, @PathVariable UUID requestId,
			@RequestBody CodeRequest body) {
		require(caller, INTAKE);
		return durable(requests.confirm(caller.tenantId(), requestId, body.code(), caller.actor()));
	}

	@PostMapping("/requests/{requestId}/verification/manual")
	DataRequest verifyManually(@AuthenticationPrincipal ApiPrincipal caller, @PathVariable UUID requestId,
			@RequestBody ManualVerification body) {
		require(caller, STAFF);
		return durable(requests.verifyManually(caller.tenantId(), requestId, body.subjectId(), body.method(), body.reason(),
				caller.actor()));
	}

	@GetMapping("/requests/{requestId}")
	DataRequest find(@AuthenticationPrincipal ApiPrincipal caller, @PathVariable UUID requestId) {
		return requests.find(caller.tenantId(), requestId);
	}

	@GetMapping("/requests")
	List<DataRequest> list(@AuthenticationPrincipal ApiPrincipal caller, @RequestParam(defaultValue = "open") String view,
			@RequestParam(defaultValue = "7") int days) {
		require(caller, STAFF);
		RequestManagement.View which;
		try {
			which = RequestManagement.View.valueOf(view.toUpperCase(java.util.Locale.ROOT));
		}
		catch (IllegalArgumentException ex) {
			throw new RequestProblem("view", "unknown view '" + view + "'", List.of("open", "overdue", "due_soon", "all"));
		}
		return requests.list(caller.tenantId(), which, days);
	}

	@PostMapping("/requests/{requestId}/start")
	DataRequest start(@AuthenticationPrincipal ApiPrincipal caller, @PathVariable UUID requestId) {
		require(caller, STAFF);
		return durable(requests.start(caller.tenantId(), requestId, caller.actor()));
	}

	@PostMapping("/requests/{requestId}/extension")
	DataRequest extend(@AuthenticationPrincipal ApiPrincipal caller, @PathVariable UUID requestId,
			@RequestBody ExtensionRequest body) {
		require(caller, STAFF);
		return durable(requests.extend(caller.tenantId(), requestId, body.months() == null ? 0 : body.months(), body.reason(),
				caller.actor()));
	}

	@PostMapping("/requests/{requestId}/refusal")
	DataRequest refuse(@AuthenticationPrincipal ApiPrincipal caller, @PathVariable UUID requestId,
			@RequestBody RefusalRequest body) {
		require(caller, STAFF);
		return durable(requests.refuse(caller.tenantId(), requestId, body.reason(), caller.actor()));
	}

	@PostMapping("/requests/{requestId}/fulfilment")
	DataRequest fulfil(@AuthenticationPrincipal ApiPrincipal caller, @PathVariable UUID requestId,
			@RequestBody(required = false) FulfilmentRequest body) {
		require(caller, STAFF);
		var what = body == null ? new RequestManagement.Fulfilment(null, null, null)
				: new RequestManagement.Fulfilment(body.changes(), body.activities(), body.purposes());
		return durable(requests.fulfil(caller.tenantId(), requestId, what, caller.actor()));
	}

	@GetMapping(path = "/requests/{requestId}/package", produces = "application/zip")
	ResponseEntity<byte[]> download(@AuthenticationPrincipal ApiPrincipal caller, @PathVariable UUID requestId,
			@RequestParam(required = false) String code) {
		require(caller, INTAKE);
		byte[] zip = durable(requests.download(caller.tenantId(), requestId, code, caller.actor()));
		return ResponseEntity.ok()
			.contentType(MediaType.parseMediaType("application/zip"))
			.header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"data-" + requestId + ".zip\"")
			.header(HttpHeaders.CACHE_CONTROL, "no-store")
			.body(zip);
	}

	@PostMapping("/subjects/{subjectId}/objections/{activity}/compelling-grounds")
	Lifted grounds(@AuthenticationPrincipal ApiPrincipal caller, @PathVariable UUID subjectId,
			@PathVariable String activity, @RequestBody GroundsRequest body) {
		require(caller, STAFF);
		return durable(new Lifted(subjectId, activity,
				requests.recordCompellingGrounds(caller.tenantId(), subjectId, activity, body.grounds(), caller.actor())));
	}

	@GetMapping("/suppressions/check")
	Suppressed check(@AuthenticationPrincipal ApiPrincipal caller, @RequestParam("subject_id") UUID subjectId,
			@RequestParam String activity) {
		return new Suppressed(subjectId, activity, suppressions.isSuppressed(caller.tenantId(), subjectId, activity));
	}

	@GetMapping("/marketing/{activity}/audience")
	List<UUID> audience(@AuthenticationPrincipal ApiPrincipal caller, @PathVariable String activity) {
		require(caller, INTAKE);
		return suppressions.marketingAudience(caller.tenantId(), activity);
	}

	private static void require(ApiPrincipal caller, List<Role> roles) {
		if (!roles.contains(caller.role())) {
			throw new AccessDeniedException("role " + caller.role() + " may not do this");
		}
	}
}

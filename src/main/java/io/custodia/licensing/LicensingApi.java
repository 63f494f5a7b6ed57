package io.custodia.licensing;

import java.net.URI;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.UUID;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import io.custodia.tenancy.ApiPrincipal;
import io.custodia.tenancy.Role;

/** The licensing API; the tenant is the API key's, and another tenant's ids are not found. */
@RestController
@RequestMapping("/api/v1/licensing")
class LicensingApi {

	private static final List<Role> ADMINS = List.of(Role.TENANT_ADMIN);

	private static final List<Role> CLIENTS = List.of(Role.TENANT_ADMIN, Role.APPLICATION);

	private final LicensingManagement licensing;

	LicensingApi(LicensingManagement licensing) {
		this.licensing = licensing;
	}

	record Grant(String product, Integer seats, String validFrom, String validUntil) {
	}

	record Checkout(String product, String userName, String hostName, String ipAddress, String macAddress) {
	}

	record Swept(int released) {
	}

	@PostMapping("/entitlements")
	ResponseEntity<Entitlement> grant(@AuthenticationPrincipal ApiPrincipal caller, @RequestBody Grant grant) {
		require(caller, ADMINS);
		var entitlement = licensing.grant(caller.tenantId(), grant.product(), grant.seats() == null ? 0 : grant.seats(),
				instant("valid_from", grant.validFrom()), instant("valid_until", grant.validUntil()), caller.actor());
		return ResponseEntity.created(URI.create("/api/v1/licensing/entitlements/" + entitlement.id())).body(entitlement);
	}

	@GetMapping("/entitlements")
	List<Entitlement> entitlements(@AuthenticationPrincipal ApiPrincipal caller) {
		return licensing.entitlements(caller.tenantId());
	}

	@GetMapping("/entitlements/{id}")
	Entitlement entitlement(@AuthenticationPrincipal ApiPrincipal caller, @PathVariable UUID id) {
		return licensing.entitlement(caller.tenantId(), id);
	}

	@PostMapping("/leases")
	ResponseEntity<Lease> checkout(@AuthenticationPrincipal ApiPrincipal caller, @RequestBody Checkout checkout) {
		require(caller, CLIENTS);
		var lease = licensing.checkout(caller.tenantId(), checkout.product(), new LicensingManagement.Holder(
				checkout.userName(), checkout.hostName(), checkout.ipAddress(), checkout.macAddress()));
		return ResponseEntity.created(URI.create("/api/v1/licensing/leases/" + lease.leaseId())).body(lease);
	}

	@PostMapping("/leases/{id}/heartbeat")
	Lease heartbeat(@AuthenticationPrincipal ApiPrincipal caller, @PathVariable UUID id) {
		require(caller, CLIENTS);
		return licensing.heartbeat(caller.tenantId(), id);
	}

	@DeleteMapping("/leases/{id}")
	ResponseEntity<Void> checkin(@AuthenticationPrincipal ApiPrincipal caller, @PathVariable UUID id) {
		require(caller, CLIENTS);
		licensing.checkin(caller.tenantId(), id);
		return ResponseEntity.noContent().build();
	}

	@PostMapping("/sweeps")
	Swept sweep(@AuthenticationPrincipal ApiPrincipal caller) {
		require(caller, ADMINS);
		return new Swept(licensing.sweep(caller.tenantId()));
	}

	@GetMapping(path = "/public-keyset", produces = MediaType.APPLICATION_JSON_VALUE)
	String publicKeyset(@AuthenticationPrincipal ApiPrincipal caller) {
		return licensing.publicKeyset(caller.tenantId());
	}

	private static Instant instant(String field, String text) {
		if (text == null) {
			throw LicensingException.invalid(field, "is required", "an ISO-8601 instant, e.g. 2026-01-01T00:00:00Z");
		}
		try {
			return OffsetDateTime.parse(text.strip()).toInstant();
		}
		catch (DateTimeParseException ex) {
			throw LicensingException.invalid(field, "is not an ISO-8601 instant with an offset",
					"an ISO-8601 instant, e.g. 2026-01-01T00:00:00Z");
		}
	}

	private static void require(ApiPrincipal caller, List<Role> roles) {
		if (!roles.contains(caller.role())) {
			throw new AccessDeniedException("role " + caller.role() + " may not do this");
		}
	}
}

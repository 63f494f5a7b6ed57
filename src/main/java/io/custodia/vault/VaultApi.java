package io.custodia.vault;

import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.UUID;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.ResponseEntity;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import io.custodia.tenancy.ApiPrincipal;
import io.custodia.tenancy.Role;

/**
 * The tenant's vault API: files and the operator grants on them. The tenant is always the API key's; ids of
 * other tenants are not found. Content goes up as the raw request body and comes down as the raw response body,
 * streamed both ways.
 */
@RestController
@RequestMapping("/api/v1/vault")
class VaultApi {

	private static final List<Role> WRITERS = List.of(Role.TENANT_ADMIN, Role.DPO, Role.APPLICATION);

	private static final List<Role> GRANT_READERS = List.of(Role.TENANT_ADMIN, Role.DPO);

	private static final List<Role> GRANT_DECIDERS = List.of(Role.TENANT_ADMIN);

	private final Vault vault;

	private final AccessGrants grants;

	private final io.custodia.records.Durability durability;

	VaultApi(Vault vault, AccessGrants grants, io.custodia.records.Durability durability) {
		this.vault = vault;
		this.grants = grants;
		this.durability = durability;
	}

	record MoveRequest(String path) {
	}

	record ApproveRequest(Long durationMinutes) {
	}

	/** Stores the request body under the path; 409 when a file has it, 413 over a quota. */
	@PostMapping("/files")
	ResponseEntity<VaultFile> upload(@AuthenticationPrincipal ApiPrincipal caller, @RequestParam(required = false) String path,
			HttpServletRequest request) throws IOException {
		require(caller, WRITERS);
		VaultFile stored = vault.store(caller.tenantId(), path, request.getInputStream(), request.getContentLengthLong(),
				caller.actor());
		return ResponseEntity.created(URI.create("/api/v1/vault/files/" + stored.id())).body(stored);
	}

	@GetMapping("/files")
	Vault.Listing list(@AuthenticationPrincipal ApiPrincipal caller, @RequestParam(defaultValue = "/") String folder,
			@RequestParam(defaultValue = "false") boolean recursive) {
		return vault.list(caller.tenantId(), folder, recursive);
	}

	@GetMapping("/lookup")
	VaultFile lookup(@AuthenticationPrincipal ApiPrincipal caller, @RequestParam(required = false) String path) {
		return vault.lookup(caller.tenantId(), path);
	}

	@GetMapping("/files/{fileId}")
	VaultFile describe(@AuthenticationPrincipal ApiPrincipal caller, @PathVariable UUID fileId) {
		return vault.describe(caller.tenantId(), fileId);
	}

	/** The content, whole or one range (Range: bytes=a-b, 206), decrypted and verified as it streams. */
	@GetMapping("/files/{fileId}/content")
	void download(@AuthenticationPrincipal ApiPrincipal caller, @PathVariable UUID fileId, HttpServletRequest request,
			HttpServletResponse response) throws IOException {
		Downloads.Span span = Downloads.requested(request, vault.describe(caller.tenantId(), fileId));
		try (Vault.Download download = vault.open(caller.tenantId(), fileId, span == null ? "all" : span.text(), caller.actor())) {
			Downloads.write(download, span, response);
		}
	}

	/** Moves or renames the file: {"path": "/new/folder/name.ext"}. */
	@PatchMapping("/files/{fileId}")
	VaultFile move(@AuthenticationPrincipal ApiPrincipal caller, @PathVariable UUID fileId,
			@RequestBody(required = false) MoveRequest body) {
		require(caller, WRITERS);
		return vault.move(caller.tenantId(), fileId, body == null ? null : body.path(), caller.actor());
	}

	@DeleteMapping("/files/{fileId}")
	ResponseEntity<Void> delete(@AuthenticationPrincipal ApiPrincipal caller, @PathVariable UUID fileId) {
		require(caller, WRITERS);
		vault.delete(caller.tenantId(), fileId, caller.actor());
		// an acknowledged deletion is on disk before the answer leaves, also on the embedded database
		durability.flush();
		return ResponseEntity.noContent().build();
	}

	@GetMapping("/usage")
	Vault.Usage usage(@AuthenticationPrincipal ApiPrincipal caller) {
		return vault.usage(caller.tenantId());
	}

	@GetMapping("/grants")
	List<AccessGrants.AccessGrant> grants(@AuthenticationPrincipal ApiPrincipal caller) {
		require(caller, GRANT_READERS);
		return grants.ofTenant(caller.tenantId());
	}

	@GetMapping("/grants/{grantId}")
	AccessGrants.AccessGrant grant(@AuthenticationPrincipal ApiPrincipal caller, @PathVariable UUID grantId) {
		require(caller, GRANT_READERS);
		return grants.get(caller.tenantId(), grantId);
	}

	/** Approves a pending grant from now, for the time asked or less: {"duration_minutes": 30}. */
	@PostMapping("/grants/{grantId}/approval")
	AccessGrants.AccessGrant approve(@AuthenticationPrincipal ApiPrincipal caller, @PathVariable UUID grantId,
			@RequestBody(required = false) ApproveRequest body) {
		require(caller, GRANT_DECIDERS);
		return grants.approve(caller.tenantId(), grantId, body == null ? null : body.durationMinutes(), caller.actor());
	}

	@PostMapping("/grants/{grantId}/denial")
	AccessGrants.AccessGrant deny(@AuthenticationPrincipal ApiPrincipal caller, @PathVariable UUID grantId) {
		require(caller, GRANT_DECIDERS);
		return grants.deny(caller.tenantId(), grantId, caller.actor());
	}

	@PostMapping("/grants/{grantId}/revocation")
	AccessGrants.AccessGrant revoke(@AuthenticationPrincipal ApiPrincipal caller, @PathVariable UUID grantId) {
		require(caller, GRANT_DECIDERS);
		return grants.revoke(caller.tenantId(), grantId, caller.actor());
	}

	/** Every listing and read operators made in this vault, newest first; of one grant with grant_id. */
	@GetMapping("/operator-reads")
	List<AccessGrants.OperatorRead> operatorReads(@AuthenticationPrincipal ApiPrincipal caller,
			@RequestParam(name = "grant_id", required = false) UUID grantId, @RequestParam(defaultValue = "100") int limit) {
		require(caller, GRANT_READERS);
		if (limit < 1 || limit > 1000) {
			throw new InvalidInputException("limit", "is out of range", "1 to 1000");
		}
		return grants.reads(caller.tenantId(), grantId, limit);
	}

	private static void require(ApiPrincipal caller, List<Role> roles) {
		if (!roles.contains(caller.role())) {
			throw new AccessDeniedException("role " + caller.role() + " may not do this");
		}
	}
}

package io.custodia.vault;

import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.UUID;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The operators' side of access grants: ask for access, see one's grants, and, under an approved unexpired grant,
 * list and read the files in its scope. Answers only to operator keys ({@link OperatorSecurity}).
 */
@RestController
@RequestMapping("/api/v1/operator")
class OperatorApi {

	private final AccessGrants grants;

	OperatorApi(AccessGrants grants) {
		this.grants = grants;
	}

	record GrantRequest(String tenantId, UUID fileId, String folder, String reason, Long durationMinutes) {
	}

	@PostMapping("/grants")
	ResponseEntity<AccessGrants.AccessGrant> request(@AuthenticationPrincipal OperatorPrincipal operator,
			@RequestBody GrantRequest body) {
		if (body.durationMinutes() == null) {
			throw new InvalidInputException("duration_minutes", "is missing", "how long access is needed, in minutes");
		}
		var grant = grants.request(operator, body.tenantId(), body.fileId(), body.folder(), body.reason(), body.durationMinutes());
		return ResponseEntity.created(URI.create("/api/v1/operator/grants/" + grant.id())).body(grant);
	}

	@GetMapping("/grants")
	List<AccessGrants.AccessGrant> mine(@AuthenticationPrincipal OperatorPrincipal operator) {
		return grants.ofOperator(operator.operatorId());
	}

	@GetMapping("/grants/{grantId}/files")
	Vault.Listing files(@AuthenticationPrincipal OperatorPrincipal operator, @PathVariable UUID grantId) {
		return grants.listFiles(operator, grantId);
	}

	@GetMapping("/grants/{grantId}/files/{fileId}/content")
	void read(@AuthenticationPrincipal OperatorPrincipal operator, @PathVariable UUID grantId, @PathVariable UUID fileId,
			HttpServletRequest request, HttpServletResponse response) throws IOException {
		// the range is only known with the file's size, which is only shown under the grant: open first
		String header = request.getHeader(org.springframework.http.HttpHeaders.RANGE);
		String range = header == null ? "all"
				: header.length() <= 60 && header.matches("bytes=[0-9, -]*") ? header.trim() : "bytes=(not understood)";
		try (Vault.Download download = grants.open(operator, grantId, fileId, range)) {
			Downloads.write(download, Downloads.requested(request, download.file()), response);
		}
	}
}

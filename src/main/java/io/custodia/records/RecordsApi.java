package io.custodia.records;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.ErrorResponseException;
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
 * The personal-data API. The tenant is always the API key's: ids of other tenants are not found.
 * Problems are answered as problem+json by {@link RecordsProblems}.
 */
@RestController
@RequestMapping("/api/v1")
class RecordsApi {

	private static final List<Role> WRITERS = List.of(Role.TENANT_ADMIN, Role.DPO, Role.APPLICATION);

	private static final List<Role> OFFICERS = List.of(Role.TENANT_ADMIN, Role.DPO);

	private final RecordManagement records;

	private final BulkImport imports;

	private final Durability durability;

	RecordsApi(RecordManagement records, BulkImport imports, Durability durability) {
		this.records = records;
		this.imports = imports;
		this.durability = durability;
	}

	/** Bulk import of JSON lines; the answer lists every line that was not imported, by number. */
	@PostMapping(path = "/imports", consumes = { "application/x-ndjson", "application/jsonl", "text/plain" })
	BulkImport.ImportReport importLines(@AuthenticationPrincipal ApiPrincipal caller, java.io.Reader body) {
		require(caller, WRITERS);
		return imports.run(caller.tenantId(), body, caller.actor(), (line, stored) -> {
		});
	}

	record SubjectRequest(Map<String, String> identifiers) {
	}

	record FieldsRequest(Map<String, Object> fields) {
	}

	record FactsRequest(Map<String, String> facts) {
	}

	record ReasonRequest(String reason) {
	}

	record Erased(UUID subjectId, int deletedRecords) {
	}

	@PostMapping("/subjects")
	ResponseEntity<SubjectRef> subject(@AuthenticationPrincipal ApiPrincipal caller, @RequestBody SubjectRequest request) {
		require(caller, WRITERS);
		SubjectRef subject;
		try {
			subject = records.findOrCreateSubject(caller.tenantId(), request.identifiers(), caller.actor());
		}
		catch (DuplicateKeyException ex) {
			// another request stored one of these identifiers between this one's look-up and its insert: asked again,
			// in a transaction of its own, the subject it made is found
			try {
				subject = records.findOrCreateSubject(caller.tenantId(), request.identifiers(), caller.actor());
			}
			catch (DuplicateKeyException again) {
				// a stored identifier shares its look-up key with one of these (V60: about one pair in 2^64). Which one,
				// and whose, is not said: the stored one may be another tenant's, and saying nothing of it keeps it so
				var problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT,
						"one of these identifiers cannot be stored: a stored identifier has the same look-up key");
				problem.setTitle("Identifier not stored");
				problem.setProperty("field", "identifiers");
				throw new ErrorResponseException(HttpStatus.CONFLICT, problem, again);
			}
		}
		return subject.created() ? ResponseEntity.created(URI.create("/api/v1/subjects/" + subject.id())).body(subject)
				: ResponseEntity.ok(subject);
	}

	@GetMapping("/subjects/{subjectId}/records")
	List<RecordView> recordsOf(@AuthenticationPrincipal ApiPrincipal caller, @PathVariable UUID subjectId) {
		return records.recordsOf(caller.tenantId(), subjectId, caller.actor());
	}

	@PostMapping("/subjects/{subjectId}/records")
	ResponseEntity<RecordView> store(@AuthenticationPrincipal ApiPrincipal caller, @PathVariable UUID subjectId,
			@RequestBody NewRecord request) {
		require(caller, WRITERS);
		RecordView stored = records.store(caller.tenantId(), subjectId, request, caller.actor());
		return ResponseEntity.created(URI.create("/api/v1/records/" + stored.id())).body(stored);
	}

	@DeleteMapping("/subjects/{subjectId}")
	Erased erase(@AuthenticationPrincipal ApiPrincipal caller, @PathVariable UUID subjectId,
			@RequestParam(defaultValue = "erasure requested") String reason) {
		require(caller, OFFICERS);
		var erasure = records.eraseSubjectUnlessHeld(caller.tenantId(), subjectId, reason, caller.actor());
		if (!erasure.erased()) {
			throw new SubjectHeldException(erasure.heldBy());
		}
		// an acknowledged erasure is on disk before the answer leaves, also on the embedded database, as a request's
		// is (its erasure-ledger line is already: this is the database's side)
		durability.flush();
		return new Erased(subjectId, erasure.deleted());
	}

	/** The most records a page of de-identified records holds. */
	static final int MOST_DEIDENTIFIED = 1000;

	/**
	 * What retention de-identified (R4): fields that identify nobody, no subject, times cut to the day. Any role of
	 * the tenant reads them, as any reads a record by its id; each page is audited as one read.
	 */
	@GetMapping("/deidentified-records")
	DeidentifiedPage deidentified(@AuthenticationPrincipal ApiPrincipal caller, @RequestParam(required = false) String activity,
			@RequestParam(required = false) String category, @RequestParam(required = false) UUID after,
			@RequestParam(defaultValue = "100") int limit) {
		if (limit < 1 || limit > MOST_DEIDENTIFIED) {
			var problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, "limit must be between 1 and " + MOST_DEIDENTIFIED);
			problem.setTitle("Invalid parameter");
			problem.setProperty("field", "limit");
			problem.setProperty("allowed", List.of("1 to " + MOST_DEIDENTIFIED));
			throw new ErrorResponseException(HttpStatus.BAD_REQUEST, problem, null);
		}
		// an empty filter (?activity=) filters nothing, as one left out does
		return records.deidentified(caller.tenantId(), blankToNull(activity), blankToNull(category), after, limit,
				caller.actor());
	}

	@GetMapping("/records/{recordId}")
	RecordView read(@AuthenticationPrincipal ApiPrincipal caller, @PathVariable UUID recordId) {
		return OFFICERS.contains(caller.role()) ? records.read(caller.tenantId(), recordId, caller.actor())
				: records.readInUse(caller.tenantId(), recordId, caller.actor());
	}

	@PatchMapping("/records/{recordId}")
	RecordView rectify(@AuthenticationPrincipal ApiPrincipal caller, @PathVariable UUID recordId,
			@RequestBody FieldsRequest request) {
		require(caller, WRITERS);
		var fields = request.fields() == null ? Map.<String, Object>of() : request.fields();
		return OFFICERS.contains(caller.role()) ? records.rectify(caller.tenantId(), recordId, fields, caller.actor())
				: records.rectifyInUse(caller.tenantId(), recordId, fields, caller.actor());
	}

	@PostMapping("/records/{recordId}/facts")
	RecordView facts(@AuthenticationPrincipal ApiPrincipal caller, @PathVariable UUID recordId,
			@RequestBody FactsRequest request) {
		require(caller, WRITERS);
		var facts = request.facts() == null ? Map.<String, String>of() : request.facts();
		return OFFICERS.contains(caller.role()) ? records.recordFacts(caller.tenantId(), recordId, facts, caller.actor())
				: records.recordFactsInUse(caller.tenantId(), recordId, facts, caller.actor());
	}

	@PostMapping("/records/{recordId}/restriction")
	ResponseEntity<Void> restrict(@AuthenticationPrincipal ApiPrincipal caller, @PathVariable UUID recordId,
			@RequestBody(required = false) ReasonRequest request) {
		require(caller, WRITERS);
		records.restrict(caller.tenantId(), recordId, reason(request), caller.actor());
		return ResponseEntity.noContent().build();
	}

	@DeleteMapping("/records/{recordId}/restriction")
	ResponseEntity<Void> unrestrict(@AuthenticationPrincipal ApiPrincipal caller, @PathVariable UUID recordId,
			@RequestParam(defaultValue = "restriction lifted") String reason) {
		// not the application's to lift: a restriction may be the DPO's answer to a request or objection, or what
		// keeps a record an erasure could not delete
		require(caller, OFFICERS);
		records.unrestrict(caller.tenantId(), recordId, reason, caller.actor());
		return ResponseEntity.noContent().build();
	}

	private static String reason(ReasonRequest request) {
		return request == null || request.reason() == null ? "restriction requested" : request.reason();
	}

	private static String blankToNull(String value) {
		return value == null || value.isBlank() ? null : value;
	}

	private static void require(ApiPrincipal caller, List<Role> roles) {
		if (!roles.contains(caller.role())) {
			throw new AccessDeniedException("role " + caller.role() + " may not do this");
		}
	}
}

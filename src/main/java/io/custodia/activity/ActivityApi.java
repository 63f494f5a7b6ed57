package io.custodia.activity;

import java.io.Reader;
import java.net.URI;
import java.time.Instant;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.List;

import org.springframework.http.ResponseEntity;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import io.custodia.activity.ActivityLog.EventLine;
import io.custodia.tenancy.ApiPrincipal;
import io.custodia.tenancy.Role;

/**
 * The activity log's API. The tenant is always the API key's; every answer holds pseudonyms only. Problems are
 * problem+json ({@link ActivityProblems}).
 */
@RestController
@RequestMapping("/api/v1/activity")
class ActivityApi {

	private static final List<Role> WRITERS = List.of(Role.TENANT_ADMIN, Role.DPO, Role.APPLICATION);

	/** Support works with a read-only key; an application key only writes. */
	private static final List<Role> SUPPORT = List.of(Role.TENANT_ADMIN, Role.DPO, Role.READ_ONLY);

	private static final List<Role> DPO = List.of(Role.DPO);

	private static final List<Role> RETENTION = List.of(Role.TENANT_ADMIN, Role.DPO);

	private final ActivityLog log;

	ActivityApi(ActivityLog log) {
		this.log = log;
	}

	record Stored(long stored) {
	}

	record Search(String userName, String from, String to) {
	}

	record Found(List<StoredEvent> events) {
	}

	record Reidentification(String pseudonym, String period, String candidate) {
	}

	@PostMapping("/events")
	ResponseEntity<Stored> one(@AuthenticationPrincipal ApiPrincipal caller, @RequestBody EventLine event) {
		require(caller, WRITERS);
		var report = log.ingest(caller.tenantId(), List.of(ActivityLog.event(event)), caller.actor());
		if (!report.complete()) {
			var error = report.errors().get(0);
			throw new InvalidEventException(error.field(), error.message(), error.message());
		}
		if (report.duplicates() > 0) {
			// its event_id is stored already: nothing new was created
			return ResponseEntity.ok(new Stored(0));
		}
		return ResponseEntity.created(URI.create("/api/v1/activity/events")).body(new Stored(report.stored()));
	}

	@PostMapping("/events/batch")
	ActivityLog.IngestReport batch(@AuthenticationPrincipal ApiPrincipal caller, @RequestBody List<EventLine> events) {
		require(caller, WRITERS);
		if (events.size() > 10_000) {
			throw new InvalidEventException("events", "has more than 10000 events", "at most 10000 per batch; use /imports");
		}
		return log.ingestLines(caller.tenantId(), events, caller.actor());
	}

	@PostMapping(path = "/imports", consumes = { "application/x-ndjson", "application/jsonl", "text/plain" })
	ActivityLog.IngestReport importLines(@AuthenticationPrincipal ApiPrincipal caller, Reader body) {
		require(caller, WRITERS);
		return log.importLines(caller.tenantId(), body, caller.actor(), (line, stored) -> {
		});
	}

	@GetMapping("/events")
	List<StoredEvent> events(@AuthenticationPrincipal ApiPrincipal caller, @RequestParam String from, @RequestParam String to,
			@RequestParam(defaultValue = "1000") int limit) {
		require(caller, SUPPORT);
		if (limit < 1 || limit > 10_000) {
			throw new InvalidEventException("limit", "is out of range", "1 to 10000");
		}
		return log.events(caller.tenantId(), instant("from", from), instant("to", to), limit);
	}

	@PostMapping("/searches")
	Found search(@AuthenticationPrincipal ApiPrincipal caller, @RequestBody Search search) {
		require(caller, SUPPORT);
		return new Found(log.findByUser(caller.tenantId(), search.userName(), month("from", search.from()),
				month("to", search.to()), caller.actor()));
	}

	@PostMapping("/reidentifications")
	ActivityLog.Confirmation reidentify(@AuthenticationPrincipal ApiPrincipal caller, @RequestBody Reidentification request) {
		require(caller, DPO);
		return log.confirm(caller.tenantId(), request.pseudonym(), request.period(), request.candidate(), caller.actor());
	}

	@GetMapping("/reports/usage")
	UsageReport usage(@AuthenticationPrincipal ApiPrincipal caller, @RequestParam String month) {
		// an application key only writes events: reports are for the people who read them
		require(caller, SUPPORT);
		return log.usage(caller.tenantId(), month("month", month));
	}

	@PostMapping("/expiries")
	ActivityLog.Expiry expire(@AuthenticationPrincipal ApiPrincipal caller) {
		require(caller, RETENTION);
		return log.expire(caller.tenantId(), caller.actor());
	}

	private static YearMonth month(String field, String text) {
		try {
			return YearMonth.parse(text == null ? "" : text.strip());
		}
		catch (DateTimeParseException ex) {
			throw new InvalidEventException(field, "is not a month", "a month as YYYY-MM, e.g. 2026-01");
		}
	}

	private static Instant instant(String field, String text) {
		try {
			return java.time.OffsetDateTime.parse(text.strip()).toInstant();
		}
		catch (DateTimeParseException ex) {
			throw new InvalidEventException(field, "is not an ISO-8601 instant with an offset", "e.g. 2026-01-15T09:00:00Z");
		}
	}

	private static void require(ApiPrincipal caller, List<Role> roles) {
		if (!roles.contains(caller.role())) {
			throw new AccessDeniedException("role " + caller.role() + " may not do this");
		}
	}
}

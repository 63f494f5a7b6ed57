package io.custodia.requests;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import io.custodia.audit.AuditAction;
import io.custodia.audit.AuditEvent;
import io.custodia.audit.AuditTrail;
import io.custodia.keys.KeyManagement;
import io.custodia.outbox.Outbox;
import io.custodia.policy.Language;
import io.custodia.policy.Policy;
import io.custodia.records.RetentionCandidate;
import io.custodia.records.SubjectRights;
import io.custodia.retention.LegalHolds;
import io.custodia.tenancy.TenantManagement;
import io.custodia.tenancy.TenantNotFoundException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Data-subject requests from receipt to answer. Each change of state is audited in its own transaction together
 * with the change; e-mails and webhooks go into the outbox in that same transaction, so none is lost or sent for
 * a change that did not happen.
 */
@Service
public class RequestManagement {

	static final Duration CODE_LIFETIME = Duration.ofMinutes(30);

	static final int CODE_TRIES = 5;

	static final int CODES_PER_HOUR = 3;

	static final Duration DOWNLOAD_LIFETIME = Duration.ofDays(7);

	private static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() {
	};

	private static final List<String> CHANNELS = List.of("web", "email", "letter", "phone", "in_person", "app");

	private final Requests requests;

	private final SubjectRights rights;

	private final LegalHolds holds;

	private final TenantManagement tenants;

	private final KeyManagement keys;

	private final AuditTrail audit;

	private final Outbox outbox;

	private final AccessPackages packages;

	private final Suppressions suppressions;

	private final ApplicationEventPublisher events;

	private final Clock clock;

	private final SecureRandom random = new SecureRandom();

	RequestManagement(Requests requests, SubjectRights rights, LegalHolds holds, TenantManagement tenants,
			KeyManagement keys, AuditTrail audit, Outbox outbox, AccessPackages packages, Suppressions suppressions,
			ApplicationEventPublisher events, Clock clock) {
		this.requests = requests;
		this.rights = rights;
		this.holds = holds;
		this.tenants = tenants;
		this.keys = keys;
		this.audit = audit;
		this.outbox = outbox;
		this.packages = packages;
		this.suppressions = suppressions;
		this.events = events;
		this.clock = clock;
	}

	/** What a request asks, at intake. */
	public record Intake(String type, String email, String details, String channel) {
	}

	/**
	 * Receives a request. With an e-mail address a one-time code goes there (at most {@value #CODES_PER_HOUR} an
	 * hour per address; beyond that the request is still received, silently without a code). The answer is the same
	 * whether or not the address belongs to a known subject: nothing is looked up until the code comes back.
	 */
	@Transactional
	public DataRequest submit(String tenantId, Intake intake, String actor) {
		RequestType type = RequestType.of(intake.type() == null ? "" : intake.type());
		String channel = intake.channel() == null || intake.channel().isBlank() ? "web" : intake.channel();
		if (!CHANNELS.contains(channel)) {
			throw new RequestProblem("channel", "unknown channel '" + channel + "'", CHANNELS);
		}
		String email = intake.email() == null ? null : intake.email().strip().toLowerCase(java.util.Locale.ROOT);
		if (email != null && !email.matches("[^@\\s]+@[^@\\s]+\\.[^@\\s]+")) {
			throw new RequestProblem("email", "not an e-mail address", List.of("name@example.org"));
		}
		if (email == null && ("web".equals(channel) || "email".equals(channel) || "app".equals(channel))) {
			throw new RequestProblem("email", "a request by " + channel + " needs the e-mail address the code is sent to",
					List.of("name@example.org"));
		}
		Policy policy = policy(tenantId);
		Instant now = clock.instant();
		LocalDate today = LocalDate.ofInstant(now, ZoneId.of(policy.timeZone()));
		UUID id = UUID.randomUUID();
		byte[] emailIndex = email == null ? null : keys.blindIndex(tenantId, "request-email", email);
		var details = new LinkedHashMap<String, Object>();
		details.put("details", intake.details());
		requests.insert(new Requests.Row(id, tenantId, type, RequestState.RECEIVED, channel, null, emailIndex,
				email == null ? null : seal(tenantId, id, "email", email.getBytes(StandardCharsets.UTF_8)),
				seal(tenantId, id, "details", JsonMapper.shared().writeValueAsBytes(details)), now, today,
				Deadlines.due(today), null, null, null, null, null, null));
		audit(tenantId, actor, AuditAction.REQUEST_RECEIVED, null, id, Map.of("type", type.id(), "channel", channel));
		if (email != null) {
			boolean limited = requests.codesSentSince(tenantId, emailIndex, now.minus(Duration.ofHours(1))) >= CODES_PER_HOUR;
			if (!limited) {
				sendCode(tenantId, id, email, type, policy);
			}
			else {
				audit(tenantId, actor, AuditAction.REQUEST_CODE_SENT, null, id, Map.of("sent", "no: rate limit"));
			}
		}
		return view(requests.find(tenantId, id).orElseThrow());
	}

	private void sendCode(String tenantId, UUID id, String email, RequestType type, Policy policy) {
		String code = String.format("%06d", random.nextInt(1_000_000));
		requests.putCode(id, codeHash(tenantId, id, code), clock.instant().plus(CODE_LIFETIME));
		outbox.email(tenantId, email, "Your request to " + policy.controller().name() + ": confirmation code",
				"We received your " + type.id().replace('_', ' ') + " request (reference " + id + ").\n\n"
						+ "Your confirmation code is " + code + ". It is valid for 30 minutes.\n\n"
						+ "If you did not make this request, ignore this message.\n");
		audit(tenantId, "system:requests", AuditAction.REQUEST_CODE_SENT, null, id, Map.of("sent", "yes"));
	}

	/**
	 * Confirms the code sent by e-mail. Wrong, used, expired or exhausted codes all get the same answer (an unknown
	 * request id is not found, like any other id). On success the request is verified and linked to the subject the address identifies, if any.
	 */
	@Transactional(noRollbackFor = RequestProblem.class)
	public DataRequest confirm(String tenantId, UUID requestId, String code, String actor) {
		var row = requests.lock(tenantId, requestId).orElseThrow(RequestNotFoundException::new);
		var stored = requests.code(requestId);
		Instant now = clock.instant();
		boolean ok = stored.isPresent() && row.state() == RequestState.RECEIVED && stored.get().usedAt() == null
				&& stored.get().failures() < CODE_TRIES && now.isBefore(stored.get().expiresAt()) && code != null
				&& MessageDigest.isEqual(stored.get().hash(), codeHash(tenantId, requestId, code.strip()));
		if (!ok) {
			if (stored.isPresent()) {
				requests.codeFailed(requestId);
			}
			throw new RequestProblem("code", "the code is wrong, used or expired; a new request sends a new one", List.of());
		}
		requests.codeUsed(requestId, now);
		String email = email(row);
		UUID subject = rights.findSubject(tenantId, "email", email).orElse(null);
		requests.verified(requestId, subject, "email-code", null, now);
		audit(tenantId, actor, AuditAction.REQUEST_VERIFIED, subject, requestId, Map.of("method", "email-code"));
		return view(requests.find(tenantId, requestId).orElseThrow());
	}

	/** Staff record another verification (e.g. identity document seen at the counter), with a reason. */
	@Transactional
	public DataRequest verifyManually(String tenantId, UUID requestId, UUID subjectId, String method, String reason,
			String actor) {
		var row = requests.lock(tenantId, requestId).orElseThrow(RequestNotFoundException::new);
		if (row.state() != RequestState.RECEIVED) {
			throw new RequestProblem("state", "only a received request can be verified; this one is " + row.state().id(),
					List.of(RequestState.RECEIVED.id()));
		}
		if (method == null || method.isBlank() || reason == null || reason.isBlank()) {
			throw new RequestProblem("reason", "a verification by staff needs a method and a reason", List.of());
		}
		if (subjectId != null && !rights.exists(tenantId, subjectId)) {
			throw new RequestProblem("subject_id", "the tenant has no such subject", List.of());
		}
		requests.verified(requestId, subjectId, truncate(method, 100), truncate(reason, 1000), clock.instant());
		audit(tenantId, actor, AuditAction.REQUEST_VERIFIED, subjectId, requestId, Map.of("method", truncate(method, 100)));
		return view(requests.find(tenantId, requestId).orElseThrow());
	}

	/** Marks a verified request as being worked on. */
	@Transactional
	public DataRequest start(String tenantId, UUID requestId, String actor) {
		var row = requests.lock(tenantId, requestId).orElseThrow(RequestNotFoundException::new);
		if (row.state() == RequestState.VERIFIED) {
			requests.state(requestId, RequestState.IN_PROGRESS, clock.instant());
			audit(tenantId, actor, AuditAction.REQUEST_STARTED, row.subjectId(), requestId, Map.of());
		}
		else if (row.state() != RequestState.IN_PROGRESS && row.state() != RequestState.EXTENDED) {
			throw stateProblem(row, "start");
		}
		return view(requests.find(tenantId, requestId).orElseThrow());
	}

	/**
	 * Extends the deadline by one or two further months, with a reason, while the first month runs; the requester
	 * is told the reason and the new date (R17).
	 */
	@Transactional
	public DataRequest extend(String tenantId, UUID requestId, int months, String reason, String actor) {
		var row = requests.lock(tenantId, requestId).orElseThrow(RequestNotFoundException::new);
		if (!row.state().isOpen()) {
			throw stateProblem(row, "extend");
		}
		Policy policy = policy(tenantId);
		LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneId.of(policy.timeZone()));
		String why = Deadlines.whyNotExtendable(row.receivedOn(), today, months, row.extensionReason() != null, reason);
		if (why != null) {
			int colon = why.indexOf(':');
			throw new RequestProblem(why.substring(0, colon), why.substring(colon + 2), List.of("1", "2"));
		}
		LocalDate due = Deadlines.extended(row.receivedOn(), months);
		requests.extended(requestId, due, truncate(reason, 1000), clock.instant());
		audit(tenantId, actor, AuditAction.REQUEST_EXTENDED, row.subjectId(), requestId,
				Map.of("months", Integer.toString(months), "due", due.toString()));
		if (row.emailSealed() != null) {
			outbox.email(tenantId, email(row), "Your request to " + policy.controller().name() + ": more time needed",
					"We need more time to answer your request (reference " + requestId + ").\n\nReason: " + reason
							+ "\n\nWe will answer by " + due + ".\n");
		}
		return view(requests.find(tenantId, requestId).orElseThrow());
	}

	/** Refuses a request, naming the reason and the supervisory authority the requester may complain to. */
	@Transactional
	public DataRequest refuse(String tenantId, UUID requestId, String reason, String actor) {
		var row = requests.lock(tenantId, requestId).orElseThrow(RequestNotFoundException::new);
		if (!row.state().isOpen()) {
			throw stateProblem(row, "refuse");
		}
		if (reason == null || reason.isBlank()) {
			throw new RequestProblem("reason", "a refusal needs a reason, which the requester is told", List.of());
		}
		Policy policy = policy(tenantId);
		var authority = policy.supervisoryAuthority();
		String authorityName = policy.text(authority.name(), policy.languages().contains(Language.EN) ? Language.EN : policy.original()).value();
		var answer = new LinkedHashMap<String, Object>();
		answer.put("refused", true);
		answer.put("reason", reason);
		answer.put("supervisory_authority", Map.of("name", authorityName, "country", authority.country(), "website",
				String.valueOf(authority.website())));
		requests.closed(requestId, RequestState.REFUSED, seal(tenantId, requestId, "answer", JsonMapper.shared().writeValueAsBytes(answer)),
				truncate(reason, 1000), clock.instant());
		audit(tenantId, actor, AuditAction.REQUEST_REFUSED, row.subjectId(), requestId, Map.of("type", row.type().id()));
		if (row.emailSealed() != null) {
			outbox.email(tenantId, email(row), "Your request to " + policy.controller().name() + ": refused",
					"We cannot grant your request (reference " + requestId + ").\n\nReason: " + reason + "\n\n"
							+ "You may lodge a complaint with the supervisory authority: " + authorityName + " ("
							+ authority.website() + ").\n");
		}
		return view(requests.find(tenantId, requestId).orElseThrow());
	}

	/**
	 * What staff give to complete a request: the changes of a rectification (record id → fields), the activities
	 * of an objection or the purposes of a consent withdrawal (empty: all).
	 */
	public record Fulfilment(Map<UUID, Map<String, Object>> changes, List<String> activities, List<String> purposes) {

		public Fulfilment {
			changes = changes == null ? Map.of() : changes;
			activities = activities == null ? List.of() : activities;
			purposes = purposes == null ? List.of() : purposes;
		}
	}

	/** Does what the request asks and completes it; the answer says what was done. */
	@Transactional
	public DataRequest fulfil(String tenantId, UUID requestId, Fulfilment what, String actor) {
		var row = requests.lock(tenantId, requestId).orElseThrow(RequestNotFoundException::new);
		if (row.state() == RequestState.RECEIVED) {
			throw new RequestProblem("state", "the requester's identity is not verified yet", List.of("verified", "in_progress", "extended"));
		}
		if (!row.state().isOpen()) {
			throw stateProblem(row, "fulfil");
		}
		if (row.subjectId() != null && row.type() != RequestType.ACCESS && row.type() != RequestType.PORTABILITY) {
			// before the request's audit entry: what changes the subject's data locks first (lockForChange says why)
			rights.lockForChange(tenantId, row.subjectId());
		}
		if (row.state() == RequestState.VERIFIED) {
			requests.state(requestId, RequestState.IN_PROGRESS, clock.instant());
			audit(tenantId, actor, AuditAction.REQUEST_STARTED, row.subjectId(), requestId, Map.of());
		}
		Policy policy = policy(tenantId);
		UUID subject = row.subjectId();
		String reason = "request:" + requestId;
		var answer = new LinkedHashMap<String, Object>();
		String handOver = null;
		answer.put("type", row.type().id());
		if (subject == null && row.type() != RequestType.ACCESS && row.type() != RequestType.PORTABILITY) {
			answer.put("no_data", true);
		}
		else {
			switch (row.type()) {
				case ACCESS, PORTABILITY -> {
					boolean portability = row.type() == RequestType.PORTABILITY;
					var built = packages.build(policy, tenantId, subject, requestId, portability, actor);
					String token = token();
					Instant expires = clock.instant().plus(DOWNLOAD_LIFETIME);
					requests.putDownload(tenantId, requestId, tokenHash(tenantId, requestId, token),
							seal(tenantId, requestId, "package", built.zip()), expires);
					answer.put("records", built.records());
					answer.put("download_expires_at", expires.toString());
					if (row.emailSealed() == null) {
						// a request by letter or phone: staff hand the code over the way the request came; shown once
						handOver = token;
					}
					else {
						outbox.email(tenantId, email(row), "Your request to " + policy.controller().name() + ": your data",
								"Your data is ready (reference " + requestId + ").\n\nDownload code: " + token + "\n\n"
										+ "It can be downloaded once, until " + expires + "; then it is deleted.\n");
					}
				}
				case RECTIFICATION -> {
					if (what.changes().isEmpty()) {
						throw new RequestProblem("changes", "a rectification names the records and fields to change", List.of());
					}
					var activities = new LinkedHashSet<String>();
					var rectified = new ArrayList<String>();
					what.changes().forEach((record, fields) -> {
						var view = rights.rectify(tenantId, subject, record, fields, actor);
						activities.add(view.activity());
						rectified.add(record.toString());
					});
					answer.put("rectified", rectified);
					notifyRecipients(policy, tenantId, subject, requestId, "subject.rectified", activities,
							Map.of("record_ids", rectified), answer, actor);
				}
				case ERASURE -> erase(policy, tenantId, subject, requestId, reason, answer, actor);
				case RESTRICTION -> {
					var activities = new LinkedHashSet<String>();
					rights.factsOf(tenantId, subject).forEach(r -> activities.add(r.activity()));
					answer.put("restricted", rights.restrict(tenantId, subject, null, reason, actor));
					notifyRecipients(policy, tenantId, subject, requestId, "subject.restricted", activities, Map.of(), answer, actor);
				}
				case OBJECTION -> object(policy, tenantId, subject, row, what.activities(), answer, actor);
				case CONSENT_WITHDRAWAL -> {
					events.publishEvent(new ConsentWithdrawalRequested(tenantId, requestId, subject, List.copyOf(what.purposes())));
					answer.put("forwarded_to", "consent ledger");
					answer.put("purposes", what.purposes());
				}
			}
		}
		requests.closed(requestId, RequestState.COMPLETED, seal(tenantId, requestId, "answer", JsonMapper.shared().writeValueAsBytes(answer)),
				null, clock.instant());
		audit(tenantId, actor, AuditAction.REQUEST_COMPLETED, subject, requestId, Map.of("type", row.type().id()));
		if (row.emailSealed() != null && row.type() != RequestType.ACCESS && row.type() != RequestType.PORTABILITY) {
			outbox.email(tenantId, email(row), "Your request to " + policy.controller().name() + ": done",
					"We have completed your " + row.type().id().replace('_', ' ') + " request (reference " + requestId + ").\n\n"
							+ summary(answer));
		}
		var done = view(requests.find(tenantId, requestId).orElseThrow());
		if (handOver != null) {
			var shown = new LinkedHashMap<String, Object>(done.answer());
			shown.put("download_code", handOver);
			return new DataRequest(done.id(), done.type(), done.state(), done.channel(), done.subjectId(), done.receivedAt(),
					done.receivedOn(), done.dueOn(), done.extensionReason(), done.verifiedAt(), done.verificationMethod(),
					done.closedAt(), done.refusalReason(), shown);
		}
		return done;
	}

	private void erase(Policy policy, String tenantId, UUID subject, UUID requestId, String reason,
			Map<String, Object> answer, String actor) {
		var active = holds.active(tenantId);
		var keep = new ArrayList<UUID>();
		var heldBy = new LinkedHashMap<UUID, io.custodia.retention.LegalHold>();
		var kept = new ArrayList<Map<String, Object>>();
		var activities = new LinkedHashSet<String>();
		ZoneId zone = ZoneId.of(policy.timeZone());
		for (RetentionCandidate record : rights.factsOf(tenantId, subject)) {
			activities.add(record.activity());
			var hold = holds.covering(active, record);
			var activity = policy.activities().get(record.activity());
			if (hold.isPresent()) {
				keep.add(record.id());
				heldBy.put(record.id(), hold.get());
				kept.add(keptItem(record, "legal hold " + hold.get().reference(), hold.get().reviewDate(),
						"the hold is reviewed on this date"));
			}
			else if (activity != null && activity.legalBasis() == Policy.LegalBasis.LEGAL_OBLIGATION) {
				keep.add(record.id());
				kept.add(keptItem(record, "legal obligation", legalUntil(activity, record, zone),
						"kept restricted until the legal retention ends"));
			}
		}
		var erasure = rights.erase(tenantId, subject, keep, reason, actor);
		// after the records changed, as the audit's head is locked last
		heldBy.forEach((record, hold) -> holds.heldBack(tenantId, actor, subject, record, hold, "erasure request"));
		answer.put("deleted", erasure.deleted());
		answer.put("key_destroyed", erasure.keyDestroyed());
		answer.put("kept", kept);
		notifyRecipients(policy, tenantId, subject, requestId, "subject.erased", activities,
				Map.of("kept_record_ids", keep.stream().map(UUID::toString).toList()), answer, actor);
	}

	private static Map<String, Object> keptItem(RetentionCandidate record, String why, LocalDate until, String note) {
		var item = new LinkedHashMap<String, Object>();
		item.put("record_id", record.id().toString());
		item.put("activity", record.activity());
		item.put("reason", why);
		item.put("until", until == null ? null : until.toString());
		item.put("note", until == null ? "kept restricted until the retention clock starts and runs out" : note);
		return item;
	}

	/** When the legal-obligation retention of a record ends: its rule's clock plus the period, if started. */
	static LocalDate legalUntil(Policy.Activity activity, RetentionCandidate record, ZoneId zone) {
		for (var rule : activity.retention()) {
			if (rule.appliesTo(record.facts())) {
				LocalDate start;
				if (Policy.COLLECTED.equals(rule.from())) {
					start = LocalDate.ofInstant(record.createdAt(), zone);
				}
				else {
					String value = record.facts().get(rule.from());
					if (value == null) {
						return null;
					}
					start = LocalDate.parse(value);
				}
				return start.plus(rule.max() != null ? rule.max() : rule.period());
			}
		}
		return null;
	}

	private void object(Policy policy, String tenantId, UUID subject, Requests.Row row, List<String> asked,
			Map<String, Object> answer, String actor) {
		var held = new LinkedHashSet<String>();
		rights.factsOf(tenantId, subject).forEach(r -> held.add(r.activity()));
		var targets = new LinkedHashSet<String>(asked.isEmpty() ? held : asked);
		var stopped = new ArrayList<String>();
		var notApplicable = new ArrayList<String>();
		boolean marketing = false;
		for (String activityId : targets) {
			var activity = policy.activities().get(activityId);
			if (activity == null) {
				throw new RequestProblem("activities", "the policy in effect declares no activity '" + activityId + "'",
						List.copyOf(policy.activities().keySet()));
			}
			if (activity.marketing()) {
				marketing = true;
				stopped.add(activityId);
			}
			else if (activity.legalBasis() == Policy.LegalBasis.LEGITIMATE_INTEREST) {
				suppressions.object(tenantId, subject, activityId, row.id(), actor);
				rights.restrict(tenantId, subject, Set.of(activityId), "objection:request:" + row.id(), actor);
				stopped.add(activityId);
			}
			else {
				notApplicable.add(activityId);
			}
		}
		if (marketing || policy.activities().values().stream().anyMatch(Policy.Activity::marketing) && asked.isEmpty()) {
			// objection to direct marketing is absolute (Art. 21(3)): every marketing activity, the suppression list
			var marketingActivities = new LinkedHashSet<String>();
			policy.activities().forEach((id, a) -> {
				if (a.marketing()) {
					marketingActivities.add(id);
				}
			});
			suppressions.suppressMarketing(tenantId, subject, row.emailSealed() == null ? null : email(row), row.id(), actor);
			rights.restrict(tenantId, subject, marketingActivities, "objection:marketing:request:" + row.id(), actor);
			marketing = true;
		}
		answer.put("stopped", stopped);
		answer.put("marketing_suppressed", marketing);
		answer.put("not_applicable", notApplicable);
	}

	/**
	 * The DPO records compelling legitimate grounds that override an objection (Art. 21(1)); processing of that
	 * activity resumes. Never for marketing, where an objection is absolute.
	 */
	@Transactional
	public int recordCompellingGrounds(String tenantId, UUID subjectId, String activity, String grounds, String actor) {
		Policy policy = policy(tenantId);
		var declared = policy.activities().get(activity);
		if (declared == null) {
			throw new RequestProblem("activity", "the policy in effect declares no activity '" + activity + "'",
					List.copyOf(policy.activities().keySet()));
		}
		if (declared.marketing()) {
			throw new RequestProblem("activity", "an objection to direct marketing is absolute: no grounds override it", List.of());
		}
		if (grounds == null || grounds.isBlank()) {
			throw new RequestProblem("grounds", "state the compelling legitimate grounds", List.of());
		}
		if (grounds.length() > 1000) {
			throw new RequestProblem("grounds", "at most 1000 characters (" + grounds.length() + " given)", List.of());
		}
		// before the suppression's audit entry: unrestricting the records below locks them (lockForChange says why;
		// for a subject the tenant does not have it locks nothing, and the suppression below is not found)
		rights.lockForChange(tenantId, subjectId);
		if (!suppressions.compellingGrounds(tenantId, subjectId, activity, grounds, actor)) {
			throw new RequestNotFoundException();
		}
		return rights.unrestrict(tenantId, subjectId, Set.of(activity), "compelling grounds", actor);
	}

	private void notifyRecipients(Policy policy, String tenantId, UUID subject, UUID requestId, String event,
			Set<String> activities, Map<String, Object> extra, Map<String, Object> answer, String actor) {
		var recipients = new LinkedHashSet<String>();
		for (String activityId : activities) {
			var activity = policy.activities().get(activityId);
			if (activity != null) {
				recipients.addAll(activity.recipients());
			}
		}
		var notified = new ArrayList<String>();
		var without = new ArrayList<String>();
		for (String recipient : recipients) {
			var payload = new LinkedHashMap<String, Object>();
			payload.put("request_id", requestId.toString());
			payload.put("subject_id", subject.toString());
			payload.put("activities", activities.stream().filter(a -> policy.activities().get(a) != null
					&& policy.activities().get(a).recipients().contains(recipient)).toList());
			payload.putAll(extra);
			if (outbox.webhook(tenantId, recipient, event, payload).isPresent()) {
				notified.add(recipient);
			}
			else {
				without.add(recipient);
			}
		}
		answer.put("recipients_notified", notified);
		answer.put("recipients_without_webhook", without);
		if (!recipients.isEmpty()) {
			audit(tenantId, actor, AuditAction.RECIPIENTS_NOTIFIED, subject, requestId,
					Map.of("event", event, "notified", String.join(",", notified), "without_webhook", String.join(",", without)));
		}
	}

	/**
	 * The access or portability package, once, with the download code e-mailed to the verified address; then it
	 * is deleted. A wrong or expired code and an unknown request answer alike.
	 */
	@Transactional
	public byte[] download(String tenantId, UUID requestId, String token, String actor) {
		var download = requests.download(tenantId, requestId).orElseThrow(RequestNotFoundException::new);
		if (token == null || !clock.instant().isBefore(download.expiresAt())
				|| !MessageDigest.isEqual(download.tokenHash(), tokenHash(tenantId, requestId, token.strip()))) {
			throw new RequestNotFoundException();
		}
		byte[] zip = open(tenantId, requestId, "package", download.sealedPackage());
		requests.deleteDownload(requestId);
		var row = requests.find(tenantId, requestId).orElseThrow();
		audit(tenantId, actor, AuditAction.REQUEST_PACKAGE_DOWNLOADED, row.subjectId(), requestId, Map.of("deleted", "yes"));
		return zip;
	}

	/** Deletes packages nobody downloaded in time. */
	@Transactional
	public int deleteExpiredDownloads() {
		return requests.deleteExpiredDownloads(clock.instant());
	}

	@Transactional(readOnly = true)
	public DataRequest find(String tenantId, UUID requestId) {
		return view(requests.find(tenantId, requestId).orElseThrow(RequestNotFoundException::new));
	}

	/** Which requests: every open one, those past their due date, or those due within {@code days}. */
	public enum View {
		OPEN, OVERDUE, DUE_SOON, ALL
	}

	@Transactional(readOnly = true)
	public List<DataRequest> list(String tenantId, View which, int days) {
		Policy policy = policy(tenantId);
		LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneId.of(policy.timeZone()));
		var rows = which == View.ALL ? requests.all(tenantId) : requests.open(tenantId);
		return rows.stream().filter(r -> switch (which) {
			case ALL, OPEN -> true;
			case OVERDUE -> r.dueOn().isBefore(today);
			case DUE_SOON -> !r.dueOn().isBefore(today) && !r.dueOn().isAfter(today.plusDays(days));
		}).map(this::view).toList();
	}

	private DataRequest view(Requests.Row row) {
		Map<String, Object> answer = row.answerSealed() == null ? null
				: JsonMapper.shared().readValue(open(row.tenantId(), row.id(), "answer", row.answerSealed()), MAP);
		return new DataRequest(row.id(), row.type().id(), row.state().id(), row.channel(), row.subjectId(), row.receivedAt(),
				row.receivedOn(), row.dueOn(), row.extensionReason(), row.verifiedAt(), row.verificationMethod(),
				row.closedAt(), row.refusalReason(), answer);
	}

	private static String summary(Map<String, Object> answer) {
		var text = new StringBuilder();
		answer.forEach((key, value) -> {
			if (!"type".equals(key)) {
				text.append(key.replace('_', ' ')).append(": ").append(value).append('\n');
			}
		});
		return text.toString();
	}

	private RequestProblem stateProblem(Requests.Row row, String what) {
		return new RequestProblem("state", "a " + row.state().id() + " request cannot " + what,
				List.of("verified", "in_progress", "extended"));
	}

	private String email(Requests.Row row) {
		return new String(open(row.tenantId(), row.id(), "email", row.emailSealed()), StandardCharsets.UTF_8);
	}

	private Policy policy(String tenantId) {
		return tenants.inEffect(tenantId).orElseThrow(() -> new TenantNotFoundException(tenantId)).policy();
	}

	private void audit(String tenantId, String actor, AuditAction action, UUID subjectId, UUID requestId,
			Map<String, String> details) {
		var all = new LinkedHashMap<String, String>(details);
		all.put("request", requestId.toString());
		audit.record(new AuditEvent(tenantId, actor, action, subjectId, null, "request:" + requestId, all));
	}

	private byte[] codeHash(String tenantId, UUID requestId, String code) {
		return keys.blindIndex(tenantId, "request-code", requestId + ":" + code);
	}

	private byte[] tokenHash(String tenantId, UUID requestId, String token) {
		return keys.blindIndex(tenantId, "request-download", requestId + ":" + token);
	}

	private String token() {
		byte[] bytes = new byte[24];
		random.nextBytes(bytes);
		return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
	}

	private byte[] seal(String tenantId, UUID requestId, String what, byte[] plaintext) {
		try {
			return keys.tenantAead(tenantId).encrypt(plaintext, context(tenantId, requestId, what));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("sealing a request failed", ex);
		}
	}

	private byte[] open(String tenantId, UUID requestId, String what, byte[] sealed) {
		try {
			return keys.tenantAead(tenantId).decrypt(sealed, context(tenantId, requestId, what));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("a request does not open with its tenant's key", ex);
		}
	}

	private static byte[] context(String tenantId, UUID requestId, String what) {
		return (tenantId + "|request|" + requestId + "|" + what).getBytes(StandardCharsets.UTF_8);
	}

	private static String truncate(String text, int max) {
		return text.length() <= max ? text : text.substring(0, max);
	}
}

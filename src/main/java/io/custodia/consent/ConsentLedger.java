package io.custodia.consent;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.LocalDate;
import java.time.Period;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

import io.custodia.audit.AuditAction;
import io.custodia.audit.AuditEvent;
import io.custodia.audit.AuditTrail;
import io.custodia.keys.KeyManagement;
import io.custodia.policy.Language;
import io.custodia.policy.Policy;
import io.custodia.policy.Policy.LegalBasis;
import io.custodia.records.ConsentBasedData;
import io.custodia.records.ExpiryAction;
import io.custodia.records.PolicyViolationException;
import io.custodia.records.RecordManagement;
import io.custodia.records.RecordNotFoundException;
import io.custodia.records.RetentionCandidate;
import io.custodia.retention.LegalHolds;
import io.custodia.tenancy.PublishedPolicy;
import io.custodia.tenancy.TenantManagement;
import io.custodia.tenancy.TenantNotFoundException;
import tools.jackson.databind.json.JsonMapper;

/**
 * The consent ledger of every tenant. Receipts are only ever added; what stands for a purpose is what the last
 * receipt naming it says. Withdrawing erases, in the same transaction, every record of the subject whose only
 * basis was that consent (an activity with legal basis consent among the purposes withdrawn); records of
 * activities with another basis stay. A call returns once its receipts would survive a killed process.
 */
@Service
public class ConsentLedger {

	/** The lowest age of consent the GDPR allows (Art. 8(1)); a policy cannot go below it (R22). */
	static final int MIN_AGE = 13;

	private final Receipts receipts;

	private final NoticeTexts notices;

	private final BirthDates birthDates;

	private final Acknowledgements acknowledgements;

	private final TenantManagement tenants;

	private final KeyManagement keys;

	private final ConsentBasedData data;

	private final RecordManagement records;

	private final LegalHolds holds;

	private final AuditTrail audit;

	private final ApplicationEventPublisher events;

	private final Clock clock;

	private final TransactionTemplate transaction;

	ConsentLedger(Receipts receipts, NoticeTexts notices, BirthDates birthDates, Acknowledgements acknowledgements,
			TenantManagement tenants, KeyManagement keys, ConsentBasedData data, RecordManagement records, LegalHolds holds,
			AuditTrail audit, ApplicationEventPublisher events, Clock clock, PlatformTransactionManager transactions) {
		this.transaction = new TransactionTemplate(transactions);
		this.receipts = receipts;
		this.notices = notices;
		this.birthDates = birthDates;
		this.acknowledgements = acknowledgements;
		this.tenants = tenants;
		this.keys = keys;
		this.data = data;
		this.records = records;
		this.holds = holds;
		this.audit = audit;
		this.events = events;
		this.clock = clock;
	}

	/** The standing of a subject's or visitor's purposes and cookie categories after the receipts so far. */
	public record Standing(Map<String, String> purposes, Map<String, String> cookieCategories) {

		public boolean granted(String purpose) {
			String state = purposes.get(purpose);
			return state != null && state.startsWith("granted");
		}
	}

	/** What recording a date of birth found: the tenant's age of consent, whether the subject is under it, what went. */
	public record AgeCheck(int ageOfConsent, boolean underAge, List<Withdrawal.AffectedRecord> erased,
			List<Withdrawal.AffectedRecord> kept) {
	}

	/**
	 * Records a consent. With the Global Privacy Control signal, an objection to every sale, sharing and marketing
	 * purpose (and marketing cookies) is recorded first and those are not granted; the rest is. Returns the
	 * receipts recorded, the objection first.
	 */
	public List<ConsentReceipt> give(String tenantId, ConsentGrant grant, String actor) {
		return acknowledged(() -> giving(tenantId, grant, actor));
	}

	private List<ConsentReceipt> giving(String tenantId, ConsentGrant grant, String actor) {
		PublishedPolicy published = published(tenantId);
		Policy policy = published.policy();
		Who who = who(tenantId, grant.subjectId(), grant.visitorId());
		ConsentMethod method = ConsentMethod.of(grant.method());
		GivenBy givenBy = GivenBy.of(grant.givenBy());
		List<String> purposes = consentPurposes(policy, grant.purposes());
		List<String> categories = cookieCategories(policy, grant.cookieCategories());
		if (purposes.isEmpty() && categories.isEmpty()) {
			throw new PolicyViolationException("purposes", "name at least one purpose or cookie category to consent to",
					policy.consentPurposes());
		}
		requireAct(grant.action());
		Language language = language(policy, grant.language());
		var shown = notices.shown(published, language);
		if (who.subjectId() != null && givenBy == GivenBy.SUBJECT && underAge(tenantId, who.subjectId(), policy)) {
			throw new PolicyViolationException("given_by", "the subject is under the age of consent of this tenant ("
					+ ageOfConsent(policy) + "); consent must be given by a holder of parental responsibility", List.of("parent"));
		}
		var result = new ArrayList<ConsentReceipt>();
		if (grant.gpc()) {
			Set<String> objected = policy.sellingOrMarketing();
			List<String> cookieObjected = cookieCategories(policy, null).contains("marketing") ? List.of("marketing") : List.of();
			result.add(insert(tenantId, who, ConsentKind.OBJECTED, List.copyOf(objected), cookieObjected, givenBy, method, true,
					shown, grant.action(), grant.userAgentClass(), "Sec-GPC: 1", actor));
			purposes = purposes.stream().filter(p -> !objected.contains(p)).toList();
			categories = categories.stream().filter(c -> !cookieObjected.contains(c)).toList();
		}
		if (!purposes.isEmpty() || !categories.isEmpty()) {
			result.add(insert(tenantId, who, ConsentKind.GRANTED, purposes, categories, givenBy, method, grant.gpc(), shown,
					grant.action(), grant.userAgentClass(), null, actor));
		}
		return result;
	}

	/**
	 * Withdraws a subject's consent to these purposes (all consent purposes of the policy when empty), in one
	 * step: the receipt, and the erasure of every record held only on that consent. For the requests module:
	 * {@code withdraw(tenant, subject, purposes, "request:" + requestId, "system:requests")}.
	 */
	public Withdrawal withdraw(String tenantId, UUID subjectId, List<String> purposes, String reason, String actor) {
		return withdraw(tenantId, subjectId, null, purposes, List.of(), ConsentMethod.REQUEST.id(), reason, null, reason, actor);
	}

	/** Withdraws consent of a subject or a visitor, recording how; see {@link #withdraw(String, UUID, List, String, String)}. */
	public Withdrawal withdraw(String tenantId, UUID subjectId, String visitorId, List<String> purposes,
			List<String> cookieCategories, String method, String action, String userAgentClass, String reason, String actor) {
		return acknowledged(() -> withdrawing(tenantId, subjectId, visitorId, purposes, cookieCategories, method, action,
				userAgentClass, reason, actor));
	}

	private Withdrawal withdrawing(String tenantId, UUID subjectId, String visitorId, List<String> purposes,
			List<String> cookieCategories, String method, String action, String userAgentClass, String reason, String actor) {
		PublishedPolicy published = published(tenantId);
		Policy policy = published.policy();
		Who who = who(tenantId, subjectId, visitorId);
		ConsentMethod how = ConsentMethod.of(method);
		List<String> categories = cookieCategories(policy, cookieCategories);
		List<String> withdrawn = (purposes == null || purposes.isEmpty()) && categories.isEmpty()
				? policy.consentPurposes() : consentPurposes(policy, purposes);
		var shown = notices.shown(published, policy.original());
		if (who.subjectId() != null) {
			// before the receipt's audit entry: expiring the subject's records locks first (lockForChange says why)
			records.lockForChange(tenantId, who.subjectId());
		}
		var receipt = insert(tenantId, who, ConsentKind.WITHDRAWN, withdrawn, categories, GivenBy.SUBJECT, how, false, shown,
				action == null || action.isBlank() ? "withdrew" : action, userAgentClass, reason, actor);
		var erased = new ArrayList<Withdrawal.AffectedRecord>();
		var kept = new ArrayList<Withdrawal.AffectedRecord>();
		if (who.subjectId() != null) {
			eraseConsentData(tenantId, who.subjectId(), policy, withdrawn::contains,
					"consent withdrawn (receipt " + receipt.id() + ")", actor, erased, kept);
		}
		events.publishEvent(new ConsentWithdrawn(tenantId, who.subjectId(), receipt.id(), withdrawn, categories, erased.size()));
		return new Withdrawal(receipt, erased, kept);
	}

	/** Every receipt of a subject, oldest first (for the access package). Reads nothing sealed with the subject key. */
	@Transactional(readOnly = true)
	public List<ConsentReceipt> receiptsOf(String tenantId, UUID subjectId) {
		return receipts.ofSubject(tenantId, subjectId).stream().map(this::view).toList();
	}

	/** What stands now for a subject, per purpose and cookie category. */
	@Transactional(readOnly = true)
	public Standing standing(String tenantId, UUID subjectId) {
		return standing(receipts.ofSubject(tenantId, subjectId));
	}

	/** The subject's ledger as evidence; audited. Not found when the tenant has neither the subject nor receipts of it. */
	@Transactional
	public ConsentEvidence evidenceOfSubject(String tenantId, UUID subjectId, String actor) {
		var rows = receipts.ofSubject(tenantId, subjectId);
		if (rows.isEmpty() && !records.hasSubject(tenantId, subjectId)) {
			throw new RecordNotFoundException("subject");
		}
		return evidence(tenantId, subjectId, false, rows, actor);
	}

	/** A visitor's ledger as evidence; audited. Not found when the tenant has no receipt of that visitor id. */
	@Transactional
	public ConsentEvidence evidenceOfVisitor(String tenantId, String visitorId, String actor) {
		var rows = receipts.ofVisitor(tenantId, visitorIndex(tenantId, requireVisitor(visitorId)));
		if (rows.isEmpty()) {
			throw new RecordNotFoundException("visitor");
		}
		return evidence(tenantId, null, true, rows, actor);
	}

	/**
	 * Records a subject's date of birth (sealed with the subject's key). A subject under the tenant's age of
	 * consent keeps consent-based data only where a parent consented to its purpose; the rest is erased now (R22).
	 */
	public AgeCheck recordBirthDate(String tenantId, UUID subjectId, String birthDate, String actor) {
		return acknowledged(() -> recordingBirthDate(tenantId, subjectId, birthDate, actor));
	}

	private AgeCheck recordingBirthDate(String tenantId, UUID subjectId, String birthDate, String actor) {
		Policy policy = published(tenantId).policy();
		LocalDate date;
		try {
			date = LocalDate.parse(birthDate == null ? "" : birthDate);
		}
		catch (DateTimeParseException ex) {
			throw new PolicyViolationException("birth_date", "a date of birth is a date (YYYY-MM-DD)", List.of("YYYY-MM-DD"));
		}
		if (date.isAfter(today(policy))) {
			throw new PolicyViolationException("birth_date", "a date of birth cannot be in the future", List.of("YYYY-MM-DD"));
		}
		byte[] sealed = data.sealForSubject(tenantId, subjectId, "birth_date", date.toString().getBytes(StandardCharsets.UTF_8))
			.orElseThrow(() -> new RecordNotFoundException("subject"));
		// before the audit entry: a child's consent-based records may be expired below (lockForChange says why)
		records.lockForChange(tenantId, subjectId);
		birthDates.put(tenantId, subjectId, sealed, clock.instant());
		audit.record(new AuditEvent(tenantId, actor, AuditAction.BIRTH_DATE_RECORDED, subjectId, null, "R22", Map.of()));
		var erased = new ArrayList<Withdrawal.AffectedRecord>();
		var kept = new ArrayList<Withdrawal.AffectedRecord>();
		boolean under = isUnder(date, policy);
		if (under) {
			var standing = standing(receipts.ofSubject(tenantId, subjectId));
			eraseConsentData(tenantId, subjectId, policy, purpose -> !"granted_by_parent".equals(standing.purposes().get(purpose)),
					"R22: under the age of consent (" + ageOfConsent(policy) + ") without parental consent", actor, erased, kept);
		}
		return new AgeCheck(ageOfConsent(policy), under, erased, kept);
	}

	/** For the store's check: whether consent-based data of this activity may be kept for this subject (R22). */
	@Transactional(readOnly = true)
	boolean admits(String tenantId, UUID subjectId, String activity, Policy policy) {
		if (!underAge(tenantId, subjectId, policy)) {
			return true;
		}
		return "granted_by_parent".equals(standing(receipts.ofSubject(tenantId, subjectId)).purposes().get(activity));
	}

	/**
	 * Runs an act in a transaction and returns once it would survive a killed process. Inside a caller's
	 * transaction it joins it and the wait happens after that commits; on its own, after its commit, when its
	 * connection is back in the pool, so waiting callers never hold the connections a checkpoint needs.
	 */
	private <T> T acknowledged(java.util.function.Supplier<T> act) {
		T result = transaction.execute(status -> act.get());
		acknowledgements.afterCommit();
		return result;
	}

	/** Whether the tenant has this live subject. */
	public boolean hasSubject(String tenantId, UUID subjectId) {
		return records.hasSubject(tenantId, subjectId);
	}

	int ageOfConsent(Policy policy) {
		return Math.max(MIN_AGE, policy.ageOfConsent());
	}

	Policy policy(String tenantId) {
		return published(tenantId).policy();
	}

	private void eraseConsentData(String tenantId, UUID subjectId, Policy policy, java.util.function.Predicate<String> purposes,
			String reason, String actor, List<Withdrawal.AffectedRecord> erased, List<Withdrawal.AffectedRecord> kept) {
		var active = holds.active(tenantId);
		for (RetentionCandidate record : data.recordsOf(tenantId, subjectId)) {
			var activity = policy.activities().get(record.activity());
			// only data whose one basis is this consent goes: an activity with another basis keeps its records
			if (activity == null || activity.legalBasis() != LegalBasis.CONSENT || !purposes.test(record.activity())) {
				continue;
			}
			var hold = holds.covering(active, record);
			if (hold.isPresent()) {
				records.restrictUntilErasable(tenantId, record.id(), "hold:" + hold.get().reference() + "; " + reason, actor);
				holds.heldBack(tenantId, actor, subjectId, record.id(), hold.get(), "consent withdrawal");
				kept.add(new Withdrawal.AffectedRecord(record.id(), record.activity(), "legal hold " + hold.get().reference()
						+ " (review " + hold.get().reviewDate() + "): restricted until it is released"));
			}
			else {
				records.expire(tenantId, record.id(), ExpiryAction.DELETE, reason, actor);
				erased.add(new Withdrawal.AffectedRecord(record.id(), record.activity(), null));
			}
		}
	}

	private ConsentEvidence evidence(String tenantId, UUID subjectId, boolean visitor, List<Receipts.Row> rows, String actor) {
		var notices = new LinkedHashMap<String, ConsentEvidence.Notice>();
		for (var row : rows) {
			notices.computeIfAbsent(row.noticeSha256(), sha -> this.notices.text(tenantId, sha).orElse(null));
		}
		notices.values().removeIf(java.util.Objects::isNull);
		var standing = standing(rows);
		audit.record(new AuditEvent(tenantId, actor, AuditAction.CONSENT_EVIDENCE_EXPORTED, subjectId, null, null,
				Map.of("receipts", Integer.toString(rows.size()), "visitor", Boolean.toString(visitor))));
		return new ConsentEvidence(tenantId, subjectId, visitor, clock.instant(), standing.purposes(),
				standing.cookieCategories(), rows.stream().map(this::view).toList(), notices);
	}

	static Standing standing(List<Receipts.Row> rows) {
		var purposes = new LinkedHashMap<String, String>();
		var categories = new LinkedHashMap<String, String>();
		for (var row : rows) {
			String state = switch (row.kind()) {
				case GRANTED -> row.givenBy() == GivenBy.PARENT ? "granted_by_parent" : "granted";
				case WITHDRAWN -> "withdrawn";
				case OBJECTED -> "objected";
			};
			row.purposes().forEach(p -> purposes.put(p, state));
			row.cookieCategories().forEach(c -> categories.put(c, state));
		}
		return new Standing(purposes, categories);
	}

	private record Who(UUID subjectId, byte[] visitorIndex) {
	}

	private Who who(String tenantId, UUID subjectId, String visitorId) {
		if ((subjectId == null) == (visitorId == null || visitorId.isBlank())) {
			throw new PolicyViolationException("subject_id", "a consent names either a subject_id or a visitor_id, not both",
					List.of("subject_id", "visitor_id"));
		}
		if (subjectId != null) {
			if (!records.hasSubject(tenantId, subjectId)) {
				throw new RecordNotFoundException("subject");
			}
			return new Who(subjectId, null);
		}
		return new Who(null, visitorIndex(tenantId, requireVisitor(visitorId)));
	}

	private static String requireVisitor(String visitorId) {
		if (visitorId == null || visitorId.isBlank() || visitorId.length() > 200) {
			throw new PolicyViolationException("visitor_id", "a visitor id is a text of 1 to 200 characters",
					List.of("1 to 200 characters"));
		}
		return visitorId.trim();
	}

	private byte[] visitorIndex(String tenantId, String visitorId) {
		return keys.blindIndex(tenantId, "consent-visitor", visitorId);
	}

	private ConsentReceipt insert(String tenantId, Who who, ConsentKind kind, List<String> purposes, List<String> categories,
			GivenBy givenBy, ConsentMethod method, boolean gpc, NoticeTexts.Shown shown, String action, String userAgentClass,
			String reason, String actor) {
		UUID id = UUID.randomUUID();
		var how = new LinkedHashMap<String, String>();
		how.put("action", truncate(action, 500));
		if (userAgentClass != null) {
			how.put("user_agent_class", truncate(userAgentClass, 100));
		}
		byte[] sealed = seal(tenantId, id, JsonMapper.shared().writeValueAsBytes(how));
		var row = new Receipts.Row(id, tenantId, who.subjectId(), who.visitorIndex(), kind, purposes, categories, givenBy,
				method, gpc, shown.version(), shown.language().code(), shown.sha256(), sealed, actor, truncate(reason, 500),
				clock.instant());
		receipts.insert(row);
		var details = new LinkedHashMap<String, String>();
		details.put("receipt", id.toString());
		details.put("purposes", String.join(",", purposes));
		details.put("cookie_categories", String.join(",", categories));
		details.put("method", method.id());
		details.put("given_by", givenBy.id());
		details.put("notice_version", shown.version());
		details.put("gpc", Boolean.toString(gpc));
		details.put("visitor", Boolean.toString(who.subjectId() == null));
		AuditAction action2 = switch (kind) {
			case GRANTED -> AuditAction.CONSENT_GIVEN;
			case WITHDRAWN -> AuditAction.CONSENT_WITHDRAWN;
			case OBJECTED -> AuditAction.CONSENT_OBJECTED;
		};
		audit.record(new AuditEvent(tenantId, actor, action2, who.subjectId(), null, truncate(reason, 500), details));
		return view(row, how);
	}

	private ConsentReceipt view(Receipts.Row row) {
		Map<String, String> how = JsonMapper.shared().readValue(open(row.tenantId(), row.id(), row.howSealed()),
				new tools.jackson.core.type.TypeReference<LinkedHashMap<String, String>>() {
				});
		return view(row, how);
	}

	private static ConsentReceipt view(Receipts.Row row, Map<String, String> how) {
		return new ConsentReceipt(row.id(), row.subjectId(), row.visitorIndex() != null, row.kind(), row.purposes(),
				row.cookieCategories(), row.givenBy(), row.method(), row.gpc(), row.noticeVersion(), row.noticeLanguage(),
				row.noticeSha256(), how.get("action"), how.get("user_agent_class"), row.reason(), row.recordedAt());
	}

	private byte[] seal(String tenantId, UUID receiptId, byte[] plaintext) {
		try {
			return keys.tenantAead(tenantId).encrypt(plaintext, context(tenantId, receiptId));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("sealing a consent receipt failed", ex);
		}
	}

	private byte[] open(String tenantId, UUID receiptId, byte[] sealed) {
		try {
			return keys.tenantAead(tenantId).decrypt(sealed, context(tenantId, receiptId));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("a consent receipt does not open with its tenant's key: it was altered or moved", ex);
		}
	}

	private static byte[] context(String tenantId, UUID receiptId) {
		return (tenantId + "|consent|" + receiptId).getBytes(StandardCharsets.UTF_8);
	}

	private boolean underAge(String tenantId, UUID subjectId, Policy policy) {
		return birthDates.find(tenantId, subjectId)
			.flatMap(sealed -> data.openForSubject(tenantId, subjectId, "birth_date", sealed))
			.map(bytes -> isUnder(LocalDate.parse(new String(bytes, StandardCharsets.UTF_8)), policy))
			.orElse(false);
	}

	private boolean isUnder(LocalDate birthDate, Policy policy) {
		return Period.between(birthDate, today(policy)).getYears() < ageOfConsent(policy);
	}

	private LocalDate today(Policy policy) {
		return LocalDate.now(clock.withZone(ZoneId.of(policy.timeZone())));
	}

	private PublishedPolicy published(String tenantId) {
		return tenants.inEffect(tenantId).orElseThrow(() -> new TenantNotFoundException(tenantId));
	}

	private static void requireAct(String action) {
		if (action == null || action.isBlank()) {
			throw new PolicyViolationException("how.action",
					"say what the person did to consent (e.g. \"clicked accept\"); using a site or accepting a notice is not consent",
					List.of("an explicit act"));
		}
	}

	private static Language language(Policy policy, String code) {
		if (code == null || code.isBlank()) {
			return policy.original();
		}
		var allowed = policy.languages().stream().map(Language::code).toList();
		for (Language language : policy.languages()) {
			if (language.code().equalsIgnoreCase(code.trim())) {
				return language;
			}
		}
		throw new PolicyViolationException("language", "the notice is not published in this language", allowed);
	}

	/** The purposes given, each checked to be an activity of the policy whose legal basis is consent. */
	static List<String> consentPurposes(Policy policy, List<String> purposes) {
		var result = new LinkedHashSet<String>();
		for (String purpose : purposes == null ? List.<String>of() : purposes) {
			var activity = purpose == null ? null : policy.activities().get(purpose);
			if (activity == null || activity.legalBasis() != LegalBasis.CONSENT) {
				throw new PolicyViolationException("purposes", "'" + truncate(String.valueOf(purpose), 63)
						+ "' is not a purpose of this policy that rests on consent", policy.consentPurposes());
			}
			result.add(purpose);
		}
		return List.copyOf(result);
	}

	/** The cookie categories given (all that need consent when null), checked against the policy's cookies. */
	static List<String> cookieCategories(Policy policy, List<String> given) {
		var allowed = policy.cookies()
			.stream()
			.map(Policy.Cookie::category)
			.filter(c -> c != Policy.CookieCategory.NECESSARY)
			.map(c -> c.name().toLowerCase(Locale.ROOT))
			.distinct()
			.toList();
		if (given == null) {
			return allowed;
		}
		var result = new LinkedHashSet<String>();
		for (String category : given) {
			String normal = category == null ? "" : category.trim().toLowerCase(Locale.ROOT);
			if (!allowed.contains(normal)) {
				throw new PolicyViolationException("cookie_categories", "'" + truncate(normal, 63)
						+ "' is not a cookie category of this policy that needs consent (necessary cookies need none)", allowed);
			}
			result.add(normal);
		}
		return List.copyOf(result);
	}

	private static String truncate(String text, int max) {
		return text == null || text.length() <= max ? text : text.substring(0, max);
	}

}

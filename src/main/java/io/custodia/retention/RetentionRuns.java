package io.custodia.retention;

import java.time.Clock;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

import io.custodia.DatabaseBusyException;
import io.custodia.LockConflicts;
import io.custodia.policy.Policy;
import io.custodia.policy.Policy.RetentionAction;
import io.custodia.records.ExpiryAction;
import io.custodia.records.RecordManagement;
import io.custodia.records.RecordStatus;
import io.custodia.records.RetentionCandidate;
import io.custodia.retention.RetentionReport.Item;
import io.custodia.retention.RetentionReport.Outcome;
import io.custodia.tenancy.TenantManagement;
import io.custodia.tenancy.TenantNotFoundException;

/**
 * Runs retention for a tenant. Records are acted on in chunks, each in a transaction of its own, so a run stopped
 * half way (a crash, a deploy) leaves every record either done or untouched, and the next run finishes the rest.
 */
@Service
public class RetentionRuns {

	private static final Logger log = LoggerFactory.getLogger(RetentionRuns.class);

	static final String ACTOR = "system:retention";

	/** Records acted on per transaction. */
	static final int CHUNK = 500;

	/** Records read per page. */
	static final int PAGE = 5000;

	private final TenantManagement tenants;

	private final RecordManagement records;

	private final LegalHolds holds;

	private final RetentionAudit audit;

	private final JdbcClient jdbc;

	private final Clock clock;

	private final org.springframework.transaction.support.TransactionTemplate transaction;

	private final io.custodia.records.Durability durability;

	RetentionRuns(TenantManagement tenants, RecordManagement records, LegalHolds holds, RetentionAudit audit,
			JdbcClient jdbc, Clock clock, org.springframework.transaction.PlatformTransactionManager transactions,
			io.custodia.records.Durability durability) {
		this.durability = durability;
		this.transaction = new org.springframework.transaction.support.TransactionTemplate(transactions);
		this.tenants = tenants;
		this.records = records;
		this.holds = holds;
		this.audit = audit;
		this.jdbc = jdbc;
		this.clock = clock;
	}

	/** Today in the tenant's time zone. */
	public LocalDate today(String tenantId) {
		return LocalDate.now(clock.withZone(ZoneId.of(policy(tenantId).timeZone())));
	}

	/**
	 * Acts on every record due today, or with {@code dryRun} lists what is due on or before {@code asOf} (a
	 * forecast when it lies ahead). A real run acts as of today only: the future is for forecasts.
	 */
	public RetentionReport run(String tenantId, LocalDate asOf, boolean dryRun, String actor) {
		return run(tenantId, asOf, dryRun, actor, count -> {
		});
	}

	/** Told after each chunk of records is acted on and committed, with how many so far. */
	public interface Progress {

		void acted(long count);
	}

	public RetentionReport run(String tenantId, LocalDate asOf, boolean dryRun, String actor, Progress progress) {
		Policy policy = policy(tenantId);
		LocalDate today = today(tenantId);
		LocalDate day = asOf == null ? today : asOf;
		if (!dryRun && !day.equals(today)) {
			throw new RetentionProblem("as_of", "a retention run acts as of today (" + today + "); use a dry run to forecast "
					+ day, List.of());
		}
		var active = holds.active(tenantId);
		var versions = versions(tenantId, policy, today, day, dryRun);
		var items = new ArrayList<Item>();
		var waiting = new java.util.TreeMap<String, RetentionReport.Waiting>();
		var zone = java.time.ZoneId.of(policy.timeZone());
		long acted = 0;
		java.util.UUID after = null;
		List<RetentionCandidate> page;
		do {
			page = records.retentionCandidates(tenantId, after, PAGE);
			var toAct = new ArrayList<Pending>();
			// restricted records an erasure kept only until nothing keeps them: deleted once nothing does
			var erasing = records.pendingErasures(tenantId,
					page.stream().filter(r -> r.status() == RecordStatus.RESTRICTED).map(RetentionCandidate::id).toList());
			for (RetentionCandidate record : page) {
				boolean pendingErasure = erasing.contains(record.id());
				var decided = due(versions, record, pendingErasure, today);
				var due = decided.due();
				if ((due.isEmpty() || !due.get().isStarted()) && record.status() != RecordStatus.DEIDENTIFIED) {
					wait(waiting, record, due.orElse(null), record.createdAt().atZone(zone).toLocalDate());
				}
				if (due.isEmpty() || !due.get().isStarted() || due.get().date().isAfter(day)) {
					continue;
				}
				Due d = due.get();
				var hold = holds.covering(active, record);
				Outcome outcome = null;
				if (hold.isPresent()) {
					outcome = Outcome.HELD;
					if (!dryRun) {
						audit.heldBack(tenantId, actor, record.subjectId(), record.id(), hold.get(), d.ruleId());
					}
				}
				else if (record.status() == RecordStatus.RESTRICTED && !pendingErasure) {
					outcome = Outcome.RESTRICTED_SKIPPED;
				}
				else if (dryRun) {
					outcome = switch (d.action()) {
						case DELETE -> Outcome.WOULD_DELETE;
						// deleted instead where the category keeps no field that does not identify (R4), as the run does;
						// where it has some, whether this record holds any is in its sealed fields, not read here
						case DE_IDENTIFY -> keepsAnything(decided.policy(), record) ? Outcome.WOULD_DEIDENTIFY : Outcome.WOULD_DELETE;
						case REVIEW -> Outcome.WOULD_QUEUE_FOR_REVIEW;
					};
				}
				if (outcome != null) {
					items.add(item(record, d, outcome, hold.map(LegalHold::reference).orElse(null)));
				}
				else {
					toAct.add(new Pending(record, d, pendingErasure));
				}
			}
			for (int from = 0; from < toAct.size(); from += CHUNK) {
				var chunk = toAct.subList(from, Math.min(toAct.size(), from + CHUNK));
				items.addAll(actOn(tenantId, chunk, actor));
				acted += chunk.size();
				durability.flush();
				progress.acted(acted);
			}
			after = page.isEmpty() ? null : page.get(page.size() - 1).id();
		}
		while (page.size() == PAGE);
		items.sort(Comparator.comparing(Item::due).thenComparing(Item::activity).thenComparing(i -> i.recordId().toString()));
		var report = new RetentionReport(tenantId, day, dryRun, items, List.copyOf(waiting.values()));
		if (!dryRun) {
			log.info("Retention for tenant {} as of {}: {}", tenantId, day, report.counts());
		}
		return report;
	}

	private record Pending(RetentionCandidate record, Due due, boolean erasurePending) {
	}

	/** Counts a record whose retention has not started under its activity and rule (RetentionReport.Waiting). */
	private static void wait(java.util.Map<String, RetentionReport.Waiting> waiting, RetentionCandidate record, Due due,
			LocalDate stored) {
		String rule = due == null ? null : due.ruleId();
		String clock = due == null ? null : due.clock();
		waiting.merge(record.activity() + "\u0000" + (rule == null ? "" : rule),
				new RetentionReport.Waiting(record.activity(), rule, clock, 1, stored),
				(a, b) -> new RetentionReport.Waiting(a.activity(), a.ruleId(), a.waitingFor(), a.records() + 1,
						a.oldestStored().isAfter(b.oldestStored()) ? b.oldestStored() : a.oldestStored()));
	}

	/** A policy version and the day it takes effect. */
	private record Version(LocalDate from, Policy policy) {
	}

	/** A record's due date and action, and the version that decided them. */
	private record Decided(Optional<Due> due, Policy policy) {
	}

	/**
	 * The versions a run spans: the one in effect today and, for a forecast, each published version that takes effect
	 * by the day forecast (the announced changes), so that a record falling due after a change is forecast under
	 * the rules it will meet.
	 */
	private List<Version> versions(String tenantId, Policy current, LocalDate today, LocalDate day, boolean dryRun) {
		var result = new ArrayList<Version>();
		result.add(new Version(today, current));
		if (dryRun && day.isAfter(today)) {
			tenants.upcoming(tenantId).stream()
				.filter(version -> version.effective().isAfter(today) && !version.effective().isAfter(day))
				.forEach(version -> result.add(new Version(version.effective(), version.policy())));
		}
		return result;
	}

	/**
	 * The record's due date under the version in effect on it: the first version under which it falls due before the
	 * next one takes effect, else the last one. A record an erasure waits for is due today (the next run).
	 */
	private static Decided due(List<Version> versions, RetentionCandidate record, boolean pendingErasure, LocalDate today) {
		Decided decided = null;
		for (int i = 0; i < versions.size(); i++) {
			Policy policy = versions.get(i).policy();
			var due = pendingErasure ? RetentionRules.erasureDue(policy, record, today) : RetentionRules.due(policy, record);
			LocalDate from = versions.get(i).from();
			if (i > 0 && due.isPresent() && due.get().isStarted() && due.get().date().isBefore(from)) {
				// overdue under rules not yet in effect: acted on when they take effect
				due = Optional.of(new Due(due.get().ruleId(), due.get().clock(), from, due.get().action()));
			}
			decided = new Decided(due, policy);
			boolean last = i + 1 == versions.size();
			if (last || due.isPresent() && due.get().isStarted() && due.get().date().isBefore(versions.get(i + 1).from())) {
				return decided;
			}
		}
		return decided;
	}

	/** Whether the record's category has a field that does not identify, which de-identification could keep. */
	private static boolean keepsAnything(Policy policy, RetentionCandidate record) {
		var category = policy.dataCategories().get(record.category());
		return category != null && category.fields().values().stream().anyMatch(field -> !field.identifying());
	}

	private static Item item(RetentionCandidate record, Due due, Outcome outcome, String hold) {
		return new Item(record.id(), record.activity(), due.ruleId(), due.action().name().toLowerCase(java.util.Locale.ROOT),
				due.date(), outcome, hold);
	}

	/**
	 * Acts on a chunk of records in one transaction: committing once per few hundred records instead of once per
	 * record, while a crash still leaves each chunk either done or untouched. If the chunk fails, each record is
	 * tried on its own so that one bad record does not hold back the rest.
	 */
	private List<Item> actOn(String tenantId, List<Pending> chunk, String actor) {
		try {
			// a chunk that waited too long for rows another transaction held (an erasure, an import batch) is done
			// again; if it keeps waiting, the run stops here and the next run goes on from here
			return LockConflicts.retried("the retention chunk of tenant " + tenantId + " from record "
					+ chunk.get(0).record().id(), () -> transaction.execute(status -> actOnAll(tenantId, chunk, actor)));
		}
		catch (DatabaseBusyException ex) {
			throw ex;
		}
		catch (RuntimeException ex) {
			if (chunk.size() == 1) {
				log.error("Retention could not act on record {} of tenant {}: {}", chunk.get(0).record().id(), tenantId,
						describe(ex));
				return List.of();
			}
			var items = new ArrayList<Item>();
			for (Pending one : chunk) {
				items.addAll(actOn(tenantId, List.of(one), actor));
			}
			return items;
		}
	}

	/**
	 * Deletions and de-identifications go first, as one batch; reviews are queued after them one by one (they are
	 * few). In that order because the batch locks the subjects it may erase before it audits, as storing a record
	 * does: a review audited first would hold the audit's head while waiting for a subject's lock.
	 */
	private List<Item> actOnAll(String tenantId, List<Pending> chunk, String actor) {
		var items = new ArrayList<Item>(chunk.size());
		var expiring = new ArrayList<io.custodia.records.Expiring>();
		var pending = new java.util.HashMap<java.util.UUID, Pending>();
		var reviews = new ArrayList<Pending>();
		// the holds again, in the chunk's transaction: a run over a large tenant takes minutes, and a hold placed
		// after it started must stop what it covers from then on, not only from the next run
		var active = holds.active(tenantId);
		var held = new ArrayList<Pending>();
		for (Pending p : chunk) {
			var hold = holds.covering(active, p.record());
			if (hold.isPresent()) {
				held.add(p);
				items.add(item(p.record(), p.due(), Outcome.HELD, hold.get().reference()));
			}
			else if (p.due().action() == RetentionAction.REVIEW) {
				reviews.add(p);
			}
			else {
				expiring.add(new io.custodia.records.Expiring(p.record().id(),
						p.due().action() == RetentionAction.DELETE ? ExpiryAction.DELETE : ExpiryAction.DE_IDENTIFY,
						(p.erasurePending() ? "erasure requested, kept until now; " : "") + "rule:" + p.record().activity()
								+ "/" + p.due().ruleId(),
						p.erasurePending()));
				pending.put(p.record().id(), p);
			}
		}
		records.expireAll(tenantId, expiring, actor).forEach((id, expiry) -> {
			Pending p = pending.get(id);
			items.add(expiry.heldBy() != null ? item(p.record(), p.due(), Outcome.HELD, expiry.heldBy())
					: item(p.record(), p.due(), expiry.deidentified() ? Outcome.DEIDENTIFIED : Outcome.DELETED, null));
		});
		for (Pending p : reviews) {
			items.add(item(p.record(), p.due(), act(tenantId, p.record(), p.due(), actor), null));
		}
		// audited last, as the audit's head is locked last
		for (Pending p : held) {
			holds.covering(active, p.record())
				.ifPresent(hold -> audit.heldBack(tenantId, actor, p.record().subjectId(), p.record().id(), hold, p.due().ruleId()));
		}
		return items;
	}

	private Outcome act(String tenantId, RetentionCandidate record, Due due, String actor) {
		String reason = "rule:" + record.activity() + "/" + due.ruleId();
		if (due.action() == RetentionAction.REVIEW) {
			int queued = jdbc.sql("select count(*) from retention_review where tenant_id = ? and record_id = ?")
				.params(tenantId, record.id())
				.query(Integer.class)
				.single();
			if (queued == 0) {
				jdbc.sql("insert into retention_review (tenant_id, record_id, rule_id, due, queued_at) values (?, ?, ?, ?, ?)")
					.params(tenantId, record.id(), due.ruleId(), due.date(), OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC))
					.update();
				audit.queuedForReview(tenantId, actor, record.subjectId(), record.id(), due.ruleId());
			}
			return Outcome.QUEUED_FOR_REVIEW;
		}
		var expiry = records.expire(tenantId, record.id(),
				due.action() == RetentionAction.DELETE ? ExpiryAction.DELETE : ExpiryAction.DE_IDENTIFY, reason, actor);
		return expiry.deidentified() ? Outcome.DEIDENTIFIED : Outcome.DELETED;
	}

	/** The records waiting for a person's decision after their minimum retention. */
	public List<ReviewItem> reviewQueue(String tenantId) {
		return jdbc.sql("select record_id, rule_id, due from retention_review where tenant_id = ? order by due, record_id")
			.param(tenantId)
			.query((rs, n) -> new ReviewItem(rs.getObject(1, java.util.UUID.class), rs.getString(2), rs.getObject(3, LocalDate.class)))
			.list();
	}

	public record ReviewItem(java.util.UUID recordId, String ruleId, LocalDate due) {
	}

	/** Every tenant, one after the other; one tenant's failure does not stop the others. */
	public void runAll() {
		for (var tenant : tenants.all()) {
			try {
				run(tenant.id(), null, false, ACTOR);
			}
			catch (DatabaseBusyException ex) {
				log.error("Retention for tenant {} stopped: {}; the next run goes on from there", tenant.id(), ex.getMessage());
			}
			catch (RuntimeException ex) {
				log.error("Retention for tenant {} failed: {}", tenant.id(), describe(ex));
			}
		}
	}

	/** What went wrong, for the log: a database's own message can quote rows and values, so only its kind. */
	private static String describe(RuntimeException ex) {
		return ex instanceof org.springframework.dao.DataAccessException || ex.getMessage() == null ? ex.getClass().getSimpleName()
				: ex.getMessage();
	}

	private Policy policy(String tenantId) {
		return tenants.inEffect(tenantId).orElseThrow(() -> new TenantNotFoundException(tenantId)).policy();
	}
}

package io.custodia.demo;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import io.custodia.policy.Policy;
import io.custodia.records.NewRecord;
import io.custodia.records.RecordManagement;
import io.custodia.tenancy.TenantManagement;

/**
 * In demo mode, stores synthetic subjects and records for the example tenants, once: a tenant whose first demo
 * subject exists already gets nothing more. Runs after the tenants are loaded ({@code DemoTenants} is
 * {@code @Order(0)}), since records are stored under the policy in effect.
 */
@Component
@ConditionalOnBooleanProperty("custodia.demo")
@Order(1)
class DemoData implements ApplicationRunner {

	private static final Logger log = LoggerFactory.getLogger(DemoData.class);

	static final List<String> TENANTS = List.of("imengine", "imig", "imk");

	static final String ACTOR = "system:demo";

	/** Fixed, so every newcomer sees the same demo (relative to their clock). */
	static final long SEED = 20260115L;

	private final TenantManagement tenants;

	private final RecordManagement records;

	private final TransactionTemplate transaction;

	private final Clock clock;

	DemoData(TenantManagement tenants, RecordManagement records, PlatformTransactionManager transactions, Clock clock) {
		this.tenants = tenants;
		this.records = records;
		this.transaction = new TransactionTemplate(transactions);
		this.clock = clock;
	}

	@Override
	public void run(ApplicationArguments args) {
		for (String tenant : TENANTS) {
			load(tenant);
		}
	}

	/**
	 * Loads one tenant's set in one transaction: a start interrupted half way leaves nothing, rather than a part
	 * that the first subject's presence would then pass off as complete.
	 */
	void load(String tenantId) {
		var published = tenants.inEffect(tenantId);
		if (published.isEmpty()) {
			log.info("Demo tenant {}: no policy in effect today, no synthetic subjects loaded", tenantId);
			return;
		}
		Policy policy = published.get().policy();
		LocalDate today = LocalDate.now(clock.withZone(ZoneId.of(policy.timeZone())));
		var plan = SyntheticRecords.plan(policy, today, SEED ^ tenantId.hashCode());
		Integer stored = transaction.execute(status -> store(tenantId, plan));
		if (stored == null) {
			log.info("Demo tenant {}: synthetic subjects were loaded before, none added", tenantId);
		}
		else {
			long subjects = plan.stream().mapToInt(SyntheticRecords.Planned::subject).distinct().count();
			log.info("Demo tenant {}: {} synthetic records of {} subjects", tenantId, stored, subjects);
		}
	}

	/** Stores the plan and returns how many records it stored, or {@code null} when the set is there already. */
	private Integer store(String tenantId, List<SyntheticRecords.Planned> plan) {
		var first = records.findOrCreateSubject(tenantId, identifiers(1), ACTOR);
		if (!first.created()) {
			return null;
		}
		Map<Integer, UUID> subjects = new HashMap<>();
		subjects.put(1, first.id());
		for (var record : plan) {
			UUID subject = subjects.computeIfAbsent(record.subject(),
					n -> records.findOrCreateSubject(tenantId, identifiers(n), ACTOR).id());
			records.store(tenantId, subject,
					new NewRecord(record.activity(), record.category(), record.fields(), record.facts(), null), ACTOR);
		}
		return plan.size();
	}

	private static Map<String, String> identifiers(int n) {
		return Map.of("email", SyntheticRecords.email(n));
	}
}

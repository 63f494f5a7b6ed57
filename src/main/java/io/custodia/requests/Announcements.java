package io.custodia.requests;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import io.custodia.audit.AuditAction;
import io.custodia.audit.AuditEvent;
import io.custodia.audit.AuditTrail;
import io.custodia.outbox.Outbox;
import io.custodia.policy.Policy;
import io.custodia.policy.PolicyChange;
import io.custodia.policy.PolicyDiff;
import io.custodia.records.SubjectRights;
import io.custodia.tenancy.PolicyPublished;
import io.custodia.tenancy.TenantManagement;

/**
 * Announces a material policy change before it takes effect (R25). When a version is published that takes
 * effect later and differs materially from the version in effect ({@link PolicyDiff}), every subject with an
 * active record under an affected activity is sent a notice through the outbox, in the publishing transaction.
 * The address is the {@code email} field of those records (subjects' identifiers are blind indexes only and
 * cannot be read back); subjects whose records hold no e-mail field are counted in the audit entry as not
 * reachable by e-mail.
 */
@Component
class Announcements {

	private final TenantManagement tenants;

	private final SubjectRights rights;

	private final Outbox outbox;

	private final AuditTrail audit;

	Announcements(TenantManagement tenants, SubjectRights rights, Outbox outbox, AuditTrail audit) {
		this.tenants = tenants;
		this.rights = rights;
		this.outbox = outbox;
		this.audit = audit;
	}

	@EventListener
	void published(PolicyPublished event) {
		var current = tenants.inEffect(event.tenantId());
		if (current.isEmpty() || current.get().version().equals(event.version())) {
			return;
		}
		var next = tenants.upcoming(event.tenantId()).stream().filter(p -> p.version().equals(event.version())).findFirst();
		if (next.isEmpty()) {
			return;
		}
		List<PolicyChange> changes = PolicyDiff.compare(current.get().policy(), next.get().policy());
		if (!PolicyDiff.anyMaterial(changes)) {
			return;
		}
		Policy after = next.get().policy();
		Set<String> affected = affected(current.get().policy(), after, changes);
		int sent = 0;
		int unreachable = 0;
		String reason = "policy-change:" + event.version();
		for (var subject : rights.subjectsWithRecordsIn(event.tenantId(), affected)) {
			var emails = rights.emailsOf(event.tenantId(), subject, affected, reason, "system:requests");
			if (emails.isEmpty()) {
				unreachable++;
			}
			for (String email : emails) {
				outbox.email(event.tenantId(), email, after.controller().name() + ": our privacy notice changes on " + event.effective(),
						text(after, event, changes));
				sent++;
			}
		}
		audit.record(new AuditEvent(event.tenantId(), "system:requests", AuditAction.POLICY_CHANGE_ANNOUNCED, null, null, reason,
				Map.of("version", event.version(), "effective", event.effective().toString(), "activities",
						String.join(",", affected), "emails", Integer.toString(sent), "without_email", Integer.toString(unreachable))));
	}

	/** Activities a change touches: named in its element, or using a changed recipient or category; else all. */
	static Set<String> affected(Policy before, Policy after, List<PolicyChange> changes) {
		var result = new LinkedHashSet<String>();
		for (PolicyChange change : changes) {
			if (!change.material()) {
				continue;
			}
			String[] path = change.element().split("\\.");
			if (path.length >= 2 && path[0].equals("activities")) {
				result.add(path[1]);
			}
			else if (path.length >= 2 && (path[0].equals("recipients") || path[0].equals("data_categories"))) {
				for (Policy policy : List.of(before, after)) {
					policy.activities().forEach((id, activity) -> {
						if (activity.recipients().contains(path[1]) || activity.categories().contains(path[1])) {
							result.add(id);
						}
					});
				}
			}
			else {
				result.addAll(before.activities().keySet());
				result.addAll(after.activities().keySet());
			}
		}
		return result;
	}

	private static String text(Policy after, PolicyPublished event, List<PolicyChange> changes) {
		var text = new StringBuilder("Our privacy notice changes on " + event.effective() + " (version " + event.version()
				+ "). What changes:\n\n");
		changes.stream().filter(PolicyChange::material).forEach(c -> text.append("- ").append(c.description()).append('\n'));
		text.append("\nThe full notice: /notices/").append(event.tenantId()).append("\nYou may object to processing or ask us to erase your data at ")
			.append(after.controller().email() == null ? "the contact in the notice" : after.controller().email()).append(".\n");
		return text.toString();
	}
}

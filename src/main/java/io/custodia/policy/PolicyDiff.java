package io.custodia.policy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiConsumer;

import io.custodia.policy.Policy.Activity;
import io.custodia.policy.Policy.Category;
import io.custodia.policy.Policy.Cookie;
import io.custodia.policy.Policy.Recipient;
import io.custodia.policy.Policy.RetentionAction;
import io.custodia.policy.Policy.RetentionRule;
import io.custodia.policy.PolicyChange.Kind;

/**
 * Lists every change between two versions of a policy and classifies it. When in doubt a change counts as
 * material: announcing a change that did not need it costs an e-mail, missing one breaks a promise.
 */
public final class PolicyDiff {

	private final Policy before;

	private final Policy after;

	private final List<PolicyChange> changes = new ArrayList<>();

	private PolicyDiff(Policy before, Policy after) {
		this.before = before;
		this.after = after;
	}

	public static List<PolicyChange> compare(Policy before, Policy after) {
		var diff = new PolicyDiff(before, after);
		diff.run();
		return List.copyOf(diff.changes);
	}

	public static boolean anyMaterial(List<PolicyChange> changes) {
		return changes.stream().anyMatch(PolicyChange::material);
	}

	private void run() {
		if (!before.version().equals(after.version())) {
			add(Kind.VERSION_CHANGED, "version", before.version() + " -> " + after.version());
		}
		compareGeneral();
		compareCategories();
		compareRecipients();
		compareActivities();
		compareCookies();
	}

	private void compareGeneral() {
		var c1 = before.controller();
		var c2 = after.controller();
		if (!c1.name().equals(c2.name()) || !Objects.equals(c1.registration(), c2.registration())) {
			add(Kind.CONTROLLER_CHANGED, "controller", c1.name() + " -> " + c2.name());
		}
		if (!Objects.equals(c1.address(), c2.address()) || !Objects.equals(c1.email(), c2.email())
				|| !Objects.equals(c1.phone(), c2.phone()) || !Objects.equals(c1.website(), c2.website())
				|| !Objects.equals(before.privacyContact(), after.privacyContact())) {
			add(Kind.CONTACT_CHANGED, "controller", "contact details changed");
		}
		if (!Objects.equals(before.supervisoryAuthority(), after.supervisoryAuthority())) {
			add(Kind.AUTHORITY_CHANGED, "supervisory_authority", "supervisory authority changed");
		}
		if (after.ageOfConsent() < before.ageOfConsent()) {
			add(Kind.AGE_OF_CONSENT_LOWERED, "age_of_consent", before.ageOfConsent() + " -> " + after.ageOfConsent());
		}
		else if (after.ageOfConsent() > before.ageOfConsent()) {
			add(Kind.AGE_OF_CONSENT_RAISED, "age_of_consent", before.ageOfConsent() + " -> " + after.ageOfConsent());
		}
		long noticeBefore = PolicyChecks.days(before.changeNoticePeriod());
		long noticeAfter = PolicyChecks.days(after.changeNoticePeriod());
		if (noticeAfter != noticeBefore) {
			add(noticeAfter < noticeBefore ? Kind.NOTICE_PERIOD_SHORTER : Kind.NOTICE_PERIOD_LONGER,
					"change_notice_period", before.changeNoticePeriod() + " -> " + after.changeNoticePeriod());
		}
		for (Language language : after.languages()) {
			if (!before.languages().contains(language)) {
				add(Kind.LANGUAGE_ADDED, "languages", "now also published in " + language);
			}
		}
		for (Language language : before.languages()) {
			if (!after.languages().contains(language)) {
				add(Kind.LANGUAGE_REMOVED, "languages", "no longer published in " + language);
			}
		}
		before.rights().forEach((right, channels) -> {
			for (String channel : channels) {
				if (!after.rights().getOrDefault(right, List.of()).contains(channel)) {
					add(Kind.RIGHT_CHANNEL_REMOVED, "rights." + right.id(), "channel '" + channel + "' no longer takes it");
				}
			}
		});
		after.rights().forEach((right, channels) -> {
			for (String channel : channels) {
				if (!before.rights().getOrDefault(right, List.of()).contains(channel)) {
					add(Kind.RIGHT_CHANNEL_ADDED, "rights." + right.id(), "channel '" + channel + "' now takes it");
				}
			}
		});
		before.channels().forEach((id, channel) -> {
			var now = after.channels().get(id);
			if (now != null && !Objects.equals(channel.target(), now.target())) {
				add(Kind.CONTACT_CHANGED, "channels." + id, channel.target() + " -> " + now.target());
			}
		});
		texts("security_measures", before.securityMeasures(), after.securityMeasures());
	}

	private void compareCategories() {
		matched(before.dataCategories(), after.dataCategories(), (id, pair) -> {
			Category old = pair.old();
			Category now = pair.now();
			String at = "data_categories." + id;
			if (old == null || now == null) {
				return; // reported where an activity starts or stops using it
			}
			for (var field : now.fields().entrySet()) {
				var was = old.fields().get(field.getKey());
				if (was == null) {
					add(Kind.FIELD_ADDED, at + ".fields." + field.getKey(), "new field '" + field.getKey() + "'");
				}
				else if (was.identifying() && !field.getValue().identifying()) {
					add(Kind.FIELD_NO_LONGER_IDENTIFYING, at + ".fields." + field.getKey(),
							"kept after de-identification from now on");
				}
				else if (!was.identifying() && field.getValue().identifying()) {
					add(Kind.FIELD_NOW_IDENTIFYING, at + ".fields." + field.getKey(), "removed by de-identification from now on");
				}
			}
			for (String field : old.fields().keySet()) {
				if (!now.fields().containsKey(field)) {
					add(Kind.FIELD_REMOVED, at + ".fields." + field, "field '" + field + "' no longer collected");
				}
			}
			if (!old.special() && now.special()) {
				add(Kind.SPECIAL_CATEGORY, at, "now a special category (Art. 9)");
			}
			text(at + ".name", old.name(), now.name());
			text(at + ".description", old.description(), now.description());
		});
	}

	private void compareRecipients() {
		matched(before.recipients(), after.recipients(), (id, pair) -> {
			Recipient old = pair.old();
			Recipient now = pair.now();
			String at = "recipients." + id;
			if (old == null || now == null) {
				return; // reported with the activities that use it
			}
			if (old.role() != now.role()) {
				add(Kind.RECIPIENT_ROLE_CHANGED, at + ".role", old.role() + " -> " + now.role());
			}
			if (!old.isTransfer() && now.isTransfer()) {
				add(Kind.TRANSFER_ADDED, at + ".country", "now outside the EEA: " + old.country() + " -> " + now.country());
			}
			else if (!Objects.equals(old.country(), now.country()) && now.isTransfer()) {
				add(Kind.TRANSFER_ADDED, at + ".country", "transfer to another country: " + old.country() + " -> " + now.country());
			}
			if (now.isTransfer() && old.safeguard() != now.safeguard()) {
				add(Kind.SAFEGUARD_CHANGED, at + ".safeguard", old.safeguard() + " -> " + now.safeguard());
			}
			text(at + ".name", old.name(), now.name());
		});
	}

	private void compareActivities() {
		matched(before.activities(), after.activities(), (id, pair) -> {
			Activity old = pair.old();
			Activity now = pair.now();
			String at = "activities." + id;
			if (old == null) {
				add(Kind.ACTIVITY_ADDED, at, "new processing activity '" + after.text(now.name(), after.original()) + "'");
				for (String recipient : now.recipients()) {
					if (after.recipients().get(recipient).isTransfer()) {
						add(Kind.TRANSFER_ADDED, at + ".recipients", "data goes outside the EEA to '" + recipient + "'");
					}
				}
				return;
			}
			if (now == null) {
				add(Kind.ACTIVITY_REMOVED, at, "processing activity ends");
				return;
			}
			if (!Objects.equals(old.purpose(), now.purpose())) {
				add(Kind.PURPOSE_CHANGED, at + ".purpose", "the purpose is worded differently; check whether it changed");
			}
			if (old.legalBasis() != now.legalBasis()) {
				add(Kind.LEGAL_BASIS_CHANGED, at + ".legal_basis", old.legalBasis().id() + " -> " + now.legalBasis().id());
			}
			else if (!Objects.equals(old.legitimateInterest(), now.legitimateInterest())) {
				add(Kind.LEGITIMATE_INTEREST_CHANGED, at + ".legitimate_interest", "the interest pursued changed");
			}
			if (!old.marketing() && now.marketing()) {
				add(Kind.MARKETING_STARTED, at + ".marketing", "now used for direct marketing");
			}
			if (old.source().kind() != now.source().kind()) {
				add(Kind.SOURCE_CHANGED, at + ".source", old.source().kind() + " -> " + now.source().kind());
			}
			members(at + ".subjects", old.subjects(), now.subjects(), Kind.SUBJECT_TYPE_ADDED, Kind.SUBJECT_TYPE_REMOVED);
			members(at + ".categories", old.categories(), now.categories(), Kind.CATEGORY_ADDED, Kind.CATEGORY_REMOVED);
			members(at + ".recipients", old.recipients(), now.recipients(), Kind.RECIPIENT_ADDED, Kind.RECIPIENT_REMOVED);
			for (String recipient : now.recipients()) {
				if (!old.recipients().contains(recipient) && after.recipients().get(recipient).isTransfer()) {
					add(Kind.TRANSFER_ADDED, at + ".recipients", "data now goes outside the EEA to '" + recipient + "'");
				}
			}
			compareRetention(at, old, now);
			text(at + ".name", old.name(), now.name());
		});
	}

	private void compareRetention(String at, Activity old, Activity now) {
		Map<String, RetentionRule> oldRules = new java.util.LinkedHashMap<>();
		old.retention().forEach(r -> oldRules.put(r.id(), r));
		Map<String, RetentionRule> newRules = new java.util.LinkedHashMap<>();
		now.retention().forEach(r -> newRules.put(r.id(), r));
		matched(oldRules, newRules, (id, pair) -> {
			RetentionRule was = pair.old();
			RetentionRule is = pair.now();
			String ruleAt = at + ".retention." + id;
			if (was == null) {
				add(Kind.RETENTION_RULE_ADDED, ruleAt, "new rule: " + is.period() + " after " + is.from() + ", " + is.action());
				return;
			}
			if (is == null) {
				add(Kind.RETENTION_RULE_REMOVED, ruleAt, "rule removed; other rules now decide");
				return;
			}
			if (!was.from().equals(is.from())) {
				add(Kind.RETENTION_CLOCK_CHANGED, ruleAt + ".from", was.from() + " -> " + is.from());
			}
			if (!was.conditions().equals(is.conditions())) {
				add(Kind.RETENTION_CONDITION_CHANGED, ruleAt + ".when", was.conditions() + " -> " + is.conditions());
			}
			long oldEnd = latestEnd(was);
			long newEnd = latestEnd(is);
			if (newEnd > oldEnd) {
				add(Kind.RETENTION_LONGER, ruleAt, describe(was) + " -> " + describe(is));
			}
			else if (newEnd < oldEnd) {
				add(Kind.RETENTION_SHORTER, ruleAt, describe(was) + " -> " + describe(is));
			}
			if (strength(is.action()) < strength(was.action())) {
				add(Kind.RETENTION_ACTION_WEAKER, ruleAt + ".action", was.action() + " -> " + is.action());
			}
			else if (strength(is.action()) > strength(was.action())) {
				add(Kind.RETENTION_ACTION_STRONGER, ruleAt + ".action", was.action() + " -> " + is.action());
			}
		});
	}

	/** How long a rule lets data live at most; an at_least rule ending in review has no fixed end. */
	private static long latestEnd(RetentionRule rule) {
		if (rule.bound() == Policy.Bound.AT_LEAST) {
			return rule.max() != null ? PolicyChecks.days(rule.max()) : Long.MAX_VALUE / 2 + PolicyChecks.days(rule.period());
		}
		return PolicyChecks.days(rule.period());
	}

	private static int strength(RetentionAction action) {
		return switch (action) {
			case DELETE -> 2;
			case DE_IDENTIFY -> 1;
			case REVIEW -> 0;
		};
	}

	private static String describe(RetentionRule rule) {
		return rule.bound().name().toLowerCase(java.util.Locale.ROOT) + " " + rule.period()
				+ (rule.max() == null ? "" : " max " + rule.max());
	}

	private void compareCookies() {
		Map<String, Cookie> old = new java.util.LinkedHashMap<>();
		before.cookies().forEach(c -> old.put(c.name(), c));
		Map<String, Cookie> now = new java.util.LinkedHashMap<>();
		after.cookies().forEach(c -> now.put(c.name(), c));
		matched(old, now, (name, pair) -> {
			String at = "cookies." + name;
			if (pair.old() == null) {
				add(Kind.COOKIE_ADDED, at, "new " + pair.now().category().name().toLowerCase(java.util.Locale.ROOT) + " cookie");
				return;
			}
			if (pair.now() == null) {
				add(Kind.COOKIE_REMOVED, at, "no longer set");
				return;
			}
			long was = pair.old().period().map(PolicyChecks::days).orElse(0L);
			long is = pair.now().period().map(PolicyChecks::days).orElse(0L);
			if (is > was) {
				add(Kind.COOKIE_LONGER, at + ".lifetime", pair.old().lifetime() + " -> " + pair.now().lifetime());
			}
			else if (is < was) {
				add(Kind.COOKIE_SHORTER, at + ".lifetime", pair.old().lifetime() + " -> " + pair.now().lifetime());
			}
			if (pair.old().category() != pair.now().category()) {
				add(Kind.COOKIE_CATEGORY_CHANGED, at + ".category", pair.old().category() + " -> " + pair.now().category());
			}
			if (!pair.old().provider().equals(pair.now().provider())) {
				add(Kind.COOKIE_PROVIDER_CHANGED, at + ".provider", pair.old().provider() + " -> " + pair.now().provider());
			}
			text(at + ".purpose", pair.old().purpose(), pair.now().purpose());
		});
	}

	private void members(String at, List<String> old, List<String> now, Kind added, Kind removed) {
		for (String id : now) {
			if (!old.contains(id)) {
				add(added, at, "'" + id + "' added");
			}
		}
		for (String id : old) {
			if (!now.contains(id)) {
				add(removed, at, "'" + id + "' removed");
			}
		}
	}

	private void text(String at, Text old, Text now) {
		if (!Objects.equals(old, now)) {
			add(Kind.TEXT_CHANGED, at, "wording changed");
		}
	}

	private void texts(String at, List<Text> old, List<Text> now) {
		if (!old.equals(now)) {
			add(Kind.TEXT_CHANGED, at, "wording changed");
		}
	}

	/** The same element in both versions; either side is null where it exists in one only. */
	private record Pair<T>(T old, T now) {
	}

	private static <T> void matched(Map<String, T> old, Map<String, T> now, BiConsumer<String, Pair<T>> each) {
		Set<String> seen = new HashSet<>();
		for (String id : old.keySet()) {
			seen.add(id);
			each.accept(id, new Pair<>(old.get(id), now.get(id)));
		}
		for (String id : now.keySet()) {
			if (seen.add(id)) {
				each.accept(id, new Pair<>(null, now.get(id)));
			}
		}
	}

	private void add(Kind kind, String element, String description) {
		changes.add(new PolicyChange(kind, element, description));
	}
}

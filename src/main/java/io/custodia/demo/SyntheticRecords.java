package io.custodia.demo;

import java.time.LocalDate;
import java.time.Period;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import io.custodia.policy.Policy;
import io.custodia.policy.Policy.Activity;
import io.custodia.policy.Policy.Bound;
import io.custodia.policy.Policy.Category;
import io.custodia.policy.Policy.RetentionRule;

/**
 * The synthetic records of one tenant, worked out from its policy alone: for every retention rule an activity
 * can reach, a few records whose facts select that rule, with clocks started so that some are due already and
 * others fall due within the next two years. The same policy, day and seed give the same set.
 */
final class SyntheticRecords {

	/** How far ahead the forecast a newcomer runs looks; records meant to fall due later are due within it. */
	static final int HORIZON_DAYS = 700;

	/** More combinations of state values than this are not tried; the example policies have at most four. */
	private static final int MAX_COMBINATIONS = 256;

	/** A record to store for demo subject number {@code subject}. */
	record Planned(int subject, String activity, String category, Map<String, Object> fields, Map<String, String> facts,
			String ruleId, LocalDate due) {
	}

	/** A record before it has a subject. */
	private record Draft(String activity, String category, Map<String, String> facts, String ruleId, LocalDate due) {
	}

	private SyntheticRecords() {
	}

	/** The demo e-mail address of subject number {@code n}; the identifier it is found by. */
	static String email(int n) {
		return "demo" + n + "@example.invalid";
	}

	/**
	 * The plan for one tenant. Subject 1 gets the record due last, so that it outlives retention runs for
	 * years: its existence is how a later start knows the tenant's demo data is there already.
	 */
	static List<Planned> plan(Policy policy, LocalDate today, long seed) {
		Random random = new Random(seed);
		var drafts = new ArrayList<Draft>();
		policy.activities().forEach((activityId, activity) -> drafts.addAll(drafts(activityId, activity, today, random)));
		Collections.shuffle(drafts, random);
		Draft longest = drafts.stream().max(Comparator.comparing(Draft::due)).orElse(null);
		if (longest != null) {
			drafts.remove(longest);
			drafts.add(0, longest);
		}
		var planned = new ArrayList<Planned>();
		for (int i = 0; i < drafts.size(); i++) {
			Draft draft = drafts.get(i);
			int subject = i / 2 + 1;
			Category category = policy.dataCategories().get(draft.category());
			planned.add(new Planned(subject, draft.activity(), draft.category(), fields(category, subject, today, random),
					draft.facts(), draft.ruleId(), draft.due()));
		}
		return planned;
	}

	private static List<Draft> drafts(String activityId, Activity activity, LocalDate today, Random random) {
		var drafts = new ArrayList<Draft>();
		for (var reached : reachedRules(activity).entrySet()) {
			RetentionRule rule = reached.getValue();
			Period span = span(rule);
			long spanDays = ChronoUnit.DAYS.between(today.minus(span), today);
			var starts = new ArrayList<LocalDate>();
			if (Policy.COLLECTED.equals(rule.from())) {
				// the clock starts when the record is stored, today: these fall due one period from now
				starts.add(today);
				starts.add(today);
			}
			else {
				starts.add(today.minus(span).minusDays(1 + random.nextInt(90)));
				LocalDate later = today.plusDays(1 + random.nextInt((int) Math.max(1, Math.min(spanDays, HORIZON_DAYS))));
				starts.add(min(later.minus(span), today));
				starts.add(today.minusDays(random.nextInt(30)));
			}
			for (LocalDate start : starts) {
				var facts = new LinkedHashMap<String, String>(reached.getKey());
				if (!Policy.COLLECTED.equals(rule.from())) {
					facts.put(rule.from(), start.toString());
				}
				String category = activity.categories().get(drafts.size() % activity.categories().size());
				drafts.add(new Draft(activityId, category, facts, rule.id(), start.plus(span)));
			}
		}
		return drafts;
	}

	/**
	 * Each rule of the activity that some combination of its state values selects (the first rule that applies
	 * decides), with the first such combination.
	 */
	static Map<Map<String, String>, RetentionRule> reachedRules(Activity activity) {
		var combinations = new ArrayList<Map<String, String>>();
		combinations.add(new LinkedHashMap<>());
		for (var state : activity.states().entrySet()) {
			var next = new ArrayList<Map<String, String>>();
			for (var combination : combinations) {
				for (String value : state.getValue().keySet()) {
					if (next.size() < MAX_COMBINATIONS) {
						var extended = new LinkedHashMap<>(combination);
						extended.put(state.getKey(), value);
						next.add(extended);
					}
				}
			}
			combinations = next;
		}
		var reached = new LinkedHashMap<Map<String, String>, RetentionRule>();
		var rules = new ArrayList<String>();
		for (var combination : combinations) {
			activity.retention().stream().filter(rule -> rule.appliesTo(combination)).findFirst().ifPresent(rule -> {
				if (!rules.contains(rule.id())) {
					rules.add(rule.id());
					reached.put(combination, rule);
				}
			});
		}
		return reached;
	}

	/** How long after its clock a rule acts: at most the period, or the maximum of an at-least rule. */
	private static Period span(RetentionRule rule) {
		return rule.bound() == Bound.AT_LEAST && rule.max() != null ? rule.max() : rule.period();
	}

	private static LocalDate min(LocalDate a, LocalDate b) {
		return a.isBefore(b) ? a : b;
	}

	/** Every field the category declares, each with a value nobody could take for a real person's. */
	static Map<String, Object> fields(Category category, int n, LocalDate today, Random random) {
		var fields = new LinkedHashMap<String, Object>();
		for (String name : category.fieldNames()) {
			fields.put(name, value(name, n, today, random));
		}
		return fields;
	}

	static String value(String field, int n, LocalDate today, Random random) {
		if (field.contains("email")) {
			return email(n);
		}
		if (field.equals("ip_address")) {
			return "192.0.2." + (n % 254 + 1); // TEST-NET-1, RFC 5737: never routed
		}
		if (field.equals("mac_address")) {
			return "00:00:5e:00:53:" + HexFormat.of().toHexDigits((byte) n); // RFC 7042's documentation range
		}
		if (field.contains("phone")) {
			return "+1 202 555 01" + String.format("%02d", n % 100); // 555-0100..0199: reserved for fiction
		}
		if (field.equals("first_name")) {
			return "Demo";
		}
		if (field.equals("last_name") || field.equals("surname")) {
			return "Person " + n;
		}
		if (field.equals("host_name")) {
			return "demo-host-" + n + ".example.invalid";
		}
		if (field.equals("user_name")) {
			return "demo" + n;
		}
		if (field.equals("name") || (field.endsWith("_name") && !field.equals("file_name") && !field.equals("browser_name"))) {
			return "Demo Person " + n;
		}
		if (field.contains("address")) {
			return n + " Demo Street, 0000 Demo City";
		}
		if (field.endsWith("_at") || field.endsWith("_time") || field.endsWith("_date")) {
			return today.minusDays(random.nextInt(30))
				.atTime(8 + random.nextInt(10), random.nextInt(60))
				.atOffset(ZoneOffset.UTC)
				.toString();
		}
		return "demo " + field.replace('_', ' ') + " " + n;
	}
}

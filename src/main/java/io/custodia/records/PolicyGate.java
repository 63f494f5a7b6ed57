package io.custodia.records;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.custodia.policy.Policy;
import io.custodia.policy.Policy.Activity;
import io.custodia.policy.Policy.Category;
import tools.jackson.databind.json.JsonMapper;

/**
 * Lets in only what the tenant's policy declares (R11): a declared activity, one of its categories, fields of
 * that category's closed list, facts the activity's retention rules read. Messages name the input and what
 * the policy allows there, never the value given.
 */
final class PolicyGate {

	/** A fact as stored: a date for a clock, a value for a state. */
	record Fact(String name, LocalDate date, String state) {

		/** The facts as stored and shown: dates as ISO text, states as declared. */
		static java.util.Map<String, String> asMap(java.util.List<Fact> facts) {
			var map = new java.util.TreeMap<String, String>();
			facts.forEach(f -> map.put(f.name(), f.date() != null ? f.date().toString() : f.state()));
			return map;
		}
	}

	/** The most characters of a client record id (its column's size). */
	static final int CLIENT_RECORD_ID_LENGTH = 200;

	/**
	 * The most bytes a record's fields take as JSON: sealed (33 bytes more) they must fit the record's column of
	 * 1 MiB. A record is for a person's data, not for files: those go to the vault.
	 */
	static final int FIELDS_BYTES = 1_000_000;

	private PolicyGate() {
	}

	/**
	 * Fields that came in (stored, imported, or rectified), as JSON, refused if they are more than a record holds
	 * and more than the record held before ({@code before} bytes: a record stored larger on PostgreSQL, whose
	 * column has no limit, before the limit existed, may still be rectified as long as it does not grow).
	 * De-identification, which only ever keeps fewer fields, is not checked.
	 */
	static byte[] json(Map<String, Object> fields, int before) {
		byte[] json = JsonMapper.shared().writeValueAsBytes(fields);
		if (json.length > FIELDS_BYTES && json.length > before) {
			throw new PolicyViolationException("fields", "the fields take " + json.length + " bytes as JSON; a record holds at most "
					+ FIELDS_BYTES + " (files go to the vault)", List.of());
		}
		return json;
	}

	private static final java.util.regex.Pattern NAME = java.util.regex.Pattern.compile("[a-z][a-z0-9_.]{0,62}");

	/**
	 * A name the caller gave that the policy does not declare, quoted only if it has the form of a name (lower-case
	 * letters, digits, '_' and '.'): a value put in the wrong place is often personal data (an e-mail address as
	 * the activity, a shifted column of an import), and an import's report and the service's answers must not
	 * repeat it.
	 */
	static String named(String given) {
		if (given == null) {
			return "(none given)";
		}
		return NAME.matcher(given).matches() ? "'" + given + "'"
				: "of that name (not repeated here: it is not a name, which is lower-case letters, digits, '_' and '.')";
	}

	/** The field of a problem: {@code parent.key}, or only the parent where the key is not a name (see {@link #named}). */
	static String path(String parent, String key) {
		return key != null && NAME.matcher(key).matches() ? parent + "." + key : parent;
	}

	static Activity activity(Policy policy, String activity) {
		Activity found = activity == null ? null : policy.activities().get(activity);
		if (found == null) {
			throw new PolicyViolationException("activity", "the policy declares no activity " + named(activity),
					List.copyOf(policy.activities().keySet()));
		}
		return found;
	}

	static Category category(Policy policy, String activityId, Activity activity, String category) {
		if (category == null || !activity.categories().contains(category)) {
			throw new PolicyViolationException("category",
					"activity '" + activityId + "' does not process data category " + named(category), activity.categories());
		}
		return policy.dataCategories().get(category);
	}

	static void fields(String categoryId, Category category, Map<String, Object> fields) {
		if (fields.isEmpty()) {
			throw new PolicyViolationException("fields", "no fields given", List.copyOf(category.fieldNames()));
		}
		for (var field : fields.entrySet()) {
			if (!category.fields().containsKey(field.getKey())) {
				throw new PolicyViolationException(path("fields", field.getKey()),
						"data category '" + categoryId + "' has no field " + named(field.getKey()), List.copyOf(category.fieldNames()));
			}
			Object value = field.getValue();
			if (value != null && !(value instanceof String) && !(value instanceof Number) && !(value instanceof Boolean)) {
				throw new PolicyViolationException("fields." + field.getKey(), "field '" + field.getKey()
						+ "' must be a text, a number or true/false", List.of("text", "number", "true", "false"));
			}
		}
	}

	static List<Fact> facts(String activityId, Activity activity, Map<String, String> facts) {
		var result = new ArrayList<Fact>();
		var allowed = new ArrayList<String>(activity.clocks().keySet());
		allowed.addAll(activity.states().keySet());
		for (var fact : facts.entrySet()) {
			String name = fact.getKey();
			String value = fact.getValue();
			if (Policy.COLLECTED.equals(name)) {
				throw new PolicyViolationException("facts." + name, "'collected' is set by Custodia when a record is stored", allowed);
			}
			if (activity.clocks().containsKey(name)) {
				try {
					LocalDate date = LocalDate.parse(value == null ? "" : value);
					// ISO also reads +10000-01-01; a stored fact is always ten characters (the policy's limit on a
					// record's facts counts on it) and no retention clock starts beyond the year 9999
					if (date.getYear() < 0 || date.getYear() > 9999) {
						throw new PolicyViolationException("facts." + name, "fact '" + name
								+ "' is a date between 0000-01-01 and 9999-12-31", List.of("YYYY-MM-DD"));
					}
					result.add(new Fact(name, date, null));
				}
				catch (DateTimeParseException ex) {
					throw new PolicyViolationException("facts." + name, "fact '" + name + "' is a date (YYYY-MM-DD)",
							List.of("YYYY-MM-DD"));
				}
			}
			else if (activity.states().containsKey(name)) {
				var values = activity.states().get(name).keySet();
				if (!values.contains(value)) {
					throw new PolicyViolationException("facts." + name, "state '" + name + "' has no such value",
							List.copyOf(values));
				}
				result.add(new Fact(name, null, value));
			}
			else {
				throw new PolicyViolationException(path("facts", name),
						"activity '" + activityId + "' has no clock or state " + named(name), allowed);
			}
		}
		return result;
	}
}

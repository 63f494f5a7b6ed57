package io.custodia.policy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.path.NodePath;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Checks a policy tree against the published JSON Schema ({@code docs/policy.schema.json}) and turns the
 * validator's errors into findings that name the element, what is allowed and where it is written.
 */
final class SchemaCheck {

	static final String SCHEMA_RESOURCE = "/io/custodia/policy/policy.schema.json";

	private static final JsonNode SCHEMA_TREE = loadSchemaTree();

	private static final Schema SCHEMA = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
		.getSchema(SCHEMA_TREE);

	/** Hints for required elements whose absence deserves more than "add it". */
	private static final Map<String, String> REQUIRED_HINTS = Map.of("retention",
			"every activity needs at least one retention rule; nothing may be kept without an end (R3)",
			"legal_basis",
			"one of consent, contract, pre_contract, legal_obligation, vital_interest, public_task, legitimate_interest",
			"category", "every cookie needs a category: necessary, preferences, statistics or marketing",
			"lifetime", "every cookie needs a lifetime: session, or an ISO-8601 period such as P1Y",
			"change_notice_period", "material changes are announced this long before they take effect, e.g. P30D");

	private SchemaCheck() {
	}

	static void check(JsonNode root, Reporter reporter) {
		List<Error> errors = resolveAlternatives(SCHEMA.validate(root), reporter);
		Map<String, Error> chosen = new LinkedHashMap<>();
		List<String> badNames = new ArrayList<>();
		for (Error error : errors) {
			String at = pointer(error.getInstanceLocation());
			if ("propertyNames".equals(error.getKeyword())) {
				badNames.add(SourceMap.child(at, String.valueOf(error.getProperty())));
			}
			chosen.putIfAbsent(at + "|" + error.getKeyword() + "|" + error.getProperty(), error);
		}
		for (Error error : chosen.values()) {
			String at = pointer(error.getInstanceLocation());
			// the value under a name that is itself wrong only repeats the same mistake
			if (badNames.stream().anyMatch(bad -> at.equals(bad) || at.startsWith(bad + "/"))) {
				continue;
			}
			report(error, reporter);
		}
	}

	/**
	 * The validator reports every failing alternative of an anyOf and nothing for the anyOf itself. When one
	 * alternative has the instance's shape, its errors are the useful ones; when none has, the element has the
	 * wrong form altogether and one finding says what forms are allowed.
	 */
	private static List<Error> resolveAlternatives(List<Error> errors, Reporter reporter) {
		Map<String, Map<String, List<Error>>> groups = new LinkedHashMap<>();
		List<Error> result = new ArrayList<>();
		for (Error error : errors) {
			String path = error.getEvaluationPath().toString();
			int anyOf = path.lastIndexOf("/anyOf/");
			if (anyOf < 0) {
				result.add(error);
				continue;
			}
			String group = path.substring(0, anyOf + "/anyOf".length());
			String rest = path.substring(anyOf + "/anyOf/".length());
			String alternative = rest.contains("/") ? rest.substring(0, rest.indexOf('/')) : rest;
			groups.computeIfAbsent(group, g -> new LinkedHashMap<>())
				.computeIfAbsent(alternative, a -> new ArrayList<>())
				.add(error);
		}
		for (var group : groups.values()) {
			String instance = group.values().stream().flatMap(List::stream).map(e -> pointer(e.getInstanceLocation()))
				.min(java.util.Comparator.comparingInt(String::length)).orElse("");
			List<Error> fitting = group.values().stream()
				.filter(alternative -> alternative.stream().noneMatch(e -> "type".equals(e.getKeyword())
						&& pointer(e.getInstanceLocation()).equals(instance)))
				.findFirst()
				.orElse(null);
			if (fitting != null) {
				result.addAll(fitting);
			}
			else {
				Error any = group.values().iterator().next().get(0);
				reporter.error(instance, describe(instance) + " has the wrong form", describeExpected(any, "see docs/policy-format.md"));
			}
		}
		return result;
	}

	private static void report(Error error, Reporter reporter) {
		String at = pointer(error.getInstanceLocation());
		String where = describe(at);
		JsonNode schema = schemaAt(error);
		String property = error.getProperty();
		switch (error.getKeyword()) {
			case "required" -> reporter.errorAtKey(at, where + " misses required '" + property + "'",
					REQUIRED_HINTS.getOrDefault(property, "add " + property + " (see docs/policy-format.md)"));
			case "additionalProperties" -> reporter.errorAtKey(SourceMap.child(at, property),
					"unknown field '" + property + "' in " + where, property.contains(" ")
							? "a comma inside { ... } ends a value: put the text before it in quotes"
							: "allowed here: " + String.join(", ", allowedProperties(error)));
			case "enum" -> reporter.error(at, value(error) + " is not allowed as " + where,
					"use one of: " + join(schema));
			case "const" -> reporter.error(at, value(error) + " is not allowed as " + where,
					"write " + schema.toString());
			case "type" -> reporter.error(at, where + " must be " + expectedType(schema) + ", found "
					+ foundType(error.getInstanceNode()), typeHint(error.getInstanceNode(), schema));
			case "pattern" -> reporter.error(at, value(error) + " is not valid as " + where,
					describeExpected(error, "must match " + schema.asString()));
			case "anyOf" -> reporter.error(at, where + " has the wrong form", describeExpected(error, "see docs/policy-format.md"));
			case "minLength" -> reporter.error(at, where + " is empty", "write a value or remove the element");
			case "maxLength" -> reporter.error(at, where + " is longer than " + schema.asInt() + " characters",
					"shorten it to at most " + schema.asInt() + " characters");
			case "minItems", "minProperties" -> reporter.error(at, where + " is empty", "list at least one entry");
			case "uniqueItems" -> reporter.error(at, where + " lists an entry twice", "remove the duplicate");
			case "propertyNames" -> reporter.errorAtKey(SourceMap.child(at, property == null ? "" : property),
					"'" + property + "' is not a valid name in " + where, nameHint(error, schema, property));
			default -> reporter.error(at, where + ": " + error.getMessage(), "see docs/policy-format.md");
		}
	}

	/** A readable name for the element at a pointer: {@code activities.server_logs.retention[0].period}. */
	static String describe(String pointer) {
		if (pointer.isEmpty()) {
			return "the policy";
		}
		var out = new StringBuilder();
		for (String part : pointer.substring(1).split("/")) {
			String name = part.replace("~1", "/").replace("~0", "~");
			if (name.chars().allMatch(Character::isDigit)) {
				out.append('[').append(name).append(']');
			}
			else {
				out.append(out.isEmpty() ? "" : ".").append(name);
			}
		}
		return out.toString();
	}

	static String pointer(NodePath path) {
		var out = new StringBuilder();
		for (int i = 0; i < path.getNameCount(); i++) {
			Object element = path.getElement(i);
			out.append('/').append(String.valueOf(element).replace("~", "~0").replace("/", "~1"));
		}
		return out.toString();
	}

	private static String nameHint(Error error, JsonNode schema, String property) {
		// language keys have no spaces; a name with one is the tail of an unquoted text cut at a comma
		if (property != null && property.contains(" ")) {
			return "a comma inside { ... } ends a value: put the text before it in quotes";
		}
		JsonNode names = schema.has("enum") ? schema.get("enum") : schema.path("$ref").isMissingNode() ? null
				: SCHEMA_TREE.at(fragmentPointer(schema.get("$ref").asString())).get("enum");
		return names != null ? "use one of: " + join(names)
				: "names are lower-case letters, digits and _, starting with a letter, at most 63 characters";
	}

	private static String value(Error error) {
		JsonNode node = error.getInstanceNode();
		return node == null ? "this value" : "'" + (node.isString() ? node.asString() : node.toString()) + "'";
	}

	private static JsonNode schemaAt(Error error) {
		JsonNode node = error.getSchemaNode();
		return node == null ? tools.jackson.databind.node.MissingNode.getInstance() : node;
	}

	/** The description of the schema element that failed, or of the one holding it. */
	private static String describeExpected(Error error, String fallback) {
		String fragment = error.getSchemaLocation().getFragment().toString();
		JsonNode node = SCHEMA_TREE.at(fragmentPointer(fragment));
		for (int up = 0; up < 5 && !node.isMissingNode(); up++) {
			if (node.has("description")) {
				return node.get("description").asString();
			}
			fragment = fragment.contains("/") ? fragment.substring(0, fragment.lastIndexOf('/')) : "";
			node = SCHEMA_TREE.at(fragmentPointer(fragment));
		}
		return fallback;
	}

	private static List<String> allowedProperties(Error error) {
		String fragment = error.getSchemaLocation().getFragment().toString();
		String parent = fragment.contains("/") ? fragment.substring(0, fragment.lastIndexOf('/')) : "";
		JsonNode properties = SCHEMA_TREE.at(fragmentPointer(parent)).path("properties");
		return new ArrayList<>(properties.propertyNames());
	}

	private static String fragmentPointer(String fragment) {
		String pointer = fragment.startsWith("#") ? fragment.substring(1) : fragment;
		if (pointer.startsWith("$")) {
			pointer = pointer.substring(1);
		}
		return pointer.isEmpty() || pointer.startsWith("/") ? pointer : "/" + pointer;
	}

	private static String join(JsonNode values) {
		var out = new ArrayList<String>();
		values.forEach(v -> out.add(v.isString() ? v.asString() : v.toString()));
		return String.join(", ", out);
	}

	private static String expectedType(JsonNode type) {
		String name = type.isString() ? type.asString() : join(type);
		return switch (name) {
			case "object" -> "a map of names to values";
			case "array" -> "a list";
			case "string" -> "a text";
			case "integer" -> "a whole number";
			case "boolean" -> "true or false";
			default -> name;
		};
	}

	private static String foundType(JsonNode node) {
		if (node == null || node.isNull()) {
			return "nothing";
		}
		if (node.isObject()) {
			return "a map";
		}
		if (node.isArray()) {
			return "a list";
		}
		if (node.isNumber()) {
			return "the number " + node;
		}
		if (node.isBoolean()) {
			return node.toString();
		}
		return "'" + node.asString() + "'";
	}

	private static String typeHint(JsonNode node, JsonNode type) {
		if ("integer".equals(type.asString()) && node != null && !node.isNull()) {
			return "write it in digits, e.g. 16";
		}
		if (node == null || node.isNull()) {
			return "write a value after the colon, or remove the line";
		}
		if (node.isNumber() || node.isBoolean()) {
			return "quote it: \"" + node + "\"";
		}
		if (node.isString() || node.isArray() || node.isObject()) {
			return "see docs/policy-format.md for the form this element takes";
		}
		return "see docs/policy-format.md";
	}

	private static JsonNode loadSchemaTree() {
		try (InputStream in = SchemaCheck.class.getResourceAsStream(SCHEMA_RESOURCE)) {
			if (in == null) {
				throw new IllegalStateException("policy schema missing from the class path: " + SCHEMA_RESOURCE);
			}
			return JsonMapper.shared().readTree(in);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	static String schemaText() {
		return SCHEMA_TREE.toPrettyString();
	}

}

package io.custodia.policy;

import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.DatabindException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads policy files. Reading checks everything in one pass, syntax, schema and meaning, and reports every
 * finding at its line and column; only a policy without errors is handed out.
 */
public final class Policies {

	private static final JsonMapper BINDER = JsonMapper.builder()
		.propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
		.enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
		.disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
		.build();

	private Policies() {
	}

	/** Reads and checks a policy file; the report names the file as given. */
	public static PolicyReport read(Path file) {
		String text;
		try {
			text = Files.readString(file, StandardCharsets.UTF_8);
		}
		catch (NoSuchFileException ex) {
			return failed(file.toString(), "no such file", "check the path");
		}
		catch (MalformedInputException ex) {
			return failed(file.toString(), "the file is not UTF-8 text", "save it as UTF-8");
		}
		catch (IOException ex) {
			return failed(file.toString(), "cannot read the file: " + ex.getMessage(), "check its permissions");
		}
		return parse(file.toString(), text);
	}

	/** Checks policy text; {@code name} is what findings call the file. */
	public static PolicyReport parse(String name, String text) {
		LocatedYaml.Document document = LocatedYaml.read(text);
		var reporter = new Reporter(name, document.sourceMap());
		document.problems()
			.forEach(p -> reporter.add(p.position(), Finding.Severity.ERROR, p.message(), p.hint()));
		if (document.root() == null) {
			return new PolicyReport(name, Optional.empty(), reporter.findings());
		}
		SchemaCheck.check(document.root(), reporter);
		if (reporter.hasErrors()) {
			return new PolicyReport(name, Optional.empty(), reporter.findings());
		}
		Policy policy;
		try {
			policy = BINDER.treeToValue(document.root(), Policy.class);
		}
		catch (DatabindException ex) {
			// the schema checks form, not every value: 2024-02-30 has the form of a date
			String at = pointer(ex);
			JsonNode value = document.root().at(at);
			String shown = value.isMissingNode() ? "this value" : "'" + value.asString() + "'";
			String message = ex.getOriginalMessage();
			String what = message.contains("LocalDate") ? "a valid date" : message.contains("Period") ? "a valid period"
					: "readable here";
			reporter.error(at, shown + " is not " + what,
					what.equals("a valid date") ? "the day must exist in that month, e.g. 2024-02-29" : "see docs/policy-format.md");
			return new PolicyReport(name, Optional.empty(), reporter.findings());
		}
		PolicyChecks.check(policy, reporter);
		return new PolicyReport(name, reporter.hasErrors() ? Optional.empty() : Optional.of(policy), reporter.findings());
	}

	/**
	 * Reads a version that was published before. It passed the checks in force when it was published, and its
	 * records, receipts and notices exist; a check added since (a new limit) must not make it unreadable, and with
	 * it its tenant. So it is read as long as it can be read at all, and what today's checks find is in the report's
	 * findings, for the log. Text that is not a policy any more (it cannot be bound) is refused as by
	 * {@link #parse}.
	 */
	public static PolicyReport parsePublished(String name, String text) {
		PolicyReport report = parse(name, text);
		if (report.isValid()) {
			return report;
		}
		LocatedYaml.Document document = LocatedYaml.read(text);
		if (document.root() == null || !document.problems().isEmpty()) {
			return report;
		}
		try {
			return new PolicyReport(name, Optional.of(BINDER.treeToValue(document.root(), Policy.class)), report.findings());
		}
		catch (DatabindException ex) {
			return report;
		}
	}

	private static String pointer(JacksonException ex) {
		var out = new StringBuilder();
		for (JacksonException.Reference reference : ex.getPath()) {
			out.append('/').append(reference.getPropertyName() != null
					? reference.getPropertyName().replace("~", "~0").replace("/", "~1") : String.valueOf(reference.getIndex()));
		}
		return out.toString();
	}

	/** The published JSON Schema of the policy format. */
	public static String schema() {
		return SchemaCheck.schemaText();
	}

	private static PolicyReport failed(String name, String message, String hint) {
		return new PolicyReport(name, Optional.empty(),
				List.of(new Finding(name, 1, 1, Finding.Severity.ERROR, message, hint)));
	}
}

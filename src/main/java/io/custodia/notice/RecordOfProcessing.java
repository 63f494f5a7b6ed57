package io.custodia.notice;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import io.custodia.policy.Language;
import io.custodia.policy.Policy;
import io.custodia.policy.Policy.Activity;
import io.custodia.policy.Policy.RecipientRole;
import io.custodia.policy.Text;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.csv.CsvMapper;
import tools.jackson.dataformat.csv.CsvSchema;

/**
 * The record of processing activities (Art. 30(1) GDPR): one entry per activity, every column filled. A
 * column with nothing to list says so (<q>none</q>) rather than staying blank, so a reviewer can tell nothing
 * from forgotten.
 */
public final class RecordOfProcessing {

	/** The columns, in Art. 30(1) order, with the activity first. */
	public static final List<String> COLUMNS = List.of("activity", "name", "controller", "joint_controllers",
			"representative", "dpo", "purpose", "legal_basis", "data_subjects", "data_categories", "recipients",
			"third_country_transfers", "retention", "security_measures", "source");

	public enum Format {
		CSV, JSON, HTML
	}

	private RecordOfProcessing() {
	}

	/** One map per activity from column to its text in the language. */
	public static List<Map<String, String>> entries(Policy policy, Language language) {
		var messages = Messages.of(language);
		var builder = new NoticeBuilder(policy, language);
		var wording = new RetentionWording(policy, language);
		String none = messages.get("ropa.none");
		var controller = policy.controller();
		String controllerText = controller.name() + ", " + controller.address().oneLine()
				+ join(List.of(nullToEmpty(controller.email()), nullToEmpty(controller.phone())), ", ", ", ");
		String dpo = policy.contact()
			.map(c -> messages.get("contact.role." + c.role().name().toLowerCase(java.util.Locale.ROOT)) + ": "
					+ join(List.of(nullToEmpty(c.name()), nullToEmpty(c.email()), nullToEmpty(c.phone())), ", ", ""))
			.orElse(messages.get("ropa.no_dpo"));
		var result = new ArrayList<Map<String, String>>();
		policy.activities().forEach((id, activity) -> {
			var row = new LinkedHashMap<String, String>();
			row.put("activity", id);
			row.put("name", text(policy, activity.name(), language));
			row.put("controller", controllerText);
			row.put("joint_controllers", orNone(recipients(policy, activity, language, RecipientRole.JOINT_CONTROLLER), none));
			// a representative (Art. 27) is needed only outside the EU; the format has no such controller yet
			row.put("representative", messages.get("ropa.no_representative"));
			row.put("dpo", dpo);
			row.put("purpose", text(policy, activity.purpose(), language));
			String basis = builder.basis(activity.legalBasis());
			if (activity.legitimateInterest() != null) {
				basis += ": " + text(policy, activity.legitimateInterest(), language);
			}
			if (activity.legalBasisDetails() != null) {
				basis += "; " + text(policy, activity.legalBasisDetails(), language);
			}
			row.put("legal_basis", basis);
			row.put("data_subjects", activity.subjects().stream()
				.map(s -> text(policy, policy.subjects().get(s).name(), language)).collect(Collectors.joining("; ")));
			row.put("data_categories", activity.categories().stream().map(c -> {
				var category = policy.dataCategories().get(c);
				return text(policy, category.name(), language) + " (" + String.join(", ", category.fieldNames()) + ")";
			}).collect(Collectors.joining("; ")));
			row.put("recipients", orNone(activity.recipients().stream().map(r -> {
				var recipient = policy.recipients().get(r);
				return text(policy, recipient.name(), language) + " ("
						+ messages.get("role." + recipient.role().name().toLowerCase(java.util.Locale.ROOT)) + ", "
						+ builder.country(recipient.country()) + ")";
			}).collect(Collectors.joining("; ")), none));
			row.put("third_country_transfers", orNone(activity.recipients().stream()
				.map(policy.recipients()::get)
				.filter(Policy.Recipient::isTransfer)
				.map(r -> text(policy, r.name(), language) + " (" + builder.country(r.country()) + "): "
						+ messages.get("safeguard." + r.safeguard().name().toLowerCase(java.util.Locale.ROOT))
						+ (r.safeguardDetails() == null ? "" : " — " + text(policy, r.safeguardDetails(), language)))
				.collect(Collectors.joining("; ")), none));
			row.put("retention", activity.retention().stream().map(rule -> wording.describe(activity, rule).text())
				.collect(Collectors.joining("; ")));
			var measures = new ArrayList<Text>(policy.securityMeasures());
			measures.addAll(activity.securityMeasures());
			row.put("security_measures", orNone(measures.stream().map(m -> text(policy, m, language))
				.collect(Collectors.joining("; ")), none));
			String source = messages.get("source." + activity.source().kind().name().toLowerCase(java.util.Locale.ROOT));
			if (activity.source().description() != null) {
				source += " (" + text(policy, activity.source().description(), language) + ")";
			}
			row.put("source", source);
			result.add(row);
		});
		return result;
	}

	public static String render(Policy policy, Language language, Format format) {
		var entries = entries(policy, language);
		var messages = Messages.of(language);
		return switch (format) {
			case JSON -> {
				var document = new LinkedHashMap<String, Object>();
				document.put("controller", policy.controller().name());
				document.put("policy_version", policy.version());
				document.put("language", language.code());
				document.put("columns", COLUMNS);
				document.put("activities", entries);
				yield JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build().writeValueAsString(document)
						+ System.lineSeparator();
			}
			case CSV -> {
				var schema = CsvSchema.builder();
				COLUMNS.forEach(schema::addColumn);
				var mapper = new CsvMapper();
				var header = COLUMNS.stream().map(c -> messages.get("ropa.column." + c)).toList();
				String head = mapper.writer(CsvSchema.emptySchema()).writeValueAsString(header);
				yield head + mapper.writer(schema.build()).writeValueAsString(entries);
			}
			case HTML -> Templates.render("ropa.html", language, Map.of("policy", policy, "columns", COLUMNS,
					"entries", entries, "title", messages.get("ropa.title", policy.controller().name())));
		};
	}

	private static List<String> recipients(Policy policy, Activity activity, Language language, RecipientRole role) {
		return activity.recipients().stream()
			.map(policy.recipients()::get)
			.filter(r -> r.role() == role)
			.map(r -> text(policy, r.name(), language))
			.toList();
	}

	private static String orNone(List<String> values, String none) {
		return values.isEmpty() ? none : String.join("; ", values);
	}

	private static String orNone(String value, String none) {
		return value.isBlank() ? none : value;
	}

	private static String text(Policy policy, Text text, Language language) {
		return policy.text(text, language).value();
	}

	private static String nullToEmpty(String value) {
		return value == null ? "" : value;
	}

	private static String join(List<String> parts, String separator, String prefix) {
		var present = parts.stream().filter(p -> !p.isBlank()).toList();
		return present.isEmpty() ? "" : prefix + String.join(separator, present);
	}
}

package io.custodia.requests;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.springframework.stereotype.Component;

import io.custodia.policy.Language;
import io.custodia.policy.Policy;
import io.custodia.policy.Text;
import io.custodia.records.RecordStatus;
import io.custodia.records.RecordView;
import io.custodia.records.SubjectRights;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Builds the subject's package (R18, R19): {@code access.json} (schema: docs/access-package.schema.json),
 * {@code records.csv} (one row per field) and {@code README.txt}, zipped. Access holds every record, restricted
 * ones marked, their lifecycle facts, the subject's requests, the Art. 15(1) information and the sections other
 * modules add ({@link AccessPackageSection}); portability holds only records of activities whose source is the
 * subject, without facts or information.
 */
@Component
class AccessPackages {

	static final String FORMAT = "custodia/access-package/1";

	private static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

	private final SubjectRights rights;

	private final Requests requests;

	private final List<AccessPackageSection> sections;

	private final Clock clock;

	AccessPackages(SubjectRights rights, Requests requests, List<AccessPackageSection> sections, Clock clock) {
		this.rights = rights;
		this.requests = requests;
		this.sections = sections;
		this.clock = clock;
	}

	record Built(byte[] zip, int records) {
	}

	Built build(Policy policy, String tenantId, UUID subjectId, UUID requestId, boolean portability, String actor) {
		List<RecordView> all = subjectId == null ? List.of() : rights.allRecordsOf(tenantId, subjectId, "request:" + requestId, actor);
		var included = new ArrayList<RecordView>();
		for (RecordView record : all) {
			var activity = policy.activities().get(record.activity());
			boolean provided = activity != null && activity.source() != null
					&& activity.source().kind() == Policy.SourceKind.SUBJECT;
			if (!portability || provided) {
				included.add(record);
			}
		}
		var body = new LinkedHashMap<String, Object>();
		body.put("format", FORMAT);
		body.put("kind", portability ? "portability" : "access");
		body.put("generated_at", clock.instant().toString());
		body.put("controller", policy.controller().name());
		body.put("request_id", requestId.toString());
		body.put("subject_id", subjectId == null ? null : subjectId.toString());
		var records = new ArrayList<Map<String, Object>>();
		for (RecordView record : included) {
			var item = new LinkedHashMap<String, Object>();
			item.put("id", record.id().toString());
			item.put("activity", record.activity());
			item.put("category", record.category());
			item.put("status", record.status().name().toLowerCase(java.util.Locale.ROOT));
			item.put("restricted", record.status() == RecordStatus.RESTRICTED);
			item.put("created_at", record.createdAt().toString());
			item.put("fields", record.fields());
			if (!portability) {
				item.put("facts", record.facts());
			}
			records.add(item);
		}
		body.put("records", records);
		if (!portability) {
			var mine = new ArrayList<Map<String, Object>>();
			if (subjectId != null) {
				for (var row : requests.ofSubject(tenantId, subjectId)) {
					var item = new LinkedHashMap<String, Object>();
					item.put("id", row.id().toString());
					item.put("type", row.type().id());
					item.put("state", row.state().id());
					item.put("received_on", row.receivedOn().toString());
					item.put("due_on", row.dueOn().toString());
					mine.add(item);
				}
			}
			body.put("requests", mine);
			body.put("information", information(policy, included));
			var extra = new LinkedHashMap<String, Object>();
			extra.put("consents", List.of());
			for (AccessPackageSection section : sections) {
				extra.put(section.name(), subjectId == null ? List.of() : section.content(tenantId, subjectId));
			}
			body.put("sections", extra);
		}
		var zip = new ByteArrayOutputStream();
		try (var out = new ZipOutputStream(zip)) {
			out.setLevel(java.util.zip.Deflater.BEST_SPEED);
			entry(out, portability ? "portability.json" : "access.json", JSON.writeValueAsBytes(body));
			entry(out, "records.csv", csv(included));
			entry(out, "README.txt", readme(portability).getBytes(StandardCharsets.UTF_8));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return new Built(zip.toByteArray(), included.size());
	}

	/** The Art. 15(1) information for the activities the subject's records fall under. */
	private static Map<String, Object> information(Policy policy, List<RecordView> records) {
		var info = new LinkedHashMap<String, Object>();
		info.put("controller", Map.of("name", policy.controller().name(), "email", Objects.toString(policy.controller().email(), "")));
		var authority = new LinkedHashMap<String, Object>();
		authority.put("name", text(policy, policy.supervisoryAuthority().name()));
		authority.put("country", policy.supervisoryAuthority().country());
		authority.put("website", policy.supervisoryAuthority().website());
		info.put("supervisory_authority", authority);
		var rights = new ArrayList<String>();
		policy.rights().keySet().forEach(r -> rights.add(r.id()));
		info.put("rights", rights);
		var activities = new ArrayList<Map<String, Object>>();
		var seen = new java.util.LinkedHashSet<String>();
		records.forEach(r -> seen.add(r.activity()));
		for (String id : seen) {
			var activity = policy.activities().get(id);
			if (activity == null) {
				continue;
			}
			var item = new LinkedHashMap<String, Object>();
			item.put("activity", id);
			item.put("purpose", text(policy, activity.purpose()));
			item.put("legal_basis", activity.legalBasis().id());
			item.put("article", "GDPR Art. " + activity.legalBasis().article());
			if (activity.legitimateInterest() != null) {
				item.put("legitimate_interest", text(policy, activity.legitimateInterest()));
			}
			item.put("categories", activity.categories());
			var recipients = new ArrayList<Map<String, Object>>();
			for (String recipientId : activity.recipients()) {
				var recipient = policy.recipients().get(recipientId);
				var r = new LinkedHashMap<String, Object>();
				r.put("id", recipientId);
				r.put("name", recipient == null ? recipientId : text(policy, recipient.name()));
				r.put("country", recipient == null ? null : recipient.country());
				recipients.add(r);
			}
			item.put("recipients", recipients);
			var retention = new ArrayList<Map<String, Object>>();
			for (var rule : activity.retention()) {
				var r = new LinkedHashMap<String, Object>();
				r.put("rule", rule.id());
				r.put("from", rule.from());
				r.put("period", rule.period().toString());
				r.put("bound", rule.bound().name().toLowerCase(java.util.Locale.ROOT));
				r.put("action", rule.action().name().toLowerCase(java.util.Locale.ROOT));
				retention.add(r);
			}
			item.put("retention", retention);
			item.put("source", activity.source() == null ? "subject" : activity.source().kind().name().toLowerCase(java.util.Locale.ROOT));
			activities.add(item);
		}
		info.put("activities", activities);
		return info;
	}

	private static String text(Policy policy, Text text) {
		return text == null ? null : policy.text(text, policy.languages().contains(Language.EN) ? Language.EN : policy.original()).value();
	}

	static byte[] csv(List<RecordView> records) {
		var out = new StringBuilder("record_id,activity,category,status,field,value\r\n");
		for (RecordView record : records) {
			for (var field : record.fields().entrySet()) {
				out.append(cell(record.id().toString())).append(',').append(cell(record.activity())).append(',')
					.append(cell(record.category())).append(',').append(cell(record.status().name().toLowerCase(java.util.Locale.ROOT)))
					.append(',').append(cell(field.getKey())).append(',').append(cell(String.valueOf(field.getValue()))).append("\r\n");
			}
		}
		return out.toString().getBytes(StandardCharsets.UTF_8);
	}

	/** RFC 4180 quoting; a leading =, +, - or @ is prefixed with ' so spreadsheets do not run it as a formula. */
	static String cell(String value) {
		String safe = !value.isEmpty() && "=+-@".indexOf(value.charAt(0)) >= 0 ? "'" + value : value;
		if (safe.contains(",") || safe.contains("\"") || safe.contains("\n") || safe.contains("\r")) {
			return "\"" + safe.replace("\"", "\"\"") + "\"";
		}
		return safe;
	}

	private static String readme(boolean portability) {
		return portability
				? "The data you provided to us, as JSON (portability.json) and CSV (records.csv, one row per field).\n"
				: "Everything we hold on you (access.json; schema: custodia/access-package/1), the same records as CSV\n"
						+ "(records.csv, one row per field), and what we do with it (information). Records marked restricted\n"
						+ "are kept but not used.\n";
	}

	private static void entry(ZipOutputStream out, String name, byte[] bytes) throws IOException {
		out.putNextEntry(new ZipEntry(name));
		out.write(bytes);
		out.closeEntry();
	}
}

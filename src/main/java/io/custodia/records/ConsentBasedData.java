package io.custodia.records;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import io.custodia.keys.KeyManagement;

/**
 * What the consent ledger needs of the store: a subject's records by activity without reading their content
 * (restricted ones included and marked), and sealing a small value with the subject's own key, so that it
 * goes when the subject is erased. Erasing a record is {@link RecordManagement#expire} with a reason.
 */
@Service
public class ConsentBasedData {

	private final Subjects subjects;

	private final PersonalRecords records;

	private final KeyManagement keys;

	ConsentBasedData(Subjects subjects, PersonalRecords records, KeyManagement keys) {
		this.subjects = subjects;
		this.records = records;
		this.keys = keys;
	}

	/** The subject's records still linked to it: id, activity, category, status; no field is read. */
	@Transactional(readOnly = true)
	public List<RetentionCandidate> recordsOf(String tenantId, UUID subjectId) {
		return records.ofSubject(tenantId, subjectId)
			.stream()
			.filter(row -> row.status() != RecordStatus.DEIDENTIFIED)
			.map(row -> new RetentionCandidate(row.id(), row.subjectId(), row.activity(), row.category(), row.status(),
					row.createdAt(), row.facts()))
			.toList();
	}

	/** Seals a value with the subject's key; empty when the tenant has no such live subject. */
	@Transactional(readOnly = true)
	public Optional<byte[]> sealForSubject(String tenantId, UUID subjectId, String label, byte[] plaintext) {
		return subjects.find(tenantId, subjectId)
			.filter(s -> !s.erased())
			.map(s -> RecordManagement.seal(keys.subjectAead(tenantId, subjectId, s.wrappedKey()), plaintext,
					context(tenantId, subjectId, label)));
	}

	/** Opens what {@link #sealForSubject} sealed; empty once the subject is erased (its key is gone). */
	@Transactional(readOnly = true)
	public Optional<byte[]> openForSubject(String tenantId, UUID subjectId, String label, byte[] sealed) {
		return subjects.find(tenantId, subjectId)
			.filter(s -> !s.erased())
			.map(s -> RecordManagement.open(keys.subjectAead(tenantId, subjectId, s.wrappedKey()), sealed,
					context(tenantId, subjectId, label)));
	}

	private static byte[] context(String tenantId, UUID subjectId, String label) {
		return (tenantId + "|" + subjectId + "|" + label).getBytes(StandardCharsets.UTF_8);
	}
}

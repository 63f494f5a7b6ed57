package io.custodia.records;

import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Records an erasure kept restricted because something still keeps them (a legal hold, a legal obligation): the
 * subject asked for them to go, so retention deletes them once nothing does, and nobody lifts their restriction.
 * Whatever deletes a record deletes its mark in the same transaction (each place that deletes records calls
 * {@link #remove}, {@link #removeOfSubject} or {@link #removeTenant}).
 */
@Repository
class PendingErasures {

	private final JdbcClient jdbc;

	PendingErasures(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/** Marks those of these records not marked yet, and returns them. */
	List<UUID> mark(String tenantId, Collection<UUID> recordIds, String reason, Instant now) {
		var already = of(tenantId, recordIds);
		var marked = new java.util.ArrayList<UUID>();
		for (UUID id : recordIds) {
			if (!already.contains(id)) {
				jdbc.sql("insert into erasure_pending (tenant_id, record_id, reason, since) values (?, ?, ?, ?)")
					.params(tenantId, id, Auditing.truncate(reason), Subjects.utc(now))
					.update();
				marked.add(id);
			}
		}
		return marked;
	}

	/** Which of these records are waiting to be erased. */
	Set<UUID> of(String tenantId, Collection<UUID> recordIds) {
		var result = new HashSet<UUID>();
		for (var some : InLists.slices(List.copyOf(recordIds))) {
			if (!some.isEmpty()) {
				result.addAll(jdbc.sql("select record_id from erasure_pending where tenant_id = :tenant and record_id in (:ids)")
					.param("tenant", tenantId)
					.param("ids", some)
					.query(UUID.class)
					.list());
			}
		}
		return result;
	}

	boolean contains(String tenantId, UUID recordId) {
		return !of(tenantId, List.of(recordId)).isEmpty();
	}

	/** The marks of these records, which are being deleted or de-identified. */
	void remove(String tenantId, Collection<UUID> recordIds) {
		for (var some : InLists.slices(List.copyOf(recordIds))) {
			if (!some.isEmpty()) {
				jdbc.sql("delete from erasure_pending where tenant_id = :tenant and record_id in (:ids)")
					.param("tenant", tenantId)
					.param("ids", some)
					.update();
			}
		}
	}

	/** The marks of the subject's records, which are being deleted with it. */
	void removeOfSubject(String tenantId, UUID subjectId) {
		jdbc.sql("""
				delete from erasure_pending where tenant_id = ? and record_id in
				    (select id from personal_record where tenant_id = ? and subject_id = ?)""")
			.params(tenantId, tenantId, subjectId)
			.update();
	}

	void removeTenant(String tenantId) {
		jdbc.sql("delete from erasure_pending where tenant_id = ?").param(tenantId).update();
	}
}

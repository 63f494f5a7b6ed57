package io.custodia.records;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Deletes everything the store holds of a tenant, for the tenant's end (R7): records with their facts, subjects
 * with their wrapped keys and blind indexes. The caller destroys the tenant's keys in the same transaction, which
 * is what makes every copy elsewhere (backups) unreadable; this removes the ciphertext itself.
 */
@Service
public class TenantErasure {

	/** What was deleted: counts only. */
	public record Deleted(long subjects, long records) {
	}

	private final JdbcClient jdbc;

	private final ErasureLock erasureLock;

	private final Subjects subjectRows;

	TenantErasure(JdbcClient jdbc, ErasureLock erasureLock, Subjects subjectRows) {
		this.jdbc = jdbc;
		this.erasureLock = erasureLock;
		this.subjectRows = subjectRows;
	}

	/**
	 * Takes, until the caller's transaction ends, the locks {@link #eraseAllOf} takes: for the tenant's end to check
	 * what may stop it (its legal holds) under them, so that a hold placed meanwhile (which takes the erasure lock)
	 * is either seen or placed after the tenant has gone.
	 */
	@Transactional(propagation = org.springframework.transaction.annotation.Propagation.MANDATORY)
	public void lock(String tenantId) {
		// in the one order (ErasureLock): every subject, so that a record being stored for one commits first, then
		// the erasure lock, so that an import batch in progress finishes first; their records go too
		subjectRows.lockAllOf(tenantId);
		erasureLock.hold(tenantId);
	}

	/**
	 * By the tenant's subjects: the identifiers' own keys do not start with the tenant (V60), and an index of
	 * theirs on it would be one more entry for every identifier stored, for a statement run once per tenant.
	 */
	static final String DELETE_IDENTIFIERS = "delete from subject_identifier where subject_id in "
			+ "(select id from subject where tenant_id = ?)";

	@Transactional
	public Deleted eraseAllOf(String tenantId) {
		lock(tenantId);
		long subjects = jdbc.sql("select count(*) from subject where tenant_id = ? and erased_at is null")
			.param(tenantId)
			.query(Long.class)
			.single();
		long records = jdbc.sql("delete from personal_record where tenant_id = ?").param(tenantId).update();
		jdbc.sql("delete from erasure_pending where tenant_id = ?").param(tenantId).update();
		jdbc.sql(DELETE_IDENTIFIERS).param(tenantId).update();
		jdbc.sql("delete from subject where tenant_id = ?").param(tenantId).update();
		// held until this transaction ends all the same; nothing of the tenant is left to lock after it
		jdbc.sql("delete from erasure_lock where tenant_id = ?").param(tenantId).update();
		return new Deleted(subjects, records);
	}
}

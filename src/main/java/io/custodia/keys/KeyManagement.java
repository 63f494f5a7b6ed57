package io.custodia.keys;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import io.custodia.audit.AuditAction;
import io.custodia.audit.AuditEvent;
import io.custodia.audit.AuditTrail;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.google.crypto.tink.Aead;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.Mac;
import com.google.crypto.tink.TinkProtoKeysetFormat;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import com.google.crypto.tink.mac.PredefinedMacParameters;
import com.google.crypto.tink.prf.PredefinedPrfParameters;
import com.google.crypto.tink.prf.PrfSet;

/**
 * The keys of every tenant and subject. Callers hold wrapped keys (bytes) and ask here for the primitive;
 * nothing outside this module ever sees key material.
 */
@Service
public class KeyManagement {

	/** Blind indexes are this long: 256 bits, collision-free in practice. */
	static final int INDEX_LENGTH = 32;

	private final TenantKeysets store;

	private final RootKey root;

	private final Clock clock;

	private final ApplicationEventPublisher events;

	private final Map<String, TenantPrimitives> tenants = new ConcurrentHashMap<>();

	/** Unwrapping a subject key costs a keyset parse; hot subjects are read many times in a row. */
	private final Cache<String, Aead> subjects = Caffeine.newBuilder()
		.maximumSize(100_000)
		.expireAfterAccess(Duration.ofMinutes(10))
		.build();

	private final AuditTrail audit;

	KeyManagement(TenantKeysets store, RootKey root, Clock clock, ApplicationEventPublisher events, AuditTrail audit) {
		this.store = store;
		this.audit = audit;
		this.root = root;
		this.clock = clock;
		this.events = events;
		Tink.configuration();
	}

	/**
	 * A tenant's keysets, unwrapped once and kept while the process runs; read again when something sealed with
	 * them does not open ({@link #reloaded}).
	 */
	private record TenantPrimitives(KeysetHandle data, Aead dataAead, PrfSet index, Mac audit) {
	}

	/**
	 * Creates the data, index and audit keysets of a new tenant. The tenant's creation, which calls this, is what
	 * records it in the audit trail, so that a tenant's chain begins with its creation.
	 */
	@Transactional
	public void createTenantKeys(String tenantId) {
		try {
			KeysetHandle data = KeysetHandle.generateNew(PredefinedAeadParameters.AES256_GCM);
			KeysetHandle index = KeysetHandle.generateNew(PredefinedPrfParameters.HMAC_SHA256_PRF);
			KeysetHandle audit = KeysetHandle.generateNew(PredefinedMacParameters.HMAC_SHA256_256BITTAG);
			store.insert(wrap(tenantId, data, index, audit), clock.instant());
			events.publishEvent(new TenantKeysCreated(tenantId));
		}
		catch (GeneralSecurityException ex) {
			throw new KeyFailure("cannot create the keys of tenant " + tenantId, ex);
		}
	}

	/** A fresh random key for a new subject, wrapped by the tenant's data key; store the bytes with the subject. */
	public byte[] newSubjectKey(String tenantId, UUID subjectId) {
		SubjectKey key = newSubjectKeyForBatch(tenantId, subjectId);
		subjects.put(tenantId + "/" + subjectId, key.aead());
		return key.wrapped();
	}

	/** A new subject key: the wrapped bytes to store with the subject and the AEAD to seal with. */
	public record SubjectKey(byte[] wrapped, Aead aead) {
	}

	/**
	 * A new subject key for work on many subjects at once (a bulk import), not put in the key cache: the caller
	 * keeps the AEAD for its batch. An import makes hundreds of thousands of keys and opens as many, each used for
	 * one batch; through the cache they pushed out the keys that reads use, and every one of them lived long enough
	 * to be copied into the old generation and die there: in a 1,000,000-record import the collector's concurrent
	 * marking took more CPU than sealing (docs/benchmarks.md, session 6).
	 */
	public SubjectKey newSubjectKeyForBatch(String tenantId, UUID subjectId) {
		try {
			KeysetHandle key = KeysetHandle.generateNew(PredefinedAeadParameters.AES256_GCM);
			byte[] wrapped = TinkProtoKeysetFormat.serializeEncryptedKeyset(key, tenant(tenantId).dataAead(),
					subjectContext(tenantId, subjectId));
			return new SubjectKey(wrapped, key.getPrimitive(Tink.configuration(), Aead.class));
		}
		catch (GeneralSecurityException ex) {
			throw new KeyFailure("cannot create a subject key for tenant " + tenantId, ex);
		}
	}

	/**
	 * The subject's AEAD for work on many subjects at once (a bulk import, a retention run): from the cache if it
	 * is there, else opened and not cached (see {@link #newSubjectKeyForBatch}).
	 */
	public Aead subjectAeadForBatch(String tenantId, UUID subjectId, byte[] wrappedKey) {
		Aead cached = subjects.getIfPresent(tenantId + "/" + subjectId);
		return cached != null ? cached : open(tenantId, subjectId, wrappedKey);
	}

	/** The subject's AEAD, from its wrapped key. */
	public Aead subjectAead(String tenantId, UUID subjectId, byte[] wrappedKey) {
		return subjects.get(tenantId + "/" + subjectId, k -> open(tenantId, subjectId, wrappedKey));
	}

	private Aead open(String tenantId, UUID subjectId, byte[] wrappedKey) {
		try {
			return WrappedKeysets.open(wrappedKey, tenantAead(tenantId), subjectContext(tenantId, subjectId))
				.getPrimitive(Tink.configuration(), Aead.class);
		}
		catch (GeneralSecurityException ex) {
			throw new KeyFailure("cannot unwrap the key of a subject of tenant " + tenantId, ex);
		}
	}

	/**
	 * The tenant's own AEAD, for data that must not be linked to any subject (de-identified records): it stays
	 * readable by the tenant, and nothing in it points back to a person. Subject keys are wrapped with it too.
	 */
	public Aead tenantAead(String tenantId) {
		return new TenantDataAead(tenantId);
	}

	/**
	 * Seals with the primary data key held here; what does not open with the keyset held here is tried once more
	 * with the keyset read again from the database. Another instance (or the command line) may have rotated the
	 * tenant's keys since this one unwrapped them and sealed with the new primary key, which this one did not hold:
	 * that data, subject keys included, stayed unreadable here until a restart.
	 */
	private final class TenantDataAead implements Aead {

		private final String tenantId;

		TenantDataAead(String tenantId) {
			this.tenantId = tenantId;
		}

		@Override
		public byte[] encrypt(byte[] plaintext, byte[] associatedData) throws GeneralSecurityException {
			return tenant(tenantId).dataAead().encrypt(plaintext, associatedData);
		}

		@Override
		public byte[] decrypt(byte[] ciphertext, byte[] associatedData) throws GeneralSecurityException {
			try {
				return tenant(tenantId).dataAead().decrypt(ciphertext, associatedData);
			}
			catch (GeneralSecurityException ex) {
				return reloaded(tenantId).dataAead().decrypt(ciphertext, associatedData);
			}
		}
	}

	/** Drops an erased subject's key from memory; the caller has deleted the wrapped key in the same transaction. */
	public void forgetSubject(String tenantId, UUID subjectId) {
		subjects.invalidate(tenantId + "/" + subjectId);
	}

	/** Wraps a subject key again under the tenant's current primary key (after a tenant key rotation). */
	public byte[] rewrapSubjectKey(String tenantId, UUID subjectId, byte[] wrappedKey) {
		try {
			Aead tenantAead = tenantAead(tenantId);
			byte[] context = subjectContext(tenantId, subjectId);
			KeysetHandle key = WrappedKeysets.open(wrappedKey, tenantAead, context);
			return TinkProtoKeysetFormat.serializeEncryptedKeyset(key, tenantAead, context);
		}
		catch (GeneralSecurityException ex) {
			throw new KeyFailure("cannot rewrap a subject key of tenant " + tenantId, ex);
		}
	}

	/**
	 * The blind index of an identifier: a keyed PRF of its kind and normalised value. Equal identifiers of a
	 * tenant meet; nobody without the tenant's index key can compute or reverse one.
	 */
	public byte[] blindIndex(String tenantId, String kind, String normalisedValue) {
		try {
			return tenant(tenantId).index()
				.computePrimary((kind + "\u0000" + normalisedValue).getBytes(StandardCharsets.UTF_8), INDEX_LENGTH);
		}
		catch (GeneralSecurityException ex) {
			throw new KeyFailure("cannot compute a blind index for tenant " + tenantId, ex);
		}
	}

	/** The tenant's keyed MAC over audit data. */
	public byte[] auditMac(String tenantId, byte[] data) {
		try {
			return tenant(tenantId).audit().computeMac(data);
		}
		catch (GeneralSecurityException ex) {
			throw new KeyFailure("cannot compute the audit MAC of tenant " + tenantId, ex);
		}
	}

	/**
	 * Whether the MAC is the tenant's over the data. One that does not verify is tried once more with the keysets
	 * read again, as {@link TenantDataAead} does: another instance may have sealed it with a newer audit key.
	 */
	public boolean verifyAuditMac(String tenantId, byte[] mac, byte[] data) {
		try {
			tenant(tenantId).audit().verifyMac(mac, data);
			return true;
		}
		catch (GeneralSecurityException ex) {
			try {
				reloaded(tenantId).audit().verifyMac(mac, data);
				return true;
			}
			catch (GeneralSecurityException again) {
				return false;
			}
		}
	}

	/**
	 * Rotates a tenant's data and audit keys: a new primary key wraps new subject keys and signs new audit
	 * entries; the old keys stay in the keyset for reading and verifying, so nothing stops. Blind indexes keep
	 * their key, since rotating it would orphan every index.
	 */
	@Transactional
	public void rotateTenantKeys(String tenantId) {
		try {
			// locked until commit, so that a rotation at the same time does not write its copy over this one
			var wrapped = store.findForUpdate(tenantId).filter(k -> !k.destroyed()).orElseThrow(() -> noKeys(tenantId));
			KeysetHandle data = addPrimary(unwrap(tenantId, "data", wrapped.data()), PredefinedAeadParameters.AES256_GCM);
			KeysetHandle audit = addPrimary(unwrap(tenantId, "audit", wrapped.audit()),
					PredefinedMacParameters.HMAC_SHA256_256BITTAG);
			KeysetHandle index = unwrap(tenantId, "index", wrapped.index());
			store.update(wrap(tenantId, data, index, audit), clock.instant());
			// used here only once stored: sealing with a primary key of a rotation that is then rolled back would
			// leave data that no keyset in the database opens
			TenantPrimitives rotated = primitives(data, index, audit);
			afterCommit(() -> tenants.put(tenantId, rotated));
			keyEvent(tenantId, AuditAction.KEY_ROTATED, "tenant key rotation", Map.of("keysets", "data,audit"));
			events.publishEvent(new TenantKeysRotated(tenantId));
		}
		catch (GeneralSecurityException ex) {
			throw new KeyFailure("cannot rotate the keys of tenant " + tenantId, ex);
		}
	}

	/**
	 * Rotates the root key: a new primary key in the root keyset file, then every tenant's keysets wrapped
	 * again under it, in one transaction. The old root key stays in the file so that instances still holding it
	 * keep working until they restart. The file is on disk before the transaction commits.
	 */
	@Transactional
	public void rotateRootKey() {
		try {
			// every live tenant's row locked first, so that a tenant rotation at the same time either commits before
			// these are read or waits for this commit, and a second root rotation (another process) waits before it
			// reads the root keyset file
			var live = store.lockLive();
			root.rotate();
			for (var wrapped : live) {
				if (wrapped.destroyed() || wrapped.data() == null) {
					// its keys were destroyed by a termination this waited for (a database that hands out the row
					// as it was read, not as it is once locked)
					continue;
				}
				String tenantId = wrapped.tenantId();
				store.update(wrap(tenantId, unwrap(tenantId, "data", wrapped.data()), unwrap(tenantId, "index", wrapped.index()),
						unwrap(tenantId, "audit", wrapped.audit())), clock.instant());
				keyEvent(tenantId, AuditAction.KEY_ROTATED, "root key rotation",
						Map.of("root_key_id", Long.toString(root.primaryKeyId())));
			}
			events.publishEvent(new RootKeyRotated(root.primaryKeyId()));
		}
		catch (GeneralSecurityException | IOException ex) {
			throw new KeyFailure("cannot rotate the root key", ex);
		}
	}

	/**
	 * Locks the tenant's key row until the caller's transaction ends; true if the tenant still has keys. What ends with
	 * the tenant's keys destroyed (its termination) takes this before any other lock, as the rotations do (the key
	 * rows, then the audit heads): otherwise a root rotation holding the key rows and waiting for the tenant's audit
	 * head, and a termination holding that head and waiting for the key row, each waited for the other until the
	 * lock timeout or the database's deadlock detection failed one of them.
	 */
	@Transactional(propagation = org.springframework.transaction.annotation.Propagation.MANDATORY)
	public boolean lockTenantKeys(String tenantId) {
		return store.findForUpdate(tenantId).filter(wrapped -> !wrapped.destroyed()).isPresent();
	}

	/** Destroys a tenant's keys: everything of the tenant, in the database and in every backup, is unreadable. */
	@Transactional
	public void destroyTenantKeys(String tenantId) {
		// the last entry sealed with the tenant's audit key: after this nothing of the tenant can be sealed or opened
		keyEvent(tenantId, AuditAction.KEY_DESTROYED, "tenant keys destroyed", Map.of("keysets", "data,index,audit"));
		store.destroy(tenantId, clock.instant());
		forgetTenant(tenantId);
		// and again once committed: a read between this and the commit may have unwrapped the keys once more
		afterCommit(() -> forgetTenant(tenantId));
		events.publishEvent(new TenantKeysDestroyed(tenantId));
	}

	private void forgetTenant(String tenantId) {
		tenants.remove(tenantId);
		subjects.asMap().keySet().removeIf(key -> key.startsWith(tenantId + "/"));
	}

	private void keyEvent(String tenantId, AuditAction action, String reason, Map<String, String> details) {
		audit.record(new AuditEvent(tenantId, "system:keys", action, null, null, reason, details));
	}

	/**
	 * Forgets every unwrapped key and reads the root keyset file again; keys are unwrapped again on next use. After
	 * a root rotation by another process this is what lets this one open the keysets wrapped under the new key.
	 */
	public void clearCaches() {
		try {
			root.reload();
		}
		catch (GeneralSecurityException | IOException ex) {
			throw new KeyFailure("cannot read the root keyset again from " + root.file(), ex);
		}
		tenants.clear();
		subjects.invalidateAll();
	}

	/** Whether the tenant has live keys. */
	public boolean hasKeys(String tenantId) {
		return store.find(tenantId).filter(k -> !k.destroyed()).isPresent();
	}

	private TenantPrimitives tenant(String tenantId) {
		return tenants.computeIfAbsent(tenantId,
				id -> load(store.find(id).filter(k -> !k.destroyed()).orElseThrow(() -> noKeys(id))));
	}

	/**
	 * The tenant's keysets read again from the database, for what did not open with those held here (see
	 * {@link TenantDataAead}). Only a failure reads again, so reads that succeed cost nothing more; the ones that
	 * fail are rare (data sealed under a newer key, or a wrong key: a bug or an attack), and each reads one row.
	 * The keysets held here are replaced only by keysets that opened: they are never worse than before.
	 */
	private TenantPrimitives reloaded(String tenantId) {
		var wrapped = store.find(tenantId).filter(k -> !k.destroyed());
		if (wrapped.isEmpty()) {
			// destroyed meanwhile by another instance: what this one holds must go as well
			forgetTenant(tenantId);
			throw noKeys(tenantId);
		}
		TenantPrimitives fresh = load(wrapped.get());
		tenants.put(tenantId, fresh);
		return fresh;
	}

	private TenantPrimitives load(TenantKeysets.Wrapped wrapped) {
		String id = wrapped.tenantId();
		try {
			try {
				return unwrapAll(wrapped);
			}
			catch (GeneralSecurityException ex) {
				// another process may have rotated the root key and wrapped these keysets under its new primary
				// key: read the root keyset file again, once
				root.reload();
				return unwrapAll(wrapped);
			}
		}
		catch (GeneralSecurityException | IOException ex) {
			throw new KeyFailure("cannot unwrap the keys of tenant " + id + " with the root key", ex);
		}
	}

	private TenantPrimitives unwrapAll(TenantKeysets.Wrapped wrapped) throws GeneralSecurityException {
		String id = wrapped.tenantId();
		return primitives(unwrap(id, "data", wrapped.data()), unwrap(id, "index", wrapped.index()),
				unwrap(id, "audit", wrapped.audit()));
	}

	private static KeyFailure noKeys(String tenantId) {
		return new KeyFailure("tenant " + tenantId + " has no keys (never created, or destroyed)", null);
	}

	/** Runs once the caller's transaction has committed (and not if it rolls back), or now outside one. */
	private static void afterCommit(Runnable action) {
		if (!TransactionSynchronizationManager.isSynchronizationActive()) {
			action.run();
			return;
		}
		TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
			@Override
			public void afterCommit() {
				action.run();
			}
		});
	}

	private static TenantPrimitives primitives(KeysetHandle data, KeysetHandle index, KeysetHandle audit)
			throws GeneralSecurityException {
		return new TenantPrimitives(data, data.getPrimitive(Tink.configuration(), Aead.class),
				index.getPrimitive(Tink.configuration(), PrfSet.class), audit.getPrimitive(Tink.configuration(), Mac.class));
	}

	private TenantKeysets.Wrapped wrap(String tenantId, KeysetHandle data, KeysetHandle index, KeysetHandle audit)
			throws GeneralSecurityException {
		Aead rootAead = root.aead();
		return new TenantKeysets.Wrapped(tenantId,
				TinkProtoKeysetFormat.serializeEncryptedKeyset(data, rootAead, tenantContext(tenantId, "data")),
				TinkProtoKeysetFormat.serializeEncryptedKeyset(index, rootAead, tenantContext(tenantId, "index")),
				TinkProtoKeysetFormat.serializeEncryptedKeyset(audit, rootAead, tenantContext(tenantId, "audit")),
				root.primaryKeyId(), false);
	}

	private KeysetHandle unwrap(String tenantId, String purpose, byte[] wrapped) throws GeneralSecurityException {
		return TinkProtoKeysetFormat.parseEncryptedKeyset(wrapped, root.aead(), tenantContext(tenantId, purpose));
	}

	private static KeysetHandle addPrimary(KeysetHandle handle, com.google.crypto.tink.Parameters parameters)
			throws GeneralSecurityException {
		return KeysetHandle.newBuilder(handle)
			.addEntry(KeysetHandle.generateEntryFromParameters(parameters).withRandomId().makePrimary())
			.build();
	}

	/** Associated data binding a wrapped keyset to its tenant and purpose: a keyset copied elsewhere will not open. */
	private static byte[] tenantContext(String tenantId, String purpose) {
		return ("custodia/tenant/" + tenantId + "/" + purpose).getBytes(StandardCharsets.UTF_8);
	}

	private static byte[] subjectContext(String tenantId, UUID subjectId) {
		return ("custodia/subject/" + tenantId + "/" + subjectId).getBytes(StandardCharsets.UTF_8);
	}
}

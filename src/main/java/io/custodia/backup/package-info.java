/**
 * Backups and the erasure ledger (R6). A backup is the database (a portable JDBC export of every table) and the
 * files directory, streamed through Tink streaming AEAD under a key of its own, kept in the service key store
 * (never in the database, never in a backup); when the backup expires its key is destroyed and nobody, the
 * holder of the root key included, can read it again. The erasure ledger is an append-only, MAC-chained file
 * outside the database and outside backups, holding only ids: every subject erasure, file deletion and tenant
 * termination. After a restore its entries since the backup are applied again, by the module that owns each kind
 * ({@link io.custodia.backup.ErasureReplay}). May use keys and records (the {@code SubjectErased} event, erasure).
 */
@org.springframework.modulith.ApplicationModule(displayName = "Backups and erasure ledger")
package io.custodia.backup;

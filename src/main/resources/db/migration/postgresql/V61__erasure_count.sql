-- A count of a tenant's erasures, kept on its erasure lock's row (records.ErasureLock): every transaction that
-- erases subjects adds one before it commits, under that row's lock (the tenant's end deletes the row instead, and
-- a new one starts from a random number). An import batch takes the lock and
-- reads the count; while it has not changed since an earlier batch, no subject that batch found can have been
-- erased since, so the import need not read their rows again (a tenth of its writing thread, docs/benchmarks.md,
-- session 14). Only ever compared for equality, never read as a number of anything.
alter table erasure_lock add column erasures bigint default 0 not null;

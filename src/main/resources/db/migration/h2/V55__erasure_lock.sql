-- A tenant's erasure lock (records.ErasureLock): a row per tenant, made the first time it is taken, locked by
-- erasures and import batches so that an erasure never misses what a batch in progress stores for its subject.
create table erasure_lock (
    tenant_id varchar(63) primary key
);

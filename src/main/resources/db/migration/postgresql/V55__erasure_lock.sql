-- A tenant's erasure lock (records.ErasureLock): a row per tenant, locked by erasures and import batches so that
-- an erasure never misses what a batch in progress stores for its subject. Rows of later tenants are made when
-- first taken.
create table erasure_lock (
    tenant_id varchar(63) primary key
);
insert into erasure_lock (tenant_id) select id from tenant;

-- A tenant's keysets, each encrypted under the root key with the tenant and purpose as associated data.
-- No foreign key to tenant: the row outlives the tenant as the record that its keys were destroyed.
create table tenant_key (
    tenant_id     varchar(63) primary key,
    data_keyset   bytea,
    index_keyset  bytea,
    audit_keyset  bytea,
    root_key_id   bigint not null,
    created_at    timestamp with time zone not null,
    rotated_at    timestamp with time zone,
    destroyed_at  timestamp with time zone
);

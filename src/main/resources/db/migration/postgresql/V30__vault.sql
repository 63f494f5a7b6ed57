-- The file vault. A file's content lives in the blob store, encrypted with the file's own streaming-AEAD key;
-- that key, wrapped by the tenant's data key, lives only here: deleting the row makes every copy of the blob
-- unreadable. The path is sealed with the tenant key and found by its keyed blind index.
create table vault_file (
    id          uuid          primary key,
    tenant_id   varchar(63)   not null,
    path_index  bytea not null,
    sealed_path bytea not null,
    wrapped_key bytea not null,
    plain_size  bigint        not null,
    created_at  timestamp with time zone not null,
    updated_at  timestamp with time zone not null
);
create unique index vault_file_path on vault_file (tenant_id, path_index);

-- What a tenant's vault holds, kept in step with vault_file in the same transactions; the row is locked to
-- admit one upload at a time against the quota. Null limits mean the configured defaults.
create table vault_usage (
    tenant_id  varchar(63) primary key,
    used_bytes bigint      not null,
    used_files bigint      not null,
    max_bytes  bigint,
    max_files  bigint
);

-- Operators (the hosting provider's staff): their own keys, not any tenant's; only a SHA-256 of the secret.
create table vault_operator (
    id          varchar(32)   primary key,
    label       varchar(200)  not null,
    secret_hash bytea not null,
    created_at  timestamp with time zone not null,
    revoked_at  timestamp with time zone
);

-- An operator's access to one tenant's folder or file, requested by the operator, decided by the tenant.
-- Folder and reason are sealed with the tenant key.
create table vault_grant (
    id               uuid        primary key,
    tenant_id        varchar(63) not null,
    operator_id      varchar(32) not null references vault_operator (id),
    file_id          uuid,
    sealed_folder    bytea,
    sealed_reason    bytea not null,
    duration_seconds bigint      not null,
    status           varchar(16) not null,
    requested_at     timestamp with time zone not null,
    decided_at       timestamp with time zone,
    decided_by       varchar(200),
    expires_at       timestamp with time zone,
    revoked_at       timestamp with time zone
);
create index vault_grant_tenant on vault_grant (tenant_id, requested_at);
create index vault_grant_operator on vault_grant (operator_id, requested_at);

-- Every read an operator made under a grant, for the tenant to see (each one is also in the audit trail).
create table vault_operator_read (
    id          uuid        primary key,
    grant_id    uuid        not null,
    tenant_id   varchar(63) not null,
    operator_id varchar(32) not null,
    file_id     uuid,
    kind        varchar(16) not null,
    byte_range  varchar(100),
    read_at     timestamp with time zone not null
);
create index vault_operator_read_tenant on vault_operator_read (tenant_id, read_at);

-- The audit trail: per tenant, a chain of entries, each sealed by a keyed MAC over its content and the previous
-- entry's MAC. No foreign key to tenant: the audit of a tenant must outlive the tenant's deletion.
-- Entries hold ids, references and counts, never plaintext personal data.
create table audit_entry (
    tenant_id      varchar(63)  not null,
    sequence       bigint       not null check (sequence >= 1),
    at             timestamp with time zone not null,
    actor          varchar(200) not null,
    action         varchar(40)  not null,
    subject_id     uuid,
    record_id      uuid,
    reason         varchar(500),
    -- a JSON object of texts with sorted keys
    details        clob         not null,
    -- MACs: Tink HMAC-SHA256 gives 37 bytes (a 5-byte key id and a 32-byte tag); room for SHA-512 tags
    previous_hash  varbinary(128) not null,
    hash           varbinary(128) not null,
    primary key (tenant_id, sequence)
);

create index audit_entry_subject on audit_entry (tenant_id, subject_id);
create index audit_entry_record on audit_entry (tenant_id, record_id);

-- Where each tenant's chain ends. Appends lock this row, so one tenant's appends follow each other without gaps;
-- verification compares it with the last entry, so entries deleted from the end are noticed.
create table audit_head (
    tenant_id  varchar(63)  primary key,
    sequence   bigint       not null,
    hash       varbinary(128) not null
);

-- API keys: only a SHA-256 of the secret part is stored; the key is shown once, when issued.
create table api_key (
    id          varchar(32)  primary key,
    tenant_id   varchar(63)  not null references tenant (id),
    role        varchar(32)  not null,
    label       varchar(200) not null,
    secret_hash varbinary(32) not null,
    created_at  timestamp with time zone not null,
    revoked_at  timestamp with time zone
);

-- A person known to a tenant. The wrapped key is the only way to their data; erasure clears it.
create table subject (
    id          uuid         primary key,
    tenant_id   varchar(63)  not null,
    wrapped_key varbinary(4096),
    created_at  timestamp with time zone not null,
    erased_at   timestamp with time zone
);
create index subject_tenant on subject (tenant_id);

-- Identifiers only as keyed blind indexes: equal values meet, nobody without the index key can read one.
create table subject_identifier (
    tenant_id   varchar(63)  not null,
    kind        varchar(32)  not null,
    blind_index varbinary(32) not null,
    subject_id  uuid         not null references subject (id) on delete cascade,
    primary key (tenant_id, kind, blind_index)
);
create index subject_identifier_subject on subject_identifier (subject_id);

-- Personal data under one activity and category; fields sealed with the subject key (AEAD, associated
-- data tenant|subject|record). A de-identified record has no subject and is sealed with the tenant key.
create table personal_record (
    id               uuid         primary key,
    tenant_id        varchar(63)  not null,
    subject_id       uuid         references subject (id),
    activity         varchar(63)  not null,
    category         varchar(63)  not null,
    client_record_id varchar(200),
    sealed_fields    varbinary(1048576) not null,
    status           varchar(16)  not null,
    created_at       timestamp with time zone not null,
    updated_at       timestamp with time zone not null
);
create index personal_record_subject on personal_record (tenant_id, subject_id);
create unique index personal_record_client_id on personal_record (tenant_id, client_record_id);

-- Lifecycle facts that start retention clocks (dates) or choose the rule (states). Not personal data by
-- themselves: names come from the policy, values are dates or declared state values.
create table record_fact (
    record_id   uuid        not null references personal_record (id) on delete cascade,
    name        varchar(63) not null,
    date_value  date,
    state_value varchar(63),
    primary key (record_id, name)
);

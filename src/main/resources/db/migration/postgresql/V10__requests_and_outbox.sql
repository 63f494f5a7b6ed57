-- Data-subject requests (R17). Who asked (the e-mail address) and what they wrote are sealed with the tenant
-- key; the address is found again only through its keyed blind index.
create table data_request (
    id                  uuid         primary key,
    tenant_id           varchar(63)  not null,
    type                varchar(32)  not null,
    state               varchar(16)  not null,
    channel             varchar(32)  not null,
    subject_id          uuid,
    email_index         bytea,
    email_sealed        bytea,
    details_sealed      bytea,
    received_at         timestamp with time zone not null,
    received_on         date         not null,
    due_on              date         not null,
    extension_reason    varchar(1000),
    verified_at         timestamp with time zone,
    verification_method varchar(100),
    verification_reason varchar(1000),
    answer_sealed       bytea,
    refusal_reason      varchar(1000),
    closed_at           timestamp with time zone,
    updated_at          timestamp with time zone not null
);
create index data_request_open on data_request (tenant_id, state, due_on);
create index data_request_email on data_request (tenant_id, email_index);

-- One-time codes: only a keyed hash of the code is kept; it expires and allows a few tries.
create table request_code (
    request_id  uuid         primary key references data_request (id) on delete cascade,
    code_hash   bytea        not null,
    expires_at  timestamp with time zone not null,
    failures    integer      not null,
    used_at     timestamp with time zone
);

-- Access packages waiting for download: sealed with the tenant key, deleted once downloaded or expired.
create table request_download (
    request_id  uuid         primary key references data_request (id) on delete cascade,
    tenant_id   varchar(63)  not null,
    token_hash  bytea        not null,
    package     bytea        not null,
    expires_at  timestamp with time zone not null
);

-- Objections and the marketing suppression list (R15, R16), keyed by a blind index of the subject (and of
-- its e-mail address where one is known), per activity ('*marketing' for every marketing activity).
create table suppression (
    id           uuid         primary key,
    tenant_id    varchar(63)  not null,
    kind         varchar(16)  not null,
    blind_index  bytea        not null,
    activity     varchar(63)  not null,
    request_id   uuid,
    created_at   timestamp with time zone not null,
    grounds      varchar(1000),
    lifted_at    timestamp with time zone
);
create index suppression_lookup on suppression (tenant_id, blind_index, activity);

-- Outbox: messages written in the same transaction as the change they announce, delivered afterwards with
-- retries; a message that keeps failing is dead (the dead-letter list) until retried by hand.
create table outbox_message (
    id              uuid         primary key,
    tenant_id       varchar(63)  not null,
    kind            varchar(16)  not null,
    destination     varchar(1000),
    sealed          bytea        not null,
    created_at      timestamp with time zone not null,
    attempts        integer      not null,
    next_attempt_at timestamp with time zone not null,
    delivered_at    timestamp with time zone,
    dead            boolean      not null,
    last_error      varchar(500)
);
create index outbox_due on outbox_message (delivered_at, dead, next_attempt_at);
create index outbox_tenant on outbox_message (tenant_id, dead);

-- Where each recipient of a tenant's policy takes its webhooks.
create table webhook_endpoint (
    tenant_id   varchar(63)  not null,
    recipient   varchar(63)  not null,
    url         varchar(1000) not null,
    updated_at  timestamp with time zone not null,
    primary key (tenant_id, recipient)
);

-- The tenant's webhook signing key (HMAC-SHA256, a Tink keyset sealed with the tenant's data key).
create table webhook_key (
    tenant_id   varchar(63)  primary key,
    keyset      bytea        not null,
    created_at  timestamp with time zone not null
);

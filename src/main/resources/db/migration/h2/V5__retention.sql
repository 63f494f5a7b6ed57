-- Legal holds (R5): a reference, what they cover, why, and when to look at them again.
create table legal_hold (
    id           uuid         primary key,
    tenant_id    varchar(63)  not null,
    reference    varchar(200) not null,
    scope        varchar(16)  not null,
    scope_id     varchar(63)  not null,
    reason       varchar(1000) not null,
    review_date  date         not null,
    placed_by    varchar(100) not null,
    placed_at    timestamp with time zone not null,
    released_by  varchar(100),
    released_at  timestamp with time zone
);
create index legal_hold_tenant on legal_hold (tenant_id, released_at);

-- Records whose minimum retention has run and that wait for a person's decision.
create table retention_review (
    tenant_id   varchar(63) not null,
    record_id   uuid        not null,
    rule_id     varchar(63) not null,
    due         date        not null,
    queued_at   timestamp with time zone not null,
    primary key (tenant_id, record_id)
);

-- ShedLock: one instance at a time runs a scheduled job.
create table shedlock (
    name       varchar(64)  primary key,
    lock_until timestamp with time zone not null,
    locked_at  timestamp with time zone not null,
    locked_by  varchar(255) not null
);

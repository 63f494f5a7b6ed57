-- Records an erasure (a request, a consent withdrawal) could not delete yet, because a legal hold or a legal
-- obligation keeps them, and restricted instead: retention deletes them once nothing keeps them any more, rather
-- than skipping them as restricted for ever. A row whose record is gone means nothing and is removed when seen.
create table erasure_pending (
    tenant_id varchar(63)  not null,
    record_id uuid         not null,
    reason    varchar(500) not null,
    since     timestamp with time zone not null,
    primary key (tenant_id, record_id)
);

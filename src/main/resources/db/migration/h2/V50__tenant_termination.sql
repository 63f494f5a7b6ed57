-- A tenant's end: when, and the signed deletion certificate issued for it. No foreign key: the tenant row stays
-- as the mark that its id is used, while its data, files and keys are gone.
create table tenant_termination (
    tenant_id      varchar(63) primary key,
    terminated_at  timestamp with time zone not null,
    certificate    clob not null
);

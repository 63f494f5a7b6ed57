-- A tenant is one organisation with its own policy (and, from later versions, its own keys and data).
create table tenant (
    id          varchar(63)  primary key,
    name        varchar(200) not null,
    created_at  timestamp with time zone not null
);

-- Every published version of a tenant's policy, kept verbatim: the notice of any date can be shown again.
create table policy_version (
    tenant_id     varchar(63)  not null references tenant (id),
    version       varchar(64)  not null,
    effective     date         not null,
    source        text         not null,
    source_sha256 char(64)     not null,
    published_at  timestamp with time zone not null,
    primary key (tenant_id, version)
);

create index policy_version_effective on policy_version (tenant_id, effective);

-- Licensing: entitlements per tenant, one row per seat. A lease is a seat row holding a lease id; taking a seat
-- is a conditional update of a free row, so when clients race for the last seat exactly one update succeeds.
create table licence_entitlement (
    id           uuid          primary key,
    tenant_id    varchar(63)   not null,
    product      varchar(100)  not null,
    seats        int           not null check (seats >= 1),
    valid_from   timestamp with time zone not null,
    valid_until  timestamp with time zone not null,
    created_at   timestamp with time zone not null
);
create index licence_entitlement_product on licence_entitlement (tenant_id, product);

create table licence_seat (
    entitlement_id uuid        not null references licence_entitlement (id) on delete cascade,
    slot           int         not null,
    tenant_id      varchar(63) not null,
    lease_id       uuid,
    -- the client's user and host names sealed with the tenant key (AEAD), cleared at check-in or expiry
    holder_sealed  varbinary(1024),
    checked_out_at timestamp with time zone,
    expires_at     timestamp with time zone,
    primary key (entitlement_id, slot)
);
create unique index licence_seat_lease on licence_seat (lease_id);
create index licence_seat_free on licence_seat (entitlement_id, lease_id);
create index licence_seat_expiry on licence_seat (entitlement_id, expires_at);

-- Each tenant's lease-signing keyset (Ed25519), wrapped by the tenant's data key; the public half is published.
create table licence_signing_key (
    tenant_id     varchar(63)    primary key,
    wrapped_key   varbinary(2048) not null,
    public_keyset varchar(4000)  not null,
    created_at    timestamp with time zone not null
);

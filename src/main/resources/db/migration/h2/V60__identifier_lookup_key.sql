-- An identifier is found by its blind index (a keyed PRF of kind and value, per tenant). Its primary key is now
-- the index's first 8 bytes as a number, `lookup`: on H2 a table whose primary key is one BIGINT column keeps its
-- rows under that key, so finding a subject by an identifier reads one B-tree instead of the (tenant, kind, blind
-- index) index and then the rows, and storing one writes two entries (its row, its subject's index) instead of
-- three. Two different identifiers with the same first 8 bytes cannot both be stored: the second is refused, never
-- joined to the first (look-ups compare tenant, kind and the whole blind index). docs/architecture.md says why.
-- A new table, not an altered one: H2 keeps rows under a BIGINT primary key only for a table that is empty when
-- the key is made.
create table subject_identifier_by_lookup (
    lookup      bigint       primary key,
    tenant_id   varchar(63)  not null,
    kind        varchar(32)  not null,
    blind_index varbinary(32) not null,
    subject_id  uuid         not null references subject (id) on delete cascade
);
insert into subject_identifier_by_lookup (lookup, tenant_id, kind, blind_index, subject_id)
    select cast(substring(blind_index from 1 for 8) as bigint), tenant_id, kind, blind_index, subject_id
    from subject_identifier;
drop table subject_identifier;
alter table subject_identifier_by_lookup rename to subject_identifier;

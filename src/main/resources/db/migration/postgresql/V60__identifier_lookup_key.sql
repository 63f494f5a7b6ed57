-- An identifier is found by its blind index (a keyed PRF of kind and value, per tenant). Its primary key is now
-- the index's first 8 bytes as a number, `lookup`: a smaller key than (tenant, kind, blind index), and on H2 the
-- key its rows are kept under (see the H2 migration). Two different identifiers with the same first 8 bytes cannot
-- both be stored: the second is refused, never joined to the first (look-ups compare tenant, kind and the whole
-- blind index).
alter table subject_identifier add column lookup bigint;
update subject_identifier set lookup = ('x' || encode(substring(blind_index from 1 for 8), 'hex'))::bit(64)::bigint;
alter table subject_identifier alter column lookup set not null;
alter table subject_identifier drop constraint subject_identifier_pkey;
alter table subject_identifier add constraint subject_identifier_pkey primary key (lookup);

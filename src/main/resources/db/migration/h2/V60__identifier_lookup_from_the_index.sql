-- Finding a subject by an identifier reads its subject id from this index alone: with only the primary key on
-- (tenant_id, kind, blind_index) the embedded database found the entry in that index and then read the row for
-- subject_id, a second page that among a million subjects is mostly outside its cache.
create index subject_identifier_lookup on subject_identifier (tenant_id, kind, blind_index, subject_id);

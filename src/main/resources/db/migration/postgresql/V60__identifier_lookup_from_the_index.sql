-- Finding a subject by an identifier reads its subject id from this index alone (an index-only scan), as on the
-- embedded database, instead of the primary key and then the row.
create index subject_identifier_lookup on subject_identifier (tenant_id, kind, blind_index) include (subject_id);

-- H2 gives a foreign key an index of its own when no index starts with its columns. personal_record.subject_id
-- and subject_identifier.subject_id got one each when their tables were made, and V4 then added its own on
-- (tenant_id, subject_id) and (subject_id): two indexes for the same look-ups, so every record and identifier
-- stored wrote one B-tree entry more than it needs, and every commit walked it (a sixth of an import's time is
-- the commit). The foreign keys' own indexes serve those look-ups (a subject is one tenant's, so subject_id
-- alone finds its rows; EXPLAIN shows them chosen for reads, erasures and the row-value IN lists).
-- PostgreSQL makes no index for a foreign key, so its V4 indexes are its only ones and stay.
drop index personal_record_subject;
drop index subject_identifier_subject;

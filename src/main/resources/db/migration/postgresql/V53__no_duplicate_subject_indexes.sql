-- Nothing to do on PostgreSQL: it makes no index of its own for a foreign key, so the indexes V4 added on
-- personal_record (tenant_id, subject_id) and subject_identifier (subject_id) are the only ones. On H2 this
-- version drops the duplicates. Kept so that both databases report the same schema version.
select 1;

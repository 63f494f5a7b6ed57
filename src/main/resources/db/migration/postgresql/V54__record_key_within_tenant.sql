-- A record is found by its tenant and id, never by id alone (tenant isolation), and retention walks a tenant's
-- records in id order: one index on (tenant_id, id) serves both. Until now there were two, the primary key on id
-- and V6's (tenant_id, id), so every record stored, changed or deleted wrote an index entry more than it needs.
-- Ids stay unique across tenants (time-ordered random UUIDs); nothing refers to a record by id alone.
alter table personal_record drop constraint personal_record_pkey, add constraint personal_record_pkey primary key (tenant_id, id);
drop index personal_record_tenant_id;

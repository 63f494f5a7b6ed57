-- Retention walks a tenant's records in id order, a page at a time; without this index the planner takes the
-- (tenant, subject) index and sorts the tenant's whole table for every page.
create index personal_record_tenant_id on personal_record (tenant_id, id);

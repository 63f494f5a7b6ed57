-- The subject table's index on tenant_id served only the tenant's end (TenantErasure: lock, count and delete its
-- subjects and their identifiers), once per tenant. Every subject stored wrote an entry to it, and every commit
-- walked that entry again: one of the five B-tree entries a new subject costs (row, primary key, this index,
-- identifier row, identifier's subject index). The tenant's end now scans the whole subject table, all tenants'
-- rows, once; an import of new people writes a fifth fewer entries for them (docs/benchmarks.md, session 17).
drop index subject_tenant;

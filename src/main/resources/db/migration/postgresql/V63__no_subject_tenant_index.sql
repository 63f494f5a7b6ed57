-- As on H2 (its V63 says why): the index on tenant_id served only the tenant's end, once per tenant, and cost
-- every subject stored an index entry. The tenant's end now scans the subject table.
drop index subject_tenant;

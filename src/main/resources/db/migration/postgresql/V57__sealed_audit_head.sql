-- The head of each tenant's audit chain is sealed: a MAC under the tenant's audit key over the tenant, the last
-- sequence number and hash, so that whoever can write the database cannot set the head back after deleting entries
-- from the end. Null for a head written before this version; the tenant's next audited act seals it.
alter table audit_head add column mac bytea;

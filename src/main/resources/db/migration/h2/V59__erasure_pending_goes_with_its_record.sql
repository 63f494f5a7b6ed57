-- V58's marks of records that are gone: an outright erasure, a later request and the tenant's end deleted the
-- record and left its mark behind. They now delete the mark with the record (PendingErasures); these are the ones
-- left before. Not a foreign key with a cascade: the database would then check the marks for every record deleted
-- or de-identified, for a table that is all but empty, and a retention run over a million records measured with it
-- was 2.1 x a plain delete (1.9 x the run before, 1.7 x after; docs/benchmarks.md, session 11).
delete from erasure_pending
 where not exists (select 1 from personal_record r where r.tenant_id = erasure_pending.tenant_id and r.id = erasure_pending.record_id);

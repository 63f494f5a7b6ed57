-- V58's marks of records that are gone: an outright erasure, a later request and the tenant's end deleted the
-- record and left its mark behind. They now delete the mark with the record (PendingErasures); these are the ones
-- left before. Not a foreign key with a cascade: on the embedded database it ran a statement per record deleted or
-- de-identified, and made a retention run over a million records a tenth slower for a table that is all but empty.
delete from erasure_pending
 where not exists (select 1 from personal_record r where r.tenant_id = erasure_pending.tenant_id and r.id = erasure_pending.record_id);

-- A record an erasure kept restricted can still go by other ways than the retention run that removes its mark: an
-- outright erasure of its subject, a later erasure request once its hold is released, the tenant's end. V58's
-- rows were left behind then. Tied to the record, a mark goes with it whatever deletes it; the primary key
-- (tenant_id, record_id) is the index the cascade looks through, so a record without a mark costs one lookup in
-- an all but empty index. Marks whose record is gone already are removed first.
delete from erasure_pending
 where not exists (select 1 from personal_record r where r.tenant_id = erasure_pending.tenant_id and r.id = erasure_pending.record_id);
alter table erasure_pending add constraint erasure_pending_record
    foreign key (tenant_id, record_id) references personal_record (tenant_id, id) on delete cascade;

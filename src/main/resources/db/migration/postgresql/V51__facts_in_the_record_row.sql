-- Lifecycle facts move into their record's row, as a JSON object of texts with the names in order
-- ({"contract.ended": "2026-01-31", "application.outcome": "hired"}): they are always read with the record, and
-- a table of their own cost every record a second row, key and index. Names are policy identifiers and values
-- dates or declared state values, so they need no JSON escaping.
alter table personal_record add column facts varchar(8000);

update personal_record r set facts = (
    select '{' || string_agg('"' || f.name || '":"' || coalesce(cast(f.date_value as varchar), f.state_value) || '"', ','
                  order by f.name) || '}'
    from record_fact f where f.record_id = r.id)
where exists (select 1 from record_fact f where f.record_id = r.id);

drop table record_fact;

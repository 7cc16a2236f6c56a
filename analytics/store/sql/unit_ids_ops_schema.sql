-- Unit ids in the operational store (SQLite), migration 0003_unit_ids
-- (issue 14). Users' scopes, reminder contacts, agency leaders and audit
-- entries refer to units of the analytics database by id (agencies.unit_id,
-- never reused); the agency text beside each stays as the spelling given,
-- shown when the analytics database is absent and kept for history.
-- analytics/store/unit_refs.py resolves an id (following merges) to the
-- unit's name today. Adding a column keeps every row: a store written before
-- this migration gets null ids, resolved by their spelling until
-- link_units() attaches them (at the next merge, or any save of the row).

alter table users add column unit_id integer;

alter table contacts add column unit_id integer;

alter table agency_leaders add column unit_id integer;

-- The unit an entry concerns, when it concerns one: a user's unit (account
-- changes, downloads of an agency officer), a merge's target, a unit changed.
alter table audit_log add column unit_id integer;

create index if not exists audit_log_by_unit on audit_log (unit_id) where unit_id is not null;

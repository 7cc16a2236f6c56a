-- Units of the two-tier local government and their lineage: the statements
-- of analytics/store/units.py, one per "-- name:" block. They run inside
-- AnalyticsStore.write().

-- name: agencies
select name, unit_id, level, parent, valid_from, valid_to from agencies order by name;

-- name: overrides
select unit_id, level, kind, parent, valid_from, valid_to from unit_overrides;

-- name: apply_units
-- unit_values(name, level, kind, parent, valid_from, valid_to) is
-- registered by the caller: the officer's values, else the imported ones,
-- else those read from the name.
update agencies set
    level = v.level,
    kind = v.kind,
    parent = v.parent,
    valid_from = v.valid_from,
    valid_to = v.valid_to
from unit_values as v
where agencies.name = v.name;

-- name: delete_override
delete from unit_overrides where unit_id = $unit_id;

-- name: insert_override
insert into unit_overrides (unit_id, level, kind, parent, valid_from, valid_to, set_at)
values ($unit_id, $level, $kind, $parent, $valid_from, $valid_to, $set_at);

-- name: lineage
-- grain: one row per (unit, successor), with both names (a merged unit's id
-- reads as the unit it was merged into).
with

unit_names as (
    select unit_id, name, level from agencies
),

resolved as (
    select
        l.*,
        coalesce(u.unit_id, (select max(al.unit_id) from agency_aliases as al
                             where al.former_unit_id = l.unit_id)) as live_unit_id,
        coalesce(s.unit_id, (select max(al.unit_id) from agency_aliases as al
                             where al.former_unit_id = l.successor_unit_id)) as live_successor_id
    from unit_lineage as l
    left join unit_names as u on u.unit_id = l.unit_id
    left join unit_names as s on s.unit_id = l.successor_unit_id
),

final as (
    select
        r.live_unit_id as unit_id,
        u.name,
        u.level,
        r.live_successor_id as successor_unit_id,
        s.name as successor,
        s.level as successor_level,
        r.effective_on,
        r.rank,
        r.source,
        r.confirmed,
        r.note
    from resolved as r
    left join unit_names as u on u.unit_id = r.live_unit_id
    left join unit_names as s on s.unit_id = r.live_successor_id
    order by u.name, r.rank
)

select * from final;

-- name: delete_lineage
delete from unit_lineage where unit_id = $unit_id;

-- name: insert_lineage
insert into unit_lineage (unit_id, successor_unit_id, effective_on, rank, source, confirmed, note)
values ($unit_id, $successor_unit_id, $effective_on, $rank, $source, $confirmed, $note);

-- name: confirm_lineage
update unit_lineage set confirmed = true, source = 'officer' where unit_id = $unit_id;

-- name: insert_agency
-- A successor named by the mapping that the data have not met yet.
insert into agencies (name, level, parent) values ($name, $level, null);

-- name: replace_current
-- current(name, effective_on, current_agency, current_level) is registered
-- by the caller.
delete from agency_current;
insert into agency_current select name, effective_on, current_agency, current_level from current;

-- Names of the same agency: the statements of analytics/store/agency_names.py,
-- one per "-- name:" block. They run inside AnalyticsStore.write().

-- name: agencies
-- grain: one row per stored agency, with how many dossiers name it (the
-- spelling with most dossiers becomes a new unit's name).
with

counts as (
    select agency, count(*) as dossiers
    from dossiers
    group by agency
),

final as (
    select a.name, a.unit_id, a.level, coalesce(c.dossiers, 0) as dossiers
    from agencies as a
    left join counts as c on c.agency = a.name
    order by dossiers desc, a.name
)

select * from final;

-- name: aliases
select alias_key, unit_id, spelling, former_unit_id, merged_at
from agency_aliases
order by unit_id, alias_key;

-- name: canonical
-- grain: one row per alias key: the name its unit goes by now.
with

final as (
    select al.alias_key, a.name
    from agency_aliases as al
    join agencies as a on a.unit_id = al.unit_id
)

select * from final;

-- name: next_unit_id
-- Ids are never reused: merged units live on as former_unit_id.
select coalesce(greatest(
    (select max(unit_id) from agencies),
    (select max(unit_id) from agency_aliases),
    (select max(former_unit_id) from agency_aliases)
), 0) + 1;

-- name: set_unit
update agencies set unit_id = $unit_id where name = $name;

-- name: insert_alias
insert into agency_aliases (alias_key, unit_id, spelling, former_unit_id, merged_at)
values ($alias_key, $unit_id, $spelling, $former_unit_id, $merged_at);

-- name: repoint_aliases
-- A merge: the merged unit's spellings now name the target unit. A spelling
-- already merged once keeps the unit it first named (and when): merging B,
-- into which A was merged, into C must leave A's id findable, since users'
-- scopes and contacts refer to units by id (analytics/store/unit_refs.py).
update agency_aliases
set former_unit_id = coalesce(former_unit_id, unit_id),
    merged_at = case when former_unit_id is null then $merged_at else merged_at end,
    unit_id = $target_unit
where unit_id = $source_unit;

-- name: rename
-- Every stored mention of an old name becomes the unit's name, in one
-- transaction: dossiers (receiving and resolving agency), steps, parents.
-- agency_renames(old_name, new_name) is registered by the caller.
update dossiers set agency = r.new_name
from agency_renames as r where dossiers.agency = r.old_name;
update dossiers set resolving_agency = r.new_name
from agency_renames as r where dossiers.resolving_agency = r.old_name;
update steps set agency = r.new_name
from agency_renames as r where steps.agency = r.old_name;
update agencies set parent = r.new_name
from agency_renames as r where agencies.parent = r.old_name;
-- The unit keeps its own level and parent; one it lacks comes from the old row.
update agencies set
    level = coalesce(agencies.level, old.level),
    parent = coalesce(agencies.parent, old.parent)
from agency_renames as r
join agencies as old on old.name = r.old_name
where agencies.name = r.new_name;
delete from agencies where name in (select old_name from agency_renames);

-- name: insert_agency
-- A unit named before any data carried it: a user's or a contact's agency
-- (analytics/store/unit_refs.py). Its level is read from the name at the
-- end of the write, like any agency's.
insert into agencies (name, level, parent) values ($name, null, null);

-- name: copy_agency
-- A unit's renaming, first step: its row again under the new name (same
-- unit id, level, kind, parent, dates); the "rename" statements then move
-- every mention of the old name to it and drop the old row.
insert into agencies select * replace ($new_name as name) from agencies where name = $old_name;

-- Units of the two-tier local government and their lineage: the statements
-- of analytics/store/units.py, one per "-- name:" block. They run inside
-- AnalyticsStore.write().

-- name: agencies
select name, unit_id, level, parent, valid_from, valid_to, code from agencies order by name;

-- name: overrides
select unit_id, level, kind, parent, valid_from, valid_to, code from unit_overrides;

-- name: apply_units
-- unit_values(name, level, kind, parent, valid_from, valid_to, code) is
-- registered by the caller: the officer's values, else the imported ones,
-- else those read from the name.
update agencies set
    level = v.level,
    kind = v.kind,
    parent = v.parent,
    valid_from = v.valid_from,
    valid_to = v.valid_to,
    code = v.code
from unit_values as v
where agencies.name = v.name;

-- name: delete_override
delete from unit_overrides where unit_id = $unit_id;

-- name: insert_override
insert into unit_overrides (unit_id, level, kind, parent, valid_from, valid_to, code, set_at)
values ($unit_id, $level, $kind, $parent, $valid_from, $valid_to, $code, $set_at);

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
insert into agencies (name, level, parent, code) values ($name, $level, null, $code);

-- name: set_code
-- A unit the mapping matched takes the mapping's code when it has none.
update agencies set code = $code where unit_id = $unit_id and code is null;

-- name: replace_code
update agencies set code = $code where unit_id = $unit_id;

-- name: replace_current
-- current(name, effective_on, current_agency, current_level) is registered
-- by the caller.
delete from agency_current;
insert into agency_current select name, effective_on, current_agency, current_level from current;

-- name: namesake_routes
-- grain: one row per old unit that went by the name of a unit of today
-- (unit_namesakes): the name it is routed from, the name it goes by, and the
-- last day it received dossiers.
with

final as (
    select
        n.unit_id,
        n.current_unit_id,
        cur.name as current_name,
        old.name as old_name,
        n.until
    from unit_namesakes as n
    join agencies as cur on cur.unit_id = n.current_unit_id
    join agencies as old on old.unit_id = n.unit_id
    order by cur.name, n.until, n.unit_id
)

select * from final;

-- name: unit_codes_view
-- grain: one row per unit code that names exactly one unit (a code two
-- units share routes nothing). A temporary view, made by units.py before
-- the statements below read it, so the rule is written once for the
-- import's frames (unit_codes), route_by_code and route_namesakes.
create or replace temp view unit_codes as
select code, any_value(name) as name
from agencies
where code is not null
group by code
having count(*) = 1;

-- name: unit_codes
select code, name from unit_codes;

-- name: route_by_code
-- A dossier whose agency code is one unit's code belongs to that unit,
-- whatever name the export gave it (code first).
update dossiers set agency = r.name
from (
    with

    final as (
        select d.code as dossier_code, u.name
        from dossiers as d
        join unit_codes as u on u.code = d.agency_code
        where d.agency <> u.name
    )

    select * from final
) as r
where dossiers.code = r.dossier_code;

-- name: route_namesakes
-- A dossier stored under today's unit's name, received on or before the
-- last day of an old namesake and with no agency code that names a unit,
-- belongs to the old namesake (of several, the one that ended first after
-- it was received). Then the dossier's resolving agency and its steps named
-- by today's unit follow the dossier to the old one.
update dossiers set agency = r.name
from (
    with

    routes as (
        select n.unit_id, n.until, cur.name as current_name, old.name as old_name
        from unit_namesakes as n
        join agencies as cur on cur.unit_id = n.current_unit_id
        join agencies as old on old.unit_id = n.unit_id
    ),

    final as (
        select d.code as dossier_code, arg_min(r.old_name, {'until': r.until, 'unit_id': r.unit_id}) as name
        from dossiers as d
        join routes as r on r.current_name = d.agency and d.received_at::date <= r.until
        where d.agency_code is null or d.agency_code not in (select code from unit_codes)
        group by d.code
    )

    select * from final
) as r
where dossiers.code = r.dossier_code;
update dossiers set resolving_agency = r.old_name
from (
    select cur.name as current_name, old.name as old_name
    from unit_namesakes as n
    join agencies as cur on cur.unit_id = n.current_unit_id
    join agencies as old on old.unit_id = n.unit_id
) as r
where dossiers.resolving_agency = r.current_name and dossiers.agency = r.old_name;
update steps set agency = r.old_name
from (
    select d.code as dossier_code, cur.name as current_name, old.name as old_name
    from unit_namesakes as n
    join agencies as cur on cur.unit_id = n.current_unit_id
    join agencies as old on old.unit_id = n.unit_id
    join dossiers as d on d.agency = old.name
) as r
where steps.dossier_code = r.dossier_code and steps.agency = r.current_name;

-- name: insert_namesake
insert into unit_namesakes (unit_id, current_unit_id, until) values ($unit_id, $current_unit_id, $until);

-- name: insert_old_unit
-- The old unit of a namesake pair: its own id and name, the level, kind and
-- parent (unless one is given) of the unit it shared a name with, its end
-- date and code.
insert into agencies (name, unit_id, level, kind, parent, valid_from, valid_to, code)
select $name, $unit_id, level, kind, coalesce($parent, parent), null, $valid_to, $code
from agencies where unit_id = $current_unit_id;

-- name: start_current_unit
-- Today's unit of a namesake pair begins on the date; its end (read from a
-- lineage that now belongs to the old unit) is cleared.
update agencies set valid_from = $valid_from, valid_to = null where unit_id = $unit_id;

-- name: move_lineage
update unit_lineage set unit_id = $to_unit where unit_id = $from_unit;

-- name: stored_dossier_agencies
-- The stored agency of the dossiers an import's steps belong to.
select code, agency from dossiers where code in (select unnest($codes::varchar[]));

-- An incremental refresh of the derived tables (analytics/store/database.py,
-- refresh_derived): the statements that compare the small input tables of
-- facts.sql with their copies taken before the write (temporary tables
-- before_<name>), one per "-- name:" block. They run inside
-- AnalyticsStore.write(). Multiplicity counts (except all): a procedure
-- stored twice doubles its dossiers' facts, so removing a copy is a change.

-- name: snapshot
create or replace temp table before_procedures as select * from procedures;
create or replace temp table before_agencies as select name, level from agencies;
create or replace temp table before_agency_current as select * from agency_current;
create or replace temp table before_work_calendar as select * from work_calendar;

-- name: calendar_kept
-- grain: one row: whether the calendar only grew at its end (or stayed):
-- the same first day and the same days, working or not, numbered alike up
-- to the old last day. The calendar runs from the data's first date to
-- 730 days past its last, so a newer import usually lengthens it.
with

old as (
    select min(day) as first_day, max(day) as last_day from before_work_calendar
),

new as (
    select min(day) as first_day, max(day) as last_day from work_calendar
),

kept_part as (
    select w.* from work_calendar as w, old where w.day <= old.last_day
),

changed as (
    (select * from before_work_calendar except all select * from kept_part)
    union all
    (select * from kept_part except all select * from before_work_calendar)
),

final as (
    select old.first_day = new.first_day and new.last_day >= old.last_day
           and (select count(*) from changed) = 0 as kept
    from old, new
)

select * from final;

-- name: touch_inputs
-- Adds to touched_dossiers every dossier that reads a changed row: by its
-- procedure, by its own agency or a step's agency (level, lineage); and,
-- when the calendar grew, every dossier with a step whose own deadline
-- (start + allowance, facts.sql) lay past the old calendar's end: it finds
-- its day now.
insert into touched_dossiers
with

changed_procedures as (
    (select * from before_procedures except all select * from procedures)
    union all
    (select * from procedures except all select * from before_procedures)
),

changed_agencies as (
    (select name, level from before_agencies except all select name, level from agencies)
    union all
    (select name, level from agencies except all select name, level from before_agencies)
    union all
    select name, null as level from (
        (select * from before_agency_current except all select * from agency_current)
        union all
        (select * from agency_current except all select * from before_agency_current)
    )
),

final as (
    select code from dossiers where procedure_code in (select code from changed_procedures)
    union
    select code from dossiers where agency in (select name from changed_agencies)
    union
    select dossier_code as code from steps where agency in (select name from changed_agencies)
    union
    select f.dossier_code as code
    from fact_steps as f
    join before_work_calendar as s on s.day = f.start_on
    where (select max(day) from work_calendar) > (select max(day) from before_work_calendar)
      and s.work_no + ceil(f.allowance_days)::integer > (select max(work_no) from before_work_calendar)
)

select * from final;

-- name: drop_snapshot
drop table if exists temp.main.before_procedures;
drop table if exists temp.main.before_agencies;
drop table if exists temp.main.before_agency_current;
drop table if exists temp.main.before_work_calendar;

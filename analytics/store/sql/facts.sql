-- Derived tables the indicators read, rebuilt at the end of every write
-- (import or demo) inside the same transaction: the marts of this project.
-- They carry everything a filter or an indicator needs, so no indicator joins
-- at query time, and they are ordered by the date the period filters use, so
-- DuckDB's zone maps skip the row groups outside the period.
-- Status 1 (Mới đăng ký) and 3 (Không được tiếp nhận) dossiers, and their
-- steps, are left out here once for all.
-- Real exports may lack a channel (channel null: unknown) or a due date
-- (due_at null: no Ngày hẹn trả and no legal time limit to compute one);
-- due_at is always the ORIGINAL due date, a rescheduled one is kept apart
-- (due_rescheduled_at) and never moves the on-time classification
-- (docs/INDICATORS.md, "Missing data").

-- fact_dossiers: one row per dossier that counts.
create or replace table fact_dossiers as
with

resolved as (
    select
        d.code,
        d.procedure_code,
        coalesce(d.procedure_name, p.name) as procedure_name,
        coalesce(d.field, p.field) as field,
        d.agency,
        a.level as agency_level,
        d.channel,
        d.status,
        d.inter_agency,
        d.received_at,
        d.due_at,
        d.finished_at,
        coalesce(d.due_computed, false) as due_computed,
        d.due_rescheduled_at,
        d.handler,
        d.received_at::date as received_on,
        d.due_at::date as due_on,
        d.finished_at::date as finished_on
    from dossiers as d
    left join procedures as p on p.code = d.procedure_code
    left join agencies as a on a.name = d.agency
    where d.status not in (1, 3)
),

final as (
    select * from resolved order by received_on
)

select * from final;

-- fact_steps: one row per step of a dossier that counts, with the dossier's
-- procedure, field and channel and the level of the step's own agency.
create or replace table fact_steps as
with

joined as (
    select
        s.dossier_code,
        s.step_no,
        s.step_name,
        s.handler,
        s.agency,
        a.level as agency_level,
        s.started_at,
        s.due_at,
        s.finished_at,
        s.due_at::date as due_on,
        s.finished_at::date as finished_on,
        d.procedure_code,
        d.field,
        d.channel
    from steps as s
    join fact_dossiers as d on d.code = s.dossier_code
    left join agencies as a on a.name = s.agency
),

final as (
    select * from joined order by finished_on
)

select * from final;

-- late_or_open_dossiers / late_or_open_steps: the facts finished after their
-- due date, or not finished. Only these can be late in some period: a
-- dossier finished by its due date but still open at the end of a period is
-- due after that end, so within its time. A few percent of the rows: the late
-- lists read them instead of every fact (docs/SCALE.md). A finished dossier
-- with no due date is never late (the comparison is null): left out; an open
-- one stays, and base.sql counts it within its time.
create or replace table late_or_open_dossiers as
with

final as (
    select *
    from fact_dossiers
    where finished_on > due_on or finished_on is null
    order by received_on
)

select * from final;

create or replace table late_or_open_steps as
with

final as (
    select *
    from fact_steps
    where finished_on > due_on or finished_on is null
    order by finished_on
)

select * from final;

-- open_dossier_steps: every step (begun, finished or not) of the dossiers not
-- finished at the data date. The watchlist (Nhắc việc) reads them instead of
-- every step: at ten million dossiers, a few tens of thousands of rows of
-- forty million (docs/SCALE.md).
create or replace table open_dossier_steps as
with

final as (
    select s.*
    from steps as s
    semi join dossiers as d on d.code = s.dossier_code and d.finished_at is null
    order by s.dossier_code, s.step_no
)

select * from final;

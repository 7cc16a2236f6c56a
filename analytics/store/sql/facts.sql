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

-- Attribution (issue 14): recorded_agency / recorded_level are the unit that
-- handled the dossier or step; current_agency / current_level the unit that
-- carries on its work today, following the lineage (agency_current, rebuilt
-- by analytics/store/units.py) for what an old unit received before the date
-- it was taken over. A step follows its dossier's received date. The
-- indicators read `agency` / `agency_level`, which indicators/sql/base.sql
-- takes from one pair or the other by the view chosen.

-- fact_dossiers: one row per dossier that counts.
create or replace table fact_dossiers as
with

resolved as (
    select
        d.code,
        d.procedure_code,
        coalesce(d.procedure_name, p.name) as procedure_name,
        coalesce(d.field, p.field) as field,
        d.agency as recorded_agency,
        a.level as recorded_level,
        coalesce(cur.current_agency, d.agency) as current_agency,
        case when cur.name is null then a.level else cur.current_level end as current_level,
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
        d.finished_at::date as finished_on,
        -- The 766 index's sources (null: the export had no such column).
        d.result_attached,
        d.paid_online,
        d.payment_gateway,
        d.digitised,
        d.satisfaction,
        d.supplement_count,
        d.supplement_requested_at::date as supplement_requested_on,
        d.data_reused,
        d.citizen_store,
        d.vneid,
        p.online_level,
        p.paper_result,
        p.fee_bearing,
        p.fully_online_eligible,
        -- The 766 portal's end of handling (docs/INDICATORS.md, "Chỉ số 766"):
        -- the time the citizen took to supply what was asked does not count,
        -- so the end moves back by (completed - requested) when both are known.
        case
            when d.supplement_completed_at >= d.supplement_requested_at
                then (d.finished_at - (d.supplement_completed_at - d.supplement_requested_at))::date
            else d.finished_at::date
        end as portal_finished_on
    from dossiers as d
    left join procedures as p on p.code = d.procedure_code
    left join agencies as a on a.name = d.agency
    left join agency_current as cur
        on cur.name = d.agency and d.received_at::date < cur.effective_on
    where d.status not in (1, 3)
),

final as (
    select * from resolved order by received_on
)

select * from final;

-- fact_steps: one row per step of a dossier that counts, with the dossier's
-- procedure, field and channel and the level of the step's own agency, and
-- who caused the lateness (docs/INDICATORS.md, "Trễ do bước nào"):
--   allowance_days  the step's own time allowance in working days: the
--                   export's (steps.allowance_days) or the working days
--                   from the previous step's deadline (the received date for
--                   the first step) to this step's deadline;
--   start_on        when the step actually started (its start, else the
--                   previous step's end, else the dossier's received date);
--   started_late    it started after its planned start, its deadline less
--                   its allowance (whole days of it): after the previous
--                   step's deadline, when the allowance is derived;
--   own_due_on      start_on + the allowance (part days rounded up), in
--                   working days: a late-started step still working after
--                   this date overran its allowance;
--   caused_days     for a step late by its deadline, the working days of
--                   delay it added: if it started in time, its lateness
--                   (at least 1); if it started late, the working days it
--                   took beyond its allowance;
--   caused_late     late by its deadline and caused_days > 0;
--   inherited_late  late only because it started late: it took no longer
--                   than its allowance (trễ do bước trước).
-- Working days come from work_calendar (AnalyticsStore builds it from the
-- office calendar before this script): work_no counts the working days up to
-- a day, so the working days in (a, b] are work_no(b) - work_no(a).
create or replace table fact_steps as
with

joined as (
    select
        s.dossier_code,
        s.step_no,
        s.step_name,
        s.handler,
        s.agency as recorded_agency,
        a.level as recorded_level,
        coalesce(cur.current_agency, s.agency) as current_agency,
        case when cur.name is null then a.level else cur.current_level end as current_level,
        s.started_at,
        s.due_at,
        s.finished_at,
        s.due_at::date as due_on,
        s.finished_at::date as finished_on,
        s.allowance_days as given_allowance,
        coalesce(
            s.started_at,
            lag(s.finished_at) over (partition by s.dossier_code order by s.step_no),
            d.received_at
        )::date as start_on,
        coalesce(
            lag(s.due_at) over (partition by s.dossier_code order by s.step_no),
            d.received_at
        )::date as previous_due_on,
        d.procedure_code,
        d.field,
        d.channel
    from steps as s
    join fact_dossiers as d on d.code = s.dossier_code
    left join agencies as a on a.name = s.agency
    left join agency_current as cur
        on cur.name = s.agency and d.received_on < cur.effective_on
),

allowed as (
    select
        j.*,
        coalesce(
            j.given_allowance,
            greatest(due_no.work_no - previous_no.work_no, 0)
        ) as allowance_days,
        start_no.work_no as start_work_no,
        finished_no.work_no as finished_work_no,
        due_no.work_no as due_work_no
    from joined as j
    left join work_calendar as due_no on due_no.day = j.due_on
    left join work_calendar as previous_no on previous_no.day = j.previous_due_on
    left join work_calendar as start_no on start_no.day = j.start_on
    left join work_calendar as finished_no on finished_no.day = j.finished_on
),

-- The allowance's last day: the working day whose number is the start's
-- plus the allowance (a part day still takes a whole one).
own_deadline as (
    select
        a.*,
        greatest(coalesce(own.day, a.due_on), a.start_on) as own_due_on
    from allowed as a
    left join work_calendar as own
        on own.is_working
       and own.work_no = a.start_work_no + ceil(a.allowance_days)::integer
),

timed as (
    select
        *,
        coalesce(start_work_no > due_work_no - floor(allowance_days)::integer, false) as started_late
    from own_deadline
),

overrun as (
    select
        *,
        case
            when not coalesce(finished_on > due_on, false) then 0
            when not started_late then greatest(finished_work_no - due_work_no, 1)
            else greatest(finished_work_no - start_work_no - ceil(allowance_days)::integer, 0)
        end as caused_days
    from timed
),

attributed as (
    select
        * exclude (given_allowance, previous_due_on, start_work_no, finished_work_no, due_work_no),
        coalesce(finished_on > due_on and caused_days > 0, false) as caused_late,
        coalesce(finished_on > due_on and caused_days = 0, false) as inherited_late
    from overrun
),

final as (
    select * from attributed order by finished_on
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

-- Watchlist (Nhắc việc): open work near its due date or past it, as of one day.
--
-- Grain: one row per current open step of an open dossier, plus one row per
-- open dossier that has no current open step (handler null), plus (under a
-- scope) one row per dossier of the scope held elsewhere (held_elsewhere).
-- Only rows that are near due or overdue are returned.
--
-- Parameters:
--   $as_of         date: the day the reminder is for (normally today);
--   $cutoff        date: the last due date counted as near due, i.e. $as_of
--                  plus N Vietnamese working days (computed in Python);
--   $scope         varchar[] or null: agencies the user may see (and the
--                  work their predecessors received before handing it over,
--                  agency_current). A step is
--                  shown whole (handler, step, its deadline) only when the
--                  agency holding it is in the scope, as the engine scopes
--                  steps (base.sql). A dossier received in the scope whose
--                  current step is held by an agency outside it is shown
--                  once, as held elsewhere: no step, no handler, no holding
--                  agency, and judged by the dossier's own deadline only;
--   $agency        varchar or null: one agency, holding or receiving;
--   $inter_agency  boolean or null: only liên thông dossiers (true), only
--                  the others (false), or all (null).
--
-- Open means what the database says at its data date: not finished, status
-- not 1 / 3 (left out of everything) and not 5 (waiting for the citizen's
-- supplement: the deadline clock is stopped, as in pending_within).
-- Deadlines are compared by date. A dossier with no due date and no dated
-- current step has no deadline: it is not listed (state null).

with

open_dossiers as (
    select
        d.code,
        d.procedure_code,
        coalesce(d.procedure_name, p.name) as procedure_name,
        coalesce(d.field, p.field) as field,
        d.agency as dossier_agency,
        d.inter_agency,
        d.status,
        d.received_at::date as received_on,
        d.due_at::date as dossier_due
    from dossiers as d
    left join procedures as p on p.code = d.procedure_code
    where d.finished_at is null
      and d.status not in (1, 3, 5)
),

-- Steps of open dossiers only: a few thousand rows, whatever the history
-- (from the derived table of the steps of unfinished dossiers, facts.sql).
open_steps as (
    select s.*
    from open_dossier_steps as s
    semi join open_dossiers as od on od.code = s.dossier_code
),

-- The last step that has begun (started or finished), per open dossier.
last_begun as (
    select dossier_code, max(step_no) as step_no
    from open_steps
    where started_at is not null or finished_at is not null
    group by dossier_code
),

-- An open step is current unless a later step of the same dossier has
-- already begun: exports often leave an old step's end date empty, and its
-- handler must not be reminded of work that moved on.
current_steps as (
    select
        s.dossier_code,
        s.step_no,
        s.step_name,
        s.handler,
        s.agency as step_agency,
        s.due_at::date as step_due
    from open_steps as s
    left join last_begun as lb on lb.dossier_code = s.dossier_code
    where s.finished_at is null
      and (lb.step_no is null or s.step_no >= lb.step_no)
),

placed as (
    select
        od.*,
        cs.step_no,
        cs.step_name,
        cs.handler,
        coalesce(cs.step_agency, od.dossier_agency) as agency,
        cs.step_due
    from open_dossiers as od
    left join current_steps as cs on cs.dossier_code = od.code
),

-- A unit's predecessors are in its scope for the work they received before
-- it took them over (issue 14; agency_current, as base.sql scopes the facts
-- through current_agency): an old commune's dossier still open is its new
-- commune's to see, and never another commune's.
placed_today as (
    select
        p.*,
        coalesce(held.current_agency, p.agency) as agency_today,
        coalesce(received.current_agency, p.dossier_agency) as dossier_agency_today
    from placed as p
    left join agency_current as held
        on held.name = p.agency and p.received_on < held.effective_on
    left join agency_current as received
        on received.name = p.dossier_agency and p.received_on < received.effective_on
),

-- The scope, as the engine applies it: a step belongs to the agency that
-- holds it. The receiving agency keeps sight of its own dossier while
-- another agency holds it, but not of that agency's step or handler.
visible as (
    select * exclude (agency_today, dossier_agency_today), false as held_elsewhere
    from placed_today
    where $scope::varchar[] is null or list_contains($scope::varchar[], agency)
       or list_contains($scope::varchar[], agency_today)
    union all by name
    select distinct
        code, procedure_code, procedure_name, field, dossier_agency, inter_agency, status,
        received_on, dossier_due,
        null::integer as step_no,
        null::varchar as step_name,
        null::varchar as handler,
        null::varchar as agency,
        null::date as step_due,
        true as held_elsewhere
    from placed_today
    where $scope::varchar[] is not null
      and not list_contains($scope::varchar[], agency)
      and not list_contains($scope::varchar[], agency_today)
      and (list_contains($scope::varchar[], dossier_agency)
           or list_contains($scope::varchar[], dossier_agency_today))
),

items as (
    select
        *,
        -- The binding deadline: the step's when it comes before the dossier's
        -- or the dossier has no due date (a real export may give none: the
        -- dossier is then never near due or overdue by itself, as it is
        -- never late in the indicators). The dossier's due date is its
        -- original one; a rescheduled date does not move it.
        case when step_due is not null and (dossier_due is null or step_due < dossier_due)
             then step_due else dossier_due end as due_date,
        case when step_due is not null and (dossier_due is null or step_due < dossier_due)
             then 'step' else 'dossier' end as deadline_kind
    from visible
),

classified as (
    select
        *,
        case
            when due_date < $as_of::date then 'overdue'
            when due_date <= $cutoff::date then 'near_due'
        end as state,
        greatest(date_diff('day', due_date, $as_of::date), 0) as days_late
    from items
),

final as (
    select
        code,
        procedure_code,
        procedure_name,
        field,
        dossier_agency,
        inter_agency,
        status,
        received_on,
        step_no,
        step_name,
        handler,
        agency,
        step_due,
        dossier_due,
        due_date,
        deadline_kind,
        held_elsewhere,
        state,
        days_late
    from classified
    where state is not null
      and ($agency::varchar is null or agency = $agency or dossier_agency = $agency)
      and ($inter_agency::boolean is null or inter_agency = $inter_agency)
    order by state desc, due_date, code, step_no
)

select * from final

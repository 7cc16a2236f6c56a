-- Shared named queries every indicator builds on (the engine puts them in
-- front of each indicator's own CTEs). They read the derived tables of
-- facts.sql, where status 1 (Mới đăng ký) and 3 (Không được tiếp nhận)
-- dossiers are already left out: {dossier_facts} and {step_facts} are
-- fact_dossiers and fact_steps, or for the late lists late_or_open_dossiers
-- and late_or_open_steps, which hold every row those lists can show
-- (engine.FACTS).
--
-- Parameters: $from, $to, $as_of (dates); filters $agency, $field, $channel,
-- $procedure, $agency_level; $scope (list of agencies the user may see, or null);
-- $portal_clock (boolean): the counting convention of lateness, false for
-- Biểu 06's (the dates as they are), true for the 766 portal's (supplement
-- time does not count, more than one supplement request is late, a dossier
-- waiting for the citizen stopped its clock on the request day); the
-- indicator registry names both (registry.CONVENTIONS).
-- $attribution ('current' or 'recorded').
-- With an agency filter, dossier figures use the dossier's agency and step
-- figures the step's agency.
--
-- Attribution (issue 14): under 'current' (today's units) agency and
-- agency_level are the unit that carries on the work today (current_agency,
-- current_level of facts.sql, following the lineage); under 'recorded' the
-- unit that handled it (recorded_agency, recorded_level). Every indicator
-- groups and filters by these columns, so both views give the same totals
-- and differ only in who they count under.
-- The scope is the user's units and the history handed to them: a row is
-- theirs when today's unit or the recording unit is in it, whatever the view.

attributed_dossiers as (
    select
        *,
        case when $attribution::varchar = 'recorded' then recorded_agency else current_agency end as agency,
        case when $attribution::varchar = 'recorded' then recorded_level else current_level end as agency_level
    from {dossier_facts}
),

attributed_steps as (
    select
        *,
        case when $attribution::varchar = 'recorded' then recorded_agency else current_agency end as agency,
        case when $attribution::varchar = 'recorded' then recorded_level else current_level end as agency_level
    from {step_facts}
),

filtered_dossiers as (
    select *
    from attributed_dossiers
    where ($agency::varchar is null or agency = $agency)
      and ($field::varchar is null or field = $field)
      and ($channel::varchar is null or channel = $channel)
      and ($procedure::varchar is null or procedure_code = $procedure)
      and ($agency_level::varchar is null or agency_level = $agency_level)
      and ($scope::varchar[] is null or list_contains($scope::varchar[], current_agency)
           or list_contains($scope::varchar[], recorded_agency))
),

-- One row per dossier received by $to, with the period flags of the
-- definitions in docs/INDICATORS.md. {period_from}, {period_to} and
-- {period_as_of} are $from::date, $to::date and $as_of::date; for several
-- periods in one query (engine.PERIODS) they are the columns of the
-- periods CTE, and {period_source} joins each dossier to every period in
-- which it is new or carried over (the only rows those queries count).
classified_dossiers as (
    select
        *,
        received_on between {period_from} and {period_to} as is_new,
        received_on < {period_from}
            and (finished_on is null or finished_on >= {period_from}) as is_carried_over,
        finished_on between {period_from} and {period_to} as is_resolved,
        finished_on is null or finished_on > {period_to} as is_pending,
        -- No due date (due_on null): resolved counts as on time, pending as
        -- within time, never late or overdue, as the peers' Biểu 06 does.
        -- due_on is the original due date even when it was rescheduled.
        coalesce(end_on < due_on, false) and not over_supplemented as is_early,
        coalesce(end_on = due_on, due_on is null) and not over_supplemented as is_on_time,
        coalesce(end_on > due_on, false) or over_supplemented as is_late,
        case
            when over_supplemented then false
            when $portal_clock::boolean and status = 5
                then due_on is null or coalesce(supplement_requested_on <= due_on, due_on >= {period_as_of})
            else due_on is null or due_on >= {period_as_of} or status = 5
        end as is_within,
        due_on is null as has_no_due_date
    from (
        select
            *,
            case when $portal_clock::boolean then portal_finished_on else finished_on end as end_on,
            $portal_clock::boolean and coalesce(supplement_count > 1, false) as over_supplemented
        from {period_source}
    )
    where received_on <= {period_to}
),

-- Steps count in the period when finished in it; late when finished after
-- their due date (compared by date). Period and filters in one query:
-- handler_counts.sql reads it twice, and DuckDB scans the steps once with
-- both in the scan, skipping row groups before the period (with the filters
-- in a query of their own, an agency filter kept the period out of the scan).
period_steps as (
    select
        *,
        finished_on > due_on as is_late
    from attributed_steps
    where finished_on between $from::date and $to::date
      and ($agency::varchar is null or agency = $agency)
      and ($field::varchar is null or field = $field)
      and ($channel::varchar is null or channel = $channel)
      and ($procedure::varchar is null or procedure_code = $procedure)
      and ($agency_level::varchar is null or agency_level = $agency_level)
      and ($scope::varchar[] is null or list_contains($scope::varchar[], current_agency)
           or list_contains($scope::varchar[], recorded_agency))
)

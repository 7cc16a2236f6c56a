-- Shared named queries every indicator builds on (the engine puts them in
-- front of each indicator's own CTEs). Status 1 (Mới đăng ký) and 3 (Không
-- được tiếp nhận) dossiers are left out of everything.
--
-- Parameters: $from, $to, $as_of (dates); filters $agency, $field, $channel,
-- $procedure, $agency_level; $scope (list of agencies the user may see, or null).
-- With an agency filter, dossier figures use the dossier's agency and step
-- figures the step's agency.

filtered_dossiers as (
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
        d.received_at::date as received_on,
        d.due_at::date as due_on,
        d.finished_at::date as finished_on
    from dossiers as d
    left join procedures as p on p.code = d.procedure_code
    left join agencies as a on a.name = d.agency
    where d.status not in (1, 3)
      and ($agency::varchar is null or d.agency = $agency)
      and ($field::varchar is null or coalesce(d.field, p.field) = $field)
      and ($channel::varchar is null or d.channel = $channel)
      and ($procedure::varchar is null or d.procedure_code = $procedure)
      and ($agency_level::varchar is null or a.level = $agency_level)
      and ($scope::varchar[] is null or list_contains($scope::varchar[], d.agency))
),

-- One row per dossier received by $to, with the period flags of the
-- definitions in docs/INDICATORS.md.
classified_dossiers as (
    select
        *,
        received_on between $from::date and $to::date as is_new,
        received_on < $from::date
            and (finished_on is null or finished_on >= $from::date) as is_carried_over,
        finished_on between $from::date and $to::date as is_resolved,
        finished_on is null or finished_on > $to::date as is_pending,
        finished_on < due_on as is_early,
        finished_on = due_on as is_on_time,
        finished_on > due_on as is_late,
        due_on >= $as_of::date or status = 5 as is_within
    from filtered_dossiers
    where received_on <= $to::date
),

filtered_steps as (
    select
        s.dossier_code,
        s.step_no,
        s.step_name,
        s.handler,
        s.agency,
        s.started_at,
        s.due_at,
        s.finished_at,
        s.due_at::date as due_on,
        s.finished_at::date as finished_on,
        d.procedure_code,
        coalesce(d.field, p.field) as field
    from steps as s
    join dossiers as d on d.code = s.dossier_code
    left join procedures as p on p.code = d.procedure_code
    left join agencies as a on a.name = s.agency
    where d.status not in (1, 3)
      and ($agency::varchar is null or s.agency = $agency)
      and ($field::varchar is null or coalesce(d.field, p.field) = $field)
      and ($channel::varchar is null or d.channel = $channel)
      and ($procedure::varchar is null or d.procedure_code = $procedure)
      and ($agency_level::varchar is null or a.level = $agency_level)
      and ($scope::varchar[] is null or list_contains($scope::varchar[], s.agency))
),

-- Steps count in the period when finished in it; late when finished after
-- their due date (compared by date).
period_steps as (
    select
        *,
        finished_on > due_on as is_late
    from filtered_steps
    where finished_on between $from::date and $to::date
)

-- The dossiers behind the late numbers: resolved late in the period, or
-- pending and overdue at $as_of. Grain: one row per dossier.
-- days_late: calendar days from the due date to the end date, or to $as_of
-- for a dossier still open at $as_of (D finished after $as_of counts as open).
-- late_stage / late_handler: the first step (by step number) that caused the
-- lateness and the user may see;
-- caused: fact_steps.caused_late, or still open at $as_of past its deadline,
-- having started in time or run past its allowance.
-- caused_steps: how many steps caused it; caused_days: the working days the
-- finished ones added. late_cause: 'step', or 'agency' when no step overran
-- (no steps, or every late step only inherited the delay): the lateness is
-- then the receiving agency's (docs/INDICATORS.md, "Trễ do bước nào").
-- late_group: 'resolved_late' (counted in the "late" card, Biểu 06 column
-- 10) or 'pending_overdue' (not resolved by the period's end, overdue at
-- $as_of: the "pending_overdue" card, column 13), so a page can list the two
-- apart with the counts of their cards; status is the export's status now,
-- which for a pending_overdue dossier finished after the period reads "done".
-- Parameters: those of base.sql, plus $drill_agency, $drill_field,
-- $drill_handler, $drill_stage (null = any), $limit (null = all) and
-- $dossier_handlers: true when the data has no steps at all, so the handler
-- named (and drilled by) is the dossier-level handler column instead.
-- Reads the late_or_open_* facts only (engine: facts="late_or_open"): a
-- dossier or step finished by its due date is never late nor overdue.
with

late_dossiers as (
    select *
    from classified_dossiers
    where (is_resolved and is_late)
       or (is_pending and not is_within)
),

causing_steps as (
    select
        s.dossier_code,
        s.step_no,
        s.step_name,
        s.handler,
        s.agency,
        s.current_agency,
        s.recorded_agency,
        s.caused_days
    from attributed_steps as s
    where s.dossier_code in (select code from late_dossiers)
      and (s.caused_late
           or (s.finished_at is null and s.due_on < $as_of::date
               and (not s.started_late or s.own_due_on < $as_of::date)))
),

-- Whether a step caused the lateness is decided over every step: a dossier
-- made late at another agency's step is not its receiving agency's fault.
causes as (
    select
        dossier_code,
        count(*) as caused_steps,
        sum(caused_days) as caused_days
    from causing_steps
    group by dossier_code
),

-- A user's scope covers the steps shown too: a liên thông dossier names
-- only a causing step (and handler) held by an agency the user may see.
late_steps as (
    select *
    from causing_steps
    where $scope::varchar[] is null or list_contains($scope::varchar[], current_agency)
       or list_contains($scope::varchar[], recorded_agency)
),

first_late_step as (
    select
        dossier_code,
        arg_min(step_name, step_no) as late_stage,
        arg_min(handler, step_no) as late_handler
    from late_steps
    group by dossier_code
),

final as (
    select
        d.code,
        d.procedure_code,
        d.procedure_name,
        d.field,
        d.agency,
        d.channel,
        d.received_at,
        d.due_at,
        d.finished_at,
        date_diff('day', d.due_on, least(coalesce(d.finished_on, $as_of::date), $as_of::date)) as days_late,
        f.late_stage,
        case when $dossier_handlers::boolean then d.handler else f.late_handler end as late_handler,
        coalesce(c.caused_steps, 0) as caused_steps,
        coalesce(c.caused_days, 0) as caused_days,
        case when c.dossier_code is null then 'agency' else 'step' end as late_cause,
        d.status,
        case when d.is_resolved and d.is_late then 'resolved_late' else 'pending_overdue' end as late_group
    from late_dossiers as d
    left join first_late_step as f on f.dossier_code = d.code
    left join causes as c on c.dossier_code = d.code
    where ($drill_agency::varchar is null or d.agency = $drill_agency)
      and ($drill_field::varchar is null or d.field = $drill_field)
      and ($drill_handler::varchar is null
           or (not $dossier_handlers::boolean and d.code in (
                select dossier_code from late_steps where handler = $drill_handler))
           or ($dossier_handlers::boolean and d.handler = $drill_handler))
      and ($drill_stage::varchar is null or d.code in (
            select dossier_code from late_steps where step_name = $drill_stage))
    order by days_late desc, d.code
    limit coalesce($limit::bigint, 9223372036854775807)
)

select * from final

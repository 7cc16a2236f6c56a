-- Late steps of the period (finished in it after their due date), for the
-- per-handler drill-down. Grain: one row per late step. caused_late: it
-- overran its own allowance by caused_days working days; inherited_late: it
-- only started late (trễ do bước trước). The caused ones come first.
-- Parameters: those of base.sql, plus $drill_handler, $drill_stage,
-- $drill_agency (null = any) and $limit (null = all).
-- Reads the late_or_open_* facts only (engine: facts="late_or_open"), where
-- every late step is.
with

final as (
    select
        s.dossier_code as code,
        s.procedure_code,
        p.name as procedure_name,
        s.step_no,
        s.step_name as stage,
        s.handler,
        s.agency,
        s.due_at,
        s.finished_at,
        date_diff('day', s.due_on, s.finished_on) as days_late,
        s.caused_days,
        s.caused_late,
        s.inherited_late
    from period_steps as s
    left join procedures as p on p.code = s.procedure_code
    where s.is_late
      and ($drill_handler::varchar is null or s.handler = $drill_handler)
      and ($drill_stage::varchar is null or s.step_name = $drill_stage)
      and ($drill_agency::varchar is null or s.agency = $drill_agency)
    order by s.caused_late desc, days_late desc, code, s.step_no
    limit coalesce($limit::bigint, 9223372036854775807)
)

select * from final

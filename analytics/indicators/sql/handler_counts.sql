-- Steps per handler in the period: one row per (handler, step agency).
-- late = số lần trễ hạn (late steps); late_dossiers = distinct dossiers with a
-- late step by that handler. Parameters: those of base.sql.
with

counted as (
    select
        handler,
        agency,
        count(*) as steps,
        count(*) filter (where is_late) as late
    from period_steps
    group by handler, agency
),

-- Distinct dossiers are counted over the late steps only: they are few, and
-- a distinct count over every step would cost more than the rest together.
late_dossier_counts as (
    select
        handler,
        agency,
        count(distinct dossier_code) as late_dossiers
    from period_steps
    where is_late
    group by handler, agency
),

final as (
    select
        c.handler,
        c.agency,
        c.steps,
        c.late,
        coalesce(l.late_dossiers, 0) as late_dossiers,
        c.late / nullif(c.steps, 0) as late_rate
    from counted as c
    left join late_dossier_counts as l using (handler, agency)
)

select * from final

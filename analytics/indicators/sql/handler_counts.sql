-- Steps per handler in the period: one row per (handler, step agency).
-- late = caused_late = late steps that overran their own allowance (the
-- lateness the handler caused); inherited_late = late steps that only started
-- late (trễ do bước trước), shown apart and never in late or late_rate;
-- late_dossiers = distinct dossiers whose lateness the handler caused.
-- Parameters: those of base.sql.
with

counted as (
    select
        handler,
        agency,
        count(*) as steps,
        count(*) filter (where caused_late) as late,
        count(*) filter (where inherited_late) as inherited_late
    from period_steps
    group by handler, agency
),

-- Distinct dossiers are counted over the caused steps only: they are few, and
-- a distinct count over every step would cost more than the rest together.
late_dossier_counts as (
    select
        handler,
        agency,
        count(distinct dossier_code) as late_dossiers
    from period_steps
    where caused_late
    group by handler, agency
),

final as (
    select
        c.handler,
        c.agency,
        c.steps,
        c.late,
        c.late as caused_late,
        c.inherited_late,
        coalesce(l.late_dossiers, 0) as late_dossiers,
        c.late / nullif(c.steps, 0) as late_rate
    from counted as c
    left join late_dossier_counts as l using (handler, agency)
)

select * from final

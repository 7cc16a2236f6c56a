-- Step counts of the period: steps finished in it, and how many were late.
-- late = caused_late: late steps that overran their own allowance (the
-- lateness they caused); inherited_late: late steps that only started late
-- (trễ do bước trước), counted apart and never in late or late_rate.
-- Grain: one row per {group_by} group. Parameters: those of base.sql.
-- {dimensions} and {group_by} come from the engine's allow-list.
with

counted as (
    select
        {dimensions}
        count(*) as steps,
        count(*) filter (where caused_late) as late,
        count(*) filter (where caused_late) as caused_late,
        count(*) filter (where inherited_late) as inherited_late
    from period_steps
    {group_by}
),

final as (
    select
        *,
        late / nullif(steps, 0) as late_rate
    from counted
)

select * from final

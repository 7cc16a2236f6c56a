-- Step counts of the period: steps finished in it, and how many were late.
-- Grain: one row per {group_by} group. Parameters: those of base.sql.
-- {dimensions} and {group_by} come from the engine's allow-list.
with

counted as (
    select
        {dimensions}
        count(*) as steps,
        count(*) filter (where is_late) as late
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

-- Monthly or quarterly trend of the period.
-- Grain: one row per {grain} overlapping [$from, $to] (empty buckets included).
-- Received dossiers count in the bucket of their receipt, resolved ones in
-- the bucket of their end date. Parameters: those of base.sql; {grain} and
-- {step} come from the engine's allow-list ('month'/'1 month', 'quarter'/'3 months').
with

buckets as (
    select unnest(generate_series(
        date_trunc('{grain}', $from::date)::date,
        $to::date,
        interval {step}
    ))::date as period_start
),

received as (
    select
        date_trunc('{grain}', received_on)::date as period_start,
        count(*) as received_new,
        count(*) filter (where channel = 'online') as online,
        count(*) filter (where channel is null) as channel_unknown
    from filtered_dossiers
    where received_on between $from::date and $to::date
    group by all
),

resolved as (
    select
        date_trunc('{grain}', finished_on)::date as period_start,
        count(*) as resolved,
        count(*) filter (where finished_on < due_on) as early,
        -- No due date: on time, as in dossier_counts.sql (base.sql).
        count(*) filter (where finished_on = due_on or due_on is null) as on_time,
        count(*) filter (where finished_on > due_on) as late
    from filtered_dossiers
    where finished_on between $from::date and $to::date
    group by all
),

final as (
    select
        b.period_start,
        coalesce(r.received_new, 0) as received_new,
        coalesce(r.online, 0) as online,
        coalesce(r.channel_unknown, 0) as channel_unknown,
        -- Over the dossiers whose channel is known (dossier_counts.sql).
        r.online / nullif(r.received_new - r.channel_unknown, 0) as online_share,
        coalesce(s.resolved, 0) as resolved,
        coalesce(s.early, 0) as early,
        coalesce(s.on_time, 0) as on_time,
        coalesce(s.late, 0) as late,
        (s.early + s.on_time) / nullif(s.resolved, 0) as on_time_rate,
        s.late / nullif(s.resolved, 0) as late_rate
    from buckets as b
    left join received as r using (period_start)
    left join resolved as s using (period_start)
    order by b.period_start
)

select * from final

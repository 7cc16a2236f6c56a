-- Dossier counts of the period (Biểu 06 columns and the rates built on them).
-- received_new = online + direct_postal + channel_unknown; no_due_date,
-- due_computed and rescheduled count the dossiers of received_total
-- (carried over or new) with no due date, a computed one, a rescheduled one.
-- Grain: one row per {group_by} group (one row in all for the totals).
-- Parameters: those of base.sql. {dimensions} and {group_by} come from the
-- engine's allow-list, never from user input.
with

counted as (
    select
        {dimensions}
        count(*) filter (where is_carried_over) as carried_over,
        count(*) filter (where is_new) as received_new,
        count(*) filter (where is_new and channel = 'online') as online,
        count(*) filter (where is_new and channel <> 'online') as direct_postal,
        count(*) filter (where is_new and channel is null) as channel_unknown,
        count(*) filter (where has_no_due_date) as no_due_date,
        count(*) filter (where due_computed) as due_computed,
        count(*) filter (where due_rescheduled_at is not null) as rescheduled,
        count(*) filter (where is_resolved) as resolved,
        count(*) filter (where is_resolved and is_early) as early,
        count(*) filter (where is_resolved and is_on_time) as on_time,
        count(*) filter (where is_resolved and is_late) as late,
        count(*) filter (where is_pending) as pending,
        count(*) filter (where is_pending and is_within) as pending_within,
        count(*) filter (where is_pending and not is_within) as pending_overdue
    from classified_dossiers
    where is_new or is_carried_over
    {group_by}
),

final as (
    select
        *,
        carried_over + received_new as received_total,
        (early + on_time) / nullif(resolved, 0) as on_time_rate,
        late / nullif(resolved, 0) as late_rate,
        -- Over the dossiers whose channel is known: equal to online /
        -- received_new whenever no channel is unknown.
        online / nullif(online + direct_postal, 0) as online_share,
        (early + on_time + pending_within) / nullif(carried_over + received_new, 0) as progress_766
    from counted
)

select * from final

-- Chỉ số 766, "what costs points": the dossiers of the period that count
-- against one sub-criterion ($criterion: 2.1, dvc, 3.3, 3.6, 4.1, 4.2, 4.3,
-- 4.4, 4.5b, 5.4), each row a dossier that would have scored had it been on
-- time, online, paid online, digitised... Only dossiers whose sources are
-- known are listed (a missing column is "no data", not a loss).
-- Grain: one row per dossier. Parameters: those of base.sql, $criterion,
-- $dislike_below (the rating under which a dossier counts as disliked), $limit.
with

period as (
    select
        *,
        is_resolved and status in (9, 10) as is_completed,
        (is_resolved and is_late) or (is_pending and not is_within) as is_behind
    from classified_dossiers
    where is_new or is_carried_over
),

losses as (
    select *
    from period
    where case $criterion::varchar
        when '2.1' then is_behind
        when 'dvc' then is_new and fully_online_eligible
                        and not (channel = 'online' and coalesce(online_level = 'Toàn trình', false))
        when '3.3' then is_new and channel is not null
                        and not (channel = 'online' and (paper_result is not true or result_attached is true))
        when '3.6' then is_new and fee_bearing and not paid_online
        when '3.5b' then is_new and fee_bearing and not paid_online
        when '4.1' then is_completed and paper_result and not result_attached
        when '4.2' then is_new and digitised is not null
                        and not (digitised and (paper_result is not true or result_attached is true))
        when '4.3' then is_new and not data_reused
        when '4.4' then is_new and not citizen_store
        when '4.5b' then is_new and not vneid
        when '5.4' then is_behind or coalesce(satisfaction < $dislike_below, false)
        else false
    end
),

final as (
    select
        code, procedure_code, procedure_name, field, agency, agency_level as level, channel,
        received_on, due_on, finished_on, status, supplement_count, satisfaction
    from losses
    order by received_on, code
    limit coalesce($limit::bigint, 9223372036854775807)
)

select * from final

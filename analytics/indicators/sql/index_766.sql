-- Chỉ số 766: the counts behind every sub-criterion the office's own data
-- can compute (docs/INDICATORS.md, "Chỉ số 766"; the formulas in
-- analytics/indicators/index766.py, which turns these counts into ratios,
-- points and statuses).
-- Grain: one row per {group_by} group (one row in all for the whole office).
-- Parameters: those of base.sql ($portal_clock picks the Tiến độ
-- convention). {dimensions} and {group_by} come from the engine's
-- allow-list, never from user input.
-- For each sub-criterion X: X_pop the dossiers it is about, X_den those of
-- them whose sources are known (a null source is a column the export did
-- not have), X_num the ones that score. known_<source> counts the dossiers
-- of the period with that source known: zero names the missing column.
with

period as (
    select
        *,
        is_new or is_carried_over as in_progress_population,
        is_resolved and status in (9, 10) as is_completed
    from classified_dossiers
    where is_new or is_carried_over
),

counted as (
    select
        {dimensions}
        -- 2.1 Tiến độ: resolved early or on time, or pending within time.
        count(*) as t2_1_pop,
        count(*) as t2_1_den,
        count(*) filter (where (is_resolved and not is_late) or (is_pending and is_within)) as t2_1_num,
        -- DVCTT: toàn trình dossiers / dossiers of procedures eligible for toàn trình.
        count(*) filter (where is_new) as dvc_pop,
        count(*) filter (where is_new and fully_online_eligible) as dvc_den,
        count(*) filter (where is_new and fully_online_eligible and channel = 'online'
                         and online_level = 'Toàn trình') as dvc_num,
        count(*) filter (where is_new and fully_online_eligible is null) as dvc_missing,
        -- 3.3 online share; a missing channel counts as direct (the portal's rule).
        count(*) filter (where is_new) as t3_3_pop,
        count(*) filter (where is_new) as t3_3_den,
        count(*) filter (where is_new and channel = 'online'
                         and (paper_result is not true or result_attached is true)) as t3_3_num,
        count(*) filter (where is_new and (channel is null
                         or (channel = 'online' and paper_result is null))) as t3_3_missing,
        -- 3.6 payment: fee-bearing dossiers paid online (gateway 1 or 2).
        count(*) filter (where is_new) as t3_6_pop,
        count(*) filter (where is_new and fee_bearing and paid_online is not null) as t3_6_den,
        count(*) filter (where is_new and fee_bearing and paid_online) as t3_6_num,
        count(*) filter (where is_new and (fee_bearing is null or (fee_bearing and paid_online is null)))
            as t3_6_missing,
        count(*) filter (where is_new and fee_bearing and payment_gateway = 2) as paid_province_gateway,
        -- 3.5b: procedures with an online payment / procedures with fee-bearing dossiers.
        count(*) filter (where is_new) as t3_5b_pop,
        count(distinct procedure_code) filter (where is_new and fee_bearing and paid_online is not null)
            as t3_5b_den,
        count(distinct procedure_code) filter (where is_new and fee_bearing and paid_online) as t3_5b_num,
        count(*) filter (where is_new and (fee_bearing is null or (fee_bearing and paid_online is null)))
            as t3_5b_missing,
        -- 4.1 e-result: completed dossiers of paper-result procedures with an e-result.
        count(*) filter (where is_completed) as t4_1_pop,
        count(*) filter (where is_completed and paper_result and result_attached is not null) as t4_1_den,
        count(*) filter (where is_completed and paper_result and result_attached) as t4_1_num,
        count(*) filter (where is_completed and (paper_result is null or (paper_result and result_attached is null)))
            as t4_1_missing,
        -- 4.2 digitised (and, for a paper-result procedure, an e-result).
        count(*) filter (where is_new) as t4_2_pop,
        count(*) filter (where is_new and digitised is not null) as t4_2_den,
        count(*) filter (where is_new and digitised
                         and (paper_result is not true or result_attached is true)) as t4_2_num,
        count(*) filter (where is_new and (digitised is null or paper_result is null
                         or (paper_result and result_attached is null))) as t4_2_missing,
        -- 4.3, 4.4, 4.5b: flags over the dossiers received in the period.
        count(*) filter (where is_new) as t4_3_pop,
        count(*) filter (where is_new and data_reused is not null) as t4_3_den,
        count(*) filter (where is_new and data_reused) as t4_3_num,
        count(*) filter (where is_new and data_reused is null) as t4_3_missing,
        count(*) filter (where is_new) as t4_4_pop,
        count(*) filter (where is_new and citizen_store is not null) as t4_4_den,
        count(*) filter (where is_new and citizen_store) as t4_4_num,
        count(*) filter (where is_new and citizen_store is null) as t4_4_missing,
        count(*) filter (where is_new) as t4_5b_pop,
        count(*) filter (where is_new and vneid is not null) as t4_5b_den,
        count(*) filter (where is_new and vneid) as t4_5b_num,
        count(*) filter (where is_new and vneid is null) as t4_5b_missing,
        -- 5.4: 100% - (late or disliked) / the Tiến độ population, each dossier once.
        count(*) as t5_4_pop,
        count(*) as t5_4_den,
        count(*) filter (where not ((is_resolved and is_late) or (is_pending and not is_within)
                                    or coalesce(satisfaction < $dislike_below, false))) as t5_4_num,
        -- Unrated dossiers are the norm, not a missing column: no "partial" for them.
        0 as t5_4_missing,
        -- Which columns the period has at all (zero: the export lacks it).
        count(channel) as known_channel,
        count(fully_online_eligible) as known_fully_online_eligible,
        count(online_level) as known_online_level,
        count(fee_bearing) as known_fee_bearing,
        count(paid_online) as known_paid_online,
        count(paper_result) as known_paper_result,
        count(result_attached) as known_result_attached,
        count(digitised) as known_digitised,
        count(data_reused) as known_data_reused,
        count(citizen_store) as known_citizen_store,
        count(vneid) as known_vneid,
        count(satisfaction) as known_satisfaction
    from period
    {group_by}
),

final as (
    select * from counted
)

select * from final

-- Pre-aggregated tables of the national-scale benchmark (scripts/scale_bench.py),
-- built at write time from each chunk's fact_dossiers, like the late tables.
-- Keys: day x agency x procedure x channel (x state for resolved dossiers);
-- field and agency level ride along (functions of procedure and agency), so
-- the filters of base.sql apply unchanged. Chunks may share a day: readers
-- sum the counts over their filters, never read one row as a total.

-- name: daily_received
-- grain: one row per received day, agency, procedure, channel (per chunk).
with

final as (
    select
        received_on as day, agency, agency_level, field, procedure_code, channel,
        count(*) as dossiers,
        count(*) filter (where due_on is null) as no_due_date,
        count(*) filter (where due_computed) as due_computed,
        count(*) filter (where due_rescheduled_at is not null) as rescheduled,
        year(received_on) as year
    from fact_dossiers
    group by all
)

select * from final;

-- name: daily_resolved
-- grain: one row per finished day, agency, procedure, channel and state
-- (early / on_time / late, as classified_dossiers of base.sql says).
with

final as (
    select
        finished_on as day, agency, agency_level, field, procedure_code, channel,
        case
            when finished_on < due_on then 'early'
            when due_on is null or finished_on = due_on then 'on_time'
            else 'late'
        end as state,
        count(*) as dossiers,
        year(finished_on) as year
    from fact_dossiers
    where finished_on is not null
    group by all
)

select * from final;

-- name: totals_from_daily
-- The period's new, online, resolved, early, on-time and late dossiers from
-- the pre-aggregates alone (no scan of the facts), with the scope filter of
-- base.sql; the benchmark checks them against Engine.totals.
with

received as (
    select
        coalesce(sum(dossiers), 0) as received_new,
        coalesce(sum(dossiers) filter (where channel = 'online'), 0) as online
    from daily_received
    where day between $from::date and $to::date
      and ($scope::varchar[] is null or list_contains($scope::varchar[], agency))
      and ($agency::varchar is null or agency = $agency)
),

resolved as (
    select
        coalesce(sum(dossiers), 0) as resolved,
        coalesce(sum(dossiers) filter (where state = 'early'), 0) as early,
        coalesce(sum(dossiers) filter (where state = 'on_time'), 0) as on_time,
        coalesce(sum(dossiers) filter (where state = 'late'), 0) as late
    from daily_resolved
    where day between $from::date and $to::date
      and ($scope::varchar[] is null or list_contains($scope::varchar[], agency))
      and ($agency::varchar is null or agency = $agency)
),

final as (
    select * from received, resolved
)

select * from final;

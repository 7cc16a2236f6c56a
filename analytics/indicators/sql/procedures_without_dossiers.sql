-- Procedures in force with no dossier for three years (proposals for cutting).
-- Grain: one row per catalog procedure. A procedure is listed when it is in
-- force, was published on or before $to minus three years (or has no
-- publication date), and no dossier (status 1 and 3 aside) was received in
-- ($to - 3 years, $to]. 29 February falls back to 28 February.
-- Parameters: $to; $field and $procedure narrow the catalog.
with

bounds as (
    select ($to::date - interval 3 year)::date as window_start
),

catalog as (
    select *
    from procedures
    where in_force
      and ($field::varchar is null or field = $field)
      and ($procedure::varchar is null or code = $procedure)
),

-- fact_dossiers holds the dossiers that count (status 1 and 3 aside).
last_dossier as (
    select
        procedure_code,
        max(received_on) as last_received
    from fact_dossiers
    where received_on <= $to::date
    group by procedure_code
),

final as (
    select
        c.code as procedure_code,
        c.name as procedure_name,
        c.field,
        l.last_received,
        c.level,
        c.online_level,
        c.published_on,
        date_diff('day', l.last_received, $to::date) / 365.25 as years_without
    from catalog as c
    cross join bounds as b
    left join last_dossier as l on l.procedure_code = c.code
    where (c.published_on is null or c.published_on <= b.window_start)
      and (l.last_received is null or l.last_received <= b.window_start)
)

select * from final

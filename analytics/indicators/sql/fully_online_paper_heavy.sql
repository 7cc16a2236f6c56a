-- Procedures offered fully online (Toàn trình) that still receive mostly
-- paper dossiers. Grain: one row per procedure with dossiers in the period.
-- Parameters: those of base.sql, plus $target (online share, e.g. 0.5).
with

received as (
    select
        procedure_code,
        count(*) as received_new,
        count(*) filter (where channel = 'online') as online
    from filtered_dossiers
    where received_on between $from::date and $to::date
    group by procedure_code
),

final as (
    select
        p.code as procedure_code,
        p.name as procedure_name,
        p.field,
        r.received_new,
        r.online,
        r.online / r.received_new as online_share
    from received as r
    join procedures as p on p.code = r.procedure_code
    where p.online_level = 'Toàn trình'
      and r.online / r.received_new < $target::double
    order by r.received_new - r.online desc, p.name
)

select * from final

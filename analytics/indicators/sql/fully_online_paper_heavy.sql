-- Procedures offered fully online (Toàn trình) that still receive mostly
-- paper dossiers. Grain: one row per procedure with dossiers in the period.
-- Parameters: those of base.sql, plus $target (online share, e.g. 0.5).
with

received as (
    select
        procedure_code,
        count(*) as received_new,
        count(*) filter (where channel = 'online') as online,
        count(*) filter (where channel is null) as channel_unknown
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
        r.channel_unknown,
        r.online / nullif(r.received_new - r.channel_unknown, 0) as online_share
    from received as r
    join procedures as p on p.code = r.procedure_code
    where p.online_level = 'Toàn trình'
      -- The share of the dossiers whose channel is known: a procedure whose
      -- every dossier came without a channel is not listed (null share).
      and r.online / nullif(r.received_new - r.channel_unknown, 0) < $target::double
    order by r.received_new - r.channel_unknown - r.online desc, p.name
)

select * from final

-- How many procedures in force received dossiers in the period ("14/75 TTHC
-- có phát sinh hồ sơ"). Grain: one row. Parameters: those of base.sql; the
-- field and procedure filters narrow the catalog too.
with

catalog as (
    select code
    from procedures
    where in_force
      and ($field::varchar is null or field = $field)
      and ($procedure::varchar is null or code = $procedure)
),

used as (
    select distinct procedure_code
    from filtered_dossiers
    where received_on between $from::date and $to::date
),

final as (
    select
        count(*) as in_force,
        count(*) filter (where code in (select procedure_code from used)) as with_dossiers,
        count(*) filter (where code not in (select procedure_code from used)) as without_dossiers
    from catalog
)

select * from final

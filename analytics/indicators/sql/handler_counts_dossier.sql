-- Dossiers per dossier-level handler in the period, for data with no steps
-- at all (an export without a step log): the handler is the dossier's own
-- staff column (Đơn vị/ cá nhân giải quyết, Cán bộ xử lý), the agency the
-- dossier's. One row per (handler, agency), with the keys of
-- handler_counts.sql so the pages and the JSON read both alike: steps =
-- dossiers resolved in the period, late = those resolved late (against the
-- original due date; none without a due date), late_dossiers = late.
-- Parameters: those of base.sql.
with

counted as (
    select
        handler,
        agency,
        count(*) as steps,
        count(*) filter (where is_late) as late
    from classified_dossiers
    where is_resolved
      and handler is not null
    group by handler, agency
),

final as (
    select
        handler,
        agency,
        steps,
        late,
        -- without steps there is no step to inherit from: the dossier's own
        -- handler caused what was late (docs/INDICATORS.md)
        late as caused_late,
        0 as inherited_late,
        late as late_dossiers,
        late / nullif(steps, 0) as late_rate
    from counted
)

select * from final

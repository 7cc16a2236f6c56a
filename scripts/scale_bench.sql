-- Pre-aggregated tables of the national-scale benchmark (scripts/scale_bench.py),
-- built at write time from each chunk's fact_dossiers, like the late tables.
-- Keys: day x agency x procedure x channel (x state for resolved dossiers);
-- the agency is today's unit (current_agency, the default attribution of
-- base.sql) with the recording unit beside it (a scope matches either, as in
-- base.sql); field and agency level ride along (functions of procedure and
-- agency), so the filters of base.sql apply unchanged. Chunks may share a
-- day: readers sum the counts over their filters, never read one row as a total.

-- name: daily_received
-- grain: one row per received day, agency, procedure, channel (per chunk).
with

final as (
    select
        received_on as day,
        current_agency as agency, current_level as agency_level, recorded_agency,
        field, procedure_code, channel,
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
-- (early / on_time / late, as classified_dossiers of base.sql says with
-- Biểu 06's counting).
with

final as (
    select
        finished_on as day,
        current_agency as agency, current_level as agency_level, recorded_agency,
        field, procedure_code, channel,
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

-- Readers. Each counting query (count_totals, count_by_agency, count_trend)
-- is written once, over two row sources named received_rows and
-- resolved_rows: the day tables of the period (rows_from_daily) or its whole
-- months from the month tables plus its ragged days (rows_from_monthly).
-- scale_bench.py joins a source and a counting query into one statement
-- ("with <source>, <counting>"), named like totals_from_daily or
-- by_agency_from_monthly; the benchmark checks every one of them against the
-- Engine. Neither part is a statement on its own.

-- name: rows_from_daily
-- The period's rows of the day tables.
received_rows as (
    select day, agency, recorded_agency, channel, dossiers
    from daily_received
    where day between $from::date and $to::date
),

resolved_rows as (
    select day, agency, recorded_agency, state, dossiers
    from daily_resolved
    where day between $from::date and $to::date
)

-- name: count_totals
-- The period's new, online, resolved, early, on-time and late dossiers from
-- the pre-aggregates alone (no scan of the facts), with the scope filter of
-- base.sql; the benchmark checks them against Engine.totals.
received as (
    select * from received_rows
    where ($scope::varchar[] is null or list_contains($scope::varchar[], agency)
           or list_contains($scope::varchar[], recorded_agency))
      and ($agency::varchar is null or agency = $agency)
),

resolved as (
    select * from resolved_rows
    where ($scope::varchar[] is null or list_contains($scope::varchar[], agency)
           or list_contains($scope::varchar[], recorded_agency))
      and ($agency::varchar is null or agency = $agency)
),

received_counts as (
    select
        coalesce(sum(dossiers), 0) as received_new,
        coalesce(sum(dossiers) filter (where channel = 'online'), 0) as online
    from received
),

resolved_counts as (
    select
        coalesce(sum(dossiers), 0) as resolved,
        coalesce(sum(dossiers) filter (where state = 'early'), 0) as early,
        coalesce(sum(dossiers) filter (where state = 'on_time'), 0) as on_time,
        coalesce(sum(dossiers) filter (where state = 'late'), 0) as late
    from resolved
),

final as (
    select * from received_counts, resolved_counts
)

select * from final;

-- name: count_by_agency
-- The Đúng hạn page's per-agency new / resolved / late counts (checked
-- against Engine.by_agency).
received as (
    select * from received_rows
    where ($scope::varchar[] is null or list_contains($scope::varchar[], agency)
           or list_contains($scope::varchar[], recorded_agency))
      and ($agency::varchar is null or agency = $agency)
),

resolved as (
    select * from resolved_rows
    where ($scope::varchar[] is null or list_contains($scope::varchar[], agency)
           or list_contains($scope::varchar[], recorded_agency))
      and ($agency::varchar is null or agency = $agency)
),

received_counts as (
    select agency, sum(dossiers) as received_new
    from received
    group by agency
),

resolved_counts as (
    select
        agency,
        sum(dossiers) as resolved,
        coalesce(sum(dossiers) filter (where state = 'late'), 0) as late
    from resolved
    group by agency
),

final as (
    select
        agency,
        coalesce(r.received_new, 0) as received_new,
        coalesce(s.resolved, 0) as resolved,
        coalesce(s.late, 0) as late
    from received_counts as r
    full join resolved_counts as s using (agency)
)

select * from final order by agency;

-- name: count_trend
-- The Tổng quan trend by month (received, resolved, late; checked against
-- Engine.trend).
received as (
    select * from received_rows
    where ($scope::varchar[] is null or list_contains($scope::varchar[], agency)
           or list_contains($scope::varchar[], recorded_agency))
      and ($agency::varchar is null or agency = $agency)
),

resolved as (
    select * from resolved_rows
    where ($scope::varchar[] is null or list_contains($scope::varchar[], agency)
           or list_contains($scope::varchar[], recorded_agency))
      and ($agency::varchar is null or agency = $agency)
),

received_counts as (
    select date_trunc('month', day)::date as period_start, sum(dossiers) as received_new
    from received
    group by all
),

resolved_counts as (
    select
        date_trunc('month', day)::date as period_start,
        sum(dossiers) as resolved,
        coalesce(sum(dossiers) filter (where state = 'late'), 0) as late
    from resolved
    group by all
),

final as (
    select
        period_start,
        coalesce(r.received_new, 0) as received_new,
        coalesce(s.resolved, 0) as resolved,
        coalesce(s.late, 0) as late
    from received_counts as r
    full join resolved_counts as s using (period_start)
)

select * from final order by period_start;

-- Month tables: the day tables rolled up to month x agency x field x channel
-- (x state), without the procedure. The day tables barely shrink a national
-- data set (thousands of units x hundreds of procedures: most keys of a day
-- hold one dossier); the month tables are bounded by months x units x
-- fields x channels whatever the number of dossiers. A period of whole days
-- is its whole months from the month tables plus its ragged ends from the
-- day tables: exact. Filters on procedure fall back to the day tables.

-- name: monthly_received
with

final as (
    select
        date_trunc('month', day)::date as month, agency, agency_level, recorded_agency, field, channel,
        sum(dossiers) as dossiers,
        year(day) as year
    from daily_received
    group by all
)

select * from final;

-- name: monthly_resolved
with

final as (
    select
        date_trunc('month', day)::date as month, agency, agency_level, recorded_agency, field, channel, state,
        sum(dossiers) as dossiers,
        year(day) as year
    from daily_resolved
    group by all
)

select * from final;

-- name: rows_from_monthly
-- The period's rows as whole months of the month tables plus, from the day
-- tables, the days before the first and after the last whole month (a month
-- row's day is the month's first day).
bounds as (
    select
        case when day($from::date) = 1 then $from::date
             else (date_trunc('month', $from::date) + interval 1 month)::date end as first_month,
        date_trunc('month', $to::date + interval 1 day)::date as after_months
),

received_rows as (
    select month as day, agency, recorded_agency, channel, dossiers
    from monthly_received, bounds
    where month >= first_month and month < after_months
    union all
    select day, agency, recorded_agency, channel, dossiers
    from daily_received, bounds
    where day between $from::date and $to::date
      and not (day >= first_month and day < after_months)
),

resolved_rows as (
    select month as day, agency, recorded_agency, state, dossiers
    from monthly_resolved, bounds
    where month >= first_month and month < after_months
    union all
    select day, agency, recorded_agency, state, dossiers
    from daily_resolved, bounds
    where day between $from::date and $to::date
      and not (day >= first_month and day < after_months)
)

-- name: gen_dossiers
-- The national data set, generated in SQL one chunk at a time (dossiers
-- $lo ≤ n < $hi of $total). Every draw is a hash of the dossier number and a
-- stream number, so a chunk is the same whoever builds it and whatever the
-- chunk size, and nothing is held in Python. Dossier n is received on a
-- working day that grows with n (a volume rising by $growth over the five
-- years), so a chunk is a slice of time: its files fall in one or two year
-- partitions and their row groups are ordered by date. The catalogue tables
-- (gen_days, gen_procedures, gen_agencies) come from scale_bench.py.
-- grain: one row per dossier, with the draws the steps reuse.
create or replace temp table gen as
with

numbers as (
    select range as n from range($lo::bigint, $hi::bigint)
),

draws as (
    select
        n,
        -- the inverse of a density rising linearly by $growth over the window
        (sqrt(1 + 2 * $growth * (1 + $growth / 2) * (n + 0.5) / $total) - 1) / $growth as t,
        (hash(n, 1) % 1000003) / 1000003.0 as u_procedure,
        (hash(n, 2) % 1000003) / 1000003.0 as u_province,
        (hash(n, 3) % 1000003) / 1000003.0 as u_commune,
        (hash(n, 4) % 1000003) / 1000003.0 as u_channel,
        (hash(n, 5) % 1000003) / 1000003.0 as u_late,
        (hash(n, 6) % 1000003) / 1000003.0 as u_speed,
        (hash(n, 7) % 450)::integer as received_minute,
        (hash(n, 8) % 1000003) / 1000003.0 as u_status,
        (hash(n, 9) % 1000003) / 1000003.0 as u_flag,
        (hash(n, 10) % 1000003) / 1000003.0 as u_flag2
    from numbers
),

placed as (
    select
        d.*,
        least(floor(d.t * $history_days)::integer, $history_days - 1) as day_idx,
        -- popular procedures first (a long tail, some never used), people
        -- spread over provinces and communes unevenly
        least(floor($procedures * pow(d.u_procedure, 2.6))::integer, $procedures - 1) as pidx,
        least(floor($provinces * pow(d.u_province, 1.4))::integer, $provinces - 1) as province,
        least(floor($communes * pow(d.u_commune, 1.2))::integer, $communes - 1) as commune
    from draws as d
),

catalogued as (
    select
        pl.*,
        p.code as procedure_code,
        p.name as procedure_name,
        p.field,
        p.online_level,
        p.limit_days,
        a.name as agency,
        a.late_rate * case when p.limit_days >= 10 then 1.6 else 1.0 end as late_rate,
        a.tax_office,
        -- received after 15:00, a same-day procedure is due the next working day
        pl.day_idx + p.limit_days
            + case when p.limit_days = 0 and pl.received_minute >= 330 then 1 else 0 end as due_idx
    from placed as pl
    join gen_procedures as p on p.pidx = pl.pidx
    join gen_agencies as a
        on a.province = pl.province
       and a.slot = case when p.receiver = 'commune' then pl.commune else p.department end
),

scheduled as (
    select
        c.*,
        c.u_late < c.late_rate as goes_late,
        case
            when c.u_late < c.late_rate then c.due_idx + 1 + floor(15 * c.u_speed * c.u_speed)::integer
            else c.day_idx + floor((c.due_idx - c.day_idx + 1) * pow(c.u_speed, 0.8))::integer
        end as finish_idx
    from catalogued as c
),

dated as (
    select
        s.*,
        r.day + to_minutes(case when s.received_minute < 240 then 450 + s.received_minute
                                else 570 + s.received_minute end) as received_at,
        case when s.limit_days = 0 then du.day + interval 17 hour
             else du.day + to_minutes(case when s.received_minute < 240 then 450 + s.received_minute
                                          else 570 + s.received_minute end)
        end as due_at,
        fi.day as finish_day,
        -- a few dossiers stall for good (still open, overdue)
        fi.day > $as_of::date or s.u_status < 0.0004 as still_open
    from scheduled as s
    join gen_days as r on r.idx = s.day_idx
    join gen_days as du on du.idx = s.due_idx
    join gen_days as fi on fi.idx = least(s.finish_idx, $last_day_idx)
),

final as (
    select
        d.*,
        printf('%03d.%02d.%02d.H%02d-%s-%09d', d.pidx % 1000, d.commune % 100, d.province + 1,
               d.province + 1, strftime(d.received_at, '%y%m%d'), d.n) as code,
        case
            when d.u_channel < 0.004 then null
            when d.u_channel < 0.034 then 'postal'
            when d.u_channel < 0.034 + (case d.online_level when 'Toàn trình' then 0.5
                                                            when 'Một phần' then 0.3 else 0.0 end)
                                       * (0.5 + d.t) then 'online'
            else 'direct'
        end as channel,
        case
            when d.still_open then case when d.u_status < 0.12 then 5 else 4 end
            when d.u_status < 0.002 then 3
            when d.u_status < 0.007 then 7
            when d.u_status < 0.010 then 8
            when d.u_status < 0.040 then 9
            else 10
        end as status
    from dated as d
)

select * from final;

-- name: insert_dossiers
insert into dossiers (
    code, procedure_code, procedure_name, field, agency, channel, received_at, due_at,
    finished_at, returned_at, status, inter_agency, result_attached, paid_online, digitised,
    satisfaction, import_id, due_computed, due_rescheduled_at, payment_gateway, supplement_count,
    supplement_requested_at, supplement_completed_at, data_reused, citizen_store, vneid
)
with

final as (
    select
        g.code, g.procedure_code, g.procedure_name, g.field, g.agency, g.channel, g.received_at, g.due_at,
        -- the last step's end (insert_steps: 13:30–15:30, never before the receipt)
        case when g.still_open then null
             else greatest(g.finish_day + to_minutes(810 + (hash(g.n, 28) % 120)::integer),
                           g.received_at + interval 20 minute) end as finished_at,
        case when g.status = 10 then greatest(g.finish_day + to_minutes(810 + (hash(g.n, 28) % 120)::integer),
                                              g.received_at + interval 20 minute)
                                     + to_minutes(5 + (hash(g.n, 11) % 120)::integer) end as returned_at,
        g.status,
        g.u_flag < 0.04 as inter_agency,
        g.u_flag2 < 0.45 + 0.5 * g.t as result_attached,
        g.channel = 'online' and g.u_flag2 < 0.6 as paid_online,
        g.u_flag < 0.5 + 0.45 * g.t as digitised,
        null::tinyint as satisfaction,
        null::integer as import_id,
        false as due_computed,
        case when g.goes_late and g.u_flag2 < 0.15 then g.due_at + interval 5 day end as due_rescheduled_at,
        case when g.channel = 'online' and g.u_flag2 < 0.6 then 1 + (hash(g.n, 12) % 2)::tinyint end
            as payment_gateway,
        case when g.u_flag2 > 0.995 then 2 when g.u_flag2 > 0.97 then 1 else 0 end::smallint as supplement_count,
        case when g.u_flag2 > 0.97 then g.received_at + interval 1 day end as supplement_requested_at,
        case when g.u_flag2 > 0.97 and not g.still_open then g.received_at + interval 3 day end
            as supplement_completed_at,
        g.u_flag < 0.3 * g.t as data_reused,
        g.u_flag2 < 0.2 * g.t as citizen_store,
        g.channel = 'online' and g.u_flag < 0.7 as vneid
    from gen as g
)

select * from final;

-- name: insert_steps
-- Four steps per dossier: reception, appraisal, approval, return. Each has a
-- share of the time limit (10 / 60 / 20 / 10 %) and takes a share of the
-- time the dossier took; a late dossier is late mostly at appraisal. Steps
-- of the same day finish in the order of their number (each in its two hours
-- of 7:30–15:30, never before the receipt). The approval step of a
-- liên thông dossier is the province's tax office.
insert into steps (dossier_code, step_no, step_name, handler, agency, started_at, due_at, finished_at, import_id)
with

numbered as (
    select
        g.*,
        s.step_no,
        [0.1, 0.7, 0.9, 1.0][s.step_no] as due_share,
        [0.05, 0.5 + 0.2 * g.u_speed, 0.9, 1.0][s.step_no] as done_share
    from gen as g
    cross join (select range::integer as step_no from range(1, 5)) as s
),

planned as (
    select
        n.*,
        n.day_idx + ceil((n.due_idx - n.day_idx) * n.due_share)::integer as step_due_idx,
        n.day_idx + floor((least(n.finish_idx, $last_day_idx) - n.day_idx) * n.done_share)::integer
            as step_done_idx,
        case when n.step_no = 3 and n.u_flag < 0.04 then n.tax_office else n.agency end as step_agency,
        -- a pool of staff per agency and role: 3 at reception, 8 appraisers, 2 leaders
        hash(n.agency, n.step_no, hash(n.n, 20 + n.step_no) % [3, 8, 2, 3][n.step_no]) as person
    from numbered as n
),

timed as (
    select
        p.*,
        du.day + to_minutes(case when p.received_minute < 240 then 451 + p.received_minute
                                 else 571 + p.received_minute end) as step_due_at,
        case when dn.day > $as_of::date or p.still_open and p.step_no = 4 then null
             else greatest(dn.day + to_minutes(450 + (p.step_no - 1) * 120
                                                + (hash(p.n, 24 + p.step_no) % 120)::integer),
                           p.received_at + to_minutes(5 * p.step_no)) end as step_finished_at
    from planned as p
    join gen_days as du on du.idx = p.step_due_idx
    join gen_days as dn on dn.idx = p.step_done_idx
),

final as (
    select
        t.code as dossier_code,
        t.step_no,
        ['Tiếp nhận hồ sơ', 'Thẩm định hồ sơ', 'Phê duyệt', 'Trả kết quả'][t.step_no] as step_name,
        $families[(1 + t.person % len($families))::bigint] || ' '
            || $middles[(1 + (t.person // 97) % len($middles))::bigint] || ' '
            || $givens[(1 + (t.person // 9973) % len($givens))::bigint] as handler,
        t.step_agency as agency,
        case when t.step_no = 1 then t.received_at
             else lag(t.step_finished_at) over (partition by t.code order by t.step_no) end as started_at,
        t.step_due_at as due_at,
        t.step_finished_at as finished_at,
        null::integer as import_id
    from timed as t
)

select * from final;

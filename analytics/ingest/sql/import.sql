-- The importer's statements, run in order inside its one write transaction
-- (AnalyticsStore.write). Each statement starts with a "-- name:" line.
-- Inputs: the plan's frames registered as incoming_dossiers, incoming_steps,
-- incoming_procedures, incoming_agencies, incoming_rejects.
-- Parameter: $import_id (this import's number) where noted.
-- Every upsert writes only rows that differ from what is stored, so importing
-- the same file twice leaves the data tables exactly as they were.

-- name: next_import_id
-- grain: one row. No parameters.
select coalesce(max(import_id), 0) + 1 as import_id from import_log;

-- name: changed_procedures
-- grain: one row per procedure code whose stored row changes. No parameters.
-- A blank optional attribute never erases a known one (a catalog without the
-- "Cấp thực hiện" column keeps the levels already stored).
create or replace temp table changed_procedures as
with incoming as (
    select
        code::varchar as code, name::varchar as name, field::varchar as field,
        level::varchar as level, online_level::varchar as online_level,
        published_on::date as published_on, in_force::boolean as in_force,
        time_limit_value::double as time_limit_value, time_limit_unit::varchar as time_limit_unit,
        paper_result::boolean as paper_result, fee_bearing::boolean as fee_bearing,
        fully_online_eligible::boolean as fully_online_eligible
    from incoming_procedures
),
existing as (
    select code, name, field, level, online_level, published_on, in_force, time_limit_value, time_limit_unit,
           paper_result, fee_bearing, fully_online_eligible,
           count(*) over (partition by code) as copies
    from procedures
    where code in (select code from incoming)
),
merged as (
    select
        i.code, i.name, i.field,
        coalesce(i.level, e.level) as level,
        coalesce(i.online_level, e.online_level) as online_level,
        coalesce(i.published_on, e.published_on) as published_on,
        coalesce(i.in_force, e.in_force, true) as in_force,
        -- the value and its unit travel together: a known limit is kept whole
        case when i.time_limit_value is not null then i.time_limit_value else e.time_limit_value end
            as time_limit_value,
        case when i.time_limit_value is not null then i.time_limit_unit else e.time_limit_unit end
            as time_limit_unit,
        coalesce(i.paper_result, e.paper_result) as paper_result,
        coalesce(i.fee_bearing, e.fee_bearing) as fee_bearing,
        coalesce(i.fully_online_eligible, e.fully_online_eligible) as fully_online_eligible
    from incoming as i
    left join (select * from existing qualify row_number() over (partition by code) = 1) as e using (code)
),
changed as (
    select code, name, field, level, online_level, published_on, in_force, time_limit_value, time_limit_unit,
           paper_result, fee_bearing, fully_online_eligible
    from merged
    except
    select code, name, field, level, online_level, published_on, in_force, time_limit_value, time_limit_unit,
           paper_result, fee_bearing, fully_online_eligible
    from existing where copies = 1
),
final as (
    select *, code not in (select code from existing) as is_new
    from changed
)
select * from final;

-- name: count_changed_procedures
select count(*) from changed_procedures;

-- name: replace_procedures
delete from procedures where code in (select code from changed_procedures);

-- name: insert_procedures
insert into procedures (code, name, field, level, online_level, published_on, in_force,
                        time_limit_value, time_limit_unit, paper_result, fee_bearing, fully_online_eligible)
select code, name, field, level, online_level, published_on, in_force, time_limit_value, time_limit_unit,
       paper_result, fee_bearing, fully_online_eligible
from changed_procedures;

-- name: changed_dossiers
-- grain: one row per dossier code whose stored row changes (its code and
-- whether it is new). No parameters. A later snapshot replaces the whole
-- earlier state of the dossier. The typed rows stay a view: a first or a
-- newer export is mostly new codes, copied once, by insert_dossiers.
create or replace temp view incoming_dossiers_typed as
    select
        code::varchar as code, procedure_code::varchar as procedure_code,
        procedure_name::varchar as procedure_name, field::varchar as field,
        agency::varchar as agency, channel::varchar as channel,
        received_at::timestamp as received_at, due_at::timestamp as due_at,
        finished_at::timestamp as finished_at, returned_at::timestamp as returned_at,
        status::tinyint as status, inter_agency::boolean as inter_agency,
        result_attached::boolean as result_attached, paid_online::boolean as paid_online,
        digitised::boolean as digitised, satisfaction::tinyint as satisfaction,
        coalesce(due_computed::boolean, false) as due_computed,
        due_rescheduled_at::timestamp as due_rescheduled_at,
        resolving_agency::varchar as resolving_agency, handler::varchar as handler,
        payment_gateway::tinyint as payment_gateway, supplement_count::smallint as supplement_count,
        supplement_requested_at::timestamp as supplement_requested_at,
        supplement_completed_at::timestamp as supplement_completed_at,
        data_reused::boolean as data_reused, citizen_store::boolean as citizen_store, vneid::boolean as vneid,
        agency_code::varchar as agency_code
    from incoming_dossiers;
create or replace temp table changed_dossiers as
with existing as (
    select
        code, procedure_code, procedure_name, field, agency, channel, received_at, due_at,
        finished_at, returned_at, status, inter_agency, result_attached, paid_online,
        digitised, satisfaction, coalesce(due_computed, false) as due_computed, due_rescheduled_at,
        resolving_agency, handler, payment_gateway, supplement_count, supplement_requested_at,
        supplement_completed_at, data_reused, citizen_store, vneid, agency_code
    from dossiers
    where code in (select code from incoming_dossiers_typed)
),
-- Only the rows of codes already stored are compared column by column; a
-- new code is a change as it is.
known as (
    select * from incoming_dossiers_typed where code in (select code from existing)
),
final as (
    select code, true as is_new from incoming_dossiers_typed where code not in (select code from existing)
    union all
    select code, false as is_new from (select * from known except select * from existing)
)
select * from final;

-- name: count_changed_dossiers
select count(*) from changed_dossiers;

-- name: replace_dossiers
delete from dossiers where code in (select code from changed_dossiers);

-- name: insert_dossiers
-- Parameter: $import_id.
insert into dossiers (
    code, procedure_code, procedure_name, field, agency, channel, received_at, due_at,
    finished_at, returned_at, status, inter_agency, result_attached, paid_online,
    digitised, satisfaction, due_computed, due_rescheduled_at, resolving_agency, handler,
    payment_gateway, supplement_count, supplement_requested_at, supplement_completed_at,
    data_reused, citizen_store, vneid, agency_code, import_id
)
select
    code, procedure_code, procedure_name, field, agency, channel, received_at, due_at,
    finished_at, returned_at, status, inter_agency, result_attached, paid_online,
    digitised, satisfaction, due_computed, due_rescheduled_at, resolving_agency, handler,
    payment_gateway, supplement_count, supplement_requested_at, supplement_completed_at,
    data_reused, citizen_store, vneid, agency_code, $import_id
from incoming_dossiers_typed
where code in (select code from changed_dossiers);

-- name: changed_step_dossiers
-- grain: one row per dossier whose stored steps differ from this import's. No parameters.
create or replace temp table changed_step_dossiers as
with incoming as (
    select
        dossier_code::varchar as dossier_code, step_no::integer as step_no,
        step_name::varchar as step_name, handler::varchar as handler, agency::varchar as agency,
        started_at::timestamp as started_at, due_at::timestamp as due_at,
        finished_at::timestamp as finished_at, allowance_days::double as allowance_days
    from incoming_steps
),
existing as (
    select dossier_code, step_no, step_name, handler, agency, started_at, due_at, finished_at, allowance_days
    from steps
    where dossier_code in (select dossier_code from incoming)
),
-- Steps of a dossier with none stored are new as they are; only the others
-- are compared row by row.
known as (
    select * from incoming where dossier_code in (select dossier_code from existing)
),
added as (select * from known except all select * from existing),
removed as (select * from existing except all select * from known),
final as (
    select dossier_code from incoming where dossier_code not in (select dossier_code from existing)
    union
    select dossier_code from added
    union
    select dossier_code from removed
)
select * from final;

-- name: replace_steps
delete from steps where dossier_code in (select dossier_code from changed_step_dossiers);

-- name: insert_steps
-- Parameter: $import_id.
insert into steps (dossier_code, step_no, step_name, handler, agency, started_at, due_at, finished_at,
                   allowance_days, import_id)
select
    dossier_code::varchar, step_no::integer, step_name::varchar, handler::varchar, agency::varchar,
    started_at::timestamp, due_at::timestamp, finished_at::timestamp, allowance_days::double, $import_id
from incoming_steps
where dossier_code in (select dossier_code from changed_step_dossiers);

-- name: count_inserted_steps
-- Parameter: $import_id.
select count(*) from steps where import_id = $import_id;

-- name: changed_agencies
-- grain: one row per agency name whose stored row changes. No parameters.
-- Level: what this import states (agencies sheet, else the dossiers' Cấp)
-- wins; else the stored level; else the level inferred from the procedures'
-- Cấp thực hiện. A blank never erases a known level or parent.
create or replace temp table changed_agencies as
with incoming as (
    select name::varchar as name, level::varchar as level, parent::varchar as parent,
           code::varchar as code, level_source::varchar as level_source
    from incoming_agencies
),
existing as (
    select name, max(level) as level, max(parent) as parent, max(code) as code, count(*) as copies
    from agencies
    where name in (select name from incoming)
    group by name
),
merged as (
    select
        i.name,
        coalesce(case when i.level_source in ('sheet', 'dossier') then i.level end, e.level, i.level) as level,
        coalesce(i.parent, e.parent) as parent,
        -- A unit's stored code stays: another code under its name is another
        -- unit (an old namesake), routed by the code, never a rename of it.
        coalesce(e.code, i.code) as code
    from incoming as i
    left join existing as e using (name)
),
changed as (
    select name, level, parent, code from merged
    except
    select name, level, parent, code from existing where copies = 1
),
-- What the import does not carry is kept: the unit (its id, kind and
-- dates) the stored row had.
kept as (
    select name, max(unit_id) as unit_id, max(kind) as kind, max(valid_from) as valid_from,
           max(valid_to) as valid_to
    from agencies
    where name in (select name from changed)
    group by name
),
final as (
    select c.*, c.name not in (select name from existing) as is_new,
           k.unit_id, k.kind, k.valid_from, k.valid_to
    from changed as c
    left join kept as k using (name)
)
select * from final;

-- name: count_changed_agencies
select count(*) from changed_agencies;

-- name: replace_agencies
delete from agencies where name in (select name from changed_agencies);

-- name: insert_agencies
insert into agencies (name, level, parent, code, unit_id, kind, valid_from, valid_to)
select name, level, parent, code, unit_id, kind, valid_from, valid_to from changed_agencies;

-- name: touch_dossiers
-- The dossiers whose row or steps this import changed: only their derived
-- rows are rebuilt (AnalyticsStore.write(incremental=True) opened
-- touched_dossiers). No parameters.
insert into touched_dossiers
select code from changed_dossiers
union
select dossier_code from changed_step_dossiers;

-- name: insert_rejects
-- Parameter: $import_id.
insert into import_rejects (import_id, file, sheet, row, "column", reason, value)
select $import_id, file::varchar, sheet::varchar, row::integer, "column"::varchar, reason::varchar, value::varchar
from incoming_rejects;

-- name: insert_log
-- Parameters: this import's number, times, files, counts, columns, rejects file.
insert into import_log (
    import_id, started_at, finished_at, files,
    dossiers_accepted, dossiers_rejected, steps_accepted, steps_rejected,
    procedures_accepted, procedures_rejected, agencies_accepted, agencies_rejected,
    dropped_columns, ignored_columns, rejects_file, source
) values (
    $import_id, $started_at, $finished_at, $files::varchar[],
    $dossiers_accepted, $dossiers_rejected, $steps_accepted, $steps_rejected,
    $procedures_accepted, $procedures_rejected, $agencies_accepted, $agencies_rejected,
    $dropped_columns::varchar[], $ignored_columns::varchar[], $rejects_file, 'import'
);

-- Issue 13: what the importer reads back, and the two tables it keeps for the
-- officer's decisions (created here, on the first import that needs them:
-- they belong to the import door, not to the indicators).

-- name: known_procedures
-- grain: one row per stored procedure. No parameters.
select code, name, field, level, time_limit_value, time_limit_unit from procedures;

-- name: known_procedure_aliases
-- grain: one row per procedure name attached to a catalogue code. No parameters.
select name_key, code from procedure_aliases;

-- name: create_procedure_aliases
-- A procedure name (folded: analytics.ingest.importer.procedure_name_key)
-- attached to its catalogue code by the officer (procedure-attach).
create table if not exists procedure_aliases (
    name_key     varchar not null,
    code         varchar not null,
    attached_at  timestamp
);

-- name: create_import_profiles
-- A remembered layout: keyed by the header signature (analytics.ingest.layout.Header.signature);
-- columns: a JSON object, header as written -> our column or "ignored".
create table if not exists import_profiles (
    signature   varchar not null,
    name        varchar not null,
    table_name  varchar not null,
    columns     varchar not null,
    saved_at    timestamp
);

-- name: known_profiles
-- grain: one row per remembered layout. No parameters.
select signature, name, table_name, columns from import_profiles;

-- name: delete_profile
delete from import_profiles where signature = $signature;

-- name: insert_profile
insert into import_profiles (signature, name, table_name, columns, saved_at)
values ($signature, $name, $table_name, $columns, $saved_at);

-- name: delete_procedure_alias
delete from procedure_aliases where name_key = $name_key;

-- name: insert_procedure_alias
insert into procedure_aliases (name_key, code, attached_at) values ($name_key, $code, $attached_at);

-- name: attach_dossiers
-- The dossiers filed under a folded name move to the catalogue code.
update dossiers set procedure_code = $code where procedure_code = $name_key;

-- name: count_attached
select count(*) from dossiers where procedure_code = $code;

-- name: drop_placeholder_procedure
-- The procedure keyed by the folded name goes once nothing points at it.
delete from procedures where code = $name_key;

-- name: procedures_with_dossiers
-- grain: one row per procedure of the catalogue, with its dossiers. No parameters.
-- The import page splits them: a procedure keyed by its folded name is a
-- placeholder waiting to be attached, the others are the catalogue.
with counted as (
    select procedure_code, count(*) as dossiers
    from dossiers
    group by procedure_code
),
final as (
    select p.code, p.name, coalesce(c.dossiers, 0) as dossiers
    from procedures as p
    left join counted as c on c.procedure_code = p.code
)
select * from final order by code;

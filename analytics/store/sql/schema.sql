-- The analytics database: one file, written only by the importer (and `demo`).
-- Citizen personal data never enters it: no applicant name, ID number,
-- address, phone or e-mail column exists here.

create table if not exists agencies (
    name        varchar not null,   -- NFC, whitespace collapsed; the key
    level       varchar,            -- 'Tỉnh' | 'Huyện' | 'Xã'
    parent      varchar             -- name of the parent agency, if known
);

create table if not exists procedures (
    code          varchar not null, -- Mã TTHC; the key
    name          varchar not null,
    field         varchar,          -- Lĩnh vực
    level         varchar,          -- Cấp thực hiện: 'Tỉnh' | 'Huyện' | 'Xã'
    online_level  varchar,          -- 'Toàn trình' | 'Một phần' | 'Không'
    published_on  date,             -- Ngày công bố
    in_force      boolean not null default true
);

create table if not exists dossiers (
    code             varchar not null,  -- Mã hồ sơ; unique
    procedure_code   varchar not null,
    procedure_name   varchar,
    field            varchar,           -- Lĩnh vực (falls back to the catalog's)
    agency           varchar not null,  -- receiving / deciding agency
    channel          varchar not null,  -- 'online' | 'direct' | 'postal'
    received_at      timestamp not null,
    due_at           timestamp not null, -- Ngày hẹn trả
    finished_at      timestamp,          -- end of handling, whatever the outcome
    returned_at      timestamp,          -- result handed to the citizen
    status           tinyint not null,   -- national sync code 1..10
    inter_agency     boolean not null default false, -- liên thông
    result_attached  boolean,            -- đã gắn kết quả điện tử
    paid_online      boolean,
    digitised        boolean,
    satisfaction     tinyint,            -- rating, where the export has one
    import_id        integer
);

create table if not exists steps (
    dossier_code  varchar not null,
    step_no       integer not null,
    step_name     varchar not null,
    handler       varchar not null,
    agency        varchar not null,     -- defaults to the dossier's agency
    started_at    timestamp,
    due_at        timestamp not null,
    finished_at   timestamp,
    import_id     integer
);

create table if not exists import_log (
    import_id     integer not null,
    started_at    timestamp not null,
    finished_at   timestamp,
    files         varchar[],
    dossiers_accepted   integer, dossiers_rejected   integer,
    steps_accepted      integer, steps_rejected      integer,
    procedures_accepted integer, procedures_rejected integer,
    agencies_accepted   integer, agencies_rejected   integer,
    dropped_columns     varchar[],
    ignored_columns     varchar[],
    rejects_file        varchar,
    source              varchar       -- 'import' | 'demo'
);

create table if not exists import_rejects (
    import_id  integer not null,
    file       varchar,
    sheet      varchar,
    row        integer,               -- 1-based row number as the user sees it
    "column"   varchar,
    reason     varchar,
    value      varchar
);

-- Key/value facts about the data: data_date (ISO), data_version (counter).
create table if not exists meta (
    key    varchar not null,
    value  varchar
);

-- Columns added after the first release (real exports, issue 13; the blame
-- issue's step allowances). `add column if not exists` brings a database
-- written by an older release up to date on its next write (the app and the
-- commands upgrade it before reading: AnalyticsStore.upgrade_derived).
-- A dossier's channel may be unknown (the file had no channel column) and
-- its due date may be missing (no Ngày hẹn trả and no legal time limit).
alter table dossiers alter column channel drop not null;
alter table dossiers alter column due_at drop not null;
alter table dossiers add column if not exists due_computed boolean default false;  -- due_at computed from the procedure's legal time limit
alter table dossiers add column if not exists due_rescheduled_at timestamp;        -- Thời hạn trả kết quả lần sau
alter table dossiers add column if not exists resolving_agency varchar;            -- Cơ quan / đơn vị chủ trì giải quyết
alter table dossiers add column if not exists handler varchar;                     -- dossier-level staff (Cán bộ xử lý)
alter table procedures add column if not exists time_limit_value double;          -- Thời hạn giải quyết: the number
alter table procedures add column if not exists time_limit_unit varchar;          -- 'working_days' | 'days' | 'working_hours' | 'months'
alter table steps add column if not exists allowance_days double;                 -- the step's own time allowance, working days

-- Names of the same agency (issue 13): real lists spell one office several
-- ways. Each agency is one unit with a stable id (never reused; the two-tier
-- issue builds its lineage on these ids), and every spelling seen or merged
-- maps to it by its key (analytics.locale.text.agency_key). A merge re-points
-- the merged unit's spellings and keeps the unit they named before
-- (former_unit_id). analytics/store/agency_names.py keeps both tables.
alter table agencies add column if not exists unit_id integer;
create table if not exists agency_aliases (
    alias_key       varchar not null,   -- agency_key() of a spelling; unique
    unit_id         integer not null,   -- the unit it names now
    spelling        varchar not null,   -- the spelling as first seen
    former_unit_id  integer,            -- the unit it first named before a merge (kept through chained merges)
    merged_at       timestamp           -- when that merge happened
);

-- What the 766 index needs (issue 15; docs/INDICATORS.md, "Chỉ số 766").
-- Every one is optional: null means the export had no such column, and the
-- index then says "no data" for the sub-criteria that need it, never zero.
-- Flags only: no identity number of the citizen is read or kept.
alter table dossiers add column if not exists payment_gateway tinyint;            -- DuocThanhToanTrucTuyen: 0, 1 Cổng DVCQG, 2 the province's gateway
alter table dossiers add column if not exists supplement_count smallint;          -- Số lần yêu cầu bổ sung
alter table dossiers add column if not exists supplement_requested_at timestamp;  -- Ngày yêu cầu bổ sung (the clock stops)
alter table dossiers add column if not exists supplement_completed_at timestamp;  -- Ngày hoàn thành bổ sung (the clock runs again)
alter table dossiers add column if not exists data_reused boolean;                -- HoSoCoThanhPhanSoHoa (4.3)
alter table dossiers add column if not exists citizen_store boolean;              -- DuocLayTuKhoDMQG (4.4)
alter table dossiers add column if not exists vneid boolean;                      -- TaiKhoanDuocXacThucVoiVNeID (4.5b)
alter table procedures add column if not exists paper_result boolean;             -- Kết quả giấy (4.1, 4.2, 3.3)
alter table procedures add column if not exists fee_bearing boolean;              -- Có phí, lệ phí (3.6)
alter table procedures add column if not exists fully_online_eligible boolean;    -- Đủ điều kiện toàn trình (DVCTT)
-- Units of the two-tier local government (issue 14). Since 1/7/2025 there
-- are two levels (province, commune); district units and old communes are
-- the past. analytics/store/units.py keeps these tables.
-- kind: 'vertical' for offices of vertical-ministry agencies (tax, social
-- insurance, police, treasury), shown under the province; valid_from /
-- valid_to: the dates the unit existed (valid_to set from its lineage).
alter table agencies add column if not exists kind varchar;
alter table agencies add column if not exists valid_from date;
alter table agencies add column if not exists valid_to date;
-- What the officer set for a unit (python -m analytics agencies set): wins
-- over the imported level and over the level read from the name.
create table if not exists unit_overrides (
    unit_id     integer not null,   -- one row per unit
    level       varchar,            -- 'Tỉnh' | 'Xã' | 'Huyện'
    kind        varchar,            -- 'vertical' | 'local'
    parent      varchar,
    valid_from  date,
    valid_to    date,
    set_at      timestamp
);
-- Lineage: an old unit points to the unit(s) that took over its work on a
-- date. rank 1 is the successor its dossiers go to under today's units (a
-- split commune hands every dossier, whole, to one successor). source:
-- 'mapping' (the public commune mapping), 'officer' (set or confirmed by the
-- officer), 'proposal' (made from names or an ambiguous mapping match; not
-- applied until the officer confirms it).
create table if not exists unit_lineage (
    unit_id            integer not null,
    successor_unit_id  integer not null,
    effective_on       date not null,
    rank               integer not null,
    source             varchar not null,
    confirmed          boolean not null,
    note               varchar
);
-- Derived at every write from the lineage: for each agency with a confirmed
-- successor, the unit that carries on its work today, for the dossiers it
-- received before effective_on (a name reused by a new unit after the date
-- keeps its own dossiers from then on).
create table if not exists agency_current (
    name           varchar not null,
    effective_on   date not null,
    current_agency varchar not null,
    current_level  varchar
);
-- Unit identity (issue 14): a unit's code where an export (or the commune
-- mapping) gives one: "Mã đơn vị", the national administrative unit code of
-- a commune... Matching uses it before the name (analytics/store/units.py).
-- dossiers.agency_code: the receiving agency's code as the export gave it,
-- which routes the dossier to the unit of that code.
alter table agencies add column if not exists code varchar;
alter table unit_overrides add column if not exists code varchar;
alter table dossiers add column if not exists agency_code varchar;
-- Namesakes: an old unit that went by the name of a unit of today (an old
-- "UBND xã Tân Lập" merged away on 1/7/2025 and the new commune "UBND xã Tân
-- Lập" formed that day) is a unit of its own, with a name told apart by its
-- end date ("UBND xã Tân Lập (đến 30/06/2025)"). A dossier or step stored
-- or imported under today's unit's name and received on or before `until`
-- belongs to the old unit (unless its agency code names another unit).
create table if not exists unit_namesakes (
    unit_id          integer not null,   -- the old unit
    current_unit_id  integer not null,   -- the unit that goes by the name now
    until            date not null       -- the last day the old unit received dossiers
);

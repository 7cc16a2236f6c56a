-- Reminder tables of the operational store (SQLite), migration 0001_reminders.
-- Staff contacts only: no citizen data is ever written here.

-- One row per person who may receive reminders. name_key / agency_key are the
-- folded name and agency (analytics.locale.text.fold): how a step's handler is matched.
create table if not exists contacts (
    id          integer primary key,
    name        text not null,
    agency      text,
    phone       text,             -- normalised national form 0xxxxxxxxx
    email       text,
    zalo_id     text,
    role        text not null default 'handler' check (role in ('handler', 'leader')),
    active      integer not null default 1 check (active in (0, 1)),
    name_key    text not null,
    agency_key  text not null default '',
    note        text,
    created_at  text not null,
    updated_at  text not null,
    unique (name_key, agency_key, role)
);

-- The leader(s) in charge of each agency (a leader may be in charge of several).
create table if not exists agency_leaders (
    agency      text not null,
    agency_key  text not null,
    contact_id  integer not null references contacts (id) on delete cascade,
    primary key (agency_key, contact_id)
);

-- Office settings of the reminder feature, one JSON value per key. Secrets
-- never go here: channel settings name environment variables instead.
create table if not exists reminder_settings (
    key         text primary key,
    value       text not null,
    updated_at  text not null
);

-- Every delivery attempt. A slot is one scheduled time ("2026-03-10 07:30")
-- or a label given to a manual run; a (slot, contact, channel) is sent once.
create table if not exists send_log (
    id           integer primary key,
    run_id       text not null,
    slot         text not null,
    contact_id   integer,          -- no foreign key: history outlives the contact
    recipient    text not null,
    role         text not null,
    channel      text not null,
    address      text,
    digest_hash  text not null,
    attempt      integer not null,
    result       text not null check (result in ('sent', 'failed')),
    error        text,
    sent_at      text not null,    -- UTC ISO time of the attempt
    near_due     integer,
    overdue      integer,
    data_date    text
);

create index if not exists send_log_by_slot on send_log (slot, contact_id, channel);

create index if not exists send_log_by_time on send_log (sent_at);

-- The last line of defence against a double send, whatever the caller does.
create unique index if not exists send_log_sent_once
    on send_log (slot, contact_id, channel) where result = 'sent';

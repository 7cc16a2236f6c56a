-- Accounts and audit log of the operational store (SQLite), migration
-- 0002_users_audit. Staff accounts only: no citizen data is ever written here.

-- One row per person who may sign in. username is lower-case NFC; role is one
-- of analytics.access.auth.ROLES; an agency officer must name the agency they see.
-- password_hash is an argon2id hash (argon2-cffi), or null for an account that
-- signs in only through the office's OpenID Connect provider (matched by
-- username = preferred_username or by email).
create table if not exists users (
    id               integer primary key,
    username         text not null unique,
    display_name     text not null,
    role             text not null
                     check (role in ('leader', 'reform_officer', 'agency_officer', 'admin')),
    agency           text,
    email            text,
    password_hash    text,
    disabled         integer not null default 0 check (disabled in (0, 1)),
    failed_attempts  integer not null default 0,
    locked_until     text,              -- UTC ISO time; null: not locked
    last_sign_in_at  text,
    created_at       text not null,
    updated_at       text not null,
    check (role <> 'agency_officer' or agency is not null)
);

create unique index if not exists users_by_email on users (lower(email)) where email is not null;

-- Who did what, when: sign-ins (success and failure), imports, undo and
-- restore, exports (downloads), reminder sends, account changes.
-- actor: a username, or 'cli:<os user>' for the command line, or 'system'.
-- detail: a JSON object (never a password, never citizen data).
create table if not exists audit_log (
    id      integer primary key,
    at      text not null,               -- UTC ISO time
    actor   text not null,
    action  text not null,
    target  text,
    detail  text not null default '{}'
);

create index if not exists audit_log_by_time on audit_log (at);

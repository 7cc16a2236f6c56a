"""The audit log: who did what, when.

Kept in the operational store (table ``audit_log``, migration
``0002_users_audit``). Every sign-in (success and failure), import, undo,
restore, export (download), reminder send, change of the reminders' settings
or contacts and account change is one row:
``at`` (UTC ISO time), ``actor`` (a username, ``cli:<os user>`` for the
command line, or ``system``), ``action`` (one of :data:`ACTIONS`), ``target``
(what it was done to: a username, a file, an import id), ``detail`` (a
JSON object) and ``unit_id``: the unit of the analytics database the entry
concerns, when it concerns one (an account's unit, a merge's target, a unit
changed, an agency officer's download), so the log names units by id, not
by a spelling a later merge or rename makes stale (migration
``0003_unit_ids``). Passwords and citizen data never go in; nor does a username
that no account has, as typed at sign-in (it is often a password typed in
the wrong field): such a failure is written with actor :data:`UNKNOWN_ACTOR`.

Rows are only ever added; nothing in the product updates or deletes them.
"""

from __future__ import annotations

import getpass
import json
import sqlite3
from dataclasses import dataclass
from datetime import date, datetime, time, timezone
from typing import Any, Mapping

from analytics.store.ops import OpsStore, now_iso

# The actor of a failed sign-in with a username no account has.
UNKNOWN_ACTOR = "(không rõ)"

SIGN_IN = "sign_in"
SIGN_IN_FAILED = "sign_in_failed"
SIGN_OUT = "sign_out"
IMPORT = "import"
IMPORT_FAILED = "import_failed"
UNDO = "undo"
BACKUP = "backup"
RESTORE = "restore"
EXPORT = "export"
REMINDER_SEND = "reminder_send"
USER_ADD = "user_add"
USER_UPDATE = "user_update"
USER_DISABLE = "user_disable"
USER_ENABLE = "user_enable"
USER_RESET_PASSWORD = "user_reset_password"
REMINDER_SETTINGS = "reminder_settings"
REMINDER_CONTACTS = "reminder_contacts"
AGENCY_MERGE = "agency_merge"
UNIT_CHANGE = "unit_change"

ACTIONS = (
    SIGN_IN, SIGN_IN_FAILED, SIGN_OUT, IMPORT, IMPORT_FAILED, UNDO, BACKUP, RESTORE, EXPORT,
    REMINDER_SEND, USER_ADD, USER_UPDATE, USER_DISABLE, USER_ENABLE, USER_RESET_PASSWORD,
    REMINDER_SETTINGS, REMINDER_CONTACTS, AGENCY_MERGE, UNIT_CHANGE,
)

# What people read on the admin page and in `audit list`.
ACTION_LABELS = {
    SIGN_IN: "Đăng nhập",
    SIGN_IN_FAILED: "Đăng nhập không thành công",
    SIGN_OUT: "Đăng xuất",
    IMPORT: "Nhập dữ liệu",
    IMPORT_FAILED: "Nhập dữ liệu không thành công",
    UNDO: "Hoàn tác lần nhập",
    BACKUP: "Sao lưu",
    RESTORE: "Khôi phục",
    EXPORT: "Tải xuống",
    REMINDER_SEND: "Gửi nhắc việc",
    USER_ADD: "Thêm tài khoản",
    USER_UPDATE: "Sửa tài khoản",
    USER_DISABLE: "Khóa tài khoản",
    USER_ENABLE: "Mở khóa tài khoản",
    USER_RESET_PASSWORD: "Đặt lại mật khẩu",
    REMINDER_SETTINGS: "Sửa thiết lập nhắc việc",
    REMINDER_CONTACTS: "Sửa danh bạ nhắc việc",
    AGENCY_MERGE: "Gộp tên đơn vị",
    UNIT_CHANGE: "Sửa cấp hoặc đơn vị kế thừa",
}

# Keys that must never be written into the log, whatever a caller passes.
_SECRET_KEYS = frozenset({"password", "password_hash", "secret", "token", "client_secret"})


class AuditError(ValueError):
    """An audit entry that cannot be recorded (unknown action...)."""


@dataclass(frozen=True)
class AuditEntry:
    id: int
    at: str
    actor: str
    action: str
    target: str | None
    detail: dict[str, Any]
    unit_id: int | None = None

    @property
    def label(self) -> str:
        return ACTION_LABELS.get(self.action, self.action)

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "at": self.at, "actor": self.actor, "action": self.action,
                "target": self.target, "detail": self.detail}


def cli_actor() -> str:
    """The actor of a command-line action: ``cli:<operating-system user>``."""
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):  # no passwd entry (containers)
        return "cli:unknown"


def _clean_detail(detail: Mapping[str, Any] | None) -> dict[str, Any]:
    """The detail without secret-named keys, at any depth (a settings change
    carries old and new values nested under the setting's name)."""
    if not detail:
        return {}

    def clean(value: Any) -> Any:
        if isinstance(value, Mapping):
            return {str(k): clean(v) for k, v in value.items() if str(k).lower() not in _SECRET_KEYS}
        if isinstance(value, (list, tuple)):
            return [clean(v) for v in value]
        return value

    return clean(detail)


def record(
    ops: OpsStore,
    action: str,
    *,
    actor: str,
    target: str | None = None,
    detail: Mapping[str, Any] | None = None,
    unit_id: int | None = None,
) -> int:
    """Append one entry; returns its id.

    Args:
        ops: the operational store.
        action: one of :data:`ACTIONS`.
        actor: who did it (username, ``cli:<user>``, ``system``).
        target: what it was done to (username, file name, import id), if any.
        detail: a JSON-serialisable mapping (dates become ISO text). Keys
            that look like secrets (``password``...) are dropped.
        unit_id: the unit the entry concerns, if one (analytics/store/unit_refs.py).
    """
    with ops.transaction() as con:
        return insert(con, action, actor=actor, target=target, detail=detail, unit_id=unit_id)


def insert(
    con: sqlite3.Connection,
    action: str,
    *,
    actor: str,
    target: str | None = None,
    detail: Mapping[str, Any] | None = None,
    unit_id: int | None = None,
) -> int:
    """Append one entry inside the caller's open transaction on the store
    (a restore writes its own entry in the transaction that restores, so
    both happen or neither); see :func:`record` for the arguments."""
    if action not in ACTIONS:
        raise AuditError(f"Hành động nhật ký không hợp lệ: {action!r}")
    if not actor:
        raise AuditError("Thiếu người thực hiện")
    text = json.dumps(_clean_detail(detail), ensure_ascii=False, sort_keys=True, default=str)
    cur = con.execute(
        "insert into audit_log (at, actor, action, target, detail, unit_id) values (?, ?, ?, ?, ?, ?)",
        (now_iso(), actor, action, target, text, unit_id),
    )
    row_id = cur.lastrowid
    assert row_id is not None  # sqlite3 sets it after every INSERT
    return row_id


def record_import(
    ops: OpsStore,
    *,
    actor: str,
    files: list[str],
    report: Any = None,
    error: str | None = None,
) -> int:
    """One import (``report``: an ``ImportReport``) or its failure (``error``):
    the same entry from the import page, the inbox and the command line."""
    target = ", ".join(files)
    if report is None:
        return record(ops, IMPORT_FAILED, actor=actor, target=target, detail={"error": error})
    return record(ops, IMPORT, actor=actor, target=target, detail={
        "import_id": report.import_id,
        "dossiers": report.tables["dossiers"]["accepted"],
        "steps": report.tables["steps"]["accepted"],
        "rejected": sum(t["rejected"] for t in report.tables.values()),
    })


def _since_text(since: date | datetime | str | None) -> str | None:
    """The lower bound as stored text (UTC ISO) for a string comparison."""
    if since is None:
        return None
    if isinstance(since, str):
        since = datetime.fromisoformat(since) if "T" in since or " " in since else date.fromisoformat(since)
    if not isinstance(since, datetime):
        since = datetime.combine(since, time.min)
    if since.tzinfo is None:
        since = since.replace(tzinfo=timezone.utc)
    return since.astimezone(timezone.utc).isoformat(timespec="seconds")


def entries(
    ops: OpsStore,
    *,
    since: date | datetime | str | None = None,
    action: str | None = None,
    actor: str | None = None,
    limit: int | None = None,
    unit_id: int | None = None,
) -> list[AuditEntry]:
    """Entries, newest first.

    Args:
        since: only entries at or after this time (a date means its 00:00 UTC).
        action: only this action; actor: only this actor.
        limit: at most this many (newest).
        unit_id: only entries concerning this unit id (as written: the id of
            a unit merged since stays its own).
    """
    rows = ops.query(
        """
        select id, at, actor, action, target, detail, unit_id
        from audit_log
        where (:since is null or at >= :since)
          and (:action is null or action = :action)
          and (:actor is null or actor = :actor)
          and (:unit_id is null or unit_id = :unit_id)
        order by at desc, id desc
        limit coalesce(:limit, -1)
        """,
        {"since": _since_text(since), "action": action, "actor": actor, "limit": limit, "unit_id": unit_id},
    )
    return [
        AuditEntry(r["id"], r["at"], r["actor"], r["action"], r["target"], json.loads(r["detail"] or "{}"),
                   r["unit_id"])
        for r in rows
    ]

"""The audit log: append, filter, never a secret; ``audit list``."""

from __future__ import annotations

import json
from datetime import date

import pytest

from analytics.access import audit
from analytics.cli.main import main
from analytics.store.ops import OpsStore


@pytest.fixture
def ops(tmp_path) -> OpsStore:
    return OpsStore(tmp_path / "ops.sqlite")


def _at(ops: OpsStore, entry_id: int, at: str) -> None:
    """Move an entry in time (entries are stamped with the real clock)."""
    ops.execute("update audit_log set at = ? where id = ?", (at, entry_id))


def test_record_and_read_back(ops):
    first = audit.record(ops, audit.IMPORT, actor="admin", target="hoso.xlsx",
                         detail={"import_id": 3, "dossiers": 120, "on": date(2026, 3, 1)})
    second = audit.record(ops, audit.EXPORT, actor="lan", target="bieu06.xlsx")
    assert second > first
    rows = audit.entries(ops)
    assert [(e.action, e.actor, e.target) for e in rows] == [
        (audit.EXPORT, "lan", "bieu06.xlsx"), (audit.IMPORT, "admin", "hoso.xlsx")]
    assert rows[1].detail == {"import_id": 3, "dossiers": 120, "on": "2026-03-01"}
    assert rows[1].label == "Nhập dữ liệu" and rows[0].detail == {}


def test_secrets_never_reach_the_log(ops):
    audit.record(ops, audit.USER_ADD, actor="cli:root", target="lan",
                 detail={"role": "leader", "password": "bí mật 123", "Client_Secret": "x"})
    assert audit.entries(ops)[0].detail == {"role": "leader"}
    assert b"b\xc3\xad m\xe1\xba\xadt 123" not in ops.path.read_bytes()


def test_unknown_action_or_missing_actor_refused(ops):
    with pytest.raises(audit.AuditError):
        audit.record(ops, "delete_everything", actor="x")
    with pytest.raises(audit.AuditError):
        audit.record(ops, audit.EXPORT, actor="")
    assert audit.entries(ops) == []


def test_filters_since_action_actor_limit(ops):
    a = audit.record(ops, audit.SIGN_IN, actor="lan")
    b = audit.record(ops, audit.SIGN_IN_FAILED, actor="binh")
    c = audit.record(ops, audit.SIGN_IN, actor="binh")
    _at(ops, a, "2026-03-01T01:00:00+00:00")
    _at(ops, b, "2026-03-02T01:00:00+00:00")
    _at(ops, c, "2026-03-03T01:00:00+00:00")
    assert [e.id for e in audit.entries(ops, since=date(2026, 3, 2))] == [c, b]
    assert [e.id for e in audit.entries(ops, since="2026-03-02T02:00:00+00:00")] == [c]
    assert [e.id for e in audit.entries(ops, action=audit.SIGN_IN)] == [c, a]
    assert [e.id for e in audit.entries(ops, actor="binh")] == [c, b]
    assert [e.id for e in audit.entries(ops, limit=1)] == [c]


def test_cli_audit_list(tmp_path, capsys):
    db = tmp_path / "office.duckdb"
    ops = OpsStore.beside(db)
    a = audit.record(ops, audit.SIGN_IN, actor="lan", detail={"method": "password"})
    b = audit.record(ops, audit.IMPORT, actor="inbox", target="hoso.xlsx", detail={"import_id": 2})
    # 28/02 23:30 in Vietnam is 16:30 UTC: before 01/03 (Vietnam time).
    _at(ops, a, "2026-02-28T16:30:00+00:00")
    # 01/03 00:30 in Vietnam.
    _at(ops, b, "2026-02-28T17:30:00+00:00")
    assert main(["audit", "list", "--db", str(db), "--since", "2026-03-01", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["id"] for r in rows] == [b]
    assert main(["audit", "list", "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert "01/03/2026 00:30" in out and "28/02/2026 23:30" in out
    assert "Nhập dữ liệu" in out and "import_id=2" in out and "Đăng nhập" in out
    assert main(["audit", "list", "--db", str(db), "--action", "nope"]) == 2
    assert main(["audit", "list", "--db", str(db), "--action", "export"]) == 0
    assert "trống" in capsys.readouterr().out

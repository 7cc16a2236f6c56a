"""Snapshots, undo of an import, backup and restore of the data folder."""

from __future__ import annotations

import csv
import io
import json
import os
import tarfile
from pathlib import Path

import pytest

from analytics.access import audit
from analytics.access.auth import Accounts
from analytics.cli.main import main
from analytics.indicators.engine import Engine
from analytics.indicators.filters import Filters
from analytics.ingest.importer import import_files
from analytics.recovery.backup import (
    BackupError,
    UndoError,
    backup,
    data_tables,
    import_history,
    list_snapshots,
    restore,
    undo_import,
)
from analytics.store.database import AnalyticsStore
from analytics.store.ops import OpsStore
from analytics.store.snapshots import snapshots_dir
from tests import golden as g
from tests.conftest import build_file_db

HEADER = ["Mã hồ sơ", "Mã TTHC", "Lĩnh vực", "Cơ quan giải quyết", "Kênh nộp", "Ngày tiếp nhận",
          "Ngày hẹn trả", "Ngày kết thúc xử lý", "Trạng thái"]


def _export(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(HEADER)
        w.writerows(rows)
    return path


def _row(code: str, received: str, finished: str | None = None, agency: str = g.XA) -> list[str]:
    return [code, "P1", "Chứng thực", agency, "Trực tuyến", received, "30/03/2026",
            finished or "", "10" if finished else "4"]


def _state(db: Path) -> dict[str, list[tuple]]:
    """Every data table's rows, sorted: what an undo must bring back exactly."""
    con = AnalyticsStore(db).reader()
    return {t: sorted(con.execute(f"select * from {t}").fetchall(), key=repr) for t in data_tables()}


def _totals(db: Path) -> dict:
    return Engine(AnalyticsStore(db).reader()).totals(Filters(*g.MARCH))


@pytest.fixture
def office(tmp_path) -> Path:
    """The golden office, then two imports: 1 adds A1, A2; 2 adds B1 and re-states A1."""
    data = tmp_path / "data"
    data.mkdir()
    db = data / "office.duckdb"
    build_file_db(db, **g.ROWS)
    import_files([_export(tmp_path / "a.csv", [_row("A1", "10/03/2026"), _row("A2", "11/03/2026")])], db)
    import_files([_export(tmp_path / "b.csv", [_row("B1", "12/03/2026"),
                                               _row("A1", "10/03/2026", "20/03/2026")])], db)
    return db


# -- snapshots --------------------------------------------------------------------

def test_every_write_keeps_the_previous_state_as_a_hard_link(tmp_path, monkeypatch):
    monkeypatch.setenv("MOTCUA_KEEP_SNAPSHOTS", "2")
    db = tmp_path / "x.duckdb"
    store = build_file_db(db, agencies=[(g.XA, "Xã", None)])
    assert list_snapshots(db) == []  # the first write had no previous state
    first = store.current_file()
    with store.write() as con:
        con.execute("insert into agencies (name, level, parent) values ('B', 'Xã', null)")
    [snap] = list_snapshots(db)
    assert snap.path.parent == snapshots_dir(db) == tmp_path / "snapshots" / "x.duckdb"
    assert os.path.samefile(snap.path, first)  # the same inode: no copy was made
    assert snap.data_version == 1
    for name in ("C", "D", "E"):
        with store.write() as con:
            con.execute("insert into agencies (name, level, parent) values ($n, 'Xã', null)", {"n": name})
    assert [s.data_version for s in list_snapshots(db)] == [3, 4]  # only the newest two kept


def test_snapshots_can_be_turned_off(tmp_path, monkeypatch):
    monkeypatch.setenv("MOTCUA_KEEP_SNAPSHOTS", "0")
    db = tmp_path / "x.duckdb"
    store = build_file_db(db)
    with store.write():
        pass
    assert list_snapshots(db) == []


# -- undo -------------------------------------------------------------------------

def test_undo_the_latest_import_brings_back_the_state_before_it(office, tmp_path):
    history = import_history(office)
    assert [(e.import_id, e.undone) for e in history] == [(1, False), (2, False)]
    # The state after import 1, rebuilt independently for comparison.
    expected_db = tmp_path / "expected.duckdb"
    build_file_db(expected_db, **g.ROWS)
    import_files([tmp_path / "a.csv"], expected_db)
    version = int(AnalyticsStore(office).reader().execute(
        "select value from meta where key = 'data_version'").fetchone()[0])

    result = undo_import(office, 2, actor="cli:test")

    assert result.discarded == () and result.dossiers == len(g.DOSSIERS) + 2
    assert _state(office) == _state(expected_db)
    assert _totals(office) == _totals(expected_db)
    con = AnalyticsStore(office).reader()
    # The undo is a write like any other: a new version, readers follow it.
    assert int(con.execute("select value from meta where key = 'data_version'").fetchone()[0]) == version + 1
    # A1 is open again (import 2 had finished it); B1 is gone.
    assert con.execute("select finished_at from dossiers where code = 'A1'").fetchone()[0] is None
    assert con.execute("select count(*) from dossiers where code = 'B1'").fetchone()[0] == 0
    # History stays: import 2 is listed, marked undone; the next import is number 3.
    assert [(e.import_id, e.undone) for e in import_history(office)] == [(1, False), (2, True)]
    assert import_files([_export(tmp_path / "c.csv", [_row("C1", "13/03/2026")])], office).import_id == 3
    entry = audit.entries(OpsStore.beside(office), action=audit.UNDO)[0]
    assert entry.target == "import 2" and entry.detail["undone"] == [2]


def test_undo_twice_or_unknown_is_refused(office):
    undo_import(office, 2, actor="cli:test")
    with pytest.raises(UndoError, match="đã được hoàn tác"):
        undo_import(office, 2, actor="cli:test")
    with pytest.raises(UndoError, match=r"Không có lần nhập số 7 \(các lần nhập hiện có: 1\)"):
        undo_import(office, 7, actor="cli:test")


def test_undo_of_an_earlier_import_lists_what_would_be_lost(office):
    before = _state(office)
    with pytest.raises(UndoError) as refused:
        undo_import(office, 1, actor="cli:test")
    message = str(refused.value)
    assert "không phải lần nhập cuối" in message and "lần 2" in message and "b.csv" in message
    assert "--discard-later" in message
    assert _state(office) == before  # nothing changed

    result = undo_import(office, 1, actor="cli:test", discard_later=True)
    assert result.discarded == (2,)
    codes = {r[0] for r in _state(office)["dossiers"]}
    assert codes == {d[0] for d in g.DOSSIERS}  # back to the golden office alone
    assert [(e.import_id, e.undone) for e in import_history(office)] == [(1, True), (2, True)]


def test_undo_after_undo_walks_back_further(office, tmp_path):
    undo_import(office, 2, actor="cli:test")
    undo_import(office, 1, actor="cli:test")  # 2 is already undone: nothing later is lost
    assert {r[0] for r in _state(office)["dossiers"]} == {d[0] for d in g.DOSSIERS}


def test_undo_without_a_snapshot_says_so(office, monkeypatch):
    for snap in snapshots_dir(office).iterdir():
        snap.unlink()
    with pytest.raises(UndoError, match="Không còn bản chụp"):
        undo_import(office, 2, actor="cli:test")


def test_cli_undo_and_snapshots(office, capsys):
    assert main(["undo", "--db", str(office), "--import-id", "1"]) == 1
    assert "không phải lần nhập cuối" in capsys.readouterr().err
    assert main(["snapshots", "--db", str(office), "--format", "json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [i["import_id"] for i in listed["imports"]] == [1, 2]
    assert [s["import_ids"] for s in listed["snapshots"]] == [[], [1]]
    assert main(["undo", "--db", str(office), "--import-id", "2"]) == 0
    assert "Đã hoàn tác lần nhập số 2" in capsys.readouterr().out
    assert main(["snapshots", "--db", str(office)]) == 0
    assert "[đã hoàn tác] lần 2" in capsys.readouterr().out


# -- backup and restore --------------------------------------------------------------

@pytest.fixture
def office_with_ops(office, tmp_path) -> Path:
    data = office.parent
    accounts = Accounts(OpsStore.beside(office))
    accounts.add("lan", display_name="Nguyễn Thị Lan", role="agency_officer", agency=g.XA,
                 password="mật khẩu đủ dài", actor="cli:test")
    (data / "calendar_overrides.json").write_text('{"2026-04-25": "work"}', encoding="utf-8")
    # An import with a bad row leaves a rejects file beside the database.
    import_files([_export(tmp_path / "bad.csv", [_row("R1", "14/03/2026"), _row("R2", "31/02/2026")])], office)
    return office


def test_backup_then_restore_over_a_changed_database(office_with_ops, tmp_path):
    db = office_with_ops
    data = db.parent
    rejects = sorted(p.name for p in (data / "rejects").iterdir())
    assert rejects == ["office-import-3.csv"]
    saved_state, saved_totals = _state(db), _totals(db)
    archive = tmp_path / "backups" / "office.tar.gz"

    result = backup(db, archive, actor="cli:test")

    assert archive.is_file() and result.dossiers == len(g.DOSSIERS) + 4
    with tarfile.open(archive) as tar:
        names = set(tar.getnames())
        manifest = json.load(tar.extractfile("manifest.json"))
    assert names == {"manifest.json", "database/office.duckdb", "ops/ops.sqlite",
                     "rejects/office-import-3.csv", "config/calendar_overrides.json"}
    assert set(manifest["files"]) == names - {"manifest.json"}
    assert all(len(f["sha256"]) == 64 for f in manifest["files"].values())

    # Life goes on: another import, a new account, a lost settings file.
    import_files([_export(tmp_path / "d.csv", [_row("D99", "15/03/2026")])], db)
    Accounts(OpsStore.beside(db)).add("hung", display_name="Lê Hùng", role="leader",
                                      password="mật khẩu đủ dài", actor="cli:test")
    (data / "calendar_overrides.json").unlink()
    version_before = int(AnalyticsStore(db).reader().execute(
        "select value from meta where key = 'data_version'").fetchone()[0])

    restored = restore(archive, db, actor="cli:test")

    assert _state(db) == saved_state and _totals(db) == saved_totals
    assert restored.ops_restored and restored.dossiers == result.dossiers
    # The version keeps counting up, so no cache can serve pre-restore numbers.
    assert int(AnalyticsStore(db).reader().execute(
        "select value from meta where key = 'data_version'").fetchone()[0]) == version_before + 1
    # The audit log is never rolled back: what happened since the backup stays.
    logged = [(e.action, e.target) for e in audit.entries(OpsStore.beside(db))]
    assert logged[:3] == [(audit.RESTORE, str(archive)), (audit.USER_ADD, "hung"), (audit.BACKUP, str(archive))]
    assert (audit.USER_ADD, "lan") in logged
    accounts = Accounts(OpsStore.beside(db))
    assert [u.username for u in accounts.list()] == ["lan"]
    assert accounts.authenticate("lan", "mật khẩu đủ dài") is not None
    assert (data / "calendar_overrides.json").read_text(encoding="utf-8") == '{"2026-04-25": "work"}'
    assert [e.import_id for e in import_history(db)] == [1, 2, 3]


def test_restore_on_a_new_machine(office_with_ops, tmp_path):
    archive = tmp_path / "office.tar.gz"
    backup(office_with_ops, archive, actor="cli:test")
    fresh = tmp_path / "new-machine" / "data" / "motcua.duckdb"
    restore(archive, fresh, actor="cli:test")
    assert _state(fresh) == _state(office_with_ops)
    assert (fresh.parent / "rejects" / "office-import-3.csv").is_file()
    assert Accounts(OpsStore.beside(fresh)).get("lan") is not None


def test_a_damaged_backup_changes_nothing(office_with_ops, tmp_path):
    db = office_with_ops
    archive = tmp_path / "office.tar.gz"
    backup(db, archive, actor="cli:test")
    # Rewrite the archive with one byte of the database changed.
    damaged = tmp_path / "damaged.tar.gz"
    with tarfile.open(archive) as src, tarfile.open(damaged, "w:gz") as dst:
        for member in src.getmembers():
            data = bytearray(src.extractfile(member).read())
            if member.name.startswith("database/"):
                data[len(data) // 2] ^= 0xFF
            dst.addfile(member, io.BytesIO(bytes(data)))
    import_files([_export(tmp_path / "e.csv", [_row("E1", "16/03/2026")])], db)
    before = _state(db)
    with pytest.raises(BackupError, match="không khớp mã kiểm tra"):
        restore(damaged, db, actor="cli:test")
    assert _state(db) == before
    not_a_backup = tmp_path / "x.tar.gz"
    not_a_backup.write_bytes(b"not a tar file")
    with pytest.raises(BackupError, match="hỏng"):
        restore(not_a_backup, db, actor="cli:test")


def test_restore_refuses_paths_outside_its_folder(office, tmp_path):
    evil = tmp_path / "evil.tar.gz"
    with tarfile.open(evil, "w:gz") as tar:
        info = tarfile.TarInfo("../../escaped.txt")
        info.size = 2
        tar.addfile(info, io.BytesIO(b"hi"))
    with pytest.raises(BackupError):
        restore(evil, office, actor="cli:test")
    assert not (office.parent.parent / "escaped.txt").exists()


def test_cli_backup_restore(office_with_ops, tmp_path, capsys):
    archive = tmp_path / "b.tar.gz"
    assert main(["backup", "--db", str(office_with_ops), "--out", str(tmp_path / "b.zip")]) == 2
    assert main(["backup", "--db", str(office_with_ops), "--out", str(archive)]) == 0
    assert "Đã sao lưu" in capsys.readouterr().out
    assert main(["restore", "--from", str(archive), "--db", str(office_with_ops)]) == 0
    assert "Đã khôi phục" in capsys.readouterr().out
    assert main(["restore", "--from", str(tmp_path / "none.tar.gz"), "--db", str(office_with_ops)]) == 1
    assert main(["backup", "--db", str(tmp_path / "none.duckdb"), "--out", str(archive)]) == 1


# -- a restore or backup cut off half way ---------------------------------------------------------

ROOT = Path(__file__).resolve().parents[1]


class Crash(BaseException):
    """The process dying at this point (not an error anything catches)."""


def _crash(*args, **kwargs):
    raise Crash()


def _life_goes_on(db: Path, n: int = 5) -> list[str]:
    """Audit entries written after the backup: what a restore must never lose."""
    ops = OpsStore.beside(db)
    targets = [f"bao-cao-{i}.xlsx" for i in range(n)]
    for target in targets:
        audit.record(ops, audit.EXPORT, actor="lan", target=target)
    return targets


def _work_folders(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith((".restore-", ".backup-"))
                  and p.name != ".restore-pending.json")


@pytest.mark.parametrize("point", ["ops_migrate", "after_database", "ops_transaction", "files"])
def test_a_crash_at_any_step_of_a_restore_loses_no_audit_entry(office_with_ops, tmp_path, monkeypatch, point):
    db = office_with_ops
    archive = tmp_path / "office.tar.gz"
    backup(db, archive, actor="cli:test")
    Accounts(OpsStore.beside(db)).add("hung", display_name="Lê Hùng", role="leader",
                                      password="mật khẩu đủ dài", actor="cli:test")
    since_backup = _life_goes_on(db)
    real_replace = os.replace
    with monkeypatch.context() as m:
        if point == "ops_migrate":
            m.setattr(OpsStore, "migrate", _crash)
        elif point == "after_database":
            m.setattr(AnalyticsStore, "_prune", _crash)
        elif point == "ops_transaction":
            m.setattr(audit, "insert", _crash)  # inside the restore's own transaction, before commit
        else:
            m.setattr(os, "replace",
                      lambda src, dst: _crash() if "rejects" in str(dst) else real_replace(src, dst))
        with pytest.raises(Crash):
            restore(archive, db, actor="cli:test")
    ops = OpsStore.beside(db)
    exported = {e.target for e in audit.entries(ops, action=audit.EXPORT)}
    assert set(since_backup) <= exported
    # The operational store is the old one or the restored one, never a mix.
    users = sorted(u.username for u in Accounts(ops).list())
    restored = bool(audit.entries(ops, action=audit.RESTORE))
    assert users == (["lan"] if restored else ["hung", "lan"])
    assert _work_folders(db.parent) == []
    # Running it again finishes the job.
    restore(archive, db, actor="cli:test")
    assert set(since_backup) <= {e.target for e in audit.entries(ops, action=audit.EXPORT)}
    assert [u.username for u in Accounts(ops).list()] == ["lan"]
    assert not (db.parent / ".restore-pending.json").exists()
    backup(db, tmp_path / "after.tar.gz", actor="cli:test")


KILLED = """
import os, sys
sys.path.insert(0, sys.argv[1])
from analytics.recovery import backup as b
from analytics.store.database import AnalyticsStore
if sys.argv[2] == "restore":
    AnalyticsStore._prune = lambda *a, **k: os._exit(9)  # right after the database write
    b.restore(sys.argv[3], sys.argv[4], actor="cli:test")
else:
    real = b._add_file
    b._add_file = lambda *a, **k: (real(*a, **k), os._exit(9))  # after the first file
    b.backup(sys.argv[4], sys.argv[3], actor="cli:test")
"""


def _killed(*args: str) -> None:
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-c", KILLED, str(ROOT), *args], capture_output=True, timeout=120)
    assert done.returncode == 9, done.stderr.decode()


def test_a_killed_restore_is_finished_by_the_next_one_and_leaves_no_work_folder(office_with_ops, tmp_path,
                                                                                 caplog):
    db = office_with_ops
    archive = tmp_path / "office.tar.gz"
    backup(db, archive, actor="cli:test")
    since_backup = _life_goes_on(db)
    _killed("restore", str(archive), str(db))
    left = _work_folders(db.parent)
    assert len(left) == 1  # the whole backup, extracted, in the data folder
    assert set(since_backup) <= {e.target for e in audit.entries(OpsStore.beside(db), action=audit.EXPORT)}
    # A backup now would save a half-restored folder: refused, with what to do.
    with pytest.raises(BackupError, match="bị ngắt giữa chừng"):
        backup(db, tmp_path / "half.tar.gz", actor="cli:test")
    with caplog.at_level("WARNING", logger="analytics.recovery.backup"):
        restore(archive, db, actor="cli:test")
    assert _work_folders(db.parent) == []
    assert any(left[0] in r.getMessage() and "interrupted" in r.getMessage() for r in caplog.records)
    assert set(since_backup) <= {e.target for e in audit.entries(OpsStore.beside(db), action=audit.EXPORT)}
    backup(db, tmp_path / "after.tar.gz", actor="cli:test")


def test_a_killed_backup_leaves_nothing_after_the_next_backup(office_with_ops, tmp_path):
    out = tmp_path / "backups"
    out.mkdir()
    _killed("backup", str(out / "office.tar.gz"), str(office_with_ops))
    assert [p.name for p in out.iterdir()] != []  # something was left by the killed process
    backup(office_with_ops, out / "office.tar.gz", actor="cli:test")
    assert sorted(p.name for p in out.iterdir()) == ["office.tar.gz"]


def test_backups_rejects_and_restored_files_are_owner_only(office_with_ops, tmp_path):
    import stat

    def mode(path: Path) -> int:
        return stat.S_IMODE(path.stat().st_mode)

    old = os.umask(0o022)  # the usual umask: 0644 files unless the code says otherwise
    try:
        db = office_with_ops
        import_files([_export(tmp_path / "bad2.csv", [_row("R3", "31/02/2026")])], db)
        rejects = db.parent / "rejects" / "office-import-4.csv"
        assert mode(rejects) == 0o600
        archive = tmp_path / "new-folder" / "office.tar.gz"
        backup(db, archive, actor="cli:test")
        assert mode(archive) == 0o600 and mode(archive.parent) == 0o700
        fresh = tmp_path / "new-machine" / "data" / "motcua.duckdb"
        restore(archive, fresh, actor="cli:test")
    finally:
        os.umask(old)
    assert mode(fresh.parent) == 0o700
    assert mode(fresh.parent / "rejects") == 0o700
    assert mode(fresh.parent / "rejects" / "office-import-4.csv") == 0o600
    assert mode(fresh.parent / "calendar_overrides.json") == 0o600
    assert mode(fresh.parent / "ops.sqlite") == 0o600

import io
import json
import os
import re
import sqlite3
import stat
import threading

import pytest

from analytics.access import audit
from analytics.access.auth import Accounts
from analytics.cli.main import main
from analytics.store.database import AnalyticsStore
from analytics.store.ops import (
    MIGRATIONS,
    Migration,
    OpsDiskFull,
    OpsError,
    OpsStore,
    default_ops_path,
    split_statements,
)


def test_default_path_is_beside_the_analytics_database(tmp_path):
    assert default_ops_path(tmp_path / "sub" / "motcua.duckdb") == tmp_path / "sub" / "ops.sqlite"
    assert OpsStore.beside(tmp_path / "x.duckdb").path == tmp_path / "ops.sqlite"


def test_default_path_does_not_follow_the_version_link(tmp_path):
    # The analytics store keeps its data in .motcua.duckdb.versions/ behind a link.
    store = AnalyticsStore(tmp_path / "motcua.duckdb")
    with store.write():
        pass
    assert store.path.is_symlink()
    assert default_ops_path(store.path) == tmp_path / "ops.sqlite"
    assert default_ops_path(store.path.resolve()) == tmp_path / "ops.sqlite"


def test_first_use_creates_the_file_in_wal_mode_with_all_tables(tmp_path):
    ops = OpsStore(tmp_path / "deep" / "ops.sqlite")
    tables = {r["name"] for r in ops.query("select name from sqlite_master where type = 'table'")}
    assert {"contacts", "agency_leaders", "reminder_settings", "send_log", "schema_migrations"} <= tables
    with ops.connect() as con:
        assert con.execute("pragma journal_mode").fetchone()[0] == "wal"
        assert con.execute("pragma foreign_keys").fetchone()[0] == 1
        assert con.execute("pragma busy_timeout").fetchone()[0] >= 5000
    assert ops.applied_migrations() == [m.name for m in MIGRATIONS]


def test_migrations_apply_once_and_later_ones_are_added(tmp_path):
    path = tmp_path / "ops.sqlite"
    base = list(MIGRATIONS)
    assert OpsStore(path, base).migrate() == [m.name for m in base]
    assert OpsStore(path, base).migrate() == []
    later = base + [Migration("0002_users", "create table later_example (id integer primary key, name text);\n"
                                            "insert into later_example (name) values ('a');")]
    assert OpsStore(path, later).migrate() == ["0002_users"]
    assert OpsStore(path, later).migrate() == []
    assert OpsStore(path, later).query("select count(*) as n from later_example") == [{"n": 1}]


def test_a_failing_migration_leaves_nothing_behind(tmp_path):
    path = tmp_path / "ops.sqlite"
    bad = list(MIGRATIONS) + [Migration("0002_bad", "create table t (a int);\ninsert into nowhere values (1);")]
    with pytest.raises(OpsError):
        OpsStore(path, bad).migrate()
    store = OpsStore(path, list(MIGRATIONS))
    assert "0002_bad" not in store.applied_migrations()
    assert store.query("select name from sqlite_master where name = 't'") == []


def test_transaction_rolls_back_on_error(tmp_path):
    ops = OpsStore(tmp_path / "ops.sqlite")
    with pytest.raises(RuntimeError):
        with ops.transaction() as con:
            con.execute("insert into reminder_settings values ('k', '1', 'now')")
            raise RuntimeError("boom")
    assert ops.query("select * from reminder_settings") == []
    assert ops.execute("insert into reminder_settings values ('k', '1', 'now')") == 1
    assert ops.query("select key from reminder_settings") == [{"key": "k"}]


def test_the_sent_once_index_refuses_a_second_sent_row(tmp_path):
    ops = OpsStore(tmp_path / "ops.sqlite")
    row = ("r", "2026-03-10 07:30", 1, "A", "handler", "email", "a@x.vn", "h", 1, "sent", None, "t")
    sql = ("insert into send_log (run_id, slot, contact_id, recipient, role, channel, address,"
           " digest_hash, attempt, result, error, sent_at) values (?,?,?,?,?,?,?,?,?,?,?,?)")
    ops.execute(sql, row)
    ops.execute(sql, row[:9] + ("failed", "x", "t"))  # failed attempts may repeat
    with pytest.raises(sqlite3.IntegrityError):
        ops.execute(sql, row)


def test_concurrent_writers_wait_instead_of_failing(tmp_path):
    ops = OpsStore(tmp_path / "ops.sqlite")
    ops.migrate()
    errors = []

    def write(i):
        try:
            for j in range(20):
                ops.execute("insert into reminder_settings values (?, '1', 'now')", (f"k{i}-{j}",))
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert ops.query("select count(*) as n from reminder_settings") == [{"n": 80}]


def test_split_statements_keeps_triggers_whole_and_drops_comments():
    script = """
    -- a comment
    create table a (x int);
    create trigger t after insert on a begin
        insert into a values (1);
        select 1;
    end;
    -- trailing comment
    """
    statements = split_statements(script)
    assert len(statements) == 2
    assert statements[1].startswith("create trigger") and statements[1].endswith("end;")
    with pytest.raises(OpsError, match="chưa kết thúc"):
        split_statements("create table b (x int)")


# -- a full disk ----------------------------------------------------------------------

# What a full disk refuses: any statement that may write to the file.
_WRITES = re.compile(r"^\s*(insert|update|delete|replace|create|drop|alter|pragma\s+journal_mode\s*=)", re.I)


class FullDisk(sqlite3.Connection):
    """A connection on a disk with no room left: every write fails as SQLite says it."""

    def execute(self, sql, *args):
        if _WRITES.match(sql):
            raise sqlite3.OperationalError("database or disk is full")
        return super().execute(sql, *args)

    def executemany(self, sql, *args):
        if _WRITES.match(sql):
            raise sqlite3.OperationalError("database or disk is full")
        return super().executemany(sql, *args)


@pytest.fixture
def office_db(tmp_path):
    """An office whose operational store has one account and one audit entry."""
    db = tmp_path / "office.duckdb"
    Accounts(OpsStore.beside(db), hasher=_cheap_hasher()).add(
        "lan", display_name="Nguyễn Thị Lan", role="leader", password="mật khẩu đủ dài", actor="cli:test")
    return db


def _cheap_hasher():
    from argon2 import PasswordHasher, profiles

    p = profiles.CHEAPEST
    return PasswordHasher(time_cost=p.time_cost, memory_cost=p.memory_cost, parallelism=p.parallelism,
                          hash_len=p.hash_len, salt_len=p.salt_len, type=p.type)


@pytest.fixture
def full_disk(monkeypatch):
    real = sqlite3.connect
    monkeypatch.setattr(sqlite3, "connect", lambda *a, **k: real(*a, factory=FullDisk, **k))


def test_reading_accounts_and_the_audit_log_works_on_a_full_disk(office_db, full_disk, capsys):
    # A new store object, as at each start of the app or of a command: opening
    # it must not write (no journal-mode pragma, no migration already applied).
    ops = OpsStore.beside(office_db)
    assert [u.username for u in Accounts(ops).list()] == ["lan"]
    assert Accounts(OpsStore.beside(office_db)).count() == 1
    assert main(["users", "list", "--db", str(office_db)]) == 0
    assert "lan" in capsys.readouterr().out
    assert main(["audit", "list", "--db", str(office_db), "--format", "json"]) == 0
    assert [e["action"] for e in json.loads(capsys.readouterr().out)] == ["user_add"]


def test_a_write_on_a_full_disk_says_so_and_writes_nothing(office_db, full_disk, capsys, monkeypatch):
    ops = OpsStore.beside(office_db)
    with pytest.raises(OpsDiskFull, match="Ổ đĩa đầy"):
        audit.record(ops, audit.EXPORT, actor="lan", target="x.xlsx")
    with pytest.raises(OpsDiskFull, match="Ổ đĩa đầy"):
        Accounts(ops, hasher=_cheap_hasher()).add("binh", display_name="Bình", role="leader",
                                                  password="mật khẩu đủ dài", actor="cli:test")
    capsys.readouterr()
    monkeypatch.setattr("sys.stdin", io.StringIO("mật khẩu đủ dài\n"))
    code = main(["users", "add", "binh", "--db", str(office_db), "--role", "leader", "--password-stdin"])
    err = capsys.readouterr().err
    assert code == 1 and err.startswith("Lỗi: Ổ đĩa đầy") and "Traceback" not in err
    assert [u.username for u in Accounts(ops).list()] == ["lan"]
    assert len(audit.entries(ops)) == 1


# -- who may read the file ----------------------------------------------------------------

def test_the_store_and_its_wal_files_are_created_owner_only(tmp_path):
    old = os.umask(0o022)  # the usual umask: files 0644 unless the code says otherwise
    try:
        ops = OpsStore(tmp_path / "new" / "ops.sqlite")
        with ops.transaction() as con:  # holding a connection keeps -wal and -shm on disk
            con.execute("insert into reminder_settings values ('k', '1', 'now')")
            modes = {p.name: stat.S_IMODE(p.stat().st_mode) for p in (tmp_path / "new").iterdir()}
    finally:
        os.umask(old)
    assert modes == {"ops.sqlite": 0o600, "ops.sqlite-wal": 0o600, "ops.sqlite-shm": 0o600}
    assert stat.S_IMODE((tmp_path / "new").stat().st_mode) == 0o700


def test_a_store_left_world_readable_is_tightened_when_opened(tmp_path):
    path = tmp_path / "ops.sqlite"
    OpsStore(path).migrate()
    os.chmod(path, 0o644)
    OpsStore(path).query("select 1")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600

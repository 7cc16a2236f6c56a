"""The analytics file: atomic writes, readers that follow new versions."""

from __future__ import annotations

import fcntl
import hashlib
import os
import threading
import time
from pathlib import Path

import pytest

from analytics.store import database
from analytics.store.database import AnalyticsStore, StoreError, _lock
from tests.conftest import build_file_db


def _digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _count(store: AnalyticsStore) -> int:
    return store.reader().execute("select count(*) from agencies").fetchone()[0]


def test_write_creates_the_database_with_meta(tmp_path):
    store = build_file_db(tmp_path / "a.duckdb", agencies=[("UBND xã A", "Xã", None)])
    con = store.reader()
    assert con.execute("select value from meta where key = 'data_version'").fetchone()[0] == "1"
    assert _count(store) == 1


def test_failed_write_leaves_the_file_byte_identical(tmp_path):
    path = tmp_path / "a.duckdb"
    store = build_file_db(path, agencies=[("UBND xã A", "Xã", None)])
    before = _digest(path)
    with pytest.raises(RuntimeError):
        with store.write() as con:
            con.execute("insert into agencies (name, level, parent) values ('UBND xã B', 'Xã', null)")
            raise RuntimeError("import failed half-way")
    assert _digest(path) == before
    assert len(store.version_files()) == 1
    assert _count(store) == 1


def test_a_write_appends_in_row_groups_of_the_write_size(tmp_path, monkeypatch):
    # Filled row groups are compressed while the insert runs (optimistic writes), not all at commit.
    monkeypatch.setattr(database, "WRITE_ROW_GROUP_SIZE", 4096)
    store = build_file_db(tmp_path / "a.duckdb", agencies=[("UBND xã A", "Xã", None)])
    with store.write() as con:
        # The new version file is the default catalog, named as duckdb.connect(path) names it.
        name, path = con.execute(
            "select database_name, path from duckdb_databases() where database_name = current_database()").fetchone()
        assert Path(path).parent == store.versions_dir and name == Path(path).stem
        # What does not fit in memory spills beside it, not into the working folder.
        assert con.execute("select current_setting('temp_directory')").fetchone()[0] == f"{path}.tmp"
        con.execute("create table numbers as select range as n from range(10000)")
    counts = store.reader().execute(
        "select count from pragma_storage_info('numbers') where column_id = 0 and segment_type = 'BIGINT' "
        "order by row_group_id").fetchall()
    assert [c for (c,) in counts] == [4096, 4096, 1808]


def test_reader_follows_a_new_version_and_old_cursor_keeps_its_view(tmp_path):
    path = tmp_path / "a.duckdb"
    store = build_file_db(path, agencies=[("UBND xã A", "Xã", None)])
    old_cursor = store.reader()
    assert old_cursor.execute("select count(*) from agencies").fetchone()[0] == 1
    version = store.version()
    with store.write() as con:
        con.execute("insert into agencies (name, level, parent) values ('UBND xã B', 'Xã', null)")
    assert store.version() != version
    assert _count(store) == 2
    # The cursor opened before the write still reads the state it started with.
    assert old_cursor.execute("select count(*) from agencies").fetchone()[0] == 1


def test_database_path_is_a_link_to_the_newest_kept_version(tmp_path):
    path = tmp_path / "a.duckdb"
    store = build_file_db(path)
    for _ in range(4):
        with store.write():
            pass
    assert path.is_symlink()
    files = store.version_files()
    assert len(files) == 3  # KEEP_VERSIONS
    assert path.resolve() == files[-1]


def test_a_plain_file_becomes_the_first_version(tmp_path):
    import duckdb

    from analytics.store.database import schema_sql

    path = tmp_path / "plain.duckdb"
    con = duckdb.connect(str(path))
    con.execute(schema_sql())
    con.execute("insert into agencies (name, level, parent) values ('UBND xã A', 'Xã', null)")
    con.close()
    store = AnalyticsStore(path)
    with store.write() as w:
        w.execute("insert into agencies (name, level, parent) values ('UBND xã B', 'Xã', null)")
    assert path.is_symlink() and _count(store) == 2


def test_data_version_increments(tmp_path):
    store = build_file_db(tmp_path / "a.duckdb")
    with store.write():
        pass
    assert store.reader().execute("select value from meta where key = 'data_version'").fetchone()[0] == "2"


def test_missing_database_is_a_clear_error(tmp_path):
    with pytest.raises(StoreError, match="Không tìm thấy"):
        AnalyticsStore(tmp_path / "none.duckdb").reader()


def test_a_database_from_an_older_version_gets_its_derived_tables_once(tmp_path):
    # As a database written before open_dossier_steps existed: the table and
    # the fingerprint of facts.sql missing. The rows must come back unchanged.
    import duckdb

    from tests import golden as g
    from tests.conftest import fill

    store = AnalyticsStore(tmp_path / "old.duckdb")
    with store.write() as con:
        fill(con, agencies=g.AGENCIES, procedures=g.PROCEDURES, dossiers=g.DOSSIERS, steps=g.STEPS)
    before = store.reader().execute("select count(*) from open_dossier_steps").fetchone()[0]
    store.close()
    old = duckdb.connect(str(store.current_file()))
    old.execute("drop table open_dossier_steps")
    old.execute("delete from meta where key = 'derived_schema'")
    old.close()
    assert not store.derived_current()
    with pytest.raises(duckdb.CatalogException):
        store.reader().execute("select count(*) from open_dossier_steps")

    assert store.upgrade_derived() is True
    assert store.derived_current()
    con = store.reader()
    assert con.execute("select count(*) from open_dossier_steps").fetchone()[0] == before == 2
    assert con.execute("select count(*) from dossiers").fetchone()[0] == len(g.DOSSIERS)
    assert store.upgrade_derived() is False  # nothing to do the second time


def test_the_commands_upgrade_an_old_database_before_reading(tmp_path, capsys):
    import duckdb

    from analytics.cli.main import main
    from tests import golden as g
    from tests.conftest import fill

    store = AnalyticsStore(tmp_path / "old.duckdb")
    with store.write() as con:
        fill(con, agencies=g.AGENCIES, procedures=g.PROCEDURES, dossiers=g.DOSSIERS, steps=g.STEPS)
    store.close()
    old = duckdb.connect(str(store.current_file()))
    old.execute("drop table late_or_open_dossiers")
    old.execute("drop table late_or_open_steps")
    old.execute("delete from meta where key = 'derived_schema'")
    old.close()
    code = main(["indicators", "--db", str(store.path), "--from", "2026-01-01", "--to", "2026-03-31",
                 "--format", "json"])
    assert code == 0, capsys.readouterr().err
    assert store.derived_current()


def test_version_follows_every_write_through_a_chain_of_links(tmp_path):
    """version() resolves the path only when the file it reaches changed:
    every write (a new link renamed over the old) is seen at once, also by a
    store opened through another link to the database's link, and a
    removed database is an error, not a remembered version."""
    db = tmp_path / "office.duckdb"
    outer = tmp_path / "current.duckdb"
    with AnalyticsStore(db).write() as con:
        con.execute("create table t (x int)")
    outer.symlink_to(db)
    store, via_outer = AnalyticsStore(db), AnalyticsStore(outer)
    seen = [store.version()]
    assert via_outer.version() == seen[0] and store.version() == seen[0]  # asked again: the same
    for x in range(3):
        with AnalyticsStore(db).write() as con:
            con.execute("insert into t values ($x)", {"x": x})
        now = store.version()
        assert now not in seen and now.file == str(db.resolve())
        assert via_outer.version() == now
        assert via_outer.reader().execute("select count(*) from t").fetchone()[0] == x + 1
        seen.append(now)
    db.unlink()
    with pytest.raises(StoreError):
        store.version()
    with pytest.raises(StoreError):
        via_outer.version()


def test_an_abandoned_first_write_leaves_no_folder_lock_or_versions(tmp_path):
    path = tmp_path / "new" / "data" / "office.duckdb"
    pending = AnalyticsStore(path).open_write()
    assert pending.new is not None and pending.new.exists()
    pending.abandon()
    assert not (tmp_path / "new").exists()


def test_an_abandoned_write_keeps_the_lock_file_of_an_existing_database(tmp_path):
    path = tmp_path / "a.duckdb"
    store = build_file_db(path, agencies=[("UBND xã A", "Xã", None)])
    before = sorted(p.name for p in tmp_path.rglob("*"))
    store.open_write().abandon()
    assert sorted(p.name for p in tmp_path.rglob("*")) == before
    assert _count(store) == 1


def test_a_writer_waiting_on_a_removed_lock_file_takes_the_new_one(tmp_path):
    """An abandoned first write removes its lock file while holding it; a
    writer that was waiting on that file must not believe it holds the lock
    of the path (a third writer would lock the new file at the same time)."""
    lock_path = tmp_path / "office.duckdb.lock"
    first = _lock(lock_path)
    taken: list = []
    waiter = threading.Thread(target=lambda: taken.append(_lock(lock_path)))
    waiter.start()
    time.sleep(0.2)  # the waiter has opened the first file and waits on its lock
    lock_path.unlink()
    first.close()
    waiter.join(timeout=10)
    (second,) = taken
    try:
        assert os.fstat(second.fileno()).st_ino == os.stat(lock_path).st_ino
        with open(lock_path, "a+") as third, pytest.raises(BlockingIOError):
            fcntl.flock(third, fcntl.LOCK_EX | fcntl.LOCK_NB)
    finally:
        second.close()

"""The analytics file: atomic writes, readers that follow new versions."""

from __future__ import annotations

import hashlib

import pytest

from analytics.store import AnalyticsStore, StoreError
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
            con.execute("insert into agencies values ('UBND xã B', 'Xã', null)")
            raise RuntimeError("import failed half-way")
    assert _digest(path) == before
    assert len(store.version_files()) == 1
    assert _count(store) == 1


def test_reader_follows_a_new_version_and_old_cursor_keeps_its_view(tmp_path):
    path = tmp_path / "a.duckdb"
    store = build_file_db(path, agencies=[("UBND xã A", "Xã", None)])
    old_cursor = store.reader()
    assert old_cursor.execute("select count(*) from agencies").fetchone()[0] == 1
    version = store.version()
    with store.write() as con:
        con.execute("insert into agencies values ('UBND xã B', 'Xã', null)")
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

    from analytics.store import schema_sql

    path = tmp_path / "plain.duckdb"
    con = duckdb.connect(str(path))
    con.execute(schema_sql())
    con.execute("insert into agencies values ('UBND xã A', 'Xã', null)")
    con.close()
    store = AnalyticsStore(path)
    with store.write() as w:
        w.execute("insert into agencies values ('UBND xã B', 'Xã', null)")
    assert path.is_symlink() and _count(store) == 2


def test_data_version_increments(tmp_path):
    store = build_file_db(tmp_path / "a.duckdb")
    with store.write():
        pass
    assert store.reader().execute("select value from meta where key = 'data_version'").fetchone()[0] == "2"


def test_missing_database_is_a_clear_error(tmp_path):
    with pytest.raises(StoreError, match="Không tìm thấy"):
        AnalyticsStore(tmp_path / "none.duckdb").reader()

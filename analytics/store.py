"""The analytics database file and every connection to it.

Only the importer (and ``demo``) writes. DuckDB allows one writing process and
a reader in another process blocks a writer, so a write never touches the
live file: :meth:`AnalyticsStore.write` copies it to a temporary file beside
it, applies the change there in one transaction, checkpoints, and renames the
copy over the live file (an atomic ``rename(2)``). Readers that still hold the
old file keep a consistent view of it; :meth:`AnalyticsStore.version` changes,
and they reopen to see the new data. A failed write deletes the copy and
leaves the live file exactly as it was.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import duckdb

SQL_DIR = Path(__file__).with_name("sql")


class StoreError(Exception):
    """A database that cannot be opened or written, with a message for people."""


@dataclass(frozen=True)
class DataVersion:
    """Identity of one committed state of the database file."""

    inode: int
    mtime_ns: int
    size: int


def schema_sql() -> str:
    return (SQL_DIR / "schema.sql").read_text(encoding="utf-8")


def refresh_meta(con: duckdb.DuckDBPyConnection) -> None:
    """Recompute the data date and bump the data version, inside a write."""
    data_date = con.execute(
        """
        select greatest(
            (select max(received_at) from dossiers),
            (select max(finished_at) from dossiers),
            (select max(returned_at) from dossiers),
            (select max(started_at) from steps),
            (select max(finished_at) from steps)
        )::date
        """
    ).fetchone()[0]
    version = con.execute(
        "select coalesce(max(try_cast(value as integer)), 0) + 1 from meta where key = 'data_version'"
    ).fetchone()[0]
    con.execute("delete from meta where key in ('data_date', 'data_version')")
    con.execute(
        "insert into meta values ('data_date', $d), ('data_version', $v)",
        {"d": data_date.isoformat() if data_date else None, "v": str(version)},
    )


class AnalyticsStore:
    """One analytics database file: read-only connections and atomic writes."""

    def __init__(self, path: str | os.PathLike[str]):
        self.path = Path(path)
        self._lock = threading.Lock()
        self._reader: duckdb.DuckDBPyConnection | None = None
        self._reader_version: DataVersion | None = None

    # -- reading ---------------------------------------------------------
    def exists(self) -> bool:
        return self.path.is_file()

    def version(self) -> DataVersion:
        try:
            st = self.path.stat()
        except FileNotFoundError:
            raise StoreError(f"Không tìm thấy cơ sở dữ liệu: {self.path}") from None
        return DataVersion(st.st_ino, st.st_mtime_ns, st.st_size)

    def reader(self) -> duckdb.DuckDBPyConnection:
        """A cursor on the newest committed state; reopened when it changes.

        Each call returns a new cursor of one shared read-only connection, so
        threads never share a cursor.
        """
        version = self.version()
        with self._lock:
            if self._reader is None or version != self._reader_version:
                try:
                    con = duckdb.connect(str(self.path), read_only=True)
                except duckdb.Error as exc:
                    raise StoreError(f"Không mở được cơ sở dữ liệu {self.path}: {exc}") from exc
                old, self._reader, self._reader_version = self._reader, con, version
                if old is not None:
                    # Cursors already handed out keep the old file alive.
                    with contextlib.suppress(duckdb.Error):
                        old.close()
            return self._reader.cursor()

    def close(self) -> None:
        with self._lock:
            if self._reader is not None:
                self._reader.close()
            self._reader = None
            self._reader_version = None

    # -- writing ---------------------------------------------------------
    @contextlib.contextmanager
    def write(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """Apply a change atomically: all of it becomes visible, or none.

        Writers are serialised by an advisory lock file beside the database.
        """
        self.path.parent.mkdir(parents=True, exist_ok=True)
        lock_path = self.path.with_name(self.path.name + ".lock")
        with open(lock_path, "a+") as lock_file:
            fcntl.flock(lock_file, fcntl.LOCK_EX)
            tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
            tmp.unlink(missing_ok=True)
            try:
                if self.path.exists():
                    shutil.copyfile(self.path, tmp)
                con = duckdb.connect(str(tmp))
                try:
                    con.execute(schema_sql())
                    con.execute("begin transaction")
                    yield con
                    refresh_meta(con)
                    con.execute("commit")
                    con.execute("checkpoint")
                except BaseException:
                    with contextlib.suppress(duckdb.Error):
                        con.execute("rollback")
                    raise
                finally:
                    con.close()
                with open(tmp, "rb") as fh:
                    os.fsync(fh.fileno())
                os.replace(tmp, self.path)
            finally:
                tmp.unlink(missing_ok=True)
                Path(str(tmp) + ".wal").unlink(missing_ok=True)

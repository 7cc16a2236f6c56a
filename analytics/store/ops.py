"""The operational store: a small SQLite file for state the product writes.

The analytics DuckDB file is written only by the importer and swapped
atomically; contacts, reminder settings, the send log (and later users and
the audit log) change all day from the pages and the scheduler, so they live
here instead, by default beside the analytics database as ``ops.sqlite``.

One class, :class:`OpsStore`, owns every connection: WAL journal (readers
never block the writer), a busy timeout (a second writer waits instead of
failing), foreign keys on, and explicit transactions (``begin immediate``, so
a read-then-write cannot be interleaved with another writer).

Opening the store writes nothing once it is set up: the WAL journal mode (a
setting kept in the file) and the migrations are written only when they are
missing, so reading accounts or the audit log keeps working on a full disk.
A write that the disk has no room for raises :class:`OpsDiskFull` (a clear
message, nothing written) instead of a raw SQLite error. The file (and the
``-wal`` / ``-shm`` files SQLite makes with the same mode) holds password
hashes and the audit log: it is created ``0600`` and tightened to ``0600``
when found more open.

Schema changes are named migrations applied in list order and recorded in
``schema_migrations``. A feature adds its tables by appending to
:data:`MIGRATIONS` (or calling :func:`register_migration` from its module)
with a new unique name; an applied migration is never edited.
"""

from __future__ import annotations

import contextlib
import errno
import logging
import os
import sqlite3
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Iterator, Sequence

from analytics.locale.clock import utc_now
from analytics.locale.labels import t
from analytics.sqlfiles import read_sql

log = logging.getLogger("analytics.store.ops")

OPS_FILENAME = "ops.sqlite"
BUSY_TIMEOUT_MS = 10_000
# Owner only: the store holds password hashes and the audit log.
FILE_MODE = 0o600
FOLDER_MODE = 0o700


class OpsError(Exception):
    """An operational store that cannot be opened or migrated, for people."""


class OpsDiskFull(OpsError):
    """A write refused because the disk (or the quota) is full: nothing was written."""


def is_disk_full(exc: BaseException) -> bool:
    """Whether an SQLite or OS error means "no space left"."""
    if isinstance(exc, sqlite3.Error):
        return getattr(exc, "sqlite_errorcode", None) == sqlite3.SQLITE_FULL or "disk is full" in str(exc)
    return isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT)


def disk_full_error(path: Path, exc: BaseException) -> OpsDiskFull:
    return OpsDiskFull(t("ops_disk_full", path=str(path)))


@dataclass(frozen=True)
class Migration:
    """One schema step: a unique name and the SQL script applying it."""

    name: str
    sql: str


# Applied in this order. Append only; never edit or reorder an applied entry.
MIGRATIONS: list[Migration] = [
    Migration("0001_reminders", read_sql("analytics.store", "remind_ops_schema")),
    Migration("0002_users_audit", read_sql("analytics.store", "auth_ops_schema")),
    Migration("0003_unit_ids", read_sql("analytics.store", "unit_ids_ops_schema")),
]


def register_migration(name: str, sql: str) -> None:
    """Add a migration at the end of :data:`MIGRATIONS` (idempotent by name)."""
    for existing in MIGRATIONS:
        if existing.name == name:
            if existing.sql != sql:
                raise OpsError(f"Migration {name!r} đã được đăng ký với nội dung khác")
            return
    MIGRATIONS.append(Migration(name, sql))


def default_ops_path(db_path: str | os.PathLike[str]) -> Path:
    """``<directory of the analytics database>/ops.sqlite``.

    The database path is a link to a version file in a hidden folder (see
    ``analytics.store.database``); the link is not followed, and a path that already
    points into the folder (``data/.demo.duckdb.versions/<n>.duckdb``, from a
    caller that resolved the link) is taken back to the database's folder, so
    the operational store is always the one beside the path people use.
    """
    folder = Path(db_path).absolute().parent
    if folder.name.startswith(".") and folder.name.endswith(".versions"):
        folder = folder.parent
    return folder / OPS_FILENAME


def now_iso() -> str:
    """The current UTC time as ISO text with offset (what the tables store)."""
    return utc_now().isoformat(timespec="seconds")


def split_statements(script: str) -> list[str]:
    """Split an SQL script into complete statements (triggers stay whole)."""
    statements: list[str] = []
    buffer = ""
    for line in script.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            text = buffer.strip()
            if text and not all(s.strip().startswith("--") or not s.strip() for s in text.splitlines()):
                statements.append(text)
            buffer = ""
    if buffer.strip() and not all(
        s.strip().startswith("--") or not s.strip() for s in buffer.splitlines()
    ):
        raise OpsError(f"Câu lệnh SQL chưa kết thúc: {buffer.strip()[:80]}")
    return statements


class OpsStore:
    """The operational SQLite file and every connection to it.

    Connections are short-lived (one per :meth:`connect` / :meth:`transaction`
    block), so threads (Streamlit sessions, the scheduler) never share one.
    """

    def __init__(self, path: str | os.PathLike[str], migrations: Sequence[Migration] | None = None):
        self.path = Path(path)
        self._migrations = migrations
        self._migrated = False
        self._lock = threading.Lock()

    @classmethod
    def beside(cls, db_path: str | os.PathLike[str]) -> "OpsStore":
        """The store at the default place for an analytics database."""
        return cls(default_ops_path(db_path))

    def _create_file(self) -> None:
        """Make the empty database file owner-only before SQLite first opens it
        (SQLite gives its -wal and -shm files the mode of the database file)."""
        if self.path.exists():
            return
        self.path.parent.mkdir(parents=True, exist_ok=True, mode=FOLDER_MODE)
        try:
            os.close(os.open(self.path, os.O_WRONLY | os.O_CREAT, FILE_MODE))
        except OSError as exc:
            if is_disk_full(exc):
                raise disk_full_error(self.path, exc) from exc
            raise OpsError(f"Không tạo được kho dữ liệu vận hành {self.path}: {exc}") from exc

    def _tighten_modes(self) -> None:
        """Files made by an older version (or another tool) may be 0644: make them 0600."""
        for path in (self.path, Path(f"{self.path}-wal"), Path(f"{self.path}-shm")):
            try:
                mode = path.stat().st_mode & 0o777
                if mode & 0o077:
                    os.chmod(path, FILE_MODE)
                    log.warning("%s was readable by others (%o); now %o", path, mode, FILE_MODE)
            except FileNotFoundError:
                continue
            except OSError as exc:  # not the owner: said, not fatal
                log.warning("cannot restrict the mode of %s: %s", path, exc)

    def _open(self) -> sqlite3.Connection:
        self._create_file()
        try:
            # isolation_level=None: we issue begin/commit ourselves.
            con = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
        except sqlite3.Error as exc:
            raise OpsError(f"Không mở được kho dữ liệu vận hành {self.path}: {exc}") from exc
        con.row_factory = sqlite3.Row
        # Settings of this connection only: nothing is written to the file.
        con.execute(f"pragma busy_timeout = {BUSY_TIMEOUT_MS:d}")
        con.execute("pragma foreign_keys = on")
        con.execute("pragma synchronous = normal")
        return con

    def _migration_list(self) -> list[Migration]:
        return list(self._migrations if self._migrations is not None else MIGRATIONS)

    def _up_to_date(self) -> bool:
        """Whether the file is in WAL mode with every migration applied, found
        by reading only (a full disk must not stop people reading)."""
        if not self.path.is_file() or self.path.stat().st_size == 0:
            return False
        con = self._open()
        try:
            if str(con.execute("pragma journal_mode").fetchone()[0]).lower() != "wal":
                return False
            if not con.execute("select 1 from sqlite_master where type = 'table'"
                               " and name = 'schema_migrations'").fetchone():
                return False
            applied = {r[0] for r in con.execute("select name from schema_migrations")}
        except sqlite3.Error as exc:
            raise OpsError(f"Không đọc được kho dữ liệu vận hành {self.path}: {exc}") from exc
        finally:
            con.close()
        return all(m.name in applied for m in self._migration_list())

    def migrate(self) -> list[str]:
        """Apply pending migrations; returns the names applied now.

        Sets the WAL journal mode only when the file is not in it yet: the
        mode is kept in the file, and setting it is a write.
        """
        migrations = self._migration_list()
        applied_now: list[str] = []
        con = self._open()
        try:
            mode = con.execute("pragma journal_mode").fetchone()[0]
            if str(mode).lower() != "wal":
                mode = con.execute("pragma journal_mode = wal").fetchone()[0]
            if str(mode).lower() != "wal":
                raise OpsError(f"Không bật được chế độ WAL cho {self.path} ({mode})")
            con.execute(
                "create table if not exists schema_migrations ("
                " name text primary key, applied_at text not null)"
            )
            for migration in migrations:
                # Checked again inside the write lock: another process may have
                # applied it between our read and our begin.
                con.execute("begin immediate")
                try:
                    done = con.execute(
                        "select 1 from schema_migrations where name = ?", (migration.name,)
                    ).fetchone()
                    if not done:
                        for statement in split_statements(migration.sql):
                            con.execute(statement)
                        con.execute(
                            "insert into schema_migrations (name, applied_at) values (?, ?)",
                            (migration.name, now_iso()),
                        )
                        applied_now.append(migration.name)
                    con.execute("commit")
                except BaseException:
                    with contextlib.suppress(sqlite3.Error):  # SQLite may have rolled back already
                        con.execute("rollback")
                    raise
        except sqlite3.Error as exc:
            if is_disk_full(exc):
                raise disk_full_error(self.path, exc) from exc
            raise OpsError(f"Không cập nhật được cấu trúc kho vận hành {self.path}: {exc}") from exc
        finally:
            con.close()
        return applied_now

    def _ensure_migrated(self) -> None:
        if self._migrated:
            return
        with self._lock:
            if not self._migrated:
                if not self._up_to_date():
                    self.migrate()
                self._tighten_modes()
                self._migrated = True

    def applied_migrations(self) -> list[str]:
        with self.connect() as con:
            return [r[0] for r in con.execute("select name from schema_migrations order by rowid")]

    @contextlib.contextmanager
    def connect(self) -> Iterator[sqlite3.Connection]:
        """A connection in autocommit mode, for reads and single statements."""
        self._ensure_migrated()
        con = self._open()
        try:
            yield con
        finally:
            con.close()

    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """A write transaction (``begin immediate``): all of it, or none.

        Raises:
            OpsDiskFull: the disk had no room for it (nothing was written).
        """
        with self.connect() as con:
            try:
                con.execute("begin immediate")
                try:
                    yield con
                except BaseException:
                    with contextlib.suppress(sqlite3.Error):  # SQLite may have rolled back already
                        con.execute("rollback")
                    raise
                try:
                    con.execute("commit")
                except sqlite3.Error:
                    with contextlib.suppress(sqlite3.Error):
                        con.execute("rollback")
                    raise
            except sqlite3.Error as exc:
                if is_disk_full(exc):
                    raise disk_full_error(self.path, exc) from exc
                raise

    # -- conveniences ----------------------------------------------------
    def query(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> list[dict[str, Any]]:
        """Rows of a read query as dicts."""
        with self.connect() as con:
            return [dict(row) for row in con.execute(sql, params)]

    def execute(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> int:
        """Run one write statement in its own transaction; returns rows changed."""
        with self.transaction() as con:
            return con.execute(sql, params).rowcount

    def executemany(self, sql: str, rows: Iterable[Sequence[Any] | dict[str, Any]]) -> int:
        with self.transaction() as con:
            return con.executemany(sql, rows).rowcount

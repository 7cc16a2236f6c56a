"""The operational store: a small SQLite file for state the product writes.

The analytics DuckDB file is written only by the importer and swapped
atomically; contacts, reminder settings, the send log (and later users and
the audit log) change all day from the pages and the scheduler, so they live
here instead, by default beside the analytics database as ``ops.sqlite``.

One class, :class:`OpsStore`, owns every connection: WAL journal (readers
never block the writer), a busy timeout (a second writer waits instead of
failing), foreign keys on, and explicit transactions (``begin immediate``, so
a read-then-write cannot be interleaved with another writer).

Schema changes are named migrations applied in list order and recorded in
``schema_migrations``. A feature adds its tables by appending to
:data:`MIGRATIONS` (or calling :func:`register_migration` from its module)
with a new unique name; an applied migration is never edited.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Iterator, Sequence

from analytics.clock import utc_now

SQL_DIR = Path(__file__).with_name("sql")
OPS_FILENAME = "ops.sqlite"
BUSY_TIMEOUT_MS = 10_000


class OpsError(Exception):
    """An operational store that cannot be opened or migrated, for people."""


@dataclass(frozen=True)
class Migration:
    """One schema step: a unique name and the SQL script applying it."""

    name: str
    sql: str


def _sql_file(name: str) -> str:
    return (SQL_DIR / name).read_text(encoding="utf-8")


# Applied in this order. Append only; never edit or reorder an applied entry.
MIGRATIONS: list[Migration] = [
    Migration("0001_reminders", _sql_file("remind_ops_schema.sql")),
    Migration("0002_users_audit", _sql_file("auth_ops_schema.sql")),
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
    ``analytics.store``); the link is not followed, and a path that already
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
            if text and not all(l.strip().startswith("--") or not l.strip() for l in text.splitlines()):
                statements.append(text)
            buffer = ""
    if buffer.strip() and not all(
        l.strip().startswith("--") or not l.strip() for l in buffer.splitlines()
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

    def _open(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            # isolation_level=None: we issue begin/commit ourselves.
            con = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
        except sqlite3.Error as exc:
            raise OpsError(f"Không mở được kho dữ liệu vận hành {self.path}: {exc}") from exc
        con.row_factory = sqlite3.Row
        con.execute(f"pragma busy_timeout = {BUSY_TIMEOUT_MS:d}")
        con.execute("pragma foreign_keys = on")
        con.execute("pragma synchronous = normal")
        return con

    def migrate(self) -> list[str]:
        """Apply pending migrations; returns the names applied now."""
        migrations = list(self._migrations if self._migrations is not None else MIGRATIONS)
        applied_now: list[str] = []
        con = self._open()
        try:
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
                    con.execute("rollback")
                    raise
        except sqlite3.Error as exc:
            raise OpsError(f"Không cập nhật được cấu trúc kho vận hành {self.path}: {exc}") from exc
        finally:
            con.close()
        return applied_now

    def _ensure_migrated(self) -> None:
        if self._migrated:
            return
        with self._lock:
            if not self._migrated:
                self.migrate()
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
        """A write transaction (``begin immediate``): all of it, or none."""
        with self.connect() as con:
            con.execute("begin immediate")
            try:
                yield con
            except BaseException:
                con.execute("rollback")
                raise
            con.execute("commit")

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

"""The analytics database file and every connection to it.

Only the importer (and ``demo``) writes. DuckDB allows one writing process and
a reader in another process blocks a writer, so a write never touches the
file that readers have open:

* The data lives in **version files** in a folder beside the database path
  (``data/.demo.duckdb.versions/<n>.duckdb``); the database path itself
  (``data/demo.duckdb``) is a symbolic link to the current version.
* :meth:`AnalyticsStore.write` copies the current version to a new version
  file, applies the change there in one transaction, checkpoints, fsyncs, and
  atomically replaces the link (``rename(2)`` of a new link over the old one).
  A failed write deletes the new file: the data stay exactly as they were.
  :meth:`AnalyticsStore.open_write` is its first half as an object
  (:class:`PendingWrite`), for the importer to open the new version while
  the reader worker parses.
* Readers open the version file the link points to, read-only. A reader that
  still holds an older version keeps a consistent view of it; the next
  :meth:`AnalyticsStore.reader` call sees the link has moved and opens the new
  version. Distinct file names matter: DuckDB caches open databases per
  canonical path within a process, so reopening the same path would return the
  old, still-open database.
* The newest few versions are kept (``keep_versions``); older ones are
  deleted (a reader that still has one open keeps its inode until it closes).

A plain database file at the database path (made by another tool) is taken
as the current version and becomes a link at the first write.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import re
import shutil
import threading
import time
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import IO, Any, Iterator

import duckdb

from analytics.locale.workdays import default_calendar
from analytics.sqlfiles import named_statements, read_sql
from analytics.store.agency_names import register_units
from analytics.store.snapshots import keep_snapshot
from analytics.store.units import refresh_units

KEEP_VERSIONS = 3


class StoreError(Exception):
    """A database that cannot be opened or written, with a message for people."""


def one_value(con: duckdb.DuckDBPyConnection, query: str, params: object = None) -> Any:
    """The first column of the one row that ``query`` always returns (an aggregate, a setting)."""
    row = con.execute(query, params).fetchone()
    if row is None:
        raise StoreError(f"Truy vấn không trả về dòng nào: {query}")
    return row[0]


@dataclass(frozen=True)
class DataVersion:
    """Identity of one committed state of the database."""

    file: str
    inode: int
    mtime_ns: int


def schema_sql() -> str:
    return read_sql("analytics.store", "schema")


def derived_schema() -> str:
    """A fingerprint of facts.sql: which derived tables a database holds."""
    return hashlib.sha256(read_sql("analytics.store", "facts").encode("utf-8")).hexdigest()[:16]


# The working-day calendar reaches this far past the last date of the data, so
# a step's allowance counted from its start (facts.sql) stays inside it.
CALENDAR_MARGIN_DAYS = 730


def refresh_work_calendar(con: duckdb.DuckDBPyConnection) -> None:
    """(Re)build ``work_calendar``: one row per day the data can touch, with
    ``is_working`` and ``work_no`` (working days up to and including it), from
    the office calendar (holidays and announced swaps, analytics.locale.workdays).

    facts.sql counts working days in SQL with it: the working days in (a, b]
    are ``work_no(b) - work_no(a)``. Python fills it because the calendar
    (lunar Tết, announced swaps) lives there.
    """
    row = con.execute(
        """
        select
            least((select min(received_at) from dossiers), (select min(started_at) from steps),
                  (select min(due_at) from steps))::date,
            greatest((select max(received_at) from dossiers), (select max(due_at) from dossiers),
                     (select max(finished_at) from dossiers), (select max(due_at) from steps),
                     (select max(finished_at) from steps), (select max(started_at) from steps))::date
        """
    ).fetchone()
    first, last = row if row is not None else (None, None)
    days: list[date] = []
    working: list[bool] = []
    numbers: list[int] = []
    if first is not None and last is not None:
        calendar = default_calendar()
        day, count = first - timedelta(days=1), 0
        end = last + timedelta(days=CALENDAR_MARGIN_DAYS)
        while day <= end:
            is_working = calendar.is_working_day(day)
            count += is_working
            days.append(day)
            working.append(is_working)
            numbers.append(count)
            day += timedelta(days=1)
    con.execute(
        """
        create or replace table work_calendar as
        select unnest($days::date[]) as day, unnest($working::boolean[]) as is_working,
               unnest($numbers::integer[]) as work_no
        """,
        {"days": days, "working": working, "numbers": numbers},
    )


# The derived tables of facts.sql and the dossier code each is keyed by: the
# rows of one dossier (and of its steps) depend on nothing but that dossier,
# its steps and the small tables snapshotted by :func:`_snapshot_inputs`.
DERIVED_KEYS = {
    "fact_dossiers": "code",
    "fact_steps": "dossier_code",
    "late_or_open_dossiers": "code",
    "late_or_open_steps": "dossier_code",
    "open_dossier_steps": "dossier_code",
}
# The temporary table a write fills with the codes of the dossiers whose
# rows (or steps) it changed, when it asks for an incremental refresh
# (``AnalyticsStore.write(incremental=True)``).
TOUCHED = "touched_dossiers"
_STATEMENT = re.compile(r"^create or replace table (\w+) as$(.*?);[ \t]*$", flags=re.M | re.S)


def facts_statements() -> list[tuple[str, str]]:
    """facts.sql as (table, query) pairs, in order."""
    pairs = [(m.group(1), m.group(2)) for m in _STATEMENT.finditer(read_sql("analytics.store", "facts"))]
    if [name for name, _ in pairs] != list(DERIVED_KEYS):
        raise StoreError(f"facts.sql builds {[n for n, _ in pairs]}, not {list(DERIVED_KEYS)}")
    return pairs


def _snapshot_inputs(con: duckdb.DuckDBPyConnection) -> bool:
    """Before a write's changes: open the touched list and copy the small
    tables the derived rows read besides dossiers and steps (touched.sql).
    False when the derived tables are not this release's (an incremental
    refresh would mix two definitions): they are then rebuilt in full."""
    con.execute(f"create or replace temp table {TOUCHED} (code varchar)")
    row = con.execute("select value from meta where key = 'derived_schema'").fetchone()
    if row is None or row[0] != derived_schema():
        return False
    con.execute(named_statements("analytics.store", "touched")["snapshot"])
    return True


def _touch_changed_inputs(con: duckdb.DuckDBPyConnection) -> bool:
    """Add to the touched list the dossiers that read a row of the small
    input tables this write changed, and those whose step allowance ran past
    the end of the calendar when the calendar grows at its end (touched.sql).
    False when the calendar changed otherwise (every step's working-day
    counts may change): everything is then rebuilt."""
    statements = named_statements("analytics.store", "touched")
    if not one_value(con, statements["calendar_kept"]):
        return False
    con.execute(statements["touch_inputs"])
    return True


def _refresh_touched(con: duckdb.DuckDBPyConnection) -> None:
    """Rebuild the derived rows of the touched dossiers only: facts.sql runs
    unchanged over temporary views ``dossiers`` and ``steps`` that hold just
    those dossiers (a temporary object hides the stored one of its name).
    Each derived table's rows of those dossiers are deleted and its query's
    rows inserted straight into it; a temporary view of the table then shows
    the next queries just those rows (late_or_open_dossiers reads
    fact_dossiers), so no row is copied twice."""
    db = one_value(con, "select current_database()")
    stored = f'"{db}".main'
    con.execute(f"create or replace temp view dossiers as select * from {stored}.dossiers "
                f"where code in (select code from {TOUCHED})")
    con.execute(f"create or replace temp view steps as select * from {stored}.steps "
                f"where dossier_code in (select code from {TOUCHED})")
    try:
        for table, query in facts_statements():
            key = DERIVED_KEYS[table]
            con.execute(f"delete from {stored}.{table} where {key} in (select code from {TOUCHED})")
            con.execute(f"insert into {stored}.{table} select * from ({query})")
            con.execute(f"create or replace temp view {table} as select * from {stored}.{table} "
                        f"where {key} in (select code from {TOUCHED})")
    finally:
        for name in (*DERIVED_KEYS, "dossiers", "steps"):
            con.execute(f"drop view if exists temp.main.{name}")


def refresh_derived(con: duckdb.DuckDBPyConnection, incremental: bool = False) -> None:
    """Give new agencies their unit (spellings of a known one become its
    name), apply the units' levels and lineage (analytics/store/units.py),
    then rebuild the working-day calendar, the derived tables and the meta
    facts, inside a write.

    With ``incremental`` (the write listed the dossiers it changed in
    :data:`TOUCHED` and :func:`_snapshot_inputs` ran before its changes),
    only the derived rows of those dossiers, and of the dossiers reading a
    changed procedure, agency level or lineage row, are rebuilt; the result
    equals a full rebuild row for row (tests/test_derived_incremental.py).
    A renamed spelling or a moved calendar rebuilds everything.
    """
    renames = register_units(con)
    refresh_units(con)
    refresh_work_calendar(con)
    if incremental and not renames and _touch_changed_inputs(con):
        _refresh_touched(con)
    else:
        con.execute(read_sql("analytics.store", "facts"))
    con.execute(named_statements("analytics.store", "touched")["drop_snapshot"])
    refresh_meta(con)
    con.execute("delete from meta where key = 'derived_schema'")
    con.execute("insert into meta values ('derived_schema', $s)", {"s": derived_schema()})


def refresh_meta(con: duckdb.DuckDBPyConnection) -> None:
    """Recompute the data date and bump the data version, inside a write."""
    data_date = one_value(
        con,
        """
        select greatest(
            (select max(received_at) from dossiers),
            (select max(finished_at) from dossiers),
            (select max(returned_at) from dossiers),
            (select max(started_at) from steps),
            (select max(finished_at) from steps)
        )::date
        """,
    )
    version = one_value(
        con, "select coalesce(max(try_cast(value as integer)), 0) + 1 from meta where key = 'data_version'"
    )
    con.execute("delete from meta where key in ('data_date', 'data_version')")
    con.execute(
        "insert into meta values ('data_date', $d), ('data_version', $v)",
        {"d": data_date.isoformat() if data_date else None, "v": str(version)},
    )


class AnalyticsStore:
    """One analytics database: read-only connections and atomic writes."""

    def __init__(self, path: str | os.PathLike[str], keep_versions: int = KEEP_VERSIONS):
        self.path = Path(path).absolute()
        self.versions_dir = self.path.with_name(f".{self.path.name}.versions")
        self.keep_versions = max(1, keep_versions)
        self._lock = threading.Lock()
        self._reader: duckdb.DuckDBPyConnection | None = None
        self._reader_version: DataVersion | None = None
        # (identity of the file the path reaches, that file's resolved path): see version().
        self._resolved: tuple[tuple[int, int, int, int], Path] | None = None

    # -- reading ---------------------------------------------------------
    def exists(self) -> bool:
        return self.path.is_file()

    def current_file(self) -> Path:
        """The version file the database path points to now."""
        if not self.path.exists():
            raise StoreError(f"Không tìm thấy cơ sở dữ liệu: {self.path}")
        return self.path.resolve()

    def version(self) -> DataVersion:
        # Asked several times per page run. One stat through the link says
        # which file it reaches now (device, inode, times); the path is
        # resolved again (a system call per component) only when that file
        # changed: a write renames a new link over the old one, so the file
        # reached is another, whatever chain of links leads to it.
        try:
            st = os.stat(self.path)
        except FileNotFoundError:
            raise StoreError(f"Không tìm thấy cơ sở dữ liệu: {self.path}") from None
        resolved = self._resolved
        if resolved is None or resolved[0] != (st.st_dev, st.st_ino, st.st_mtime_ns, st.st_ctime_ns):
            target = self.current_file()
            try:
                st = target.stat()
            except FileNotFoundError:
                raise StoreError(f"Không tìm thấy cơ sở dữ liệu: {self.path}") from None
            resolved = ((st.st_dev, st.st_ino, st.st_mtime_ns, st.st_ctime_ns), target)
            self._resolved = resolved
        return DataVersion(str(resolved[1]), st.st_ino, st.st_mtime_ns)

    def reader(self) -> duckdb.DuckDBPyConnection:
        """A cursor on the newest committed state; reopened when it changes.

        Each call returns a new cursor of one shared read-only connection, so
        threads never share a cursor.
        """
        version = self.version()
        with self._lock:
            if self._reader is None or version != self._reader_version:
                for _ in range(5):
                    try:
                        con = duckdb.connect(version.file, read_only=True)
                        break
                    except duckdb.Error as exc:
                        # Newer writes may have replaced and pruned this version
                        # between reading the link and opening it: read it again.
                        if Path(version.file).exists() or self.version() == version:
                            raise StoreError(f"Không mở được cơ sở dữ liệu {self.path}: {exc}") from exc
                        version = self.version()
                else:
                    raise StoreError(f"Không mở được cơ sở dữ liệu {self.path}: đang được ghi liên tục")
                # The old connection is not closed: cursors already handed
                # out still read from it. It is freed with its last cursor.
                self._reader, self._reader_version = con, version
            return self._reader.cursor()

    def derived_current(self) -> bool:
        """Whether the derived tables were built by this version's facts.sql."""
        row = self.reader().execute("select value from meta where key = 'derived_schema'").fetchone()
        return row is not None and row[0] == derived_schema()

    def upgrade_derived(self) -> bool:
        """Rebuild the derived tables of a database written by an older version
        of the software (one write: the data are unchanged, the derived tables
        and the data version are new). Returns whether it had to.

        A new release may add a derived table (``late_or_open_*``,
        ``open_dossier_steps``) that the queries read: without this, a
        database kept from before the upgrade, a restored backup or an undone
        import would fail on the pages that read it until the next import.
        """
        if not self.exists() or self.derived_current():
            return False
        with self.write():
            pass
        return True

    def close(self) -> None:
        with self._lock:
            if self._reader is not None:
                self._reader.close()
            self._reader = None
            self._reader_version = None

    # -- versions --------------------------------------------------------
    def version_files(self) -> list[Path]:
        """Kept version files, oldest first."""
        if not self.versions_dir.is_dir():
            return []
        return sorted(self.versions_dir.glob("*.duckdb"), key=lambda p: p.name)

    def _new_version_file(self) -> Path:
        self.versions_dir.mkdir(parents=True, exist_ok=True)
        # Sortable and unique: nanosecond clock, then the process id.
        return self.versions_dir / f"{time.time_ns():020d}-{os.getpid()}.duckdb"

    def point_to(self, target: Path) -> None:
        """Atomically make the database path a link to ``target``."""
        link_tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.link")
        link_tmp.unlink(missing_ok=True)
        os.symlink(os.path.relpath(target, self.path.parent), link_tmp)
        os.replace(link_tmp, self.path)
        dir_fd = os.open(self.path.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)

    def _prune(self, current: Path) -> None:
        files = [p for p in self.version_files() if p != current]
        for old in files[: max(0, len(files) - (self.keep_versions - 1))]:
            old.unlink(missing_ok=True)
            Path(str(old) + ".wal").unlink(missing_ok=True)

    # -- writing ---------------------------------------------------------
    @contextlib.contextmanager
    def write(self, incremental: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
        """Apply a change atomically: all of it becomes visible, or none.

        Writers are serialised by an advisory lock file beside the database.
        With ``incremental``, the writer inserts into the temporary table
        :data:`TOUCHED` (``code``) every dossier whose row or steps it
        changed, and only the derived rows of those (and of the dossiers
        reading a changed procedure, agency or lineage row) are rebuilt
        (:func:`refresh_derived`); without it, all of them.
        """
        with self.open_write(incremental) as pending:
            yield pending.con

    def open_write(self, incremental: bool = False) -> PendingWrite:
        """The first half of :meth:`write`, for a caller that has other work
        to do meanwhile: take the lock, copy the current version to a new
        file, open it and begin the transaction. The importer runs this in a
        thread while the reader worker parses the files (the copy, the
        schema and the snapshot then cost no wall time when a core is
        free). The returned
        :class:`PendingWrite` is a context manager: leaving it normally
        commits and publishes the version, leaving it by an exception (or
        :meth:`PendingWrite.abandon`) deletes the new file."""
        return PendingWrite(self, incremental)


# Rows per row group of what a write appends (DuckDB's default is 122,880).
# DuckDB compresses and writes a row group as soon as an insert fills one
# ("optimistic writes"); rows that fill none wait in memory, are copied into
# the table at commit, then compressed. At 65,536 an import of 100,000 rows
# writes most of its dossiers, and their derived rows, while inserting:
# 0.1-0.15 s less of 1.8 s (docs/PERFORMANCE.md, "Import"). DuckDB does not
# keep the size in the file: every write connection sets it.
WRITE_ROW_GROUP_SIZE = 65_536


def connect_for_write(path: Path) -> duckdb.DuckDBPyConnection:
    """A connection to a new version file that appends in row groups of
    :data:`WRITE_ROW_GROUP_SIZE` rows. The file is attached under its own
    name, so ``current_database()`` is what ``duckdb.connect(path)`` gives."""
    # Spilled data goes beside the version file, where duckdb.connect(path)
    # puts it; an in-memory connection would use ".tmp" in the working folder.
    con = duckdb.connect(config={"temp_directory": f"{path}.tmp"})
    try:
        name = path.stem.replace('"', '""')
        con.execute(f"attach {sql_literal(path)} as \"{name}\" (row_group_size {WRITE_ROW_GROUP_SIZE})")
        con.execute(f'use "{name}"')
    except BaseException:
        con.close()
        raise
    return con


def sql_literal(value: str | os.PathLike[str]) -> str:
    """A path or text as an SQL string literal, for the statements that take
    no bound parameter (ATTACH, COPY, read_parquet, SET)."""
    return "'" + str(value).replace("'", "''") + "'"


class PendingWrite:
    """One write of an :class:`AnalyticsStore` whose new version file is
    open, its transaction begun (``con``): see :meth:`AnalyticsStore.open_write`."""

    def __init__(self, store: AnalyticsStore, incremental: bool):
        self.store = store
        self.incremental = False
        self.previous: Path | None = None
        self.new: Path | None = None
        self._con: duckdb.DuckDBPyConnection | None = None
        # What this write made for a database that did not exist yet: a
        # write abandoned (a file of the import failed meanwhile) removes it,
        # so a failed first import leaves no folder behind.
        self._made: list[Path] = _make_dirs(store.path.parent)
        lock_path = store.path.with_name(store.path.name + ".lock")
        if not lock_path.exists():
            self._made.append(lock_path)
        self._lock_file = _lock(lock_path)
        try:
            self.previous = store.path.resolve() if store.path.exists() else None
            if not store.versions_dir.exists():
                self._made.append(store.versions_dir)
            self.new = store._new_version_file()
            if self.previous is not None:
                shutil.copyfile(self.previous, self.new)
                # Flushed now, while the importer's worker still parses: the
                # fsync that publishes the version then writes only the pages
                # this write changed, not the whole copy.
                with open(self.new, "rb") as fh:
                    os.fsync(fh.fileno())
            self._con = connect_for_write(self.new)
            self._con.execute("set enable_progress_bar = false")
            self._con.execute(schema_sql())
            self._con.execute("begin transaction")
            self.incremental = incremental and _snapshot_inputs(self._con)
        except BaseException:
            self.abandon()
            raise

    @property
    def con(self) -> duckdb.DuckDBPyConnection:
        if self._con is None:
            raise StoreError("Lần ghi đã kết thúc")
        return self._con

    def __enter__(self) -> PendingWrite:
        return self

    def __exit__(self, exc_type: object, exc: BaseException | None, tb: object) -> None:
        if exc is None:
            self.finish()
        else:
            self.abandon()

    def finish(self) -> None:
        """Rebuild the derived tables, commit, checkpoint, fsync and point the
        database path at the new version; on any failure, :meth:`abandon`."""
        con, new = self.con, self.new
        if new is None:  # set before the connection was opened
            raise StoreError("Lần ghi đã kết thúc")
        try:
            try:
                refresh_derived(con, self.incremental)
                con.execute("commit")
                con.execute("checkpoint")
            except BaseException:
                with contextlib.suppress(duckdb.Error):
                    con.execute("rollback")
                raise
            finally:
                con.close()
                self._con = None
            with open(new, "rb") as fh:
                os.fsync(fh.fileno())
            if self.previous is not None:
                # The state before this write, kept for `undo` (analytics/recovery/backup.py).
                keep_snapshot(self.store.path, self.previous)
            self.store.point_to(new)
        except BaseException:
            self.abandon()
            raise
        try:
            self.store._prune(new)
        finally:
            self._lock_file.close()

    def abandon(self) -> None:
        """Roll back and delete the new version file (and what this write
        made for a new database): the data stay as they were."""
        if self._lock_file.closed:
            return
        try:
            if self._con is not None:
                with contextlib.suppress(duckdb.Error):
                    self._con.execute("rollback")
                with contextlib.suppress(duckdb.Error):
                    self._con.close()
                self._con = None
            if self.new is not None:
                self.new.unlink(missing_ok=True)
                Path(str(self.new) + ".wal").unlink(missing_ok=True)
            if not self.store.path.exists():
                # Still holding the lock: a writer waiting on this lock file
                # sees it gone and takes a new one (_lock).
                for made in reversed(self._made):
                    with contextlib.suppress(OSError):  # a folder not empty holds another write's files
                        if made.is_dir():
                            made.rmdir()
                        else:
                            made.unlink()
        finally:
            self._lock_file.close()


def _make_dirs(folder: Path) -> list[Path]:
    """Create ``folder`` and its missing parents; the ones created, outermost first."""
    missing = []
    while not folder.exists() and folder != folder.parent:
        missing.append(folder)
        folder = folder.parent
    for made in reversed(missing):
        made.mkdir(exist_ok=True)
    return missing[::-1]


def _lock(path: Path) -> IO[str]:
    """The writers' lock: ``path`` opened and locked exclusively. An
    abandoned first write removes its lock file while holding it, so the
    lock is taken again if the file locked is no longer the one at ``path``."""
    while True:
        lock_file = open(path, "a+")  # noqa: SIM115 - returned open: closing it releases the lock
        try:
            fcntl.flock(lock_file, fcntl.LOCK_EX)
            if os.fstat(lock_file.fileno()).st_ino == os.stat(path).st_ino:
                return lock_file
        except FileNotFoundError:
            pass
        except BaseException:
            lock_file.close()
            raise
        lock_file.close()

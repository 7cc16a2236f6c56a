"""Snapshots, undo of an import, and backup / restore of the data folder.

* :func:`list_snapshots`: the states kept before each write, read back for undo.
* :func:`undo_import` puts the database back in the state before import N,
  by restoring the data tables of the snapshot taken just before it, as a new
  atomic write. If imports came after N, they would be lost too: refused with
  the list, unless the caller agrees (``--discard-later``).
* :func:`backup` / :func:`restore`: the database, its operational store, its
  rejects files and the folder's settings in one verified ``.tar.gz``.
  Everything temporary lives in one owner-only (0700) work folder named
  ``.backup-<pid>-*`` / ``.restore-<pid>-*``, removed when done; one left by a
  killed process is removed by the next backup or restore
  (:func:`clean_leftovers`, with a warning in the log). Archives are 0600.

Snapshots are kept by the store on every write (:mod:`analytics.store.snapshots`);
this module reads them back.

It sits above the store and :mod:`analytics.access`: undo, backup and restore
each write an entry to the audit log (a restore inside its own transaction).
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import logging
import os
import re
import shutil
import sqlite3
import tarfile
import tempfile
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterator

import duckdb

from analytics.access import audit
from analytics.locale import clock
from analytics.store.database import AnalyticsStore, StoreError, one_value, schema_sql, sql_literal
from analytics.store.ops import OpsError, OpsStore, now_iso
from analytics.store.snapshots import SNAPSHOTS_ENV, keep_count, snapshots_dir
from analytics.store.unit_refs import forget_missing_units, read_unit_names

log = logging.getLogger("analytics.recovery.backup")


# -- reading a state ---------------------------------------------------------------

_SCHEMA_TABLE = re.compile(r"^create table if not exists (\w+)", re.M)
# History tables: kept as they are by `undo` (an undone import stays listed).
HISTORY_TABLES = ("import_log", "import_rejects", "meta")
UNDONE_KEY = "undone_import"


class UndoError(Exception):
    """An undo that cannot be done, with a message for people."""


class BackupError(Exception):
    """A backup or restore that cannot be done, with a message for people."""


def base_tables() -> tuple[str, ...]:
    """The tables of schema.sql, in order (derived fact tables are rebuilt)."""
    return tuple(_SCHEMA_TABLE.findall(schema_sql()))


def data_tables() -> tuple[str, ...]:
    """The tables an undo puts back: every base table but the history."""
    return tuple(t for t in base_tables() if t not in HISTORY_TABLES)


@contextlib.contextmanager
def _open_read_only(path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        yield con
    finally:
        con.close()


@dataclass(frozen=True)
class ImportEntry:
    """One row of the import log, as people need it to decide on an undo."""

    import_id: int
    started_at: datetime | None
    files: tuple[str, ...]
    source: str | None
    dossiers_accepted: int | None
    steps_accepted: int | None
    undone: bool = False

    def describe(self) -> str:
        when = self.started_at.strftime("%d/%m/%Y %H:%M") if self.started_at else "?"
        names = ", ".join(Path(f).name for f in self.files) or (self.source or "")
        return (f"lần {self.import_id} ({when}: {names}; {self.dossiers_accepted or 0} hồ sơ, "
                f"{self.steps_accepted or 0} bước)")


def _history(con: duckdb.DuckDBPyConnection) -> list[ImportEntry]:
    undone = {int(r[0]) for r in con.execute(
        "select value from meta where key = $k", {"k": UNDONE_KEY}).fetchall()}
    rows = con.execute(
        "select import_id, started_at, files, source, dossiers_accepted, steps_accepted"
        " from import_log order by import_id"
    ).fetchall()
    return [ImportEntry(r[0], r[1], tuple(r[2] or ()), r[3], r[4], r[5], r[0] in undone) for r in rows]


def import_history(db_path: str | os.PathLike[str]) -> list[ImportEntry]:
    """The import log of the current state, oldest first, undone ones marked."""
    return _history(AnalyticsStore(db_path).reader())


@dataclass(frozen=True)
class Snapshot:
    """A kept state of the database (the state before some write)."""

    path: Path
    taken_at: datetime
    history: tuple[ImportEntry, ...]
    data_version: int | None
    data_date: str | None
    dossiers: int

    @property
    def import_ids(self) -> frozenset[int]:
        return frozenset(e.import_id for e in self.history)


def _read_snapshot(path: Path) -> Snapshot | None:
    try:
        stamp = int(path.name.split("-", 1)[0])
        with _open_read_only(path) as con:
            meta = dict(con.execute("select key, value from meta where key in "
                                    "('data_version', 'data_date')").fetchall())
            return Snapshot(
                path=path,
                taken_at=datetime.fromtimestamp(stamp / 1e9, tz=timezone.utc),
                history=tuple(_history(con)),
                data_version=int(meta["data_version"]) if meta.get("data_version") else None,
                data_date=meta.get("data_date"),
                dossiers=one_value(con, "select count(*) from dossiers"),
            )
    except (ValueError, duckdb.Error) as exc:
        log.warning("unreadable snapshot %s: %s", path, exc)
        return None


def list_snapshots(db_path: str | os.PathLike[str]) -> list[Snapshot]:
    """Kept snapshots of a database, oldest first."""
    folder = snapshots_dir(db_path)
    found = [_read_snapshot(p) for p in sorted(folder.glob("*.duckdb"))] if folder.is_dir() else []
    return [s for s in found if s is not None]


# -- undo ------------------------------------------------------------------------------

@dataclass(frozen=True)
class UndoPlan:
    """What undoing an import means: go back to ``snapshot``, losing ``later``."""

    import_id: int
    entry: ImportEntry
    snapshot: Snapshot
    later: tuple[ImportEntry, ...]


def _same_lineage(snapshot: Snapshot, earlier: list[ImportEntry]) -> bool:
    """The snapshot's import log is exactly the current one before import N
    (ids and start times): it is a state of this history, not of an older
    database that was rebuilt since."""
    key = [(e.import_id, e.started_at) for e in snapshot.history]
    return key == [(e.import_id, e.started_at) for e in earlier]


def plan_undo(db_path: str | os.PathLike[str], import_id: int) -> UndoPlan:
    """Find the state before import ``import_id`` and what undoing it would lose.

    Raises:
        UndoError: no such import, already undone, or no snapshot before it.
    """
    try:
        history = import_history(db_path)
    except StoreError as exc:
        raise UndoError(str(exc)) from exc
    entry = next((e for e in history if e.import_id == import_id), None)
    if entry is None:
        known = ", ".join(str(e.import_id) for e in history if not e.undone) or "không có"
        raise UndoError(f"Không có lần nhập số {import_id} (các lần nhập hiện có: {known})")
    if entry.undone:
        raise UndoError(f"Lần nhập số {import_id} đã được hoàn tác trước đây")
    earlier = [e for e in history if e.import_id < import_id]
    later = tuple(e for e in history if e.import_id > import_id and not e.undone)
    candidates = [s for s in list_snapshots(db_path)
                  if import_id not in s.import_ids and _same_lineage(s, earlier)]
    if not candidates:
        raise UndoError(
            f"Không còn bản chụp trạng thái trước lần nhập số {import_id} "
            f"(chỉ giữ {keep_count()} bản gần nhất, biến {SNAPSHOTS_ENV}); "
            "hãy khôi phục từ bản sao lưu (python -m analytics restore)"
        )
    # Several snapshots can hold that state (e.g. a failed-and-retried write):
    # the newest is the one right before the import.
    return UndoPlan(import_id, entry, candidates[-1], later)


@dataclass(frozen=True)
class UndoResult:
    import_id: int
    discarded: tuple[int, ...]
    snapshot: Path
    dossiers: int


def undo_import(
    db_path: str | os.PathLike[str],
    import_id: int,
    *,
    actor: str,
    discard_later: bool = False,
) -> UndoResult:
    """Put the database back in the state it had before import ``import_id``.

    If later imports exist they would be lost too: refused (with the list)
    unless ``discard_later``. The undo is itself one atomic write (readers see
    the old or the new state, and it leaves a snapshot of its own). The import
    log keeps its rows; undone imports are marked in ``meta``
    (``undone_import``) and never undone twice.

    Raises:
        UndoError: see :func:`plan_undo`, or later imports without ``discard_later``.
    """
    plan = plan_undo(db_path, import_id)
    if plan.later and not discard_later:
        raise UndoError(
            f"Lần nhập số {import_id} không phải lần nhập cuối. Hoàn tác sẽ xóa cả: "
            + "; ".join(e.describe() for e in plan.later)
            + ". Nhập lại các tệp đó sau, hoặc chạy lại với --discard-later để đồng ý."
        )
    undone = (import_id, *(e.import_id for e in plan.later))
    tables = data_tables()
    store = AnalyticsStore(db_path)
    with store.write() as con:
        # Another write may have slipped in since the plan: check under the lock.
        now = [e.import_id for e in _history(con) if not e.undone]
        planned = [e.import_id for e in import_history(db_path) if not e.undone]
        if now != planned or import_id not in now:
            raise UndoError("Dữ liệu vừa thay đổi trong lúc chuẩn bị hoàn tác; hãy chạy lại lệnh")
        con.execute(f"attach {sql_literal(plan.snapshot.path)} as snapshot (read_only)")
        for table in tables:  # names from schema.sql, never from input
            con.execute(f"delete from {table}")
            con.execute(f"insert into {table} by name select * from snapshot.{table}")
        con.execute("detach snapshot")
        for n in undone:
            con.execute("insert into meta values ($k, $v)", {"k": UNDONE_KEY, "v": str(n)})
        dossiers = one_value(con, "select count(*) from dossiers")
    # Units the undone writes created are gone: references to their ids are
    # cleared (read by spelling again) before a new unit can take those ids.
    names = read_unit_names(store.reader())
    with OpsStore.beside(db_path).transaction() as ops_con:
        cleared = forget_missing_units(ops_con, names)
        audit.insert(ops_con, audit.UNDO, actor=actor, target=f"import {import_id}",
                     detail={"undone": list(undone), "snapshot": plan.snapshot.path.name,
                             "files": list(plan.entry.files), "dossiers_after": dossiers,
                             **({"unit_ids_cleared": cleared} if cleared else {})})
    return UndoResult(import_id, undone[1:], plan.snapshot.path, dossiers)


# -- backup and restore -------------------------------------------------------------------

BACKUP_FORMAT = 1
MANIFEST = "manifest.json"


class _HashingReader:
    """A file object that hashes what tarfile reads from it."""

    def __init__(self, fh):
        self.fh = fh
        self.sha = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        data = self.fh.read(size)
        self.sha.update(data)
        return data


def _sha256(path: Path) -> str:
    sha = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            sha.update(block)
    return sha.hexdigest()


def _add_file(tar: tarfile.TarFile, fh, arcname: str, size: int) -> str:
    info = tarfile.TarInfo(arcname)
    info.size = size
    info.mtime = int(clock.utc_now().timestamp())
    info.mode = 0o600
    reader = _HashingReader(fh)
    tar.addfile(info, reader)
    return reader.sha.hexdigest()


@dataclass
class BackupResult:
    path: Path
    files: dict[str, dict[str, Any]] = field(default_factory=dict)
    data_version: int | None = None
    dossiers: int = 0


def _extra_files(db: Path) -> list[tuple[Path, str]]:
    """Small files of the data folder that belong with this database: its
    rejects files and the folder's JSON settings (calendar overrides...).
    Raw exports (inbox, samples) are not backed up: they carry citizen data."""
    out: list[tuple[Path, str]] = []
    rejects = db.parent / "rejects"
    if rejects.is_dir():
        out += [(p, f"rejects/{p.name}") for p in sorted(rejects.glob(f"{db.stem}-import-*"))
                if p.is_file()]
    out += [(p, f"config/{p.name}") for p in sorted(db.parent.glob("*.json")) if p.is_file()]
    return out


# Work folders of a backup or restore: ".backup-<pid>-…", ".restore-<pid>-…".
BACKUP_WORK_PREFIX = ".backup-"
RESTORE_WORK_PREFIX = ".restore-"
_WORK_FOLDER = re.compile(r"^\.(?:backup|restore)-(\d+)-")
# What versions before the work folders left: ".<archive>.<pid>.tmp" beside the
# archive, and ".restore-<random>" folders without a process id.
_OLD_TMP_ARCHIVE = re.compile(r"^\..+\.(?:tar\.gz|tgz)\.(\d+)\.tmp$")
_OLD_RESTORE_FOLDER = re.compile(r"^\.restore-[a-z0-9_]{8}$")
_OLD_LEFTOVER_AGE_S = 3600


def _process_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True  # another thread of this process may be using it
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, owned by someone else
        return True
    return True


def clean_leftovers(folder: Path) -> list[Path]:
    """Remove what a killed backup or restore left in ``folder``.

    Work folders (and older versions' temporary archives) whose process is
    gone; an older version's ``.restore-*`` folder once an hour old. Each
    removal is logged as a warning. Returns what was removed.
    """
    removed: list[Path] = []
    if not folder.is_dir():
        return removed
    for entry in folder.iterdir():
        match = _WORK_FOLDER.match(entry.name) or _OLD_TMP_ARCHIVE.match(entry.name)
        if match:
            if _process_alive(int(match.group(1))):
                continue
        elif _OLD_RESTORE_FOLDER.match(entry.name):
            with contextlib.suppress(OSError):
                if time.time() - entry.stat().st_mtime < _OLD_LEFTOVER_AGE_S:
                    continue
        else:
            continue
        log.warning("removing %s, left by an interrupted backup or restore", entry)
        try:
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry)
            else:
                entry.unlink()
        except OSError as exc:
            log.warning("could not remove %s: %s", entry, exc)
            continue
        removed.append(entry)
    return removed


@contextlib.contextmanager
def _work_folder(parent: Path, prefix: str) -> Iterator[Path]:
    """An owner-only (mkdtemp: 0700) folder named with this process id, removed after."""
    work = Path(tempfile.mkdtemp(dir=parent, prefix=f"{prefix}{os.getpid()}-"))
    try:
        yield work
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _private_folder(path: Path) -> None:
    """Create ``path`` (and missing parents) owner-only; an existing one is left as it is."""
    if not path.is_dir():
        path.mkdir(parents=True, exist_ok=True, mode=0o700)


def backup(db_path: str | os.PathLike[str], out: str | os.PathLike[str], *, actor: str) -> BackupResult:
    """Write ``out`` (.tar.gz): the database, its operational store, rejects, settings.

    The database is a committed version file, which no write ever modifies,
    read through an open descriptor (so pruning cannot pull it away); the
    operational store is copied with SQLite's online backup API (consistent
    while the app writes to it). ``manifest.json`` lists every file with its
    SHA-256. The archive (0600) is written in a 0700 work folder beside
    ``out`` and renamed into place; what a killed backup left is removed first.
    """
    db = Path(db_path).absolute()
    store = AnalyticsStore(db)
    if not store.exists():
        raise BackupError(f"Không tìm thấy cơ sở dữ liệu {db}")
    out = Path(out).absolute()
    result = BackupResult(out)
    ops_path = OpsStore.beside(db).path
    _check_no_half_restore(db)
    try:
        _private_folder(out.parent)
        clean_leftovers(out.parent)
        clean_leftovers(db.parent)
        with _work_folder(out.parent, BACKUP_WORK_PREFIX) as work:
            tmp_out = work / out.name
            with os.fdopen(os.open(tmp_out, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as raw, \
                    tarfile.open(fileobj=raw, mode="w:gz") as tar:
                _write_archive(tar, store, db, ops_path, work, result)
            with tmp_out.open("rb") as fh:
                os.fsync(fh.fileno())
            os.replace(tmp_out, out)
    except (StoreError, OSError, sqlite3.Error, duckdb.Error) as exc:
        raise BackupError(f"Không sao lưu được {db}: {exc}") from exc
    audit.record(OpsStore.beside(db), audit.BACKUP, actor=actor, target=str(out),
                 detail={"data_version": result.data_version, "dossiers": result.dossiers,
                         "files": sorted(result.files)})
    return result


def _write_archive(tar: tarfile.TarFile, store: AnalyticsStore, db: Path, ops_path: Path, work: Path,
                   result: BackupResult) -> None:
    """The members of a backup archive, then its manifest."""
    for _ in range(5):
        version_file = store.current_file()
        try:
            fh = version_file.open("rb")
        except FileNotFoundError:
            continue  # pruned by newer writes between resolve and open
        break
    else:
        raise BackupError(f"Cơ sở dữ liệu {db} đang được ghi liên tục; thử lại sau")
    with fh:
        with _open_read_only(version_file) as con:
            meta = dict(con.execute("select key, value from meta").fetchall())
            result.dossiers = one_value(con, "select count(*) from dossiers")
        result.data_version = int(meta["data_version"]) if meta.get("data_version") else None
        size = os.fstat(fh.fileno()).st_size
        result.files[f"database/{db.name}"] = {
            "sha256": _add_file(tar, fh, f"database/{db.name}", size), "size": size}
    if ops_path.is_file():
        copy = work / "ops.sqlite"
        src = sqlite3.connect(ops_path)
        dst = sqlite3.connect(copy)
        try:
            src.backup(dst)
        finally:
            dst.close()
            src.close()
        with copy.open("rb") as fh:
            size = copy.stat().st_size
            result.files["ops/ops.sqlite"] = {"sha256": _add_file(tar, fh, "ops/ops.sqlite", size),
                                              "size": size}
    for path, arcname in _extra_files(db):
        with path.open("rb") as fh:
            size = os.fstat(fh.fileno()).st_size
            result.files[arcname] = {"sha256": _add_file(tar, fh, arcname, size), "size": size}
    manifest = {
        "format": BACKUP_FORMAT,
        "created_at": clock.utc_now().isoformat(timespec="seconds"),
        "database": db.name,
        "data_version": result.data_version,
        "data_date": meta.get("data_date"),
        "dossiers": result.dossiers,
        "files": result.files,
    }
    data = json.dumps(manifest, ensure_ascii=False, indent=2).encode("utf-8")
    info = tarfile.TarInfo(MANIFEST)
    info.size = len(data)
    info.mtime = int(clock.utc_now().timestamp())
    info.mode = 0o600
    tar.addfile(info, io.BytesIO(data))


@dataclass
class RestoreResult:
    db: Path
    data_version_in_backup: int | None
    dossiers: int
    ops_restored: bool
    files: list[str]


def _verified_extract(archive: Path, into: Path) -> dict[str, Any]:
    """Extract safely (no absolute paths, links or devices) and check every hash."""
    try:
        with tarfile.open(archive, "r:gz") as tar:
            tar.extractall(into, filter="data")
    except (tarfile.TarError, OSError, EOFError) as exc:
        raise BackupError(f"Tệp sao lưu hỏng hoặc không phải .tar.gz: {archive} ({exc})") from exc
    manifest_path = into / MANIFEST
    if not manifest_path.is_file():
        raise BackupError(f"Tệp {archive} không phải bản sao lưu của sản phẩm (thiếu {MANIFEST})")
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    if manifest.get("format") != BACKUP_FORMAT:
        raise BackupError(f"Định dạng bản sao lưu không hỗ trợ: {manifest.get('format')!r}")
    for name, info in manifest["files"].items():
        path = into / name
        if not path.is_file() or _sha256(path) != info["sha256"]:
            raise BackupError(f"Bản sao lưu hỏng: {name} không khớp mã kiểm tra")
    return manifest


PENDING_RESTORE = ".restore-pending.json"


def _pending_restore_path(db: Path) -> Path:
    return db.parent / PENDING_RESTORE


def _check_no_half_restore(db: Path) -> None:
    """Refuse to back up a data folder whose last restore was cut off half way
    (the database restored, the operational store not yet)."""
    marker = _pending_restore_path(db)
    if not marker.is_file():
        return
    try:
        info = json.loads(marker.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        info = {}
    raise BackupError(
        f"Lần khôi phục từ {info.get('archive', '?')} ({info.get('at', '?')}) bị ngắt giữa chừng: "
        "hãy chạy lại lệnh restore với tệp đó trước khi sao lưu"
    )


def _ops_tables(con: sqlite3.Connection, schema: str) -> dict[str, list[str]]:
    """Tables of one attached SQLite schema and their columns (SQLite's own tables apart)."""
    names = [r[0] for r in con.execute(
        f"select name from {schema}.sqlite_master where type = 'table' and name not like 'sqlite%'")]
    return {n: [c[1] for c in con.execute(f"pragma {schema}.table_info({_quoted(n)})")] for n in names}


def _quoted(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def _restore_ops(ops, restored: Path, restore_entry: dict[str, Any]) -> None:
    """Replace the operational store's contents with ``restored``'s, in ONE transaction.

    The audit log is the exception: it is never rolled back. Entries of the
    backup that the live log lacks are added, entries written since the
    backup stay, and the restore's own entry is written in the same
    transaction: a crash anywhere leaves either the old store with its whole
    log, or the restored one with the whole log and the restore entry.
    Readers and writers of the app keep their connections (a rename of the
    file would leave them writing to the old one).
    """
    with ops.connect() as con:
        con.execute("pragma foreign_keys = off")  # rows go in table by table; the backup is consistent
        con.execute("attach database ? as restored", (str(restored),))
        try:
            con.execute("begin immediate")
            try:
                live, theirs = _ops_tables(con, "main"), _ops_tables(con, "restored")
                newer = sorted(set(theirs) - set(live))
                if newer:
                    raise BackupError("Bản sao lưu do phiên bản mới hơn của phần mềm tạo (có thêm bảng "
                                      f"{', '.join(newer)}); hãy cập nhật phần mềm trước khi khôi phục")
                # Table and column names come from the live store's own schema.
                for table, columns in live.items():
                    if table in ("audit_log", "schema_migrations"):
                        continue
                    con.execute(f"delete from main.{_quoted(table)}")
                    shared = ", ".join(_quoted(c) for c in columns if c in theirs.get(table, ()))
                    if shared:
                        con.execute(f"insert into main.{_quoted(table)} ({shared})"
                                    f" select {shared} from restored.{_quoted(table)}")
                if "audit_log" in theirs:
                    con.execute(
                        "insert into main.audit_log (at, actor, action, target, detail, unit_id)"
                        " select r.at, r.actor, r.action, r.target, r.detail, r.unit_id from restored.audit_log r"
                        " where not exists (select 1 from main.audit_log m where m.at = r.at"
                        " and m.actor = r.actor and m.action = r.action and m.target is r.target"
                        " and m.detail = r.detail)"
                        " order by r.at, r.id"
                    )
                audit.insert(con, audit.RESTORE, **restore_entry)
                con.execute("commit")
            except BaseException:
                with contextlib.suppress(sqlite3.Error):
                    con.execute("rollback")
                raise
        finally:
            con.execute("detach database restored")


def _restore_database(store: AnalyticsStore, db_file: Path, tables: list[str]) -> int:
    """The data of the backup's database, in one atomic write; returns the dossier count."""
    with store.write() as con:
        con.execute(f"attach {sql_literal(db_file)} as backup (read_only)")
        for table in tables:  # names from schema.sql, never from input
            if table == "meta":
                # data_version keeps counting up from the current state.
                con.execute("delete from meta where key <> 'data_version'")
                con.execute("insert into meta by name select * from backup.meta"
                            " where key not in ('data_version', 'data_date')")
            else:
                con.execute(f"delete from {table}")
                con.execute(f"insert into {table} by name select * from backup.{table}")
        con.execute("detach backup")
        return one_value(con, "select count(*) from dossiers")


def restore(archive: str | os.PathLike[str], db_path: str | os.PathLike[str], *, actor: str) -> RestoreResult:
    """Put a backup back: the database, its operational store, rejects and settings.

    Everything is extracted and checked (hashes, database readable, SQLite
    integrity, the operational store brought to this version's schema) in a
    0700 work folder before anything changes. Then the database is replaced
    in one atomic write (readers switch from the old state to the restored
    one; the old state stays as a snapshot and ``data_version`` keeps
    increasing, so no cache serves old numbers); the operational store in one
    SQLite transaction that also merges the audit log and writes the restore
    entry (:func:`_restore_ops`: the audit log is never rolled back, and no
    crash loses an entry); each other file by a rename (0600).

    A marker (``.restore-pending.json``) names the archive while the restore
    runs: a restore cut off between the database and the operational store is
    finished by running it again, and :func:`backup` refuses until then.
    What a killed restore or backup left in the data folder is removed first.
    """
    archive = Path(archive)
    if not archive.is_file():
        raise BackupError(f"Không tìm thấy tệp sao lưu {archive}")
    db = Path(db_path).absolute()
    _private_folder(db.parent)
    clean_leftovers(db.parent)
    marker = _pending_restore_path(db)
    with _work_folder(db.parent, RESTORE_WORK_PREFIX) as work_path:
        manifest = _verified_extract(archive, work_path)
        db_file = work_path / "database" / manifest["database"]
        try:
            with _open_read_only(db_file) as con:
                present = {r[0] for r in con.execute(
                    "select table_name from information_schema.tables where table_schema = 'main'").fetchall()}
        except duckdb.Error as exc:
            raise BackupError(f"Cơ sở dữ liệu trong bản sao lưu không đọc được: {exc}") from exc
        tables = [t for t in base_tables() if t in present]
        missing = {"dossiers", "steps", "meta"} - present
        if missing:
            raise BackupError(f"Cơ sở dữ liệu trong bản sao lưu thiếu bảng: {', '.join(sorted(missing))}")
        ops_file = work_path / "ops" / "ops.sqlite"
        if ops_file.is_file():
            check = sqlite3.connect(ops_file)
            try:
                if check.execute("pragma integrity_check").fetchone()[0] != "ok":
                    raise BackupError("Kho dữ liệu vận hành trong bản sao lưu bị hỏng")
            finally:
                check.close()
            try:
                # A backup from an older version gets the newer tables, on the copy.
                OpsStore(ops_file).migrate()
            except OpsError as exc:
                raise BackupError(f"Kho dữ liệu vận hành trong bản sao lưu không dùng được: {exc}") from exc

        _write_private(marker, json.dumps({"archive": str(archive.absolute()), "at": now_iso()},
                                          ensure_ascii=False).encode("utf-8"))
        store = AnalyticsStore(db)
        before = store.version() if store.exists() else None
        try:
            dossiers = _restore_database(store, db_file, tables)
        except BaseException:
            if (store.version() if store.exists() else None) == before:
                marker.unlink(missing_ok=True)  # the write failed whole: nothing is half done
            raise

        ops = OpsStore.beside(db)
        ops_restored = ops_file.is_file()
        restore_entry: dict[str, Any] = {
            "actor": actor, "target": str(archive),
            "detail": {"backup_created_at": manifest.get("created_at"),
                       "data_version_in_backup": manifest.get("data_version"),
                       "dossiers": dossiers, "ops_restored": ops_restored},
        }
        if ops_restored:
            _restore_ops(ops, ops_file, restore_entry)
        else:
            # The live accounts and contacts stay, over an older database:
            # ids of units it does not have are cleared (as after an undo).
            with ops.transaction() as ops_con:
                forget_missing_units(ops_con, read_unit_names(store.reader()))
                audit.insert(ops_con, audit.RESTORE, **restore_entry)

        restored_files = []
        for name in manifest["files"]:
            if name.startswith("rejects/"):
                target = db.parent / "rejects" / Path(name).name
            elif name.startswith("config/"):
                target = db.parent / Path(name).name
            else:
                continue
            _private_folder(target.parent)
            extracted = work_path / name
            os.chmod(extracted, 0o600)
            os.replace(extracted, target)  # the work folder is in the data folder: same file system
            restored_files.append(name)
        marker.unlink(missing_ok=True)
    return RestoreResult(db, manifest.get("data_version"), dossiers, ops_restored, restored_files)


def _write_private(path: Path, data: bytes) -> None:
    """Write a small file owner-only (0600), atomically."""
    tmp = path.with_name(f"{path.name}.{os.getpid()}.part")
    with os.fdopen(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)

"""The watched inbox: export files dropped in a folder are imported.

``python -m analytics inbox --db data/motcua.duckdb --dir data/inbox [--once]``

* A file is taken only when it is **stable**: same size and modification time
  at two looks at least ``settle`` seconds apart, and not modified for
  ``settle`` seconds. A file still being copied (or a browser download still
  growing) is left for the next round. Hidden files, Office lock files
  (``~$...``) and partial downloads (``.part``, ``.crdownload``, ``.tmp``)
  are never taken; only ``.xlsx``, ``.csv`` and ``.json`` are
  (``importer.DROP_SUFFIXES``, as on the import page). Symbolic links, and
  anything whose real path is not directly in the inbox, are skipped (and
  said so, once per name, in the log and the round's result): dropping a link
  must not import a file the inbox's user can read but the dropper cannot.
* The stable files of a round are imported together, in the order they
  arrived, as one import (so a dossier file and its steps file dropped
  together match). If that fails, each file is tried alone, so one bad file
  does not hold the others back.
* Each file then moves to ``imported/`` or ``failed/`` under the inbox, named
  ``<yyyymmdd-hhmmss>-<name>``, with the import report beside it
  (``.json`` and ``.txt``; for a failure, the error). Files are parsed in the
  reader worker (:mod:`analytics.ingest.reader_worker`): a file that crashes the
  parser or exhausts its memory fails like any unreadable file, and the
  inbox goes on with the next.
* Every import and failure is written to the audit log (actor ``inbox``).
* One inbox process per folder (a lock file); a second one stops at once.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import logging
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator

from analytics.access import audit
from analytics.ingest.importer import DROP_SUFFIXES, ImportFailed, import_files
from analytics.locale.clock import office_now
from analytics.store.ops import OpsStore

log = logging.getLogger("analytics.ingest.inbox")

ACCEPTED_SUFFIXES = DROP_SUFFIXES
PARTIAL_SUFFIXES = (".part", ".crdownload", ".tmp", ".partial", ".download")
IMPORTED = "imported"
FAILED = "failed"
ACTOR = "inbox"
DEFAULT_SETTLE_SECONDS = 5.0


class InboxBusy(Exception):
    """Another inbox process watches this folder."""


@dataclass
class RoundResult:
    """What one round did: files imported (with their import id) and failed."""

    imported: list[tuple[str, int]] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    waiting: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (name, why), never read

    def summary(self) -> str:
        lines = [f"Đã nhập: {name} (lần nhập số {import_id})" for name, import_id in self.imported]
        lines += [f"Không nhập được: {name}: {error}" for name, error in self.failed]
        lines += [f"Đang chờ tệp chép xong: {name}" for name in self.waiting]
        lines += [f"Bỏ qua: {name}: {why}" for name, why in self.skipped]
        return "\n".join(lines) or "Không có tệp mới."


def is_candidate(path: Path) -> bool:
    """An export file we may take (not hidden, not a lock file or partial download)."""
    name = path.name
    if name.startswith((".", "~$")) or name.lower().endswith(PARTIAL_SUFFIXES):
        return False
    return path.suffix.lower() in ACCEPTED_SUFFIXES and path.is_file()


SKIP_LINK = "là liên kết (symlink), không nhập"
SKIP_OUTSIDE = "trỏ ra ngoài thư mục inbox, không nhập"


def outside_reason(path: Path, folder: Path) -> str | None:
    """Why ``path`` must not be read as an inbox file, or None when it may."""
    if path.is_symlink():
        return SKIP_LINK
    try:
        if path.resolve(strict=True).parent != folder.resolve(strict=True):
            return SKIP_OUTSIDE
    except OSError:
        return SKIP_OUTSIDE
    return None


class Inbox:
    """One watched folder feeding one analytics database.

    Args:
        db_path: the analytics database.
        folder: the inbox folder (created if missing, with imported/ and failed/).
        settle: seconds a file must stay unchanged before it is taken.
        clock, sleep: injectable for tests. ``clock`` is compared with file
            modification times, which are real, so it is the wall clock
            (``time.time``), not the office clock.
    """

    def __init__(
        self,
        db_path: str | os.PathLike[str],
        folder: str | os.PathLike[str],
        settle: float = DEFAULT_SETTLE_SECONDS,
        clock: Callable[[], float] = time.time,
        sleep: Callable[[float], None] = time.sleep,
    ):
        self.db_path = Path(db_path)
        self.folder = Path(folder)
        self.settle = settle
        self.clock = clock
        self.sleep = sleep
        self._seen: dict[Path, tuple[int, int]] = {}
        self._skipped: dict[str, str] = {}  # name -> why, for this round's result
        self._logged_skips: set[str] = set()

    # -- finding stable files ------------------------------------------------
    def candidates(self) -> list[Path]:
        self._skipped = {}
        if not self.folder.is_dir():
            return []
        found = []
        for path in self.folder.iterdir():
            if not is_candidate(path) and not (path.is_symlink() and path.suffix.lower() in ACCEPTED_SUFFIXES):
                continue
            why = outside_reason(path, self.folder)
            if why is None:
                found.append(path)
                continue
            self._skipped[path.name] = why
            if path.name not in self._logged_skips:
                self._logged_skips.add(path.name)
                log.warning("inbox: skipping %s: %s", path.name, why)
        return found

    def observe(self) -> tuple[list[Path], list[Path]]:
        """Look once: (files stable since the previous look, files still changing)."""
        now = self.clock()
        ready, waiting = [], []
        current: dict[Path, tuple[int, int]] = {}
        for path in self.candidates():
            try:
                st = path.stat()
            except FileNotFoundError:
                continue
            identity = (st.st_size, st.st_mtime_ns)
            current[path] = identity
            quiet = now - st.st_mtime_ns / 1e9 >= self.settle
            if self._seen.get(path) == identity and quiet:
                ready.append(path)
            else:
                waiting.append(path)
        self._seen = current
        ready.sort(key=lambda p: (current[p][1], p.name))
        return ready, sorted(waiting)

    # -- one round -------------------------------------------------------------
    @contextlib.contextmanager
    def _lock(self) -> Iterator[None]:
        self.folder.mkdir(parents=True, exist_ok=True)
        with open(self.folder / ".inbox.lock", "a+") as fh:
            try:
                fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise InboxBusy(f"Thư mục {self.folder} đang được một tiến trình inbox khác theo dõi") from None
            yield

    def run_once(self) -> RoundResult:
        """Look, wait ``settle`` seconds, look again, import what stayed still."""
        with self._lock():
            self.observe()
            self.sleep(self.settle)
            return self._round()

    def run_forever(self, interval: float, should_stop: Callable[[], bool] = lambda: False,
                    report: Callable[[RoundResult], None] | None = None) -> None:
        """Look every ``interval`` seconds until ``should_stop()``."""
        with self._lock():
            while not should_stop():
                result = self._round()
                if report and (result.imported or result.failed):
                    report(result)
                self.sleep(interval)

    def _round(self) -> RoundResult:
        ready, waiting = self.observe()
        result = RoundResult(waiting=[p.name for p in waiting], skipped=sorted(self._skipped.items()))
        if ready:
            self.process(ready, result)
            for path in ready:
                self._seen.pop(path, None)
        return result

    def process(self, paths: list[Path], result: RoundResult | None = None) -> RoundResult:
        """Import ``paths`` together; on failure, one by one. Move and report each."""
        result = result or RoundResult()
        # Checked again at the last moment: a file may have been swapped for a link.
        kept = []
        for path in paths:
            why = outside_reason(path, self.folder)
            if why is None:
                kept.append(path)
            else:
                result.skipped.append((path.name, why))
        paths = kept
        if not paths:
            return result
        try:
            self._import(paths, result)
            return result
        except ImportFailed as exc:
            if len(paths) == 1:
                self._fail(paths[0], str(exc), result)
                return result
            log.info("importing %d files together failed (%s); trying each alone", len(paths), exc)
        for path in paths:
            try:
                self._import([path], result)
            except ImportFailed as exc:
                self._fail(path, str(exc), result)
        return result

    def _import(self, paths: list[Path], result: RoundResult) -> None:
        try:
            report = import_files([str(p) for p in paths], self.db_path)
        except ImportFailed:
            raise
        except Exception as exc:  # noqa: BLE001 - a bug must not stop the inbox; the file fails
            log.exception("unexpected error importing %s", [p.name for p in paths])
            raise ImportFailed(f"lỗi không lường trước: {exc}") from exc
        stamp = office_now().strftime("%Y%m%d-%H%M%S")
        document = report.to_json()
        text = report.to_text()
        for path in paths:
            moved = self._move(path, IMPORTED, stamp)
            _write_beside(moved, document, text)
            result.imported.append((path.name, report.import_id))
        audit.record_import(self._ops(), actor=ACTOR, files=[p.name for p in paths], report=report)

    def _fail(self, path: Path, error: str, result: RoundResult) -> None:
        stamp = office_now().strftime("%Y%m%d-%H%M%S")
        moved = self._move(path, FAILED, stamp)
        _write_beside(moved, {"file": path.name, "error": error, "failed_at": stamp},
                      f"Không nhập được {path.name}.\nLỗi: {error}\n"
                      "Sửa tệp rồi chép lại vào thư mục inbox.")
        result.failed.append((path.name, error))
        audit.record_import(self._ops(), actor=ACTOR, files=[path.name], error=error)

    def _move(self, path: Path, where: str, stamp: str) -> Path:
        folder = self.folder / where
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / f"{stamp}-{path.name}"
        n = 1
        while target.exists():
            n += 1
            target = folder / f"{stamp}-{n}-{path.name}"
        os.replace(path, target)
        return target

    def _ops(self) -> OpsStore:
        return OpsStore.beside(self.db_path)


def _write_beside(moved: Path, document: dict[str, Any], text: str) -> None:
    moved.with_name(moved.name + ".json").write_text(
        json.dumps(document, ensure_ascii=False, indent=2, default=str), encoding="utf-8")
    moved.with_name(moved.name + ".txt").write_text(text + "\n", encoding="utf-8")

"""Snapshots: the state before each write of the analytics database, kept for undo.

Every write makes a new version file and re-points the database link
(:mod:`analytics.store.database`); the file it replaces is never modified
again. Just before the switch, :func:`keep_snapshot` hard-links that previous
file into ``<data>/snapshots/<db name>/``: no copy, no extra disk until the
version folder prunes its own name for the file. The newest
:data:`KEEP_SNAPSHOTS` are kept (``MOTCUA_KEEP_SNAPSHOTS``; 0 turns them off).
Reading them back and undoing an import is :mod:`analytics.recovery.backup`.
"""

from __future__ import annotations

import logging
import os
import time
from pathlib import Path

log = logging.getLogger("analytics.store.snapshots")

SNAPSHOTS_ENV = "MOTCUA_KEEP_SNAPSHOTS"
KEEP_SNAPSHOTS = 5


def keep_count() -> int:
    """How many snapshots to keep per database (``MOTCUA_KEEP_SNAPSHOTS``)."""
    value = os.environ.get(SNAPSHOTS_ENV, "").strip()
    try:
        return max(0, int(value)) if value else KEEP_SNAPSHOTS
    except ValueError:
        return KEEP_SNAPSHOTS


def snapshots_dir(db_path: str | os.PathLike[str]) -> Path:
    """``<data folder>/snapshots/<db file name>/``."""
    path = Path(db_path).absolute()
    return path.parent / "snapshots" / path.name


def keep_snapshot(db_path: str | os.PathLike[str], previous: Path) -> Path | None:
    """Hard-link the state a write is about to replace; prune old snapshots.

    Called by :meth:`AnalyticsStore.write` under its lock, after the new
    version is complete and before the link moves. Never fails the write: a
    file system without hard links just gets no snapshot (logged).
    """
    keep = keep_count()
    if keep <= 0:
        return None
    folder = snapshots_dir(db_path)
    # Sortable by time; the version file's own name is kept for tracing.
    target = folder / f"{time.time_ns():020d}-{previous.name}"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        os.link(previous, target)
    except OSError as exc:
        log.warning("no snapshot of %s before this write: %s", previous, exc)
        return None
    for old in sorted(folder.glob("*.duckdb"))[:-keep]:
        old.unlink(missing_ok=True)
    return target

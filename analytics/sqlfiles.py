"""The one loader of SQL files.

Each package keeps its SQL beside its code, in a ``sql/`` folder:
``indicators/sql`` (the indicator queries), ``store/sql`` (the schema, the
derived tables, the operational store's migrations), ``ingest/sql`` (the
import's writes) and ``reminders/sql`` (the watchlist).
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources


@lru_cache(maxsize=None)
def read_sql(package: str, name: str) -> str:
    """The text of ``<package>/sql/<name>.sql`` (``package`` dotted, e.g.
    ``analytics.indicators``; ``name`` without ``.sql``)."""
    return resources.files(package).joinpath("sql", f"{name}.sql").read_text(encoding="utf-8")

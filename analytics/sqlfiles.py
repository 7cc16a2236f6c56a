"""The one loader of SQL files.

Each package keeps its SQL beside its code, in a ``sql/`` folder:
``indicators/sql`` (the indicator queries), ``store/sql`` (the schema, the
derived tables, the operational store's migrations), ``ingest/sql`` (the
import's writes) and ``reminders/sql`` (the watchlist).
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources
from types import MappingProxyType
from typing import Mapping

# A file of several statements names each with a line "-- name: <name>"
# above it (the importer's writes, the units, the agency names, ...).
_NAMED = re.compile(r"^-- name: (\w+)\s*$", flags=re.M)


@lru_cache(maxsize=None)
def read_sql(package: str, name: str) -> str:
    """The text of ``<package>/sql/<name>.sql`` (``package`` dotted, e.g.
    ``analytics.indicators``; ``name`` without ``.sql``)."""
    return resources.files(package).joinpath("sql", f"{name}.sql").read_text(encoding="utf-8")


def split_named(text: str) -> dict[str, str]:
    """The statements of a text of named blocks, by name: each block runs
    from its "-- name: <name>" line to the next one (stripped)."""
    parts = _NAMED.split(text)
    return {parts[i]: parts[i + 1].strip() for i in range(1, len(parts), 2)}


@lru_cache(maxsize=None)
def named_statements(package: str, name: str) -> Mapping[str, str]:
    """The named statements of ``<package>/sql/<name>.sql`` (:func:`split_named`),
    read and split once."""
    return MappingProxyType(split_named(read_sql(package, name)))

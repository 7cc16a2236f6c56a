"""Shared fixtures: small databases built in one line."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Iterable

import duckdb
import pytest

from analytics.store import AnalyticsStore, refresh_derived, schema_sql

# Page tests run the app the way the demo does, without sign-in (also in the
# servers they start); tests of sign-in set MOTCUA_AUTH themselves.
os.environ["MOTCUA_AUTH"] = "off"

DOSSIER_COLUMNS = (
    "code", "procedure_code", "field", "agency", "channel", "received_at", "due_at",
    "finished_at", "status", "inter_agency",
)
STEP_COLUMNS = (
    "dossier_code", "step_no", "step_name", "handler", "agency", "started_at", "due_at", "finished_at",
)


def fill(
    con: duckdb.DuckDBPyConnection,
    *,
    agencies: Iterable[tuple] = (),
    procedures: Iterable[tuple] = (),
    dossiers: Iterable[tuple] = (),
    steps: Iterable[tuple] = (),
) -> None:
    """Insert rows given as tuples in the column order of the constants above.

    agencies: (name, level, parent); procedures: (code, name, field, level,
    online_level, published_on, in_force).
    """
    for row in agencies:
        con.execute("insert into agencies values (?, ?, ?)", list(row))
    for row in procedures:
        con.execute("insert into procedures values (?, ?, ?, ?, ?, ?, ?)", list(row))
    for row in dossiers:
        row = tuple(row) + (False,) * (len(DOSSIER_COLUMNS) - len(row))
        con.execute(
            f"insert into dossiers ({', '.join(DOSSIER_COLUMNS)}) values ({', '.join('?' * len(DOSSIER_COLUMNS))})",
            list(row),
        )
    for row in steps:
        con.execute(
            f"insert into steps ({', '.join(STEP_COLUMNS)}) values ({', '.join('?' * len(STEP_COLUMNS))})",
            list(row),
        )


@pytest.fixture
def memory_con() -> duckdb.DuckDBPyConnection:
    """An in-memory analytics database with the schema and no rows."""
    con = duckdb.connect()
    con.execute(schema_sql())
    yield con
    con.close()


def build_file_db(path: Path, **rows: Any) -> AnalyticsStore:
    """A database file holding ``rows`` (see :func:`fill`), written atomically."""
    store = AnalyticsStore(path)
    with store.write() as con:
        fill(con, **rows)
    return store


def finish(con: duckdb.DuckDBPyConnection) -> None:
    """Rebuild the derived tables and meta after filling an in-memory database."""
    refresh_derived(con)


@pytest.fixture(scope="module")
def golden_engine():
    """An engine over the hand-counted office of tests/golden.py, for tests that only read."""
    from analytics.engine import Engine
    from tests import golden

    con = duckdb.connect()
    con.execute(schema_sql())
    fill(con, **golden.ROWS)
    finish(con)
    yield Engine(con)
    con.close()

"""Shared fixtures: small databases built in one line."""

from __future__ import annotations

import os
from datetime import date, datetime, time, timedelta
from pathlib import Path
from time import monotonic
from typing import Any, Iterable, Iterator

import duckdb
import pytest
from streamlit.runtime.media_file_manager import MediaFileManager

from analytics.locale import clock
from analytics.store.database import AnalyticsStore, refresh_derived, schema_sql

# Page tests run the app the way the demo does, without sign-in (also in the
# servers they start); tests of sign-in set MOTCUA_AUTH themselves.
os.environ["MOTCUA_AUTH"] = "off"

# The office clock in every test: 10:00 on the first working day after the
# data date of the small demo (Friday 20/11/2026, tests/test_pages.py), so
# pages that default to today see fresh data; at 10:00 no reminder slot is
# open (07:30 and 13:30, two hours' grace), so nothing is sent by accident.
# The clock runs on from there. The environment carries it to the servers and
# command lines the tests start, and to session fixtures that run before the
# per-test pin below. A test needing another moment says so with
# @pytest.mark.office_today("YYYY-MM-DD" or an ISO datetime), or
# `with clock.pinned(...)`.
OFFICE_TODAY = date(2026, 11, 23)
OFFICE_TIME = time(10, 0, tzinfo=clock.OFFICE_TZ)
_SESSION_START = monotonic()
os.environ[clock.ENV_VAR] = datetime.combine(OFFICE_TODAY, OFFICE_TIME).isoformat()

# --wall-date: the real clock's time of day on the given date (06:30 office
# time, when the UTC date is still the day before, so a UTC/office mix-up shows).
WALL_TIME = time(6, 30, tzinfo=clock.OFFICE_TZ)
_wall_travel = None


def wall_moment(text: str) -> datetime:
    """Where --wall-date puts the real clock: a date at WALL_TIME, or an ISO
    datetime (naive: office time)."""
    when = clock.parse_pin(text)
    if not isinstance(when, datetime):
        return datetime.combine(when, WALL_TIME)
    return when if when.tzinfo else when.replace(tzinfo=clock.OFFICE_TZ)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--wall-date", metavar="YYYY-MM-DD", default=None,
        help="move the real wall clock (time-machine, ticking) to this date for the whole session, "
             "in every worker: the suite must pass on any date (scripts/test_dates.sh)",
    )


def pytest_configure(config: pytest.Config) -> None:
    global _wall_travel
    config.addinivalue_line("markers", "office_today(when): pin the office clock to an ISO date (at 10:00) "
                            "or datetime for this test")
    wall = config.getoption("--wall-date")
    if wall and _wall_travel is None:
        import time_machine

        _wall_travel = time_machine.travel(wall_moment(wall), tick=True)
        _wall_travel.start()


def pytest_unconfigure(config: pytest.Config) -> None:
    global _wall_travel
    if _wall_travel is not None:
        _wall_travel.stop()
        _wall_travel = None


def pytest_report_header(config: pytest.Config) -> str:
    wall = config.getoption("--wall-date")
    return f"office clock pinned to {OFFICE_TODAY} {OFFICE_TIME:%H:%M}; wall clock: {wall or 'real'}"


@pytest.fixture(autouse=True)
def pinned_office_clock(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[datetime]:
    """Pins the office clock for the test (OFFICE_TODAY at OFFICE_TIME, or
    the office_today marker); yields the pinned moment."""
    marker = request.node.get_closest_marker("office_today")
    when = clock.parse_pin(marker.args[0]) if marker else OFFICE_TODAY
    if not isinstance(when, datetime):
        # Later tests read later times (the session's elapsed time is added),
        # so records stamped by the clock (audit entries, sends) keep their
        # order across tests that share a database, as in real life.
        when = datetime.combine(when, OFFICE_TIME) + timedelta(seconds=monotonic() - _SESSION_START)
    monkeypatch.setenv(clock.ENV_VAR, when.isoformat())
    with clock.pinned(when) as now:
        yield now


DOSSIER_COLUMNS = (
    "code", "procedure_code", "field", "agency", "channel", "received_at", "due_at",
    "finished_at", "status", "inter_agency",
    # Columns of real exports (issue 13); rarely given, so last.
    "due_computed", "due_rescheduled_at", "handler", "resolving_agency",
)
# What a dossier tuple shorter than DOSSIER_COLUMNS gets for the columns it
# does not give (from inter_agency on).
DOSSIER_DEFAULTS = {"inter_agency": False, "due_computed": False, "due_rescheduled_at": None,
                    "handler": None, "resolving_agency": None}
STEP_COLUMNS = (
    "dossier_code", "step_no", "step_name", "handler", "agency", "started_at", "due_at", "finished_at",
    "allowance_days",
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
        con.execute("insert into agencies (name, level, parent) values (?, ?, ?)", list(row))
    for row in procedures:
        con.execute("insert into procedures (code, name, field, level, online_level, published_on, in_force) "
                    "values (?, ?, ?, ?, ?, ?, ?)", list(row))
    for row in dossiers:
        row = tuple(row) + tuple(DOSSIER_DEFAULTS[c] for c in DOSSIER_COLUMNS[len(row):])
        con.execute(
            f"insert into dossiers ({', '.join(DOSSIER_COLUMNS)}) values ({', '.join('?' * len(DOSSIER_COLUMNS))})",
            list(row),
        )
    for row in steps:
        # The allowance (working days) is optional: most steps derive theirs.
        row = tuple(row) + (None,) * (len(STEP_COLUMNS) - len(row))
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
    from analytics.indicators.engine import Engine
    from tests import golden

    con = duckdb.connect()
    con.execute(schema_sql())
    fill(con, **golden.ROWS)
    finish(con)
    yield Engine(con)
    con.close()


@pytest.fixture
def downloads(monkeypatch) -> dict[str, Any]:
    """The builder behind every download button drawn, by its file id (a
    download's bytes are made only when asked: call the builder)."""
    made: dict[str, Any] = {}
    original = MediaFileManager.add_deferred

    def add_deferred(self, data_callable, *args, **kwargs):
        file_id = original(self, data_callable, *args, **kwargs)
        made[file_id] = data_callable
        return file_id

    monkeypatch.setattr(MediaFileManager, "add_deferred", add_deferred)
    return made

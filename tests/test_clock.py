"""The office clock (analytics/locale/clock.py): one clock, pinned by MOTCUA_TODAY or
in-process; nothing else in the runtime code reads the wall clock for "now"."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path

import pytest
import time_machine
from streamlit.testing.v1 import AppTest

from analytics.cli.main import main
from analytics.locale import clock
from analytics.store.database import AnalyticsStore
from tests.conftest import OFFICE_TODAY, wall_moment

ROOT = Path(__file__).resolve().parents[1]
APP = ROOT / "dashboard.py"
RUNTIME = ("analytics", "pages", "ui", "dashboard.py")
# Calls that read the wall clock for "now" or "today".
WALL_CLOCK_CALLS = {"today", "now", "utcnow"}
CLOCK_OWNERS = {"date", "datetime", "Timestamp"}
VN = clock.OFFICE_TZ


@pytest.fixture
def unpinned(monkeypatch):
    """No in-process pin and no remembered MOTCUA_TODAY: the clock as a fresh process sees it."""
    monkeypatch.setattr(clock, "_pin", None)
    monkeypatch.setattr(clock, "_env_pin", None)
    monkeypatch.delenv(clock.ENV_VAR)


def test_tests_run_on_the_pinned_office_day(pinned_office_clock):
    assert clock.office_today() == OFFICE_TODAY
    assert abs(clock.office_now() - pinned_office_clock) < timedelta(minutes=5)
    assert clock.office_now().utcoffset() == timedelta(hours=7)


def test_without_a_pin_the_clock_is_the_wall_clock_in_office_time(unpinned):
    # 20:30 UTC on 6 December is already 7 December at the office.
    with time_machine.travel(datetime(2026, 12, 6, 20, 30, tzinfo=timezone.utc), tick=False):
        assert clock.office_now() == datetime(2026, 12, 7, 3, 30, tzinfo=VN)
        assert clock.office_today() == date(2026, 12, 7)
        assert clock.utc_now() == datetime(2026, 12, 6, 20, 30, tzinfo=timezone.utc)
        assert clock.pinned_environment() == {}


class FakeMonotonic:
    """time.monotonic() for the clock module, moved by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def shift(self, delta: timedelta) -> None:
        self.now += delta.total_seconds()


@pytest.fixture
def monotonic(monkeypatch):
    fake = FakeMonotonic()
    monkeypatch.setattr(clock.time, "monotonic", fake)
    return fake


def test_a_date_in_the_environment_pins_the_day_and_the_clock_runs_on(unpinned, monkeypatch, monotonic):
    monkeypatch.setenv(clock.ENV_VAR, "2027-02-06")
    with time_machine.travel(datetime(2026, 12, 7, 9, 15, tzinfo=VN), tick=False) as traveller:
        assert clock.office_now() == datetime(2027, 2, 6, 9, 15, tzinfo=VN)
        monotonic.shift(timedelta(hours=15))     # past midnight: the next day, like a real clock
        assert clock.office_now() == datetime(2027, 2, 7, 0, 15, tzinfo=VN)
        traveller.shift(timedelta(days=400))     # the wall clock moving moves nothing
        assert clock.office_now() == datetime(2027, 2, 7, 0, 15, tzinfo=VN)


def test_a_naive_datetime_in_the_environment_is_office_time(unpinned, monkeypatch, monotonic):
    monkeypatch.setenv(clock.ENV_VAR, "2026-11-23T07:45")
    with time_machine.travel(datetime(2030, 1, 1, 12, 0, tzinfo=VN), tick=False):
        assert clock.office_now() == datetime(2026, 11, 23, 7, 45, tzinfo=VN)
        assert clock.utc_now() == datetime(2026, 11, 23, 0, 45, tzinfo=timezone.utc)
        monotonic.shift(timedelta(minutes=30))
        assert clock.office_now() == datetime(2026, 11, 23, 8, 15, tzinfo=VN)


@pytest.mark.parametrize("value", ["23/11/2026", "hôm nay", "2026-02-30", "2026-11-23T25:00"])
def test_an_invalid_environment_value_is_a_clear_error(unpinned, monkeypatch, capsys, value):
    monkeypatch.setenv(clock.ENV_VAR, value)
    with pytest.raises(clock.ClockError, match="MOTCUA_TODAY không hợp lệ.*YYYY-MM-DD"):
        clock.office_now()
    assert main(["remind", "calendar", "--ops", os.devnull]) == 2
    assert capsys.readouterr().err.startswith(f"Lỗi: MOTCUA_TODAY không hợp lệ: {value!r}")


def test_pinned_blocks_nest_and_win_over_the_environment(monkeypatch):
    monkeypatch.setenv(clock.ENV_VAR, "2031-06-15")
    with clock.pinned(date(2028, 2, 29)):
        assert clock.office_today() == date(2028, 2, 29)
        with clock.pinned(datetime(2027, 2, 6, 8, 0, tzinfo=VN)) as now:
            assert now.replace(microsecond=0) == datetime(2027, 2, 6, 8, 0, tzinfo=VN)
            assert clock.office_today() == date(2027, 2, 6)
        assert clock.office_today() == date(2028, 2, 29)
        carried = clock.parse_pin(clock.pinned_environment()[clock.ENV_VAR])
        assert abs(carried - clock.office_now()) < timedelta(seconds=5)
    assert clock.office_today() == OFFICE_TODAY


@pytest.mark.office_today("2028-02-29")
def test_the_marker_moves_the_office_day(pinned_office_clock):
    assert clock.office_today() == date(2028, 2, 29) == pinned_office_clock.date()
    carried = datetime.fromisoformat(os.environ[clock.ENV_VAR])
    assert carried.date() == date(2028, 2, 29) and carried.time() >= time(10, 0)


def test_the_wall_date_option_moves_the_real_clock_but_not_the_office_clock(request):
    """Under --wall-date (make test-dates) the real clock is where the option
    put it; in every run, moving the real clock leaves the office day alone."""
    wall = request.config.getoption("--wall-date")
    if wall:
        assert datetime.now(VN).date() == wall_moment(wall).astimezone(VN).date()
    with time_machine.travel(datetime(2031, 6, 15, 6, 30, tzinfo=VN), tick=False):
        assert datetime.now(VN).date() == date(2031, 6, 15)
        assert clock.office_today() == OFFICE_TODAY


def test_a_command_line_in_a_subprocess_reads_MOTCUA_TODAY(tmp_path):
    env = {**os.environ, clock.ENV_VAR: "2027-02-06T10:00"}   # Tết: no slot until Thursday 11/02
    done = subprocess.run(
        [sys.executable, "-m", "analytics", "remind", "calendar", "--year", "2027", "--next", "1",
         "--ops", str(tmp_path / "ops.sqlite")],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "Các đợt tới:\n  Thứ Năm   07:30 11/02/2027" in done.stdout


@pytest.mark.timeout(300)
@pytest.mark.office_today("2027-02-06")
def test_pages_default_to_the_office_day(tmp_path, monkeypatch):
    """Nhắc việc's as-of date and, with no data yet, the period of every page
    start from the office clock, not from the day the server runs."""
    db = tmp_path / "empty.duckdb"
    with AnalyticsStore(db).write():
        pass
    monkeypatch.setenv("MOTCUA_DB", str(db))
    at = AppTest.from_file(str(APP), default_timeout=120)
    at.run()
    view = at.session_state["_view"]
    assert (view.filters.date_from, view.filters.date_to) == (date(2027, 1, 1), date(2027, 12, 31))
    at.switch_page("pages/nhac_viec.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.date_input(key="nv_as_of").value == date(2027, 2, 6)


def wall_clock_calls(root: Path) -> list[str]:
    """Every call like ``date.today()``, ``datetime.now()``, ``dt.datetime.utcnow()``
    or ``pd.Timestamp.now()`` in the runtime code under ``root``, except in the clock."""
    files: list[Path] = []
    for name in RUNTIME:
        path = root / name
        files += sorted(path.rglob("*.py")) if path.is_dir() else [path] if path.exists() else []
    found = []
    for path in files:
        if path == root / "analytics" / "locale" / "clock.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
                continue
            owner = node.func.value
            owner_name = owner.attr if isinstance(owner, ast.Attribute) else getattr(owner, "id", None)
            if node.func.attr in WALL_CLOCK_CALLS and owner_name in CLOCK_OWNERS:
                found.append(f"{path.relative_to(root)}:{node.lineno} {ast.unparse(node)}")
    return found


def test_runtime_code_reads_now_only_through_the_office_clock():
    assert (ROOT / "analytics" / "locale" / "clock.py").exists() and (ROOT / "pages").is_dir()
    assert wall_clock_calls(ROOT) == []


def test_the_scan_finds_a_wall_clock_call(tmp_path):
    (tmp_path / "pages").mkdir()
    (tmp_path / "pages" / "p.py").write_text("import datetime as dt\nx = dt.datetime.now()\n")
    (tmp_path / "dashboard.py").write_text("from datetime import date\ny = date.today()\n")
    assert wall_clock_calls(tmp_path) == ["pages/p.py:2 dt.datetime.now()", "dashboard.py:2 date.today()"]

"""Real exports with missing data (issue 13): unknown channels, missing,
computed and rescheduled due dates, no steps. Every expected value below was
counted by hand from the comments of OFFICE, not read from the engine.

Period 01/03/2026 – 31/03/2026; the data date is 01/04/2026 (M09 received
then), so as_of = 31/03/2026.
"""

from __future__ import annotations

from datetime import date, datetime

import duckdb
import pytest

from analytics.indicators.engine import DATA_QUALITY_KEYS, Engine
from analytics.indicators.filters import Filters
from analytics.store.database import refresh_derived, schema_sql
from tests.conftest import fill

TAN_LAP = "UBND xã Tân Lập"
TU_PHAP = "Phòng Tư pháp"
HUNG, MAI, NAM = "Lê Văn Hùng", "Ngô Thị Mai", "Trần Văn Nam"
MARCH = Filters(date(2026, 3, 1), date(2026, 3, 31))


def dt(text: str) -> datetime:
    return datetime.fromisoformat(text)


OFFICE = {
    "agencies": [(TAN_LAP, "Xã", None), (TU_PHAP, "Huyện", None)],
    "procedures": [("P1", "Đăng ký khai sinh", "Hộ tịch", "Xã", "Toàn trình", None, True)],
    "dossiers": [
        # code, procedure, field, agency, channel, received, due, finished, status,
        # inter-agency, due computed, rescheduled to, dossier-level handler
        # New, online, early (04/03 < 05/03).
        ("M01", "P1", "Hộ tịch", TAN_LAP, "online", dt("2026-03-02 08:00"), dt("2026-03-05 17:00"),
         dt("2026-03-04 10:00"), 10, False, False, None, HUNG),
        # New, no channel, late (12/03 > 10/03).
        ("M02", "P1", "Hộ tịch", TAN_LAP, None, dt("2026-03-03 08:00"), dt("2026-03-10 17:00"),
         dt("2026-03-12 10:00"), 10, False, False, None, HUNG),
        # New, no channel, no due date, resolved: on time.
        ("M03", "P1", "Hộ tịch", TAN_LAP, None, dt("2026-03-04 08:00"), None,
         dt("2026-03-06 10:00"), 10, False, False, None, MAI),
        # New, direct, no due date, pending: within time.
        ("M04", "P1", "Hộ tịch", TAN_LAP, "direct", dt("2026-03-05 08:00"), None,
         None, 4, False, False, None, MAI),
        # New, postal, due date computed from the legal time limit, on time.
        ("M05", "P1", "Hộ tịch", TAN_LAP, "postal", dt("2026-03-02 08:00"), dt("2026-03-06 17:00"),
         dt("2026-03-06 09:00"), 10, False, True, None, MAI),
        # New, online, due 09/03 rescheduled to 20/03, finished 15/03: late
        # against the original due date (6 days).
        ("M06", "P1", "Hộ tịch", TAN_LAP, "online", dt("2026-03-02 08:00"), dt("2026-03-09 17:00"),
         dt("2026-03-15 10:00"), 10, False, False, dt("2026-03-20 17:00"), HUNG),
        # Carried over, no channel, no due date, pending: within time; not
        # channel_unknown (not new in March).
        ("M07", "P1", "Hộ tịch", TU_PHAP, None, dt("2026-02-20 08:00"), None,
         None, 4, False, False, None, NAM),
        # New, no channel, pending and overdue (due 12/03 < 31/03).
        ("M08", "P1", "Hộ tịch", TU_PHAP, None, dt("2026-03-10 08:00"), dt("2026-03-12 17:00"),
         None, 4, False, False, None, NAM),
        # April: outside the period; fixes the data date.
        ("M09", "P1", "Hộ tịch", TU_PHAP, "direct", dt("2026-04-01 08:00"), dt("2026-04-05 17:00"),
         None, 4, False, False, None, NAM),
    ],
}


@pytest.fixture(scope="module")
def engine():
    con = duckdb.connect()
    con.execute(schema_sql())
    fill(con, **OFFICE)
    refresh_derived(con)
    yield Engine(con)
    con.close()


def test_totals_count_missing_data_by_hand(engine):
    assert engine.as_of(MARCH) == date(2026, 3, 31)
    assert engine.totals(MARCH) == {
        "received_total": 8, "carried_over": 1, "received_new": 7,
        "online": 2, "direct_postal": 2, "channel_unknown": 3,
        "resolved": 5, "early": 1, "on_time": 2, "late": 2,
        "pending": 3, "pending_within": 2, "pending_overdue": 1,
        # Known channels only: 2 online of 4 known.
        "on_time_rate": pytest.approx(3 / 5), "online_share": pytest.approx(2 / 4),
        "progress_766": pytest.approx(5 / 8),
        "no_due_date": 3, "due_computed": 1, "rescheduled": 1,
    }


def test_breakdowns_carry_the_new_counts(engine):
    by_agency = {r["agency"]: {k: r[k] for k in ("received_new", "online", *DATA_QUALITY_KEYS)}
                 for r in engine.by_agency(MARCH)}
    assert by_agency == {
        TAN_LAP: {"received_new": 6, "online": 2, "channel_unknown": 2, "no_due_date": 2,
                  "due_computed": 1, "rescheduled": 1},
        TU_PHAP: {"received_new": 1, "online": 0, "channel_unknown": 1, "no_due_date": 1,
                  "due_computed": 0, "rescheduled": 0},
    }
    # Tư pháp's only new dossier has no channel: no share at all, not 0 %.
    assert next(r for r in engine.by_agency(MARCH) if r["agency"] == TU_PHAP)["online_share"] is None
    (field,) = engine.by_field(MARCH)
    assert {k: field[k] for k in DATA_QUALITY_KEYS} == {
        "channel_unknown": 3, "no_due_date": 3, "due_computed": 1, "rescheduled": 1}


def test_late_list_keeps_the_original_due_date_and_skips_missing_ones(engine):
    rows = {r["code"]: r for r in engine.late_dossiers(MARCH)}
    assert set(rows) == {"M02", "M06", "M08"}
    assert rows["M06"]["days_late"] == 6
    assert rows["M08"]["days_late"] == 19


def test_report06_total_row_carries_the_footnote_counts(engine):
    total = engine.report06(MARCH)[-1]
    assert total["row_kind"] == "total"
    assert (total["channel_unknown"], total["no_due_date"]) == (3, 3)
    assert total["received_total"] == 8 and total["online"] + total["direct_postal"] == 4


def test_trend_counts_known_channels_and_missing_due_dates(engine):
    (march,) = engine.trend(MARCH)
    assert {k: march[k] for k in ("received_new", "online", "channel_unknown", "resolved",
                                  "early", "on_time", "late")} == {
        "received_new": 7, "online": 2, "channel_unknown": 3, "resolved": 5,
        "early": 1, "on_time": 2, "late": 2}
    assert march["online_share"] == pytest.approx(2 / 4)


def test_no_steps_handlers_come_from_the_dossiers(engine):
    assert engine.has_steps() is False
    assert engine.handler_source() == "dossier"
    assert engine.by_handler(MARCH) == [
        # No step to inherit from: the dossier's handler caused what was late.
        {"handler": HUNG, "agency": TAN_LAP, "steps": 3, "late": 2, "caused_late": 2, "inherited_late": 0,
         "late_dossiers": 2, "late_rate": pytest.approx(2 / 3), "source": "dossier"},
        {"handler": MAI, "agency": TAN_LAP, "steps": 2, "late": 0, "caused_late": 0, "inherited_late": 0,
         "late_dossiers": 0, "late_rate": 0.0, "source": "dossier"},
    ]
    assert [r["code"] for r in engine.late_dossiers(MARCH, handler=HUNG)] == ["M06", "M02"]
    by_code = {r["code"]: r["late_handler"] for r in engine.late_dossiers(MARCH)}
    assert by_code == {"M02": HUNG, "M06": HUNG, "M08": NAM}
    assert engine.by_stage(MARCH) == []
    json_rows = engine.indicators(MARCH)["by_handler"]
    assert {r["source"] for r in json_rows} == {"dossier"}


def test_with_steps_handlers_come_from_the_steps(golden_engine):
    assert golden_engine.has_steps() is True
    assert {r["source"] for r in golden_engine.by_handler(Filters(date(2026, 3, 1), date(2026, 3, 31)))} == {"steps"}

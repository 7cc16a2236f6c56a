"""The engine and an independent pandas implementation agree on generated data."""

from __future__ import annotations

from datetime import date

import duckdb
import pandas as pd
import pandas_reference as ref  # scripts/, on the test path (pyproject.toml)
import pytest

from analytics.demo.generator import generate_frames, insert_frames
from analytics.indicators.engine import Engine
from analytics.indicators.filters import Filters
from analytics.store.database import refresh_derived, schema_sql

AS_OF = date(2026, 6, 30)


@pytest.fixture(scope="module")
def setup():
    frames = generate_frames(AS_OF, years=4, dossiers_per_year=2500, seed=11)
    con = duckdb.connect()
    con.execute(schema_sql())
    insert_frames(con, frames)
    refresh_derived(con)
    prepared = ref.prepare(frames["dossiers"], frames["steps"], frames["agencies"])
    return Engine(con), frames, prepared


PERIODS = [
    Filters(date(2026, 1, 1), date(2026, 3, 31)),
    Filters(date(2025, 7, 1), date(2026, 6, 30)),
    Filters(date(2024, 2, 15), date(2024, 3, 14)),
    Filters(date(2026, 4, 1), date(2026, 6, 30), channel="online"),
]


@pytest.mark.parametrize("f", PERIODS, ids=str)
def test_totals_agree(setup, f):
    engine, _, prepared = setup
    expected = ref.totals(prepared, f, engine.as_of(f))
    assert engine.totals(f) == pytest.approx(expected)
    assert engine.totals(f)["received_total"] > 0


@pytest.mark.parametrize("f", PERIODS[:2], ids=str)
def test_by_agency_and_field_agree(setup, f):
    engine, _, prepared = setup
    for dim, rows in (("agency", engine.by_agency(f)), ("field", engine.by_field(f))):
        frame = ref.by_dimension(prepared, f, engine.as_of(f), dim)
        expected = {r[dim]: (r["resolved"], r["late"], r["pending"]) for r in frame.to_dict("records")}
        assert {r[dim]: (r["resolved"], r["late"], r["pending"]) for r in rows} == expected


@pytest.mark.parametrize("f", PERIODS[:2], ids=str)
def test_steps_agree(setup, f):
    engine, _, prepared = setup
    stage = ref.by_stage(prepared, f)
    assert {r["stage"]: (r["steps"], r["late"]) for r in engine.by_stage(f)} == {
        r["step_name"]: (r["steps"], r["late"]) for r in stage.to_dict("records")
    }
    handler = ref.by_handler(prepared, f)
    assert {(r["handler"], r["agency"]): (r["steps"], r["late"], r["late_dossiers"]) for r in engine.by_handler(f)} == {
        (r["handler"], r["agency"]): (r["steps"], r["late"], r["late_dossiers"]) for r in handler.to_dict("records")
    }


def test_procedures_without_dossiers_agree(setup):
    engine, frames, prepared = setup
    f = PERIODS[1]
    expected = ref.procedures_without_dossiers(prepared, frames["procedures"], f)
    got = engine.procedures_without_dossiers(f)
    assert len(got) > 0
    assert {r["procedure_code"] for r in got} == set(expected["code"])
    last = {r["procedure_code"]: r["last_received"] for r in got}
    for code, value in zip(expected["code"], expected["last_received"], strict=True):
        assert last[code] == (None if pd.isna(value) else value.date())


def test_trend_agrees(setup):
    engine, _, prepared = setup
    f = PERIODS[1]
    expected = ref.trend(prepared, f)
    got = engine.trend(f)
    assert [r["received_new"] for r in got] == [int(v) for v in expected["received_new"]]
    assert [r["resolved"] for r in got] == [int(v) for v in expected["resolved"]]
    assert [r["late"] for r in got] == [int(v) for v in expected["late"]]

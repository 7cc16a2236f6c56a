"""Several periods in one query (issue 16): the KPI cards' three periods
(Engine.totals_periods) and Chỉ số 766's months (Engine.index_766_trend)
give the rows of one query per period, from one scan."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from analytics.indicators import index766
from analytics.indicators.engine import EMPTY_TOTALS, MAX_PERIODS, Engine, periods_cte
from analytics.indicators.filters import Filters
from analytics.indicators.summaries import comparison_filters
from tests import golden as g
from tests import golden766 as g766
from tests.conftest import fill, finish
from tests.test_index766 import _engine as index_engine

MARCH = Filters(*g.MARCH)
# Around the golden office (data date 02/04/2026): the month itself, the
# months before it, a period running past the data date, one before any
# dossier (all zero) and the same dates twice.
PERIODS = [
    g.MARCH, (date(2026, 2, 1), date(2026, 2, 28)), (date(2026, 3, 15), date(2026, 12, 31)),
    (date(2010, 1, 1), date(2010, 1, 31)), g.MARCH, (date(2025, 3, 1), date(2025, 3, 31)),
]
FILTERS = [
    MARCH,
    Filters(*g.MARCH, agency=g.TNMT),
    Filters(*g.MARCH, channel="online"),
    Filters(*g.MARCH, scope=frozenset({g.XA, g.PHUONG})),
    Filters(*g.MARCH, attribution="recorded"),
]


class CountingEngine(Engine):
    """Counts the queries it runs."""

    queries = 0

    def _run(self, sql: str, params: dict[str, Any]) -> list[dict[str, Any]]:
        self.queries += 1
        return super()._run(sql, params)


@pytest.fixture
def engine(memory_con) -> CountingEngine:
    fill(memory_con, **g.ROWS)
    finish(memory_con)
    return CountingEngine(memory_con)


@pytest.mark.parametrize("f", FILTERS, ids=lambda f: repr(f)[:60])
def test_totals_periods_are_the_totals_of_each_period(engine, f):
    expected = [engine.totals(f.with_period(*p)) for p in PERIODS]
    engine.data_date()  # read once before counting
    engine.queries = 0
    got = engine.totals_periods(f, PERIODS)
    assert engine.queries == 1
    assert got == expected
    assert got[0]["received_total"] > 0 or f.channel or f.scope or f.agency  # not all empty by accident
    assert got[3] == EMPTY_TOTALS  # before any dossier: counts zero, rates undefined


def test_totals_periods_hand_counts_and_as_of(engine):
    # March is the hand-counted month; the period past the data date is
    # judged at the data date (02/04/2026), as totals() judges it.
    march, *_ = engine.totals_periods(MARCH, [g.MARCH])
    assert (march["received_total"], march["resolved"], march["late"], march["pending_overdue"]) == (10, 6, 2, 2)
    past = engine.totals_periods(MARCH, [(date(2026, 3, 1), date(2026, 12, 31))])[0]
    assert past == engine.totals(Filters(date(2026, 3, 1), date(2026, 12, 31)))


def test_kpi_periods_in_one_query(engine):
    compare = comparison_filters(MARCH, engine.data_date())
    periods = [(x.date_from, x.date_to) for x in (MARCH, compare["previous"], compare["last_year"])]
    assert engine.totals_periods(MARCH, periods) == [
        engine.totals(MARCH), engine.totals(compare["previous"]), engine.totals(compare["last_year"])]


def test_periods_are_bounded(engine):
    with pytest.raises(ValueError):
        engine.totals_periods(MARCH, [g.MARCH] * (MAX_PERIODS + 1))
    with pytest.raises(ValueError):
        periods_cte(0)
    assert periods_cte(2).count("union all") == 1 and "$period_as_of_1::date" in periods_cte(2)


def _trend_month_by_month(engine: Engine, f: Filters, counting: str, split: bool) -> list[dict[str, Any]]:
    """index_766_trend as it was: one query per month (the oracle)."""
    out = []
    for start, end in index766.months(f.date_from, f.date_to):
        rows = engine._index_counts(f.with_period(start, end), "total", counting)
        index = index766.assemble(rows[0] if rows else None, split)
        out.append({"month": start, "points": index["points"], "reachable": index["reachable"],
                    **{group["group"]: group["points"] for group in index["groups"]}})
    return out


@pytest.mark.parametrize("counting", ["portal766", "bieu06"])
@pytest.mark.parametrize("split", [False, True])
@pytest.mark.parametrize("period", [
    (date(2026, 2, 1), date(2026, 3, 31)),
    # Months before any dossier (all zero), then the data, then past the data date.
    (date(2025, 11, 10), date(2026, 5, 20)),
    # More than 24 months: the last 24.
    (date(2023, 1, 1), date(2026, 4, 30)),
])
def test_index_766_trend_is_the_month_by_month_index(counting, split, period):
    engine = index_engine()
    f = Filters(*period)
    expected = _trend_month_by_month(engine, f, counting, split)
    assert engine.index_766_trend(f, counting, split) == expected
    assert len(expected) == min(24, len(index766.months(*period, limit=99)))
    assert any(m["points"] for m in expected)


def test_index_766_trend_is_one_query(engine):
    engine.data_date()
    engine.has_steps()
    engine.queries = 0
    trend = engine.index_766_trend(Filters(date(2026, 1, 1), date(2026, 3, 31)))
    assert [m["month"] for m in trend] == [date(2026, 1, 1), date(2026, 2, 1), date(2026, 3, 1)]
    assert engine.queries == 1


def test_index_766_trend_march_is_the_hand_count():
    trend = index_engine().index_766_trend(Filters(g766.MARCH[0].replace(month=2), g766.MARCH[1]))
    assert trend[1]["points"] == pytest.approx(g766.EXPECTED_TOTAL)

"""Answers made from another answer (analytics/indicators/engine.py): the
stages from the stages by agency, the quarters from the months. The
dashboard shows them instead of running their own query (ui/data.py), so
each must equal the engine's own query exactly, under every filter."""

from __future__ import annotations

from datetime import date

import pytest

from analytics.indicators.engine import (
    compose,
    quarters_from_months,
    stages_from_stage_agency,
    without_unused_ctes,
)
from analytics.indicators.filters import Filters
from analytics.indicators.summaries import comparison_filters
from tests import golden as g

# The golden office's months (data date 02/04/2026): a month, a quarter,
# periods that start and end inside a quarter and span two, a single day,
# a period with no dossier, and a year.
PERIODS = [
    g.MARCH, (date(2026, 1, 1), date(2026, 3, 31)), (date(2026, 2, 10), date(2026, 4, 2)),
    (date(2025, 11, 20), date(2026, 3, 5)), (date(2026, 3, 3), date(2026, 3, 3)),
    (date(2010, 1, 1), date(2010, 6, 30)), (date(2026, 1, 1), date(2026, 12, 31)),
]
FILTERS = [
    {}, {"agency": g.TNMT}, {"channel": "online"}, {"scope": frozenset({g.XA, g.PHUONG})},
    {"scope": frozenset()}, {"attribution": "recorded"},
]


def filter_id(extra: dict) -> str:
    """A test id that is the same in every process: a frozenset's repr
    follows the hash seed, and pytest-xdist's workers must collect the same ids."""
    parts = [f"{k}={sorted(v) if isinstance(v, frozenset) else v}" for k, v in extra.items()]
    return ",".join(parts) or "no-filter"


@pytest.mark.parametrize("extra", FILTERS, ids=filter_id)
@pytest.mark.parametrize("period", PERIODS, ids=str)
def test_stages_from_stages_by_agency_are_by_stage(golden_engine, period, extra):
    f = Filters(*period, **extra)
    assert stages_from_stage_agency(golden_engine.stage_agency(f)) == golden_engine.by_stage(f)


@pytest.mark.parametrize("extra", FILTERS, ids=filter_id)
@pytest.mark.parametrize("period", PERIODS, ids=str)
def test_quarters_from_months_are_the_quarter_trend(golden_engine, period, extra):
    f = Filters(*period, **extra)
    months = golden_engine.trend(f, grain="month")
    assert quarters_from_months(months) == golden_engine.trend(f, grain="quarter")


def test_the_golden_office_has_what_the_comparisons_need(golden_engine):
    """Several stages with late and inherited-late steps over two agencies,
    and months of one quarter with and without resolved dossiers: the
    comparisons above add up real rows, not empty lists."""
    march = Filters(*g.MARCH)
    by_stage = golden_engine.by_stage(march)
    assert len(by_stage) >= 3 and any(r["late"] for r in by_stage) and any(r["inherited_late"] for r in by_stage)
    assert len({r["agency"] for r in golden_engine.stage_agency(march)}) >= 2
    quarter = golden_engine.trend(Filters(date(2026, 1, 1), date(2026, 3, 31)), grain="month")
    assert len(quarter) == 3 and quarter[2]["resolved"] and sum(r["received_new"] for r in quarter) > 0


def test_rates_are_recomputed_from_the_sums_and_empty_on_zero():
    months = [
        {"period_start": date(2026, 4, 1), "received_new": 3, "online": 1, "channel_unknown": 1,
         "online_share": 0.5, "resolved": 0, "early": 0, "on_time": 0, "late": 0,
         "on_time_rate": None, "late_rate": None},
        {"period_start": date(2026, 5, 1), "received_new": 0, "online": 0, "channel_unknown": 0,
         "online_share": None, "resolved": 3, "early": 1, "on_time": 1, "late": 1,
         "on_time_rate": 2 / 3, "late_rate": 1 / 3},
        {"period_start": date(2026, 7, 1), "received_new": 2, "online": 0, "channel_unknown": 2,
         "online_share": None, "resolved": 0, "early": 0, "on_time": 0, "late": 0,
         "on_time_rate": None, "late_rate": None},
    ]
    q2, q3 = quarters_from_months(months)
    assert q2 == {"period_start": date(2026, 4, 1), "received_new": 3, "online": 1, "channel_unknown": 1,
                  "online_share": 0.5, "resolved": 3, "early": 1, "on_time": 1, "late": 1,
                  "on_time_rate": 2 / 3, "late_rate": 1 / 3}
    assert q3["period_start"] == date(2026, 7, 1) and q3["online_share"] is None and q3["late_rate"] is None
    stages = stages_from_stage_agency([
        {"stage": "Thẩm định", "agency": "A", "steps": 2, "late": 1, "caused_late": 1, "inherited_late": 0,
         "late_rate": 0.5},
        {"stage": "Tiếp nhận", "agency": "A", "steps": 1, "late": 0, "caused_late": 0, "inherited_late": 1,
         "late_rate": 0.0},
        {"stage": "Thẩm định", "agency": "B", "steps": 1, "late": 1, "caused_late": 1, "inherited_late": 0,
         "late_rate": 1.0},
    ])
    assert stages == [
        {"stage": "Thẩm định", "steps": 3, "late": 2, "caused_late": 2, "inherited_late": 0, "late_rate": 2 / 3},
        {"stage": "Tiếp nhận", "steps": 1, "late": 0, "caused_late": 0, "inherited_late": 1, "late_rate": 0.0},
    ]


def test_composed_queries_hold_only_the_named_queries_they_read():
    """compose() leaves out base.sql's named queries an indicator does not
    read (DuckDB binds and plans every one): a dossier query holds no step
    query and a step query no dossier query; text in another shape is
    returned unchanged."""
    dossiers = compose("dossier_counts", dimensions="", group_by="")
    assert "filtered_dossiers as (" in dossiers and "classified_dossiers as (" in dossiers
    assert "attributed_steps" not in dossiers and "period_steps" not in dossiers
    steps = compose("step_counts", dimensions="", group_by="")
    assert "period_steps as (" in steps and "attributed_steps as (" in steps
    assert "attributed_dossiers" not in steps and "classified_dossiers" not in steps
    several = compose("dossier_counts", periods=2, dimensions="period,", group_by="group by period")
    assert several.startswith("with\nperiods as (\n")
    sql = ("with\na as (\n    select 1 as x\n),\nunread as (\n    select 2\n),\n\nfinal as (\n    select x from a\n)\n"
           "select * from final")
    assert without_unused_ctes(sql) == ("with\na as (\n    select 1 as x\n),\n\nfinal as (\n    select x from a\n)\n"
                                        "select * from final")
    assert without_unused_ctes("select 1") == "select 1"
    odd = "with\na as (select 1),\nb as (select 2)\nselect * from a"
    assert without_unused_ctes(odd) == odd


@pytest.mark.parametrize("extra", FILTERS, ids=filter_id)
def test_the_kpi_periods_and_the_agencies_from_one_query(golden_engine, extra):
    """totals_periods_by_agency: the KPI cards' periods (the filters' own
    first) and the agencies of the first, each equal to its own query."""
    for period in PERIODS:
        f = Filters(*period, **extra)
        compared = comparison_filters(f, golden_engine.data_date())
        periods = list(dict.fromkeys([period, *((x.date_from, x.date_to) for x in compared.values())]))
        assert golden_engine.totals_periods_by_agency(f, periods) == {
            "totals": golden_engine.totals_periods(f, periods), "by_agency": golden_engine.by_agency(f)}
    # The agencies are those of the first period, whatever the filters' own.
    february = (date(2026, 2, 1), date(2026, 2, 28))
    other = golden_engine.totals_periods_by_agency(Filters(*g.MARCH, **extra), [february, g.MARCH])
    assert other["by_agency"] == golden_engine.by_agency(Filters(*february, **extra))

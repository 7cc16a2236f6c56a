"""The builders of analytics/reports/charts.py put their figures together as
plain dictionaries and hand them to plotly once, without its validation
(the slow part of building a figure). They must draw exactly the figures
plotly's own API draws: tests/charts_reference.py keeps the builders as they
were written with it (every property validated, ``update_layout``,
``add_vline``, the template by name) as the oracle. Every builder, its
options and odd inputs, both languages, and the print layout of each."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from types import ModuleType
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
import pytest

from analytics.indicators import index766
from analytics.reports import charts
from tests import charts_reference
from tests.test_charts import BY_AGENCY, HANDLERS, QUARTERS, STAGE_AGENCY, TREND

AGENCIES = [f"UBND xã Ninh {name}" for name in (
    "Đa", "Xuân", "Hòa", "Thọ", "Hưng", "Phước", "Vân", "Sim", "Thượng", "Tây", "Trung", "Thân")] + [
    "Văn phòng Đăng ký đất đai chi nhánh Ninh Hòa, tỉnh Khánh Hòa"]
STAGES = ["Tiếp nhận", "Thẩm định", "Phê duyệt", "Ký số", "Trả kết quả", "Chuyển xử lý", "Bổ sung hồ sơ"]
MANY_AGENCIES = [
    {"agency": name, "field": f"Lĩnh vực {i}", "resolved": 3 + 31 * i, "late": (i * 7) % 11,
     "late_rate": ((i * 7) % 11) / (3 + 31 * i), "on_time_rate": 1 - ((i * 7) % 11) / (3 + 31 * i),
     "received_new": 5 + 40 * i, "online": (13 * i) % 40, "online_share": ((13 * i) % 40) / (5 + 40 * i)}
    for i, name in enumerate(AGENCIES)]
MANY_CELLS = [{"stage": s, "agency": a, "steps": 20 + 3 * i + j, "late": (i * j) % 5}
              for i, a in enumerate(AGENCIES) for j, s in enumerate(STAGES)]
NOTHING_LATE = [{**r, "late": 0, "late_rate": 0.0} for r in STAGE_AGENCY]
MONTHS = [{"period_start": date(2025 + m // 12, m % 12 + 1, 1), "received_new": 100 + m, "online": 40 + m,
           "online_share": (40 + m) / (100 + m), "resolved": 90 + m, "late": m % 4,
           "on_time_rate": 1 - (m % 4) / (90 + m)} for m in range(15)]
CRITERIA = [{"criterion": c.code, "maximum": c.maximum,
             "points": None if i % 4 == 3 else (c.maximum if i % 3 else c.maximum * 0.55)}
            for i, c in enumerate(index766.criteria(True))]
INDEX_MONTHS = [{"month": date(2026, m, 1), "points": 55.5 + m, "reachable": 81.25} for m in range(1, 13)]

Build = Callable[[ModuleType, str], Any]

CASES: list[tuple[str, Build]] = [
    ("kpi_trend", lambda m, lg: m.kpi_trend(TREND, lg)),
    ("kpi_trend quarter", lambda m, lg: m.kpi_trend(TREND, lg, grain="quarter", title="Xu hướng")),
    ("kpi_trend 15 months", lambda m, lg: m.kpi_trend(MONTHS, lg)),
    ("kpi_trend timestamps", lambda m, lg: m.kpi_trend(
        pd.DataFrame(TREND).assign(period_start=lambda d: pd.to_datetime(d["period_start"])), lg)),
    ("kpi_trend empty", lambda m, lg: m.kpi_trend([], lg)),
    ("ranked_bars", lambda m, lg: m.ranked_bars(BY_AGENCY, "on_time_rate", "agency", average=0.985, lang=lg)),
    ("ranked_bars late", lambda m, lg: m.ranked_bars(BY_AGENCY, "late", "agency", lang=lg)),
    ("ranked_bars volume", lambda m, lg: m.ranked_bars(MANY_AGENCIES, "late_rate", "agency", average=0.04,
                                                       lang=lg, top=10, volume_key="resolved")),
    ("ranked_bars volume good", lambda m, lg: m.ranked_bars(MANY_AGENCIES, "on_time_rate", "field",
                                                            average=0.9, lang=lg, volume_key="resolved")),
    ("ranked_bars plain", lambda m, lg: m.ranked_bars(pd.DataFrame(MANY_AGENCIES), "received_new", "agency",
                                                      average=float("nan"), lang=lg, highlight_late=False,
                                                      title="Tiếp nhận")),
    ("late_heatmap", lambda m, lg: m.late_heatmap(STAGE_AGENCY, lg)),
    ("late_heatmap many", lambda m, lg: m.late_heatmap(MANY_CELLS, lg)),
    ("late_heatmap phone", lambda m, lg: m.late_heatmap(MANY_CELLS, lg, phone=True)),
    ("late_heatmap counts", lambda m, lg: m.late_heatmap(MANY_CELLS, lg, cell_counts=True, only_late=False,
                                                         stage_order=["Ký số", "Tiếp nhận"], top=None)),
    ("late_heatmap nothing late", lambda m, lg: m.late_heatmap(NOTHING_LATE, lg, title="Giai đoạn")),
    ("handler_bars", lambda m, lg: m.handler_bars(HANDLERS, lg)),
    ("handler_bars top", lambda m, lg: m.handler_bars(HANDLERS, lg, top=1, title="Cán bộ")),
    ("handler_bars nothing late", lambda m, lg: m.handler_bars([{**HANDLERS[3]}], lg)),
    ("online_share_bars", lambda m, lg: m.online_share_bars(BY_AGENCY, "agency", lg)),
    ("online_share_bars field", lambda m, lg: m.online_share_bars(MANY_AGENCIES, "field", lg, 0.8, top=8)),
    ("online_share_bars no target", lambda m, lg: m.online_share_bars(MANY_AGENCIES, "agency", lg, None)),
    ("online_trend", lambda m, lg: m.online_trend(QUARTERS, lg)),
    ("online_trend gap", lambda m, lg: m.online_trend(
        [*QUARTERS, {"period_start": date(2026, 1, 1), "received_new": 0, "online": 0, "online_share": None}],
        lg, None, title="Trực tuyến")),
    ("stacked_resolution", lambda m, lg: m.stacked_resolution({"early": 800, "on_time": 90, "late": 10}, lg)),
    ("stacked_resolution frame", lambda m, lg: m.stacked_resolution(
        pd.DataFrame([{"early": 3, "on_time": 40, "late": 1}]), lg, title="Kết quả")),
    ("stacked_resolution none", lambda m, lg: m.stacked_resolution({"early": 0, "on_time": 0, "late": 0}, lg)),
    ("index766_bars", lambda m, lg: m.index766_bars(CRITERIA, lg)),
    ("index766_trend", lambda m, lg: m.index766_trend(INDEX_MONTHS, lg)),
    ("index766_trend one", lambda m, lg: m.index766_trend(INDEX_MONTHS[:1], lg, title="Chỉ số")),
    ("empty_figure", lambda m, lg: m.empty_figure(lg)),
    ("empty_figure message", lambda m, lg: m.empty_figure(lg, "Chưa có dữ liệu", height=200)),
]
PRINT_SIZES = [{}, {"width": 1040}, {"width": 1040, "height": 700}]


def _json(figure: dict[str, Any]) -> Any:
    return json.loads(pio.to_json(figure, validate=False))


@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("name, build", CASES, ids=[name for name, _ in CASES])
def test_every_builder_draws_plotlys_own_figure(name, build, lang):
    fig, want = build(charts, lang), build(charts_reference, lang)
    assert isinstance(fig, go.Figure)
    got = fig.to_dict()
    assert got == want.to_dict()
    assert _json(got) == _json(want.to_dict())  # what the browser receives
    # The template really is plotly_white, in full (the browser gets it in the JSON).
    assert got["layout"]["template"] == pio.templates["plotly_white"].to_plotly_json()
    # Every property is one plotly accepts as it stands: validating the figure changes nothing.
    assert go.Figure(got).to_dict() == got


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_print_layout_of_every_builder_is_plotlys_own(lang):
    for i, (name, build) in enumerate(CASES):
        size = PRINT_SIZES[i % len(PRINT_SIZES)]  # each size on a third of the cases
        got = charts.apply_print_layout(build(charts, lang), **size).to_dict()
        want = charts_reference.apply_print_layout(build(charts_reference, lang), **size).to_dict()
        assert got == want, name
        assert _json(got) == _json(want), name


def test_print_layout_leaves_the_figure_and_the_shared_template_alone():
    fig = charts.kpi_trend(TREND)
    before = fig.to_dict()
    printed = charts.apply_print_layout(fig, width=1040)
    assert fig.to_dict() == before
    assert printed.layout.font.size == charts.PRINT_FONT_SIZE
    # Changing one figure's template never reaches the registered one, nor another figure.
    printed.layout.template.layout.font.size = 99
    fig.layout.template.layout.font.size = 98
    assert pio.templates["plotly_white"].layout.font.size is None
    assert charts.kpi_trend(TREND).layout.template.layout.font.size is None
    assert charts.empty_figure().to_dict()["layout"]["template"] == pio.templates["plotly_white"].to_plotly_json()


def test_a_built_figure_still_validates_what_a_caller_changes():
    """Validation is off only while a builder hands its own (known-valid)
    dictionaries to plotly: a caller changing the figure is checked as usual."""
    fig = charts.handler_bars(HANDLERS)
    with pytest.raises(ValueError):
        fig.update_layout(hovermode="sideways")
    with pytest.raises(ValueError):
        fig.layout.xaxis.range = "wide"
    with pytest.raises(ValueError):
        fig.data[0].marker.color = "not a colour"
    fig.update_layout(barmode="stack")
    assert fig.layout.barmode == "stack"

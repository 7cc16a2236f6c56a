"""The fast layout path of analytics/reports/charts.py (one layout assignment,
the registered template assigned without re-validation) draws exactly the
figures plotly's own ``update_layout(template="plotly_white", ...)`` path
draws: every builder, both languages, the print layout."""

from __future__ import annotations

import json

import plotly.graph_objects as go
import plotly.io as pio
import pytest

from analytics.reports import charts
from tests.test_charts import TREND, all_figures


def _reference_relayout(fig: go.Figure, props) -> None:
    """What the charts did before: plotly's update_layout and the template by name."""
    fig.update_layout(template=charts.TEMPLATE)
    fig.update_layout(props)


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_every_builder_gives_plotlys_own_figure(monkeypatch, lang):
    fast = [fig.to_dict() for fig in all_figures(lang)]
    monkeypatch.setattr(charts, "_relayout", _reference_relayout)
    slow = [fig.to_dict() for fig in all_figures(lang)]
    assert len(fast) == len(slow) == 8
    for got, want in zip(fast, slow, strict=True):
        assert got == want
        # The template really is plotly_white, in full (the browser gets it in the JSON).
        assert got["layout"]["template"] == pio.templates["plotly_white"].to_plotly_json()
        assert json.loads(pio.to_json(got, validate=False)) == json.loads(pio.to_json(want, validate=False))


def test_print_layout_is_plotlys_own_and_leaves_the_shared_template_alone(monkeypatch):
    fig = charts.kpi_trend(TREND)
    printed = charts.apply_print_layout(fig, width=1040)
    monkeypatch.setattr(charts, "_relayout", _reference_relayout)
    monkeypatch.setattr(charts, "_use_template", lambda f: f.update_layout(template=charts.TEMPLATE))
    assert printed.to_dict() == charts.apply_print_layout(charts.kpi_trend(TREND), width=1040).to_dict()
    assert printed.layout.font.size == charts.PRINT_FONT_SIZE
    # Changing one figure's template never reaches the registered one, nor another figure.
    printed.layout.template.layout.font.size = 99
    assert pio.templates["plotly_white"].layout.font.size is None
    assert fig.layout.template.layout.font.size is None

"""The fast layout path of analytics/reports/charts.py (one layout assignment,
the registered template assigned without re-validation) draws exactly the
figures plotly's own ``update_layout(template="plotly_white", ...)`` path
draws: every builder, both languages, the print layout."""

from __future__ import annotations

import json
from typing import Any

import plotly.graph_objects as go
import plotly.io as pio
import pytest

from analytics.reports import charts
from tests.test_charts import TREND, all_figures


def _reference_relayout(fig: go.Figure, props) -> None:
    """What the charts did before: plotly's update_layout and the template by name."""
    fig.update_layout(template=charts.TEMPLATE)
    fig.update_layout(props)


# The layout helpers as they were written with plotly's own API (before the
# fast path): the oracle the fast helpers are compared with.
def reference_layout(
    fig: go.Figure,
    lang: str,
    title: str | None,
    *,
    height: int,
    legend: bool,
    subtitle: str | None = None,
    axes: dict[str, Any] | None = None,
) -> go.Figure:
    title_layout: dict[str, Any] = {
        "text": title or "",
        "x": 0,
        "xanchor": "left",
        "font": {"size": charts.TITLE_SIZE, "color": charts.PALETTE["text"]},
    }
    if subtitle:
        title_layout["subtitle"] = {"text": subtitle,
                                    "font": {"size": charts.FONT_SIZE - 1, "color": charts.PALETTE["late"]}}
    fig.update_layout(
        template="plotly_white",
        title=title_layout,
        font={"family": charts.FONT_FAMILY, "size": charts.FONT_SIZE, "color": charts.PALETTE["text"]},
        separators=",." if lang == "vi" else ".,",
        height=height,
        autosize=True,
        margin={"l": 8, "r": 16, "b": 40, "pad": 2},
        showlegend=legend,
        legend={
            "orientation": "h",
            "x": 0,
            "xanchor": "left",
            "y": 1.0,
            "yanchor": "bottom",
            "font": {"size": charts.FONT_SIZE - 1},
            "title": {"text": ""},
        },
        hoverlabel={"bgcolor": "white", "font": {"size": charts.FONT_SIZE, "family": charts.FONT_FAMILY}},
        paper_bgcolor="white",
        plot_bgcolor="white",
    )
    fig.update_xaxes(automargin=True, fixedrange=True, tickfont={"size": charts.TICK_SIZE},
                     title_font={"size": charts.TICK_SIZE})
    fig.update_yaxes(automargin=True, fixedrange=True, tickfont={"size": charts.TICK_SIZE},
                     title_font={"size": charts.TICK_SIZE})
    reference_place_title(fig)
    if axes:
        # What the builders did after the layout: update_xaxes / update_yaxes.
        for name, props in axes.items():
            (fig.update_xaxes if name == "xaxis" else fig.update_yaxes)(props)
    return fig


def reference_place_title(fig: go.Figure) -> None:
    """Put the title block at the top and reserve the top margin for it, the legend
    and the labels of reference lines (all sit above the plot area).

    Plotly pins a multi-line title by its first line and lets the other lines
    grow away from the anchor (with ``yanchor="top"`` they grow upwards, out of
    the figure), so the title is anchored "bottom" just under the top edge and
    the space below is computed from the line count. Constants measured in
    Chromium. The legend is sized for a phone, where its items wrap.
    """
    layout = fig.layout
    text = layout.title.text or ""
    title_size = layout.title.font.size if layout.title.font and layout.title.font.size else charts.TITLE_SIZE
    body_size = layout.font.size or charts.FONT_SIZE
    pad = 8
    title_px = pad + title_size * (1.3 * (text.count("<br>") + 1) - 0.2) if text else 0
    subtitle = layout.title.subtitle
    subtitle_px = 0.0
    if subtitle and subtitle.text:
        subtitle_px = 8 + 1.25 * (subtitle.font.size if subtitle.font and subtitle.font.size else body_size)
    legend_px = 0.0
    if layout.showlegend:
        legend_size = layout.legend.font.size if layout.legend.font and layout.legend.font.size else body_size
        widths = [40 + 0.6 * legend_size * len(str(trace.name or ""))
                  for trace in fig.data if trace.showlegend is not False]
        # A horizontal legend wraps at the plot area's width: the phone's width
        # less the category labels on the left.
        ticks = layout.yaxis.ticktext or ()
        label_width = 0.55 * charts.TICK_SIZE * max((len(str(x)) for x in ticks), default=4) + 16
        if layout.yaxis.showticklabels is False:
            label_width = 0
        available = charts.PHONE_WIDTH - 24 - label_width
        rows, used = 1, 0.0
        for width in widths:
            if used and used + width > available:
                rows, used = rows + 1, 0.0
            used += width
        legend_px = rows * legend_size * 1.6 + 10
    top_labels = [a for a in (layout.annotations or ()) if a.yref == "paper" and a.y == 1 and a.yanchor == "bottom"]
    label_px = max((1.4 * (a.font.size or body_size) + 4 for a in top_labels), default=0)
    height = layout.height or 450
    anchor = pad + 0.45 * title_size
    fig.update_layout(
        title={"yref": "container", "yanchor": "bottom", "y": max(0.0, 1 - anchor / height)},
        margin={"t": round(title_px + subtitle_px + legend_px + label_px + 6)},
    )




def reference_line(fig: go.Figure, axis: str, value: float, text: str, colour: str) -> None:
    line = {"color": colour, "width": 2, "dash": "dash"}
    if axis == "x":  # a vertical line: label above the plot
        fig.add_vline(x=value, line=line)
        upper = fig.layout.xaxis.range[1] if fig.layout.xaxis.range else None
        right_half = upper is not None and value > upper / 2
        fig.add_annotation(
            x=value, xref="x", xanchor="right" if right_half else "left", y=1, yref="paper", yanchor="bottom",
            text=charts._esc(text), showarrow=False, font={"size": charts.TICK_SIZE, "color": colour},
            bgcolor="rgba(255,255,255,0.8)",
        )
    else:
        fig.add_hline(y=value, line=line)
        fig.add_annotation(  # left end: trends rise, so the left is usually clear
            x=0, xref="paper", xanchor="left", y=value, yref="y", yanchor="bottom", text=charts._esc(text),
            showarrow=False, font={"size": charts.TICK_SIZE, "color": colour}, bgcolor="rgba(255,255,255,0.8)",
        )
    reference_place_title(fig)


@pytest.fixture
def plotly_api(monkeypatch):
    """Swap the fast layout helpers for the plotly-API oracle."""
    def use() -> None:
        monkeypatch.setattr(charts, "_relayout", _reference_relayout)
        monkeypatch.setattr(charts, "_layout", reference_layout)
        monkeypatch.setattr(charts, "_place_title", reference_place_title)
        monkeypatch.setattr(charts, "_reference_line", reference_line)
        monkeypatch.setattr(charts, "_use_template", lambda f: f.update_layout(template=charts.TEMPLATE))
    return use


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_every_builder_gives_plotlys_own_figure(plotly_api, lang):
    fast = [fig.to_dict() for fig in all_figures(lang)]
    plotly_api()
    slow = [fig.to_dict() for fig in all_figures(lang)]
    assert len(fast) == len(slow) == 8
    for got, want in zip(fast, slow, strict=True):
        assert got == want
        # The template really is plotly_white, in full (the browser gets it in the JSON).
        assert got["layout"]["template"] == pio.templates["plotly_white"].to_plotly_json()
        assert json.loads(pio.to_json(got, validate=False)) == json.loads(pio.to_json(want, validate=False))


def test_print_layout_is_plotlys_own_and_leaves_the_shared_template_alone(plotly_api):
    fig = charts.kpi_trend(TREND)
    printed = charts.apply_print_layout(fig, width=1040)
    plotly_api()
    assert printed.to_dict() == charts.apply_print_layout(charts.kpi_trend(TREND), width=1040).to_dict()
    assert printed.layout.font.size == charts.PRINT_FONT_SIZE
    # Changing one figure's template never reaches the registered one, nor another figure.
    printed.layout.template.layout.font.size = 99
    assert pio.templates["plotly_white"].layout.font.size is None
    assert fig.layout.template.layout.font.size is None

"""The one chart module: plain functions, engine rows in, ``plotly.graph_objects.Figure`` out.

Conventions every builder follows:

* colours come from ``PALETTE``: late is always ``PALETTE["late"]``, on time and
  early are green and blue, online is one purple, targets are orange dashed
  lines and averages grey dashed lines;
* text comes from ``labels.t(..., lang)``; hover text is pre-formatted by
  ``analytics.locale.fmt`` and passed as ``customdata`` so a Vietnamese screen shows
  1.234 and 97,6% exactly (``layout.separators`` does the same for the axes);
* large fonts for a projector, legends on top and horizontal, ``automargin``
  and no fixed width so a 390-px phone still shows the chart; axes are fixed
  (no accidental zoom while scrolling on a phone);
* no rows (or no value to draw) gives ``empty_figure``, never an empty axis;
* category charts keep the full name as the bar's ``y`` and in
  ``customdata[0]`` (a Streamlit selection gives back the real agency name)
  and shorten only the tick text;
* a builder puts its traces and layout together as plain dicts and hands
  them to plotly once, with validation off (``_figure``): the figure
  dictionary is the one plotly's own API builds (tests/test_charts_speed.py
  compares every builder with tests/charts_reference.py) at a tenth of the CPU.
"""

from __future__ import annotations

import functools
import html
import math
import pickle
import textwrap
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any, NamedTuple

import plotly.graph_objects as go
import plotly.io as pio

from analytics.indicators.periods import month_label, quarter_label
from analytics.indicators.ranking import MIN_VOLUME, rank_by_rate
from analytics.indicators.registry import higher_is_worse, is_rate
from analytics.locale import fmt
from analytics.locale.labels import t

PALETTE: dict[str, str] = {
    "late": "#d62728",  # the warning colour: every late series, everywhere
    "late_dark": "#8c1d18",  # a second late series beside the first (late dossiers)
    "early": "#1f77b4",
    "on_time": "#2ca02c",
    "good": "#2ca02c",  # bars at or better than the average
    "online": "#7b3fb2",
    "direct": "#7f7f7f",
    "target": "#ff7f0e",
    "average": "#404040",
    "neutral": "#4c78a8",
    "unranked": "#bdbdbd",  # a rate over too few cases to be ranked (ranking.py)
    "no_cell": "#eeeeee",  # heatmap cell with no steps
    "text": "#222222",
    "muted": "#666666",
}
HEATMAP_SCALE = [[0.0, "#fff5f0"], [0.4, "#fcae91"], [1.0, PALETTE["late"]]]

FONT_FAMILY = "Segoe UI, Roboto, 'Helvetica Neue', Arial, 'Noto Sans', sans-serif"
FONT_SIZE = 15
TITLE_SIZE = 18
TICK_SIZE = 14
# The house right margin of every figure, px.
_RIGHT_PX = 16
# The width of a character of label or value text, on average, in em:
# what a text needs is estimated from its length (no font metrics here).
_CHAR_EM = 0.55
# Rate axes: as many decimals as a tick needs and no more ("0%", "0,5%",
# "12%", "0,25%"). ".0%" printed the 0,5 % steps of a 0–4 % axis as
# "0% 1% 1% 2% 2%…", twice each.
RATE_TICKS = ".2~%"
PRINT_FONT_SIZE = 18
TITLE_WRAP = 34  # characters per title line: fits a 390-px phone at TITLE_SIZE
PHONE_WIDTH = 390  # legends are sized for this width (they wrap on a phone)
# The stage x agency heatmap on a phone (late_heatmap(phone=True)): what fits
# 390 px with cells wide enough for "12,3%" and no text under 11 px.
PHONE_HEATMAP_AGENCIES = 8
PHONE_HEATMAP_STAGES = 4
PHONE_TEXT_SIZE = 12
LABEL_CHARS = 24  # category tick labels are shortened to this (full name on hover)
BAR_ROW_PX = 34
TEMPLATE = "plotly_white"

_HOVER_COUNTS = ("received_new", "online", "resolved", "late", "steps", "late_dossiers")


# --- helpers ------------------------------------------------------------------


def _records(rows: Any) -> list[dict[str, Any]]:
    """Rows as a list of dicts (a DataFrame is accepted; NaN becomes None)."""
    if rows is None:
        return []
    if hasattr(rows, "to_dict"):
        rows = rows.to_dict("records")
    return [{k: _clean(v) for k, v in dict(r).items()} for r in rows]


def _clean(value: Any) -> Any:
    if isinstance(value, float) and math.isnan(value):
        return None
    if value is not None and type(value).__name__ in ("NAType", "NaTType"):
        return None
    return value


def _value_text(key: str, value: Any, lang: str) -> str:
    return fmt.percent(value, lang) if is_rate(key) else fmt.number(value, lang)


def _esc(text: Any) -> str:
    return html.escape(str(text), quote=False)


def _short(text: str, limit: int = LABEL_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


@functools.lru_cache(maxsize=4096)
def _wrap(text: str, width: int) -> tuple[str, ...]:
    """``textwrap.wrap``, kept for a text met again: its regular-expression
    pass was the slowest part of a bar chart once plotly's validation was
    gone, and the same agency, stage and field names come back on every page
    run."""
    return tuple(textwrap.wrap(text, width))


def _wrapped(text: str, width: int = LABEL_CHARS, lines: int = 3) -> str:
    """A category name on up to ``lines`` lines of ``width`` characters,
    escaped: "Phòng Tài nguyên và<br>Môi trường" reads whole on a phone where
    "Phòng Tài nguyên và Môi…" did not; only a name longer than that is cut."""
    parts = list(_wrap(text, width)) or [text]
    if len(parts) > lines:
        parts = parts[: lines - 1] + [_short(" ".join(parts[lines - 1:]), width)]
    return "<br>".join(_esc(p) for p in parts)


def _label_lines(labels: Iterable[str], width: int = LABEL_CHARS) -> int:
    """The most lines a wrapped label takes (1 to 3): a bar row grows with it."""
    return max((min(3, len(_wrap(label, width)) or 1) for label in labels), default=1)


def _wrap_title(text: str) -> str:
    return "<br>".join(_wrap(text, TITLE_WRAP)) if len(text) > TITLE_WRAP else text


def _trace(kind: str, **props: Any) -> dict[str, Any]:
    """A trace as plotly keeps it: its type and the properties given (``None``
    leaves a property out, as ``go.Bar(text=None)`` does)."""
    return {"type": kind, **{key: value for key, value in props.items() if value is not None}}


def _house_axis() -> dict[str, Any]:
    return {"automargin": True, "fixedrange": True, "tickfont": {"size": TICK_SIZE},
            "title": {"font": {"size": TICK_SIZE}}}


def _layout(
    data: list[dict[str, Any]],
    lang: str,
    title: str | None,
    *,
    height: int,
    legend: bool,
    subtitle: str | None = None,
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The house layout of a figure drawing the traces ``data``, as one plain dict.

    ``before``: what the builder laid out first (a shape, a message), under
    the house layout. ``after``: the builder's own properties (e.g.
    ``{"xaxis": {"range": [0, 1], "title": {"text": ...}}, "barmode": "stack"}``),
    merged over the house layout and the title block as ``update_layout``
    and ``update_xaxes`` would merge them: the title block is the one of the
    house layout (it reads the category ticks only where a reference line
    places it again, as it always did).
    """
    title_layout: dict[str, Any] = {
        "text": title or "",
        "x": 0,
        "xanchor": "left",
        "font": {"size": TITLE_SIZE, "color": PALETTE["text"]},
    }
    if subtitle:
        title_layout["subtitle"] = {"text": subtitle, "font": {"size": FONT_SIZE - 1, "color": PALETTE["late"]}}
    layout: dict[str, Any] = {}
    if before:
        _merge(layout, before)
    _merge(layout, {
        "title": title_layout,
        "font": {"family": FONT_FAMILY, "size": FONT_SIZE, "color": PALETTE["text"]},
        "separators": ",." if lang == "vi" else ".,",
        "height": height,
        "autosize": True,
        "margin": {"l": 8, "r": _RIGHT_PX, "b": 40, "pad": 2},
        "showlegend": legend,
        "legend": {
            "orientation": "h",
            "x": 0,
            "xanchor": "left",
            "y": 1.0,
            "yanchor": "bottom",
            "font": {"size": FONT_SIZE - 1},
            "title": {"text": ""},
        },
        "hoverlabel": {"bgcolor": "white", "font": {"size": FONT_SIZE, "family": FONT_FAMILY}},
        "paper_bgcolor": "white",
        "plot_bgcolor": "white",
        "xaxis": _house_axis(),
        "yaxis": _house_axis(),
    })
    _merge(layout, _title_block(layout, data))
    if after:
        _merge(layout, after)
    return layout


def _merge(into: dict[str, Any], props: Mapping[str, Any]) -> None:
    """``props`` merged into ``into`` as plotly's ``update_layout`` merges
    them: nested dicts key by key, ``None`` removes a property, anything else
    replaces it. Dicts are copied as they are merged (two places of a layout
    never share one); lists and values are taken as they are (nothing here
    changes a list in place)."""
    for key, value in props.items():
        if value is None:
            into.pop(key, None)
        elif isinstance(value, Mapping):
            target = into.get(key)
            if not isinstance(target, dict):
                target = into[key] = {}
            _merge(target, value)
        else:
            into[key] = value


def _figure(data: list[dict[str, Any]], layout: dict[str, Any]) -> go.Figure:
    """The ``go.Figure`` of a builder's plain traces and layout, with the
    ``plotly_white`` template.

    Plotly validates every property it is given, object by object (about
    nine tenths of building a figure, more than the rows and labels). The
    builders' properties are known-valid and already in the form plotly
    keeps (plain lists, strings and numbers; tests/test_charts_speed.py
    compares every builder with the figure plotly's own API builds, and
    checks that validating it changes nothing), so they are handed over once
    with validation off. It is on again for whoever changes the figure
    afterwards.
    """
    # A template present already: plotly does not copy its default one in first.
    layout["template"] = {}
    fig = go.Figure(data=data, layout=layout, _validate=False)
    fig._validate = True
    for trace in fig.data:
        trace._validate = True
    _use_template(fig)
    return fig


@functools.cache
def _template_pickle() -> bytes:
    return pickle.dumps(pio.templates[TEMPLATE].to_plotly_json(), protocol=pickle.HIGHEST_PROTOCOL)


def _use_template(fig: go.Figure) -> None:
    """``template="plotly_white"`` without its validation, as the figure's own copy.

    Setting a template by name deep-copies and re-validates the whole
    registered template. The registered template is valid already, so a
    copy of its JSON is assigned the way plotly assigns its default template
    to every new figure (validation off for that one assignment). The copy
    is unpickled from bytes made once (a sixth of a deep copy's time): the
    figure has its own, so changing it changes no other figure.
    """
    layout = fig.layout
    layout._validate = False
    try:
        layout.template = pickle.loads(_template_pickle())
    finally:
        layout._validate = fig._validate


def _get(props: Mapping[str, Any] | None, *path: str) -> Any:
    for key in path:
        if not isinstance(props, Mapping):
            return None
        props = props.get(key)
    return props


def _title_block(layout: Mapping[str, Any], traces: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    """Put the title block at the top and reserve the top margin for it, the legend
    and the labels of reference lines (all sit above the plot area): the
    title's position and the top margin, from the layout and the traces
    (plain dicts).

    Plotly pins a multi-line title by its first line and lets the other lines
    grow away from the anchor (with ``yanchor="top"`` they grow upwards, out of
    the figure), so the title is anchored "bottom" just under the top edge and
    the space below is computed from the line count. Constants measured in
    Chromium. The legend is sized for a phone, where its items wrap.
    """
    text = _get(layout, "title", "text") or ""
    title_size = _get(layout, "title", "font", "size") or TITLE_SIZE
    body_size = _get(layout, "font", "size") or FONT_SIZE
    pad = 8
    title_px = pad + title_size * (1.3 * (text.count("<br>") + 1) - 0.2) if text else 0
    subtitle_px = 0.0
    if _get(layout, "title", "subtitle", "text"):
        subtitle_px = 8 + 1.25 * (_get(layout, "title", "subtitle", "font", "size") or body_size)
    legend_px = 0.0
    if layout.get("showlegend"):
        legend_size = _get(layout, "legend", "font", "size") or body_size
        widths = [40 + 0.6 * legend_size * len(str(trace.get("name") or ""))
                  for trace in traces if trace.get("showlegend") is not False]
        # A horizontal legend wraps at the plot area's width: the phone's width
        # less the category labels on the left.
        ticks = _get(layout, "yaxis", "ticktext") or ()
        label_width = _CHAR_EM * TICK_SIZE * max((len(str(x)) for x in ticks), default=4) + 16
        if _get(layout, "yaxis", "showticklabels") is False:
            label_width = 0
        available = PHONE_WIDTH - 24 - label_width
        rows, used = 1, 0.0
        for width in widths:
            if used and used + width > available:
                rows, used = rows + 1, 0.0
            used += width
        legend_px = rows * legend_size * 1.6 + 10
    top_labels = [a for a in (layout.get("annotations") or ())
                  if a.get("yref") == "paper" and a.get("y") == 1 and a.get("yanchor") == "bottom"]
    label_px = max((1.4 * (_get(a, "font", "size") or body_size) + 4 for a in top_labels), default=0)
    height = layout.get("height") or 450
    anchor = pad + 0.45 * title_size
    return {
        "title": {"yref": "container", "yanchor": "bottom", "y": max(0.0, 1 - anchor / height)},
        "margin": {"t": round(title_px + subtitle_px + legend_px + label_px + 6)},
    }


def _title(title: str | None, default: str) -> str:
    return _wrap_title(default if title is None else title)


def _rate_axis_max(values: Iterable[float], floor: float = 1.0) -> float:
    # Room to the right of the longest bar for its outside label.
    return max([floor, *values]) * 1.16


def empty_figure(lang: str = "vi", message: str | None = None, *, height: int = 300) -> go.Figure:
    """A figure with no axes and one centred message ("Không có hồ sơ trong kỳ")."""
    note = {
        "text": message or t("no_data", lang),
        "x": 0.5,
        "y": 0.5,
        "xref": "paper",
        "yref": "paper",
        "showarrow": False,
        "font": {"size": TITLE_SIZE, "color": PALETTE["muted"]},
    }
    return _figure([], _layout([], lang, None, height=height, legend=False, before={"annotations": [note]},
                               after={"xaxis": {"visible": False}, "yaxis": {"visible": False}}))


def chart_config(filename: str = "bieu-do") -> dict[str, Any]:
    """Plotly config for ``st.plotly_chart(config=...)``: no logo, PNG export at 2× for slides."""
    return {
        "displaylogo": False,
        "responsive": True,
        "scrollZoom": False,
        "modeBarButtonsToRemove": ["zoom2d", "pan2d", "zoomIn2d", "zoomOut2d", "autoScale2d", "lasso2d"],
        "toImageButtonOptions": {"format": "png", "filename": filename, "scale": 2},
    }


# --- builders -------------------------------------------------------------------


def kpi_trend(rows: Any, lang: str = "vi", *, grain: str = "month", title: str | None = None) -> go.Figure:
    """On-time rate and online share per month (rows of ``Engine.trend``).

    A period with no resolved (or no new) dossiers has a gap in its line.
    """
    records = sorted(_records(rows), key=lambda r: r["period_start"])
    if not any(r.get("on_time_rate") is not None or r.get("online_share") is not None for r in records):
        return empty_figure(lang)
    label = quarter_label if grain == "quarter" else month_label
    x = [r["period_start"] for r in records]
    data = [
        _trace(
            "scatter",
            x=x,
            y=[r.get(key) for r in records],
            name=t(key, lang),
            mode="lines+markers",
            line={"color": colour, "width": 3, "dash": dash},
            marker={"size": 8, "color": colour},
            customdata=[
                [label(r["period_start"], lang), fmt.percent(r.get(key), lang), fmt.number(r.get(count_key), lang)]
                for r in records
            ],
            hovertemplate=(
                f"<b>%{{customdata[0]}}</b><br>{_esc(t(key, lang))}: %{{customdata[1]}}"
                f"<br>{_esc(t(count_key, lang))}: %{{customdata[2]}}<extra></extra>"
            ),
        )
        for key, count_key, colour, dash in (
            ("on_time_rate", "resolved", PALETTE["on_time"], "solid"),
            ("online_share", "received_new", PALETTE["online"], "dot"),
        )
    ]
    x_axis: dict[str, Any] = {"title": {"text": t("quarter" if grain == "quarter" else "month", lang)},
                              "showgrid": False}
    if grain == "month":
        x_axis["tickformat"] = "%m/%Y"
        if len(x) <= 12:
            # A short range: one tick per month (auto ticks repeat "07/2026" for days).
            x_axis["dtick"] = "M1"
    y_axis = {"tickformat": RATE_TICKS, "range": [0, 1.05], "title": {"text": t("rate", lang)}, "gridcolor": "#e5e5e5"}
    return _figure(data, _layout(data, lang, _title(title, t("chart_kpi_trend", lang)), height=420, legend=True,
                                 after={"xaxis": x_axis, "yaxis": y_axis}))


class _RankedBars(NamedTuple):
    """What :func:`ranked_bars` draws, before any figure: the rows ranked and
    cut, each bar's label, value, colour, text and hover values, whether the
    value is a rate, the default title, the figure's height and its value axis."""

    labels: list[str]
    values: list[float]
    colours: list[str]
    value_texts: list[str]
    custom: list[list[str]]
    rate: bool
    default_title: str
    height: int
    x_axis: dict[str, Any]
    right_px: int


def _ranked_bars(rows: Any, value_key: str, label_key: str, average: float | None, lang: str,
                 highlight_late: bool, *, top: int | None, volume_key: str | None,
                 min_volume: int) -> _RankedBars | None:
    """The bars of :func:`ranked_bars` (its arguments mean the same); None
    when no row has the value."""
    records = [r for r in _records(rows) if r.get(value_key) is not None]
    if not records:
        return None
    worse_high = higher_is_worse(value_key)
    rate = is_rate(value_key)
    if volume_key and rate:
        records = rank_by_rate(records, value_key, volume_key, (label_key,), worse_high=worse_high,
                               min_volume=min_volume)
    else:
        records.sort(key=lambda r: (-r[value_key] if worse_high else r[value_key], str(r.get(label_key))))
    if top:
        records = records[:top]
    labels = [str(r.get(label_key)) for r in records]
    values = [r[value_key] for r in records]
    colours = [_bar_colour(v, average, worse_high, highlight_late) if r.get("ranked", True) else PALETTE["unranked"]
               for r, v in zip(records, values, strict=True)]
    value_texts = [_value_text(value_key, v, lang) for v in values]
    if volume_key and rate:
        value_texts = [
            t("rank_bar_text" if r["ranked"] else "rank_bar_text_unranked", lang, value=text,
              volume=fmt.number(r.get(volume_key) or 0, lang), what=t(volume_key, lang).lower())
            for r, text in zip(records, value_texts, strict=True)
        ]
    extras = [_hover_counts(r, exclude=(value_key, label_key), lang=lang) for r in records]
    default = t("chart_ranked", lang, indicator=t(value_key, lang), dimension=t(label_key, lang).lower())
    row_px = BAR_ROW_PX + 12 * (_label_lines(labels) - 1)  # wrapped names need taller rows
    # A share of "good" outcomes reads against 100%; a late rate or a count against its own maximum.
    floor = 1.0 if rate and not worse_high else 0.0
    upper = _rate_axis_max(values, floor) or 1.0
    right_px = _RIGHT_PX
    if volume_key and rate and worse_high:
        # "2,5% · 1.890" outside the longest bar: room for it on a phone too.
        upper = max([floor, *values]) * 1.7 or 1.0
        # In a narrow column (the overview's top five beside the cards) the
        # plot is about a hundred pixels wide: what a text needs beyond the
        # room right of its bar goes into the right margin (the bars' text
        # is not clipped to the plot).
        right_px = _text_overflow_px(values, value_texts, upper)
    x_axis = {"range": [0, upper], "tickformat": RATE_TICKS if rate else ",d", "title": {"text": t(value_key, lang)},
              "gridcolor": "#e5e5e5"}
    custom = [[label, text, extra] for label, text, extra in zip(labels, value_texts, extras, strict=True)]
    return _RankedBars(labels, values, colours, value_texts, custom, rate, default,
                       max(300, 130 + row_px * len(records)), x_axis, right_px)


# A bar's text width, per character, in px at FONT_SIZE (DejaVu Sans and the
# like: digits 0.64 em, separators and spaces 0.32 em; measured on screen,
# "3,3% · 1.400" is about 80 px), and the width of the narrowest plot a
# ranked chart is drawn in (the overview's side column at 1366 px).
_TEXT_PX_PER_CHAR = _CHAR_EM * FONT_SIZE
_NARROW_PLOT_PX = 100
_MAX_RIGHT_PX = 160


def _text_overflow_px(values: Sequence[float], texts: Sequence[str], upper: float) -> int:
    """The right margin that holds each bar's text written outside it, in
    the narrowest plot: the house margin (:data:`_RIGHT_PX`) up to :data:`_MAX_RIGHT_PX`."""
    need = max(
        (len(text) * _TEXT_PX_PER_CHAR - (1 - value / upper) * _NARROW_PLOT_PX
         for value, text in zip(values, texts, strict=True)),
        default=0.0,
    )
    return int(min(_MAX_RIGHT_PX, max(_RIGHT_PX, math.ceil(need))))


def ranked_bars(
    rows: Any,
    value_key: str,
    label_key: str,
    average: float | None = None,
    lang: str = "vi",
    highlight_late: bool = True,
    *,
    title: str | None = None,
    top: int | None = None,
    volume_key: str | None = None,
    min_volume: int = MIN_VOLUME,
) -> go.Figure:
    """Horizontal bars ranked worst first (at the top), with a dashed average line.

    Args:
        rows: Engine rows, e.g. ``Engine.by_agency``.
        value_key: The value drawn (``on_time_rate``, ``late``, ``late_rate``...).
        label_key: The category (``agency``, ``field``...).
        average: The reference value (the whole unit's rate from
            ``Engine.totals``); drawn as a dashed line when given.
        highlight_late: Bars of a late measure are drawn in the late colour;
            for other measures, bars worse than ``average`` are.
        top: Keep only the ``top`` worst rows.
        volume_key: For a rate, the count it is taken over (``resolved``,
            ``steps``): the rate is ranked only from ``min_volume`` of them
            up (analytics.indicators.ranking), smaller units follow in grey,
            and each bar shows its volume beside the rate.
    """
    bars = _ranked_bars(rows, value_key, label_key, average, lang, highlight_late, top=top, volume_key=volume_key,
                        min_volume=min_volume)
    if bars is None:
        return empty_figure(lang)
    labels, values, value_texts, rate = bars.labels, bars.values, bars.value_texts, bars.rate
    data = [
        _trace(
            "bar",
            orientation="h",
            x=values,
            y=labels,
            marker={"color": bars.colours},
            text=value_texts,
            # Rates read inside a bar long enough to hold them (near 100%, clear
            # of the average line; the worst late rate, clear of a narrow
            # chart's edge), outside a short one.
            textposition="auto" if rate else "outside",
            insidetextanchor="end",
            cliponaxis=False,
            name=t(value_key, lang),
            customdata=bars.custom,
            hovertemplate=(
                f"<b>%{{customdata[0]}}</b><br>{_esc(t(value_key, lang))}: %{{customdata[1]}}"
                "%{customdata[2]}<extra></extra>"
            ),
        )
    ]
    layout = _layout(data, lang, _title(title, bars.default_title), height=bars.height, legend=False,
                     after={"yaxis": _category_props(labels), "xaxis": bars.x_axis, "margin": {"r": bars.right_px}})
    if average is not None and not (isinstance(average, float) and math.isnan(average)):
        _reference_line(layout, data, "x", average,
                        t("average_line", lang, value=_value_text(value_key, average, lang)), PALETTE["average"])
    return _figure(data, layout)


def _bar_colour(value: float, average: float | None, worse_high: bool, highlight: bool) -> str:
    if not highlight:
        return PALETTE["neutral"]
    if worse_high:
        # A late rate at or below the whole unit's is not flagged: only the worse half is red.
        return PALETTE["good"] if average is not None and value <= average else PALETTE["late"]
    if average is not None and value < average:
        return PALETTE["late"]
    return PALETTE["good"]


def _hover_counts(row: Mapping[str, Any], *, exclude: Iterable[str], lang: str) -> str:
    skip = set(exclude)
    return "".join(
        f"<br>{_esc(t(key, lang))}: {fmt.number(row[key], lang)}"
        for key in _HOVER_COUNTS
        if key in row and key not in skip and row[key] is not None
    )


def _category_props(labels: list[str]) -> dict[str, Any]:
    """Worst first at the top; full names stay the category, ticks are shortened."""
    return {"categoryorder": "array", "categoryarray": labels, "autorange": "reversed", "tickmode": "array",
            "tickvals": list(labels), "ticktext": [_wrapped(label) for label in labels], "title": {"text": ""}}


def _reference_line(layout: dict[str, Any], data: list[dict[str, Any]], axis: str, value: float, text: str,
                    colour: str) -> None:
    """A dashed average or target line with its label, as plotly's
    ``add_vline``/``add_hline`` and ``add_annotation`` draw them (the same
    shape and annotation), added to ``layout`` with the title block placed
    again (the label sits above the plot)."""
    line = {"color": colour, "width": 2, "dash": "dash"}
    font = {"size": TICK_SIZE, "color": colour}
    if axis == "x":  # a vertical line: label above the plot
        shape = {"type": "line", "x0": value, "x1": value, "xref": "x", "y0": 0, "y1": 1, "yref": "y domain"}
        upper_range = _get(layout, "xaxis", "range")
        upper = upper_range[1] if upper_range else None
        right_half = upper is not None and value > upper / 2
        label = {"x": value, "xref": "x", "xanchor": "right" if right_half else "left", "y": 1, "yref": "paper",
                 "yanchor": "bottom", "text": _esc(text), "showarrow": False, "font": font,
                 "bgcolor": "rgba(255,255,255,0.8)"}
    else:
        shape = {"type": "line", "x0": 0, "x1": 1, "xref": "x domain", "y0": value, "y1": value, "yref": "y"}
        # left end: trends rise, so the left is usually clear
        label = {"x": 0, "xref": "paper", "xanchor": "left", "y": value, "yref": "y", "yanchor": "bottom",
                 "text": _esc(text), "showarrow": False, "font": font, "bgcolor": "rgba(255,255,255,0.8)"}
    layout["shapes"] = [*layout.get("shapes", ()), {**shape, "line": line}]
    layout["annotations"] = [*layout.get("annotations", ()), label]
    _merge(layout, _title_block(layout, data))


class _HeatmapCells(NamedTuple):
    """What :func:`late_heatmap` draws, before any figure: the stages (columns)
    and agencies (rows) kept, in order, each cell's rate, text and hover
    values, the colour scale's top and the late steps of each stage."""

    stages: list[str]
    agencies: list[str]
    z: list[list[float | None]]
    text: list[list[str]]
    custom: list[list[list[str]]]
    zmax: float
    late_by_stage: dict[str, int]


def _heatmap_cells(rows: Any, lang: str, *, stage_order: list[str] | None, cell_counts: bool, only_late: bool,
                  top: int | None, phone: bool) -> _HeatmapCells | None:
    """The cells of :func:`late_heatmap` (its arguments mean the same);
    None when no row has a step."""
    records = [r for r in _records(rows) if r.get("steps")]
    if not records:
        return None
    late_by_agency: dict[str, int] = {}
    late_by_stage: dict[str, int] = {}
    cells: dict[tuple[str, str], dict[str, Any]] = {}
    for r in records:
        late_by_agency[r["agency"]] = late_by_agency.get(r["agency"], 0) + (r.get("late") or 0)
        late_by_stage[r["stage"]] = late_by_stage.get(r["stage"], 0) + (r.get("late") or 0)
        cells[(r["agency"], r["stage"])] = r
    any_late = any(late_by_stage.values())
    stages = [s for s in (stage_order or []) if s in late_by_stage]
    stages += sorted((s for s in late_by_stage if s not in stages), key=lambda s: (-late_by_stage[s], s))
    agencies = sorted(late_by_agency, key=lambda a: (-late_by_agency[a], a))
    if only_late and any_late:
        stages = [s for s in stages if late_by_stage[s]]
        agencies = [a for a in agencies if late_by_agency[a]]
    if phone:
        top = min(top or PHONE_HEATMAP_AGENCIES, PHONE_HEATMAP_AGENCIES)
        kept = set(sorted(stages, key=lambda s: (-late_by_stage[s], s))[:PHONE_HEATMAP_STAGES])
        stages = [s for s in stages if s in kept]
        # Agencies ranked by their late steps in the stages shown, so no row is blank.
        late_shown = {a: sum((cells[(a, s)].get("late") or 0) for s in stages if (a, s) in cells) for a in agencies}
        agencies = sorted(agencies, key=lambda a: (-late_shown[a], a))
        if any_late:
            agencies = [a for a in agencies if late_shown[a]]
    if top:
        agencies = agencies[:top]
    z, text, custom = [], [], []
    for agency in agencies:
        z_row: list[float | None] = []
        text_row, custom_row = [], []
        for stage in stages:
            cell = cells.get((agency, stage))
            if cell is None:
                z_row.append(None)
                text_row.append("")
                custom_row.append([agency, stage, fmt.MISSING, "0", "0"])
                continue
            rate = cell.get("late_rate")
            if rate is None:
                rate = (cell.get("late") or 0) / cell["steps"]
            late, steps = fmt.number(cell.get("late") or 0, lang), fmt.number(cell["steps"], lang)
            z_row.append(rate)
            if not cell.get("late"):
                text_row.append("")  # the lightest colour says it; the hover has the numbers
            elif cell_counts:
                text_row.append(f"{fmt.percent(rate, lang)}<br>{late}/{steps}")
            else:
                text_row.append(fmt.percent(rate, lang))
            custom_row.append([agency, stage, fmt.percent(rate, lang), late, steps])
        z.append(z_row)
        text.append(text_row)
        custom.append(custom_row)
    zmax = max((v for row in z for v in row if v is not None), default=0) or 1.0
    return _HeatmapCells(stages, agencies, z, text, custom, zmax, late_by_stage)


def late_heatmap(
    rows: Any,
    lang: str = "vi",
    *,
    title: str | None = None,
    stage_order: list[str] | None = None,
    cell_counts: bool = False,
    only_late: bool = True,
    top: int | None = 15,
    phone: bool = False,
) -> go.Figure:
    """Late rate per (agency, stage), from ``Engine.stage_agency``.

    Args:
        rows: ``Engine.stage_agency`` rows (stage, agency, steps, late, late_rate).
        stage_order: Column order; default: most late steps first.
        cell_counts: Cells show "rate" and "late/steps" (for a projector or
            print; too wide for a phone). Without it only the rate; the hover
            always has both. Cells without a late step stay blank.
        only_late: Leave out agencies and stages without any late step (a
            province section has 30+ agencies and 9+ stages: the rest is a wall of 0%);
            when nothing is late, everything is shown.
        top: At most this many agencies (most late steps first).
        phone: For a 390 px screen: at most :data:`PHONE_HEATMAP_AGENCIES`
            agencies and :data:`PHONE_HEATMAP_STAGES` stages (most late
            steps first; the table under the chart has them all), agency
            names wrapped on up to four short lines, text of
            :data:`PHONE_TEXT_SIZE` px.

    The stage with the most late steps is bold, framed in the late colour and
    named in the subtitle.
    """
    cells = _heatmap_cells(rows, lang, stage_order=stage_order, cell_counts=cell_counts, only_late=only_late,
                          top=top, phone=phone)
    if cells is None:
        return empty_figure(lang)
    stages, agencies, late_by_stage = cells.stages, cells.agencies, cells.late_by_stage
    data = [
        _trace(
            "heatmap",
            z=cells.z,
            x=stages,
            y=agencies,
            text=cells.text,
            texttemplate="%{text}",
            textfont={"size": PHONE_TEXT_SIZE if phone else TICK_SIZE - 1},
            customdata=cells.custom,
            hovertemplate=(
                f"<b>%{{customdata[0]}}</b><br>{_esc(t('stage', lang))}: %{{customdata[1]}}"
                f"<br>{_esc(t('late_rate', lang))}: %{{customdata[2]}}"
                f"<br>{_esc(t('late_steps', lang))}: %{{customdata[3]}}"
                f"<br>{_esc(t('steps', lang))}: %{{customdata[4]}}<extra></extra>"
            ),
            colorscale=HEATMAP_SCALE,
            zmin=0,
            zmax=cells.zmax,
            xgap=2,
            ygap=2,
            showscale=False,  # every cell carries its number; the colour only repeats it
            name=t("late_rate", lang),
        )
    ]
    worst_stage = max(stages, key=lambda s: late_by_stage[s])
    subtitle = None
    before: dict[str, Any] = {}
    if len(stages) <= 5:
        stage_ticks = ["<br>".join(_wrap(_esc(_short(s, 24)), 8)) or _esc(s) for s in stages]
    else:
        stage_ticks = [_esc(_short(s, 18)) for s in stages]
    if late_by_stage[worst_stage] > 0:
        index = stages.index(worst_stage)
        stage_ticks[index] = f"<b>{stage_ticks[index]}</b>"
        subtitle = _esc(t("most_late_stage", lang, stage=worst_stage,
                          count=fmt.number(late_by_stage[worst_stage], lang)))
        before["shapes"] = [{
            "type": "rect", "xref": "x", "yref": "paper", "x0": index - 0.5, "x1": index + 0.5, "y0": 0, "y1": 1,
            "line": {"color": PALETTE["late"], "width": 3}, "fillcolor": "rgba(0,0,0,0)", "layer": "above",
        }]
    height = max(320, 170 + (52 if phone else 40) * len(agencies))
    tick_font = {"tickfont": {"size": PHONE_TEXT_SIZE}} if phone else {}
    after = {
        "plot_bgcolor": PALETTE["no_cell"],
        # Up to five stages fit side by side on a phone in two short lines; more are
        # left to Plotly's automatic rotation.
        "xaxis": {**tick_font, "tickmode": "array", "tickvals": stages, "ticktext": stage_ticks,
                  "tickangle": 0 if len(stages) <= 5 else None, "showgrid": False},
        "yaxis": {**tick_font, "autorange": "reversed", "tickmode": "array", "tickvals": agencies,
                  "ticktext": [_wrapped(a, 14, 4) if phone else _wrapped(a, 20, 2) for a in agencies],
                  "showgrid": False},
    }
    return _figure(data, _layout(data, lang, _title(title, t("chart_late_heatmap", lang)), height=height,
                                 legend=False, subtitle=subtitle, before=before, after=after))


def _handler_hover(records: list[dict[str, Any]], late: list[dict[str, Any]],
                   lang: str) -> tuple[list[str], list[list[str]], str]:
    """The bar labels of :func:`handler_bars` ("name · agency" for a name
    present at two agencies among ``records``), each bar's hover values and
    the hover template, for the ``late`` rows drawn."""
    names = [str(r.get("handler")) for r in records]
    labels = [
        f"{r.get('handler')} · {r.get('agency')}" if names.count(str(r.get("handler"))) > 1 else str(r.get("handler"))
        for r in late
    ]
    custom = [
        [
            label,
            _esc(r.get("agency") or ""),
            fmt.number(r.get("steps"), lang),
            fmt.number(r.get("late"), lang),
            fmt.number(r.get("late_dossiers"), lang),
            fmt.percent(r.get("late_rate") if r.get("late_rate") is not None
                        else _ratio(r.get("late"), r.get("steps")), lang),
        ]
        for label, r in zip(labels, late, strict=True)
    ]
    hover = (
        f"<b>%{{customdata[0]}}</b><br>{_esc(t('agency', lang))}: %{{customdata[1]}}"
        f"<br>{_esc(t('steps', lang))}: %{{customdata[2]}}<br>{_esc(t('late_steps', lang))}: %{{customdata[3]}}"
        f"<br>{_esc(t('late_dossiers', lang))}: %{{customdata[4]}}<br>{_esc(t('late_rate', lang))}: %{{customdata[5]}}"
        "<extra></extra>"
    )
    return labels, custom, hover


def handler_bars(rows: Any, lang: str = "vi", *, top: int = 20, title: str | None = None) -> go.Figure:
    """Late steps (số lần trễ hạn) and late dossiers per handler, most late on top.

    Handlers without a late step are left out; a name present at two agencies
    is shown as "name · agency".
    """
    records = _records(rows)
    if not records:
        return empty_figure(lang)
    late = [r for r in records if (r.get("late") or 0) > 0]
    if not late:
        return empty_figure(lang, t("no_late_steps", lang))
    late.sort(key=lambda r: (-r["late"], -(r.get("late_dossiers") or 0), str(r.get("handler"))))
    late = late[:top]
    labels, custom, hover = _handler_hover(records, late, lang)
    data = []
    for key, name_key, colour in (("late", "late_steps", PALETTE["late"]),
                                  ("late_dossiers", "late_dossiers", PALETTE["late_dark"])):
        values = [r.get(key) or 0 for r in late]
        data.append(
            _trace(
                "bar",
                orientation="h",
                x=values,
                y=labels,
                name=t(name_key, lang),
                marker={"color": colour},
                text=[fmt.number(v, lang) for v in values],
                textposition="outside",
                cliponaxis=False,
                customdata=custom,
                hovertemplate=hover,
            )
        )
    height = max(320, 150 + 2 * 24 * len(late))
    after = {
        "barmode": "group", "bargap": 0.25, "bargroupgap": 0.05,
        "yaxis": _category_props(labels),
        "xaxis": {"range": [0, _rate_axis_max([r["late"] for r in late], 1)], "tickformat": ",d",
                  "title": {"text": ""}, "gridcolor": "#e5e5e5"},
    }
    return _figure(data, _layout(data, lang, _title(title, t("chart_handler_bars", lang)), height=height,
                                 legend=True, after=after))


def _ratio(numerator: Any, denominator: Any) -> float | None:
    return numerator / denominator if numerator is not None and denominator else None


def online_share_bars(
    rows: Any, dim_key: str, lang: str = "vi", target: float = 0.5, *, title: str | None = None,
    top: int | None = None,
) -> go.Figure:
    """Online share per agency or field (``dim_key``), lowest on top, with the target line."""
    records = [r for r in _records(rows) if r.get("online_share") is not None]
    if not records:
        return empty_figure(lang)
    records.sort(key=lambda r: (r["online_share"], str(r.get(dim_key))))
    if top:
        records = records[:top]
    labels = [str(r.get(dim_key)) for r in records]
    values = [r["online_share"] for r in records]
    texts = [fmt.percent(v, lang) for v in values]
    custom = [
        [label, text, fmt.number(r.get("online"), lang), fmt.number(r.get("received_new"), lang)]
        for label, text, r in zip(labels, texts, records, strict=True)
    ]
    data = [
        _trace(
            "bar",
            orientation="h",
            x=values,
            y=labels,
            marker={"color": PALETTE["online"]},
            text=texts,
            textposition="outside",
            cliponaxis=False,
            name=t("online_share", lang),
            customdata=custom,
            hovertemplate=_online_share_hover(lang),
        )
    ]
    default = t("chart_online_share_by", lang, dimension=t(dim_key, lang).lower())
    x_axis = {"range": [0, _rate_axis_max(values)], "tickformat": RATE_TICKS,
              "title": {"text": t("online_share", lang)}, "gridcolor": "#e5e5e5"}
    layout = _layout(data, lang, _title(title, default), height=max(300, 130 + BAR_ROW_PX * len(records)),
                     legend=False, after={"yaxis": _category_props(labels), "xaxis": x_axis})
    if target is not None:
        _reference_line(layout, data, "x", target, t("target_line", lang, value=fmt.percent(target, lang, 0)),
                        PALETTE["target"])
    return _figure(data, layout)


def _online_share_hover(lang: str) -> str:
    """Hover of an online-share bar; customdata = [label, share, online, received]."""
    return (
        f"<b>%{{customdata[0]}}</b><br>{_esc(t('online_share', lang))}: %{{customdata[1]}}"
        f"<br>{_esc(t('online', lang))}: %{{customdata[2]}} / {_esc(t('received_new', lang))}: %{{customdata[3]}}"
        "<extra></extra>"
    )


def online_trend(rows: Any, lang: str = "vi", target: float = 0.5, *, title: str | None = None) -> go.Figure:
    """Online share per quarter (rows of ``Engine.trend(f, grain="quarter")``) with the target line."""
    records = sorted(_records(rows), key=lambda r: r["period_start"])
    if not any(r.get("online_share") is not None for r in records):
        return empty_figure(lang)
    labels = [quarter_label(_as_date(r["period_start"]), lang) for r in records]
    values = [r.get("online_share") for r in records]
    texts = [fmt.percent(v, lang) if v is not None else "" for v in values]
    custom = [
        [label, fmt.percent(v, lang), fmt.number(r.get("online"), lang), fmt.number(r.get("received_new"), lang)]
        for label, v, r in zip(labels, values, records, strict=True)
    ]
    data = [
        _trace(
            "bar",
            x=labels,
            y=values,
            marker={"color": PALETTE["online"]},
            text=texts,
            textposition="outside",
            textangle=0,
            cliponaxis=False,
            name=t("online_share", lang),
            customdata=custom,
            hovertemplate=_online_share_hover(lang),
        )
    ]
    after = {
        "xaxis": {"type": "category", "tickmode": "array", "tickvals": labels, "tickangle": 0,
                  "ticktext": [_quarter_tick(_as_date(r["period_start"]), lang) for r in records],
                  "title": {"text": t("quarter", lang)}},
        "yaxis": {"tickformat": RATE_TICKS, "range": [0, _rate_axis_max([v for v in values if v is not None])],
                  "title": {"text": t("online_share", lang)}, "gridcolor": "#e5e5e5"},
    }
    layout = _layout(data, lang, _title(title, t("chart_online_trend", lang)), height=420, legend=False,
                     after=after)
    if target is not None:
        _reference_line(layout, data, "y", target, t("target_line", lang, value=fmt.percent(target, lang, 0)),
                        PALETTE["target"])
    return _figure(data, layout)


def _quarter_tick(d: date, lang: str) -> str:
    """Two short lines ("III" over "2026") so eight quarters fit a phone without rotating."""
    number = (d.month - 1) // 3 + 1
    return f"{('I', 'II', 'III', 'IV')[number - 1]}<br>{d.year}" if lang == "vi" else f"Q{number}<br>{d.year}"


def _as_date(value: Any) -> date:
    return value.date() if hasattr(value, "date") and callable(value.date) else value


def stacked_resolution(totals: Mapping[str, Any] | None, lang: str = "vi", *, title: str | None = None) -> go.Figure:
    """One bar of resolved dossiers split early / on time / late (``Engine.totals``;
    a one-row DataFrame is accepted too)."""
    if totals is not None and hasattr(totals, "to_dict"):
        records = _records(totals)
        totals = records[0] if records else None
    if not totals:
        return empty_figure(lang)
    counts = {key: int(totals.get(key) or 0) for key in ("early", "on_time", "late")}
    resolved = sum(counts.values())
    if resolved == 0:
        return empty_figure(lang)
    axis_label = t("resolved", lang)
    data = []
    for key in ("early", "on_time", "late"):
        share = counts[key] / resolved
        data.append(
            _trace(
                "bar",
                orientation="h",
                x=[counts[key]],
                y=[axis_label],
                name=t(key, lang),
                marker={"color": PALETTE[key]},
                text=[fmt.percent(share, lang)] if share >= 0.06 else [""],  # slivers: hover only
                textposition="inside",
                insidetextanchor="middle",
                textfont={"color": "white"},
                customdata=[[t(key, lang), fmt.number(counts[key], lang), fmt.percent(share, lang)]],
                hovertemplate=(
                    "<b>%{customdata[0]}</b><br>%{customdata[1]} "
                    f"{_esc(t('count', lang).lower())} (%{{customdata[2]}})<extra></extra>"
                ),
            )
        )
    after = {
        "barmode": "stack",
        "legend": {"traceorder": "normal"},
        "xaxis": {"range": [0, resolved], "tickformat": ",d", "title": {"text": t("resolved", lang)},
                  "showgrid": False},
        "yaxis": {"showticklabels": False},
    }
    return _figure(data, _layout(data, lang, _title(title, t("chart_resolution", lang)), height=230, legend=True,
                                 after=after))


def apply_print_layout(fig: go.Figure, *, width: int | None = None, height: int | None = None) -> go.Figure:
    """A copy of ``fig`` for the A4-landscape print view: white, larger text.

    ``width``/``height`` in px (A4 landscape at 96 dpi within margins is
    about 1040 × 700); without a width the figure still fills its container.
    """
    spec = fig.to_dict()  # a copy: the figure (cached and shared) is never changed
    data, layout = spec["data"], spec["layout"]
    _merge(layout, {
        "paper_bgcolor": "white",
        "font": {"size": PRINT_FONT_SIZE, "color": "black"},
        "legend": {"font": {"size": PRINT_FONT_SIZE}},
        "hovermode": False,
    })
    if _get(layout, "title", "text"):
        one_line = layout["title"]["text"].replace("<br>", " ")
        _merge(layout, {"title": {"text": "<br>".join(_wrap(one_line, 70)),
                                  "font": {"size": PRINT_FONT_SIZE + 4, "color": "black"}}})
    if layout.get("plot_bgcolor") in (None, "white", "#ffffff"):
        layout["plot_bgcolor"] = "white"
    axis_fonts = {"tickfont": {"size": PRINT_FONT_SIZE - 2}, "title": {"font": {"size": PRINT_FONT_SIZE - 2}}}
    for key in _axis_keys(layout):
        _merge(layout.setdefault(key, {}), axis_fonts)
    for annotation in layout.get("annotations", ()):
        _merge(annotation, {"font": {"size": PRINT_FONT_SIZE}})
    if height is not None:
        layout["height"] = height
    elif layout.get("height") is not None:
        layout["height"] = max(int(layout["height"] * 1.15), 500)
    if width is not None:
        _merge(layout, {"width": width, "autosize": False})
    _merge(layout, _title_block(layout, data))
    printed = _figure(data, layout)
    for trace in printed.data:
        if "textfont" in trace:  # every trace type that can have text (set or not)
            trace.textfont.size = PRINT_FONT_SIZE - 2
    return printed


def _axis_keys(layout: Mapping[str, Any]) -> list[str]:
    """The axes ``update_xaxes``/``update_yaxes`` change: ``xaxis`` and
    ``yaxis`` always, and any other set (``xaxis2``...)."""
    return ["xaxis", "yaxis", *(key for key in layout
                                if key[:5] in ("xaxis", "yaxis") and key[5:].isdigit())]


# --- Chỉ số 766 (issue 15) ------------------------------------------------------

def index766_bars(criteria: Any, lang: str = "vi", *, title: str | None = None) -> go.Figure:
    """One bar per scored sub-criterion: its points over a grey bar of its
    maximum (rows of ``index766.flat_criteria``; those not computed show the
    maximum only, marked "not computed")."""
    rows = [r for r in _records(criteria) if r.get("maximum")]
    if not rows:
        return empty_figure(lang)
    names = [t(f"i766_c_{str(r['criterion']).replace('.', '_')}", lang) for r in rows]
    ticks = [_short(n) for n in names]
    points = [r.get("points") for r in rows]
    texts = [t("i766_points_of", lang, points=fmt.number(p, lang, 2), maximum=fmt.number(r["maximum"], lang))
             if p is not None else t("i766_unscored", lang) for p, r in zip(points, rows, strict=True)]
    data = [
        _trace("bar", y=names, x=[r["maximum"] for r in rows], orientation="h",
               marker={"color": PALETTE["no_cell"]}, name=t("i766_col_maximum", lang), hoverinfo="skip"),
        _trace("bar", y=names, x=[p or 0 for p in points], orientation="h",
               marker={"color": [PALETTE["good"] if p is not None and p >= r["maximum"] - 1e-9
                                 else PALETTE["late"] for p, r in zip(points, rows, strict=True)]},
               text=[fmt.number(p, lang, 2) if p is not None else "–" for p in points],
               textposition="outside", cliponaxis=False,
               name=t("i766_col_points", lang),
               customdata=[[n, x] for n, x in zip(names, texts, strict=True)],
               hovertemplate="%{customdata[0]}<br>%{customdata[1]}<extra></extra>"),
    ]
    after = {
        "barmode": "overlay",
        "yaxis": {"autorange": "reversed", "tickmode": "array", "tickvals": names, "ticktext": ticks},
        "xaxis": {"range": [0, max(r["maximum"] for r in rows) * 1.2], "title": {"text": t("i766_col_points", lang)},
                  "gridcolor": "#e5e5e5"},
    }
    return _figure(data, _layout(data, lang, _title(title, t("i766_bars_title", lang)),
                                 height=120 + BAR_ROW_PX * len(rows), legend=False, after=after))


def index766_trend(rows: Any, lang: str = "vi", *, title: str | None = None) -> go.Figure:
    """The index month by month (rows of ``Engine.index_766_trend``): points
    computed, with the maximum the data could tell as a line."""
    records = sorted(_records(rows), key=lambda r: r["month"])
    if not records:
        return empty_figure(lang)
    labels = [month_label(_as_date(r["month"]), lang) for r in records]
    data = [
        _trace("bar", x=labels, y=[r["points"] for r in records], marker={"color": PALETTE["neutral"]},
               name=t("i766_total", lang), text=[fmt.number(r["points"], lang, 1) for r in records],
               textposition="outside", cliponaxis=False, hovertemplate="%{x}: %{text}<extra></extra>"),
        _trace("scatter", x=labels, y=[r["reachable"] for r in records], mode="lines+markers",
               line={"color": PALETTE["average"], "dash": "dash"}, name=t("i766_reachable", lang),
               hovertemplate="%{x}: %{y}<extra></extra>"),
    ]
    # mm/yy ticks: twelve "Tháng 07/2026" labels do not fit a phone; the full name is on hover.
    months = [_as_date(r["month"]) for r in records]
    after = {
        "xaxis": {"type": "category", "tickangle": 0, "tickmode": "array", "tickvals": labels,
                  "ticktext": [f"{d.month:02d}/{d.year % 100:02d}" for d in months]},
        "yaxis": {"range": [0, 105], "title": {"text": t("i766_col_points", lang)}, "gridcolor": "#e5e5e5"},
    }
    return _figure(data, _layout(data, lang, _title(title, t("i766_trend_title", lang)), height=400, legend=True,
                                 after=after))

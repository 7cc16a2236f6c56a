"""The chart builders of analytics/reports/charts.py written with plotly's own
API (every property validated by plotly, ``update_layout``/``update_xaxes``,
``add_vline``, the template set by name), as they were up to commit 62529fd:
the oracle the plain-dictionary builders are compared with
(tests/test_charts_speed.py). Only the figures' assembly is kept here; the
text and number helpers (labels, formats, wrapping), and what each bar, cell
and hover shows (charts._ranked_bars, _heatmap_cells, _handler_hover) are
the module's own.
Not used by the application."""

from __future__ import annotations

import math
import textwrap
from collections.abc import Mapping
from typing import Any

import plotly.graph_objects as go

from analytics.indicators.periods import month_label, quarter_label
from analytics.indicators.ranking import MIN_VOLUME
from analytics.locale import fmt
from analytics.locale.labels import t
from analytics.reports.charts import (
    BAR_ROW_PX,
    FONT_FAMILY,
    FONT_SIZE,
    HEATMAP_SCALE,
    PALETTE,
    PHONE_TEXT_SIZE,
    PHONE_WIDTH,
    PRINT_FONT_SIZE,
    RATE_TICKS,
    TEMPLATE,
    TICK_SIZE,
    TITLE_SIZE,
    _as_date,
    _category_props,
    _esc,
    _handler_hover,
    _heatmap_cells,
    _online_share_hover,
    _quarter_tick,
    _ranked_bars,
    _rate_axis_max,
    _records,
    _short,
    _title,
    _value_text,
    _wrapped,
)

# --- the layout helpers, with plotly's API ------------------------------------------


def _layout(
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
        "font": {"size": TITLE_SIZE, "color": PALETTE["text"]},
    }
    if subtitle:
        title_layout["subtitle"] = {"text": subtitle,
                                    "font": {"size": FONT_SIZE - 1, "color": PALETTE["late"]}}
    fig.update_layout(
        template="plotly_white",
        title=title_layout,
        font={"family": FONT_FAMILY, "size": FONT_SIZE, "color": PALETTE["text"]},
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
            "font": {"size": FONT_SIZE - 1},
            "title": {"text": ""},
        },
        hoverlabel={"bgcolor": "white", "font": {"size": FONT_SIZE, "family": FONT_FAMILY}},
        paper_bgcolor="white",
        plot_bgcolor="white",
    )
    fig.update_xaxes(automargin=True, fixedrange=True, tickfont={"size": TICK_SIZE},
                     title_font={"size": TICK_SIZE})
    fig.update_yaxes(automargin=True, fixedrange=True, tickfont={"size": TICK_SIZE},
                     title_font={"size": TICK_SIZE})
    _place_title(fig)
    if axes:
        # What the builders did after the layout: update_xaxes / update_yaxes.
        for name, props in axes.items():
            (fig.update_xaxes if name == "xaxis" else fig.update_yaxes)(props)
    return fig


def _place_title(fig: go.Figure) -> None:
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
    title_size = layout.title.font.size if layout.title.font and layout.title.font.size else TITLE_SIZE
    body_size = layout.font.size or FONT_SIZE
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
        label_width = 0.55 * TICK_SIZE * max((len(str(x)) for x in ticks), default=4) + 16
        if layout.yaxis.showticklabels is False:
            label_width = 0
        available = PHONE_WIDTH - 24 - label_width
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


def _reference_line(fig: go.Figure, axis: str, value: float, text: str, colour: str) -> None:
    line = {"color": colour, "width": 2, "dash": "dash"}
    if axis == "x":  # a vertical line: label above the plot
        fig.add_vline(x=value, line=line)
        upper = fig.layout.xaxis.range[1] if fig.layout.xaxis.range else None
        right_half = upper is not None and value > upper / 2
        fig.add_annotation(
            x=value, xref="x", xanchor="right" if right_half else "left", y=1, yref="paper", yanchor="bottom",
            text=_esc(text), showarrow=False, font={"size": TICK_SIZE, "color": colour},
            bgcolor="rgba(255,255,255,0.8)",
        )
    else:
        fig.add_hline(y=value, line=line)
        fig.add_annotation(  # left end: trends rise, so the left is usually clear
            x=0, xref="paper", xanchor="left", y=value, yref="y", yanchor="bottom", text=_esc(text),
            showarrow=False, font={"size": TICK_SIZE, "color": colour}, bgcolor="rgba(255,255,255,0.8)",
        )
    _place_title(fig)


def _use_template(fig: go.Figure) -> None:
    fig.update_layout(template=TEMPLATE)


# --- the builders, as they were ----------------------------------------------------------


def empty_figure(lang: str = "vi", message: str | None = None, *, height: int = 300) -> go.Figure:
    """``charts.empty_figure``, assembled with plotly's own API (its docstring says what it draws)."""
    fig = go.Figure()
    fig.add_annotation(
        text=message or t("no_data", lang),
        x=0.5,
        y=0.5,
        xref="paper",
        yref="paper",
        showarrow=False,
        font={"size": TITLE_SIZE, "color": PALETTE["muted"]},
    )
    _layout(fig, lang, None, height=height, legend=False)
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return fig


def kpi_trend(rows: Any, lang: str = "vi", *, grain: str = "month", title: str | None = None) -> go.Figure:
    """``charts.kpi_trend``, assembled with plotly's own API (its docstring says what it draws)."""
    records = sorted(_records(rows), key=lambda r: r["period_start"])
    if not any(r.get("on_time_rate") is not None or r.get("online_share") is not None for r in records):
        return empty_figure(lang)
    label = quarter_label if grain == "quarter" else month_label
    x = [r["period_start"] for r in records]
    fig = go.Figure()
    for key, count_key, colour, dash in (
        ("on_time_rate", "resolved", PALETTE["on_time"], "solid"),
        ("online_share", "received_new", PALETTE["online"], "dot"),
    ):
        fig.add_trace(
            go.Scatter(
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
        )
    x_axis: dict[str, Any] = {"title": {"text": t("quarter" if grain == "quarter" else "month", lang)},
                              "showgrid": False}
    if grain == "month":
        x_axis["tickformat"] = "%m/%Y"
        if len(x) <= 12:
            # A short range: one tick per month (auto ticks repeat "07/2026" for days).
            x_axis["dtick"] = "M1"
    y_axis = {"tickformat": RATE_TICKS, "range": [0, 1.05], "title": {"text": t("rate", lang)}, "gridcolor": "#e5e5e5"}
    _layout(fig, lang, _title(title, t("chart_kpi_trend", lang)), height=420, legend=True,
            axes={"xaxis": x_axis, "yaxis": y_axis})
    return fig


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
    """``charts.ranked_bars``, assembled with plotly's own API (its docstring says what it draws)."""
    bars = _ranked_bars(rows, value_key, label_key, average, lang, highlight_late, top=top, volume_key=volume_key,
                        min_volume=min_volume)
    if bars is None:
        return empty_figure(lang)
    labels, values, value_texts, rate = bars.labels, bars.values, bars.value_texts, bars.rate
    fig = go.Figure(
        go.Bar(
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
    )
    _layout(fig, lang, _title(title, bars.default_title), height=bars.height, legend=False,
            axes={"yaxis": _category_props(labels), "xaxis": bars.x_axis})
    fig.update_layout(margin={"r": bars.right_px})
    if average is not None and not (isinstance(average, float) and math.isnan(average)):
        _reference_line(fig, "x", average, t("average_line", lang, value=_value_text(value_key, average, lang)),
                        PALETTE["average"])
    return fig


def _category_axis(fig: go.Figure, labels: list[str]) -> None:
    """:func:`_category_props` on a figure laid out already."""
    fig.update_yaxes(**_category_props(labels))


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
    """``charts.late_heatmap``, assembled with plotly's own API (its docstring says what it draws)."""
    cells = _heatmap_cells(rows, lang, stage_order=stage_order, cell_counts=cell_counts, only_late=only_late,
                           top=top, phone=phone)
    if cells is None:
        return empty_figure(lang)
    stages, agencies, late_by_stage = cells.stages, cells.agencies, cells.late_by_stage
    fig = go.Figure(
        go.Heatmap(
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
    )
    worst_stage = max(stages, key=lambda s: late_by_stage[s])
    subtitle = None
    if len(stages) <= 5:
        stage_ticks = ["<br>".join(textwrap.wrap(_esc(_short(s, 24)), 8)) or _esc(s) for s in stages]
    else:
        stage_ticks = [_esc(_short(s, 18)) for s in stages]
    if late_by_stage[worst_stage] > 0:
        index = stages.index(worst_stage)
        stage_ticks[index] = f"<b>{stage_ticks[index]}</b>"
        subtitle = _esc(t("most_late_stage", lang, stage=worst_stage,
                          count=fmt.number(late_by_stage[worst_stage], lang)))
        fig.add_shape(
            type="rect", xref="x", yref="paper", x0=index - 0.5, x1=index + 0.5, y0=0, y1=1,
            line={"color": PALETTE["late"], "width": 3}, fillcolor="rgba(0,0,0,0)", layer="above",
        )
    height = max(320, 170 + (52 if phone else 40) * len(agencies))
    _layout(fig, lang, _title(title, t("chart_late_heatmap", lang)), height=height, legend=False, subtitle=subtitle)
    fig.update_layout(plot_bgcolor=PALETTE["no_cell"])
    if phone:
        fig.update_xaxes(tickfont={"size": PHONE_TEXT_SIZE})
        fig.update_yaxes(tickfont={"size": PHONE_TEXT_SIZE})
    # Up to five stages fit side by side on a phone in two short lines; more are
    # left to Plotly's automatic rotation.
    fig.update_xaxes(
        tickmode="array", tickvals=stages, ticktext=stage_ticks, tickangle=0 if len(stages) <= 5 else None,
        showgrid=False,
    )
    fig.update_yaxes(
        autorange="reversed", tickmode="array", tickvals=agencies,
        ticktext=[_wrapped(a, 14, 4) if phone else _wrapped(a, 20, 2) for a in agencies], showgrid=False,
    )
    return fig


def handler_bars(rows: Any, lang: str = "vi", *, top: int = 20, title: str | None = None) -> go.Figure:
    """``charts.handler_bars``, assembled with plotly's own API (its docstring says what it draws)."""
    records = _records(rows)
    if not records:
        return empty_figure(lang)
    late = [r for r in records if (r.get("late") or 0) > 0]
    if not late:
        return empty_figure(lang, t("no_late_steps", lang))
    late.sort(key=lambda r: (-r["late"], -(r.get("late_dossiers") or 0), str(r.get("handler"))))
    late = late[:top]
    labels, custom, hover = _handler_hover(records, late, lang)
    fig = go.Figure()
    for key, name_key, colour in (("late", "late_steps", PALETTE["late"]),
                                  ("late_dossiers", "late_dossiers", PALETTE["late_dark"])):
        values = [r.get(key) or 0 for r in late]
        fig.add_trace(
            go.Bar(
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
    _layout(fig, lang, _title(title, t("chart_handler_bars", lang)), height=height, legend=True)
    fig.update_layout(barmode="group", bargap=0.25, bargroupgap=0.05)
    _category_axis(fig, labels)
    fig.update_xaxes(
        range=[0, _rate_axis_max([r["late"] for r in late], 1)], tickformat=",d", title_text="", gridcolor="#e5e5e5"
    )
    return fig


def online_share_bars(
    rows: Any, dim_key: str, lang: str = "vi", target: float = 0.5, *, title: str | None = None,
    top: int | None = None,
) -> go.Figure:
    """``charts.online_share_bars``, assembled with plotly's own API (its docstring says what it draws)."""
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
    fig = go.Figure(
        go.Bar(
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
    )
    default = t("chart_online_share_by", lang, dimension=t(dim_key, lang).lower())
    x_axis = {"range": [0, _rate_axis_max(values)], "tickformat": RATE_TICKS,
              "title": {"text": t("online_share", lang)}, "gridcolor": "#e5e5e5"}
    _layout(fig, lang, _title(title, default), height=max(300, 130 + BAR_ROW_PX * len(records)), legend=False,
            axes={"yaxis": _category_props(labels), "xaxis": x_axis})
    if target is not None:
        _reference_line(fig, "x", target, t("target_line", lang, value=fmt.percent(target, lang, 0)), PALETTE["target"])
    return fig


def online_trend(rows: Any, lang: str = "vi", target: float = 0.5, *, title: str | None = None) -> go.Figure:
    """``charts.online_trend``, assembled with plotly's own API (its docstring says what it draws)."""
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
    fig = go.Figure(
        go.Bar(
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
    )
    _layout(fig, lang, _title(title, t("chart_online_trend", lang)), height=420, legend=False)
    fig.update_xaxes(
        type="category", tickmode="array", tickvals=labels, tickangle=0,
        ticktext=[_quarter_tick(_as_date(r["period_start"]), lang) for r in records],
        title_text=t("quarter", lang),
    )
    fig.update_yaxes(tickformat=RATE_TICKS, range=[0, _rate_axis_max([v for v in values if v is not None])],
                     title_text=t("online_share", lang), gridcolor="#e5e5e5")
    if target is not None:
        _reference_line(fig, "y", target, t("target_line", lang, value=fmt.percent(target, lang, 0)), PALETTE["target"])
    return fig


def stacked_resolution(totals: Mapping[str, Any] | None, lang: str = "vi", *, title: str | None = None) -> go.Figure:
    """``charts.stacked_resolution``, assembled with plotly's own API (its docstring says what it draws)."""
    if totals is not None and hasattr(totals, "to_dict"):
        records = _records(totals)
        totals = records[0] if records else None
    if not totals:
        return empty_figure(lang)
    counts = {key: int(totals.get(key) or 0) for key in ("early", "on_time", "late")}
    resolved = sum(counts.values())
    if resolved == 0:
        return empty_figure(lang)
    fig = go.Figure()
    axis_label = t("resolved", lang)
    for key in ("early", "on_time", "late"):
        share = counts[key] / resolved
        fig.add_trace(
            go.Bar(
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
    _layout(fig, lang, _title(title, t("chart_resolution", lang)), height=230, legend=True)
    fig.update_layout(barmode="stack", legend={"traceorder": "normal"})
    fig.update_xaxes(range=[0, resolved], tickformat=",d", title_text=t("resolved", lang), showgrid=False)
    fig.update_yaxes(showticklabels=False)
    return fig


def apply_print_layout(fig: go.Figure, *, width: int | None = None, height: int | None = None) -> go.Figure:
    """``charts.apply_print_layout``, assembled with plotly's own API (its docstring says what it draws)."""
    printed = go.Figure(fig)
    _use_template(printed)
    printed.update_layout(
        paper_bgcolor="white",
        font={"size": PRINT_FONT_SIZE, "color": "black"},
        legend={"font": {"size": PRINT_FONT_SIZE}},
        hovermode=False,
    )
    if printed.layout.title and printed.layout.title.text:
        one_line = printed.layout.title.text.replace("<br>", " ")
        printed.update_layout(
            title={"text": "<br>".join(textwrap.wrap(one_line, 70)),
                   "font": {"size": PRINT_FONT_SIZE + 4, "color": "black"}}
        )
    if printed.layout.plot_bgcolor in (None, "white", "#ffffff"):
        printed.update_layout(plot_bgcolor="white")
    printed.update_xaxes(tickfont={"size": PRINT_FONT_SIZE - 2}, title_font={"size": PRINT_FONT_SIZE - 2})
    printed.update_yaxes(tickfont={"size": PRINT_FONT_SIZE - 2}, title_font={"size": PRINT_FONT_SIZE - 2})
    printed.update_annotations(font={"size": PRINT_FONT_SIZE})
    for trace in printed.data:
        if "textfont" in trace:
            trace.textfont.size = PRINT_FONT_SIZE - 2
    if height is not None:
        printed.update_layout(height=height)
    elif printed.layout.height is not None:
        printed.update_layout(height=max(int(printed.layout.height * 1.15), 500))
    if width is not None:
        printed.update_layout(width=width, autosize=False)
    _place_title(printed)
    return printed


# --- Chỉ số 766 (issue 15) ------------------------------------------------------

def index766_bars(criteria: Any, lang: str = "vi", *, title: str | None = None) -> go.Figure:
    """``charts.index766_bars``, assembled with plotly's own API (its docstring says what it draws)."""
    rows = [r for r in _records(criteria) if r.get("maximum")]
    if not rows:
        return empty_figure(lang)
    names = [t(f"i766_c_{str(r['criterion']).replace('.', '_')}", lang) for r in rows]
    ticks = [_short(n) for n in names]
    points = [r.get("points") for r in rows]
    texts = [t("i766_points_of", lang, points=fmt.number(p, lang, 2), maximum=fmt.number(r["maximum"], lang))
             if p is not None else t("i766_unscored", lang) for p, r in zip(points, rows, strict=True)]
    fig = go.Figure()
    fig.add_trace(go.Bar(y=names, x=[r["maximum"] for r in rows], orientation="h",
                         marker={"color": PALETTE["no_cell"]}, name=t("i766_col_maximum", lang),
                         hoverinfo="skip"))
    fig.add_trace(go.Bar(y=names, x=[p or 0 for p in points], orientation="h",
                         marker={"color": [PALETTE["good"] if p is not None and p >= r["maximum"] - 1e-9
                                           else PALETTE["late"] for p, r in zip(points, rows, strict=True)]},
                         text=[fmt.number(p, lang, 2) if p is not None else "–" for p in points],
                         textposition="outside", cliponaxis=False,
                         name=t("i766_col_points", lang),
                         customdata=[[n, x] for n, x in zip(names, texts, strict=True)],
                         hovertemplate="%{customdata[0]}<br>%{customdata[1]}<extra></extra>"))
    _layout(fig, lang, _title(title, t("i766_bars_title", lang)), height=120 + BAR_ROW_PX * len(rows),
            legend=False)
    fig.update_layout(barmode="overlay")
    fig.update_yaxes(autorange="reversed", tickmode="array", tickvals=names, ticktext=ticks)
    fig.update_xaxes(range=[0, max(r["maximum"] for r in rows) * 1.2], title_text=t("i766_col_points", lang),
                     gridcolor="#e5e5e5")
    return fig


def index766_trend(rows: Any, lang: str = "vi", *, title: str | None = None) -> go.Figure:
    """``charts.index766_trend``, assembled with plotly's own API (its docstring says what it draws)."""
    records = sorted(_records(rows), key=lambda r: r["month"])
    if not records:
        return empty_figure(lang)
    labels = [month_label(_as_date(r["month"]), lang) for r in records]
    fig = go.Figure()
    fig.add_trace(go.Bar(x=labels, y=[r["points"] for r in records], marker={"color": PALETTE["neutral"]},
                         name=t("i766_total", lang), text=[fmt.number(r["points"], lang, 1) for r in records],
                         textposition="outside", cliponaxis=False,
                         hovertemplate="%{x}: %{text}<extra></extra>"))
    fig.add_trace(go.Scatter(x=labels, y=[r["reachable"] for r in records], mode="lines+markers",
                             line={"color": PALETTE["average"], "dash": "dash"}, name=t("i766_reachable", lang),
                             hovertemplate="%{x}: %{y}<extra></extra>"))
    _layout(fig, lang, _title(title, t("i766_trend_title", lang)), height=400, legend=True)
    # mm/yy ticks: twelve "Tháng 07/2026" labels do not fit a phone; the full name is on hover.
    months = [_as_date(r["month"]) for r in records]
    fig.update_xaxes(type="category", tickangle=0, tickmode="array", tickvals=labels,
                     ticktext=[f"{d.month:02d}/{d.year % 100:02d}" for d in months])
    fig.update_yaxes(range=[0, 105], title_text=t("i766_col_points", lang), gridcolor="#e5e5e5")
    return fig

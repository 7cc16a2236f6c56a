"""Charts as pictures: the meeting report's key charts, drawn with Altair and
rendered to PNG by vl-convert (no browser, no network).

The Word report (:mod:`analytics.reports.docreport`) puts these pictures
beside its sentences; they draw the same numbers as the deck's native charts
(:mod:`analytics.reports.deck`), from the same :class:`MeetingPack`:

* the on-time rate over comparable periods (a line);
* the late rate by agency (bars, highest first);
* late steps by stage: the steps that caused the lateness beside those that
  only inherited it ("trễ do bước trước");
* the online share against the 50% target (bars and a dashed rule).

Numbers and percentages are written the Vietnamese way (``1.234``,
``97,6%``): the charts are rendered with a d3 format locale whose decimal
mark is "," and thousands separator "." (:data:`VI_FORMAT_LOCALE`), and a
time locale with Vietnamese month names. The text font is DejaVu Sans (the
fonts-dejavu-core package, on every Debian/Ubuntu server): it has every
Vietnamese glyph. Liberation Sans, tried first, drew "Phòng Nội vụ" in a
serif fallback font here (its older releases lack the Vietnamese letters
with two marks), so it is only behind DejaVu in the list.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

import altair as alt
import vl_convert as vlc

from analytics.locale import fmt
from analytics.locale.labels import t
from analytics.locale.safe_text import plain_text
from analytics.reports import findings
from analytics.reports.charts import PALETTE
from analytics.reports.deck import agency_chart_rows, stage_chart_rows
from analytics.reports.meeting_pack import MeetingPack

LANG = "vi"
FONT = "DejaVu Sans, Liberation Sans, Arial, sans-serif"
WIDTH, HEIGHT = 620, 280
SCALE = 2  # pixels per point of the chart: sharp when printed at 16 cm
INHERITED_COLOUR = "#BFBFBF"
TOP_AGENCIES = 10
TOP_STAGES = 8
LABEL_LIMIT = 260  # pixels of a bar's category label before "…"

# d3-format and d3-time-format locales of Vietnamese: 1.234,5 and 97,6%.
VI_FORMAT_LOCALE: dict[str, Any] = {
    "decimal": ",", "thousands": ".", "grouping": [3], "currency": ["", " ₫"], "percent": "%",
}
VI_TIME_FORMAT_LOCALE: dict[str, Any] = {
    "dateTime": "%A, %d/%m/%Y, %X", "date": "%d/%m/%Y", "time": "%H:%M:%S", "periods": ["SA", "CH"],
    "days": ["Chủ nhật", "Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy"],
    "shortDays": ["CN", "T2", "T3", "T4", "T5", "T6", "T7"],
    "months": [f"Tháng {m:02d}" for m in range(1, 13)],
    "shortMonths": [f"Th{m:02d}" for m in range(1, 13)],
}
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"

Row = dict[str, Any]


@dataclass(frozen=True)
class Picture:
    """One chart of the report: its caption and the PNG bytes."""

    key: str
    caption: str
    png: bytes


def _config(chart: alt.TopLevelMixin) -> alt.TopLevelMixin:
    """The report's look: its font, no frame, light grid, readable sizes."""
    return (chart.configure(font=FONT)
            .configure_view(stroke=None)
            .configure_axis(labelFontSize=12, titleFontSize=12, gridColor="#E5E5E5", domainColor="#BDBDBD",
                            labelColor=PALETTE["text"], titleColor=PALETTE["text"])
            .configure_legend(orient="top", labelFontSize=12, title=None, symbolType="square")
            .configure_text(font=FONT))


def to_png(chart: alt.TopLevelMixin, scale: float = SCALE) -> bytes:
    """The chart as PNG bytes, numbers and dates in Vietnamese formats.

    Names reach the charts through :func:`plain_text`: a control character
    (a NUL in an imported agency name) made vl-convert abort the whole
    process, which in the dashboard is the server."""
    return vlc.vegalite_to_png(_config(chart).to_dict(), scale=scale,
                               format_locale=VI_FORMAT_LOCALE, time_format_locale=VI_TIME_FORMAT_LOCALE)


def to_svg(chart: alt.TopLevelMixin) -> str:
    """The chart as SVG text, with the same formats as :func:`to_png`: what a
    picture says can be read (and checked) as text."""
    return vlc.vegalite_to_svg(_config(chart).to_dict(), format_locale=VI_FORMAT_LOCALE,
                               time_format_locale=VI_TIME_FORMAT_LOCALE)


def trend_chart(pack: MeetingPack) -> alt.TopLevelMixin:
    """The on-time rate of each comparable period, labelled ("97,6%")."""
    values = [{"period": p.label, "order": i, "rate": p.totals.get("on_time_rate")}
              for i, p in enumerate(pack.trend)]
    present = [v["rate"] for v in values if v["rate"] is not None]
    floor = max(0.0, (int(min(present, default=0.0) * 20) - 1) / 20)
    base = alt.Chart(alt.Data(values=values)).encode(
        x=alt.X("period:N", sort=[p.label for p in pack.trend], title=None, axis=alt.Axis(labelAngle=0)),
        y=alt.Y("rate:Q", title=t("on_time_rate", LANG), scale=alt.Scale(domain=[floor, 1]),
                axis=alt.Axis(format=".0%")),
    )
    line = base.mark_line(point=alt.OverlayMarkDef(size=80, filled=True, color=PALETTE["on_time"]),
                          strokeWidth=3, color=PALETTE["on_time"])
    labels = base.mark_text(dy=-14, fontSize=12, color=PALETTE["text"]).encode(text=alt.Text("rate:Q", format=".1%"))
    return alt.layer(line, labels).properties(width=WIDTH, height=HEIGHT)


def agency_chart(pack: MeetingPack) -> alt.TopLevelMixin | None:
    """Late rate by agency, highest first (the deck's agencies); None when nothing was resolved."""
    rows = agency_chart_rows(pack.by_agency, TOP_AGENCIES)
    if not rows:
        return None
    values = [{"agency": plain_text(r["agency"]), "rate": r["late_rate"], "order": i} for i, r in enumerate(rows)]
    base = alt.Chart(alt.Data(values=values)).encode(
        y=alt.Y("agency:N", sort=[v["agency"] for v in values], title=None,
                axis=alt.Axis(labelLimit=LABEL_LIMIT)),
        # "~" drops trailing zeros: ticks 0%, 0,5%, 1%… rather than 0%, 0%, 1%
        x=alt.X("rate:Q", title=t("late_rate", LANG), axis=alt.Axis(format=".1~%", tickCount=6)),
    )
    bars = base.mark_bar(color=PALETTE["late"])
    labels = base.mark_text(align="left", dx=4, fontSize=12, color=PALETTE["text"]).encode(
        text=alt.Text("rate:Q", format=".1%"))
    return alt.layer(bars, labels).properties(width=WIDTH - LABEL_LIMIT // 2, height=24 * len(rows))


def stage_chart(pack: MeetingPack) -> alt.TopLevelMixin | None:
    """Late steps by stage: caused (red) and inherited from an earlier step
    (grey), side by side; None when no step is in the period."""
    rows = stage_chart_rows(pack.by_stage, TOP_STAGES)
    if not rows:
        return None
    caused, inherited = t("caused_late", LANG), t("inherited_late", LANG)
    values = []
    stages = [plain_text(r["stage"]) for r in rows]
    for i, (stage, r) in enumerate(zip(stages, rows, strict=True)):
        values.append({"stage": stage, "order": i, "kind": caused, "kind_order": 0, "steps": r["late"] or 0})
        values.append({"stage": stage, "order": i, "kind": inherited, "kind_order": 1,
                       "steps": r.get("inherited_late") or 0})
    base = alt.Chart(alt.Data(values=values)).encode(
        # An explicit order: a layered chart drops a sort by another field.
        y=alt.Y("stage:N", sort=stages, title=None, axis=alt.Axis(labelLimit=LABEL_LIMIT)),
        yOffset=alt.YOffset("kind:N", sort=[caused, inherited]),
        x=alt.X("steps:Q", title=t("late_steps", LANG), axis=alt.Axis(format=",d", tickMinStep=1)),
        color=alt.Color("kind:N", sort=[caused, inherited],
                        scale=alt.Scale(domain=[caused, inherited], range=[PALETTE["late"], INHERITED_COLOUR])),
    )
    labels = base.mark_text(align="left", dx=4, fontSize=11, color=PALETTE["text"]).encode(
        text=alt.Text("steps:Q", format=",d"), color=alt.value(PALETTE["text"])
    ).transform_filter(alt.datum.steps > 0)
    return alt.layer(base.mark_bar(), labels).properties(width=WIDTH - LABEL_LIMIT // 2, height=36 * len(rows))


def online_chart(pack: MeetingPack) -> alt.TopLevelMixin:
    """Online share of each comparable period against the target (a dashed rule)."""
    target = findings.TARGET_ONLINE_SHARE
    values = [{"period": p.label, "order": i, "share": p.totals.get("online_share")}
              for i, p in enumerate(pack.trend)]
    base = alt.Chart(alt.Data(values=values)).encode(
        x=alt.X("period:N", sort=[p.label for p in pack.trend], title=None, axis=alt.Axis(labelAngle=0)),
        y=alt.Y("share:Q", title=t("online_share", LANG), scale=alt.Scale(domain=[0, 1]),
                axis=alt.Axis(format=".0%")),
    )
    bars = base.mark_bar(color=PALETTE["online"], size=48)
    labels = base.mark_text(dy=-8, fontSize=12, color=PALETTE["text"]).encode(
        text=alt.Text("share:Q", format=".1%"))
    rule = alt.Chart(alt.Data(values=[{"target": target,
                                       "name": t("deck_target", LANG, target=fmt.percent(target, decimals=0))}])
                     ).mark_rule(color=PALETTE["target"], strokeDash=[8, 5], strokeWidth=2.5).encode(y="target:Q")
    # At the right end, under the line: clear of the bars' labels.
    rule_label = rule.mark_text(align="right", dy=14, color=PALETTE["target"], fontSize=12).encode(
        text="name:N", x=alt.value(WIDTH))
    return alt.layer(bars, labels, rule, rule_label).properties(width=WIDTH, height=HEIGHT)


def report_pictures(pack: MeetingPack) -> list[Picture]:
    """The report's charts as PNG pictures, in the order the report shows them
    (charts with nothing to draw are left out)."""
    target = fmt.percent(findings.TARGET_ONLINE_SHARE, decimals=0)
    built: Sequence[tuple[str, str, Any]] = (
        ("trend", t("deck_trend", LANG), trend_chart(pack)),
        ("agency", t("deck_agency", LANG), agency_chart(pack)),
        ("stage", t("deck_stage", LANG), stage_chart(pack)),
        ("online", t("deck_online", LANG, target=target), online_chart(pack)),
    )
    return [Picture(key, caption, to_png(chart)) for key, caption, chart in built if chart is not None]

"""The meeting deck: an editable PowerPoint file with native charts.

``python -m analytics deck --db --from --to [filters] --out FILE.pptx [--unit NAME]``
and :func:`build_deck` (the dashboard's download button) produce the same
file: a 16:9 deck whose charts are PowerPoint charts with their data sheet
(staff restyle them and edit the numbers in PowerPoint), each chart slide
carrying a one-line finding from :mod:`analytics.reports.findings`.

The story comes first, the long tables after it (issue 12). Slides: title;
then :data:`STORY_SLIDES`, each a finding with its chart: KPI summary against
the previous period and the same period last year; on-time rate over
comparable periods; late rate by agency; late steps by stage and by handler,
each as the steps that caused the lateness beside those that only inherited
it ("trễ do bước trước"); online share against the 50% target. Then a
"Phụ lục" divider and :data:`APPENDIX_SLIDES`: procedures without dossiers
for three years and Biểu 06, tables split across slides. A new slide is one
function added to either list. An empty period gives the title slide and one
slide saying "Không có hồ sơ trong kỳ".

Rates are stored in the charts as the engine's unrounded fractions with the
number format ``0.0%``: PowerPoint shows them in the viewer's regional format
(``97,6%`` on a Vietnamese Windows). All text on the slides is formatted by
:mod:`analytics.locale.fmt`.
"""

from __future__ import annotations

import copy
import io
import math
from contextlib import contextmanager
from typing import Any, Iterable, Sequence

from lxml import etree
from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.chart.xlsx import CategoryWorkbookWriter
from pptx.dml.color import RGBColor
from pptx.enum.chart import (
    XL_CHART_TYPE,
    XL_LABEL_POSITION,
    XL_LEGEND_POSITION,
    XL_MARKER_STYLE,
    XL_TICK_MARK,
)
from pptx.enum.dml import MSO_LINE_DASH_STYLE
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.oxml.ns import qn
from pptx.util import Emu, Inches, Pt, lazyproperty
from xlsxwriter import Workbook

from analytics.indicators import index766
from analytics.indicators.engine import Engine
from analytics.indicators.filters import Filters
from analytics.indicators.registry import indicator
from analytics.locale import fmt
from analytics.locale.labels import attribution_text, t
from analytics.locale.safe_text import plain_text
from analytics.reports import findings
from analytics.reports.charts import PALETTE
from analytics.reports.meeting_pack import (
    KPI_KEYS,
    MeetingPack,
    collect_pack,
    filters_text,
    kpi_cells,
    unit_title,
)
from analytics.reports.report06 import FORM_CODE, GROUPS_VI, HEADERS_VI, NUMBER_COLUMNS

FONT = "Arial"  # on every Windows; LibreOffice maps it to the metric-compatible Liberation Sans


def _hex(name: str) -> str:
    return PALETTE[name].lstrip("#").upper()


# One place for the deck's colours (hex RGB). Series colours are the
# dashboard's (analytics.reports.charts.PALETTE): late is red everywhere, on time
# green, online purple, targets orange; the rest is the deck's own frame.
COLOURS = {
    "on_time": _hex("on_time"),
    "online": _hex("online"),
    "late": _hex("late"),
    "late_dark": _hex("late_dark"),
    "target": _hex("target"),
    "good": _hex("good"),
    "bad": _hex("late"),
    "text": _hex("text"),
    "muted": _hex("muted"),
    "title": "1F3A5F",
    "accent": _hex("neutral"),
    "band": "EEF3F8",
    "header": "1F3A5F",
    "header_text": "FFFFFF",
    "subtotal": "DCE6F2",
    "stripe": "F5F7FA",
    "grid": "D9D9D9",
    "inherited": "BFBFBF",  # lateness a step only passed on: grey beside the red it was caused by
}

SLIDE_WIDTH, SLIDE_HEIGHT = Emu(12192000), Emu(6858000)  # 13.333 × 7.5 in, 16:9
MARGIN = Inches(0.5)
CONTENT_WIDTH = SLIDE_WIDTH - 2 * MARGIN
BODY_TOP = Inches(2.35)
BODY_BOTTOM = Inches(6.95)

TOP_AGENCIES = 10
TOP_HANDLERS = 8
TOP_STAGES = 10
TABLE_PT = 14
REPORT06_PT = 13
# Table-height estimates for splitting tables across slides.
CELL_MARGIN_PT = 4.3
CHAR_WIDTH_EM = 0.5
LINE_SPACING = 1.2
FINDING_SHAPE = "Finding"
FINDING_CHARS_AT_20PT = 190

# The deck is written in Vietnamese (its runs are tagged vi-VN); its text is
# the catalogue's, in this language.
LANG = "vi"
TITLES = {
    "deck": t("deck_title", LANG),
    "kpi": t("deck_kpi", LANG),
    "trend": t("deck_trend", LANG),
    "agency": t("deck_agency", LANG),
    "stage": t("deck_stage", LANG),
    "handler": t("deck_handler", LANG),
    "online": t("deck_online", LANG),  # {target}
    "unused": t("deck_unused", LANG),  # {years}
    "report06": t("deck_report06", LANG, form=FORM_CODE),
    "empty": t("no_data", LANG),
    "appendix": t("deck_appendix", LANG),
}
# Chart series names: the indicators' own labels.
SERIES = {
    **{key: t(key, LANG) for key in ("on_time_rate", "late_rate", "late_steps", "late_dossiers", "online_share",
                                     "caused_late", "inherited_late")},
    "target": t("deck_target", LANG),  # {target}
}

PPTX_MIME = "application/vnd.openxmlformats-officedocument.presentationml.presentation"

Row = dict[str, Any]


# --- small drawing helpers ---------------------------------------------------------


def _rgb(name: str) -> RGBColor:
    return RGBColor.from_string(COLOURS[name])


def _style_run(run, size: float, *, bold: bool = False, colour: str = "text", italic: bool = False) -> None:
    """Font, size, weight, colour and the Vietnamese language tag of a new run.

    Written straight into the run's ``a:rPr`` (children in schema order:
    solidFill before latin): the decks have a thousand table cells and the
    property-by-property API is several times slower.
    """
    rpr = run._r.get_or_add_rPr()
    rpr.set("lang", "vi-VN")
    rpr.set("sz", str(round(size * 100)))
    rpr.set("b", "1" if bold else "0")
    if italic:
        rpr.set("i", "1")
    fill = etree.SubElement(rpr, qn("a:solidFill"))
    etree.SubElement(fill, qn("a:srgbClr")).set("val", COLOURS[colour])
    etree.SubElement(rpr, qn("a:latin")).set("typeface", FONT)


def _write(frame, lines: Sequence[str] | str, size: float, *, bold: bool = False, colour: str = "text",
           align=PP_ALIGN.LEFT, anchor=MSO_ANCHOR.TOP, italic: bool = False) -> None:
    """Replace a text frame's text with ``lines`` (one paragraph each), styled."""
    lines = [lines] if isinstance(lines, str) else list(lines)
    frame.clear()
    frame.word_wrap = True
    if anchor is not None:
        frame.vertical_anchor = anchor
    for i, line in enumerate(lines):
        paragraph = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        paragraph.alignment = align
        # A "\v" in the line becomes a line break; other control characters
        # (from names in the data) cannot be written to the slide's XML.
        paragraph.text = "\v".join(plain_text(part) for part in line.split("\v"))
        for run in paragraph.runs:
            _style_run(run, size, bold=bold, colour=colour, italic=italic)


def _textbox(slide, left, top, width, height, lines, size, **style):
    box = slide.shapes.add_textbox(left, top, width, height)
    _write(box.text_frame, lines, size, **style)
    return box


def _plain(shape) -> None:
    """No theme style on a drawn shape: the default one adds a shadow (LibreOffice
    draws it even under an empty effect list). Fill and line are set explicitly."""
    shape.shadow.inherit = False
    style = shape._element.find(qn("p:style"))
    if style is not None:
        shape._element.remove(style)


def _send_to_back(slide, shape) -> None:
    tree = slide.shapes._spTree
    tree.remove(shape._element)
    tree.insert(2, shape._element)  # after nvGrpSpPr and grpSpPr


def _period_line(pack: MeetingPack) -> str:
    f = pack.filters
    return f"{findings.capitalise(pack.current.name)} ({fmt.period(f.date_from, f.date_to)})"


def _footer(slide, pack: MeetingPack, number: int) -> None:
    parts = [unit_title(pack), _period_line(pack), t("data_date", date=fmt.date(pack.as_of))]
    _textbox(slide, MARGIN, Inches(7.0), Inches(10.8), Inches(0.4),
             " · ".join(p for p in parts if p), 12, colour="muted", anchor=MSO_ANCHOR.MIDDLE)
    _textbox(slide, SLIDE_WIDTH - MARGIN - Inches(1.2), Inches(7.0), Inches(1.2), Inches(0.4),
             str(number), 12, colour="muted", align=PP_ALIGN.RIGHT, anchor=MSO_ANCHOR.MIDDLE)


def _content_slide(prs, pack: MeetingPack, title: str, finding: str | None):
    """A slide with the title, an accent rule, the finding band and the footer."""
    slide = prs.slides.add_slide(prs.slide_layouts[5])  # "Title Only": a real title placeholder
    title_shape = slide.shapes.title
    title_shape.left, title_shape.top = MARGIN, Inches(0.3)
    title_shape.width, title_shape.height = CONTENT_WIDTH, Inches(0.8)
    _write(title_shape.text_frame, title, 30, bold=True, colour="title", anchor=MSO_ANCHOR.MIDDLE)
    rule = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, MARGIN, Inches(1.12), Inches(1.6), Inches(0.06))
    rule.fill.solid()
    rule.fill.fore_color.rgb = _rgb("accent")
    rule.line.fill.background()
    _plain(rule)
    if finding:
        band = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, MARGIN, Inches(1.3), CONTENT_WIDTH, Inches(0.88))
        band.fill.solid()
        band.fill.fore_color.rgb = _rgb("band")
        band.line.fill.background()
        _plain(band)
        band.name = FINDING_SHAPE
        frame = band.text_frame
        frame.margin_left = frame.margin_right = Inches(0.2)
        frame.margin_top = frame.margin_bottom = Inches(0.04)
        # Two lines fit at 20 pt; a longer finding gets 18 pt (three lines).
        size = 20 if len(finding) <= FINDING_CHARS_AT_20PT else 18
        _write(frame, finding, size, colour="text", anchor=MSO_ANCHOR.MIDDLE)
    _footer(slide, pack, len(prs.slides))
    return slide


def _note(slide, text: str) -> None:
    """A message in the body area instead of a chart (nothing to draw)."""
    _textbox(slide, MARGIN, Inches(3.4), CONTENT_WIDTH, Inches(1.0), text, 24,
             colour="muted", align=PP_ALIGN.CENTER, anchor=MSO_ANCHOR.MIDDLE)


# --- charts ------------------------------------------------------------------------


class _TextWorkbookWriter(CategoryWorkbookWriter):
    """python-pptx's writer of a chart's data sheet, with text kept as text.

    The categories (agency, stage, handler names) and series names are data.
    python-pptx writes them with xlsxwriter's ``write()``, which by default
    turns "=HYPERLINK(...)" into a live formula and "http://..." into a link
    in the workbook PowerPoint opens when a chart's data is edited.
    """

    @contextmanager
    def _open_worksheet(self, xlsx_file):
        workbook = Workbook(xlsx_file, {"in_memory": True, "strings_to_formulas": False,
                                        "strings_to_urls": False, "strings_to_numbers": False})
        worksheet = workbook.add_worksheet()
        yield workbook, worksheet
        workbook.close()


class _TextChartData(CategoryChartData):
    """Category chart data whose embedded workbook holds text as text."""

    @lazyproperty
    def _workbook_writer(self):
        return _TextWorkbookWriter(self)


def _chart_data(categories: Sequence[str], series: Iterable[tuple[str, Sequence[Any]]],
                number_format: str) -> CategoryChartData:
    data = _TextChartData(number_format=number_format)
    data.categories = [plain_text(c) for c in categories]
    for name, values in series:
        data.add_series(plain_text(name), list(values))
    return data


def _add_chart(slide, chart_type, data: CategoryChartData, *, top=BODY_TOP, height=None):
    height = height or (BODY_BOTTOM - top)
    frame = slide.shapes.add_chart(chart_type, MARGIN, top, CONTENT_WIDTH, height, data)
    chart = frame.chart
    chart.font.name = FONT
    chart.font.size = Pt(16)
    chart.font.color.rgb = _rgb("text")
    # The chart's editing language: PowerPoint and LibreOffice use it for spelling.
    space = chart._chartSpace
    if space.find(qn("c:lang")) is None:
        lang = etree.Element(qn("c:lang"))
        lang.set("val", "vi-VN")
        space.insert(1, lang)  # after c:date1904, as the schema orders it
    chart.has_title = False
    return chart


def _label_series(plot, number_format: str, size: float = 16, position=None) -> None:
    plot.has_data_labels = True
    labels = plot.data_labels
    labels.number_format = number_format
    labels.number_format_is_linked = False
    labels.font.size = Pt(size)
    labels.font.name = FONT
    if position is not None:
        labels.position = position


def _fill_series(series, colour: str) -> None:
    series.format.fill.solid()
    series.format.fill.fore_color.rgb = _rgb(colour)
    series.invert_if_negative = False


def _light_grid(axis) -> None:
    axis.has_major_gridlines = True
    axis.major_gridlines.format.line.color.rgb = _rgb("grid")
    axis.major_gridlines.format.line.width = Pt(0.75)
    axis.format.line.fill.background()


def _horizontal_bars(slide, categories, series, number_format, colours, *, label_size=16):
    """Bars from the top down in list order, labelled, no value axis (the labels say it)."""
    data = _chart_data(categories, series, number_format)
    chart = _add_chart(slide, XL_CHART_TYPE.BAR_CLUSTERED, data)
    plot = chart.plots[0]
    plot.vary_by_categories = False
    plot.gap_width = 50
    plot.overlap = -10
    for s, colour in zip(plot.series, colours, strict=True):
        _fill_series(s, colour)
    _label_series(plot, number_format, position=XL_LABEL_POSITION.OUTSIDE_END)
    chart.category_axis.reverse_order = True
    chart.category_axis.tick_labels.font.size = Pt(label_size)
    chart.category_axis.format.line.color.rgb = _rgb("grid")
    chart.category_axis.major_tick_mark = XL_TICK_MARK.NONE
    chart.value_axis.visible = False
    chart.value_axis.has_major_gridlines = False
    chart.value_axis.minimum_scale = 0
    chart.has_legend = len(plot.series) > 1
    if chart.has_legend:
        chart.legend.position = XL_LEGEND_POSITION.TOP
        chart.legend.include_in_layout = False
        chart.legend.font.size = Pt(16)
    return chart


def _rate_axis_floor(values: Iterable[float | None]) -> float:
    """A value-axis minimum at a 5% step under the lowest rate, so small changes show."""
    present = [v for v in values if v is not None]
    if not present:
        return 0.0
    return max(0.0, math.floor((min(present) - 0.05) * 20) / 20)


def _move_series_to_line(chart, series_index: int) -> None:
    """Turn one series of a clustered column chart into a line on the same axes (a combo chart).

    The series keeps its reference into the chart's data sheet, so editing the
    data in PowerPoint updates the line too.
    """
    bar_chart = chart._chartSpace.find(".//" + qn("c:barChart"))
    ser = bar_chart.findall(qn("c:ser"))[series_index]
    bar_chart.remove(ser)
    for child in ser.findall(qn("c:invertIfNegative")):
        ser.remove(child)
    line_chart = etree.Element(qn("c:lineChart"))
    etree.SubElement(line_chart, qn("c:grouping")).set("val", "standard")
    etree.SubElement(line_chart, qn("c:varyColors")).set("val", "0")
    line_chart.append(ser)
    etree.SubElement(line_chart, qn("c:marker")).set("val", "1")
    for ax in bar_chart.findall(qn("c:axId")):
        line_chart.append(copy.deepcopy(ax))
    bar_chart.addnext(line_chart)


# --- slides --------------------------------------------------------------------------


def _title_slide(prs, pack: MeetingPack) -> None:
    slide = prs.slides.add_slide(prs.slide_layouts[0])
    background = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, 0, 0, SLIDE_WIDTH, SLIDE_HEIGHT)
    background.fill.solid()
    background.fill.fore_color.rgb = _rgb("title")
    background.line.fill.background()
    _plain(background)
    _send_to_back(slide, background)
    accent = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, Inches(0.9), Inches(4.15), Inches(2.0), Inches(0.08))
    accent.fill.solid()
    accent.fill.fore_color.rgb = _rgb("target")
    accent.line.fill.background()
    _plain(accent)

    unit = unit_title(pack)
    if unit:
        _textbox(slide, Inches(0.9), Inches(1.2), Inches(11.5), Inches(0.7), unit.upper(), 24,
                 bold=True, colour="header_text")
    title = slide.shapes.title
    title.left, title.top, title.width, title.height = Inches(0.9), Inches(2.0), Inches(11.5), Inches(2.0)
    # Two balanced lines rather than one word wrapped alone.
    _write(title.text_frame, TITLES["deck"].replace(" THỦ TỤC", "\vTHỦ TỤC"), 44, bold=True,
           colour="header_text", anchor=MSO_ANCHOR.BOTTOM)
    subtitle = slide.placeholders[1]
    subtitle.left, subtitle.top, subtitle.width, subtitle.height = (
        Inches(0.9), Inches(4.45), Inches(11.5), Inches(2.2))
    lines = [_period_line(pack), t("data_date", date=fmt.date(pack.as_of))]
    extra = filters_text(pack.filters)
    if extra:
        lines.append(extra)
    lines.append(attribution_text(pack.filters, LANG))
    _write(subtitle.text_frame, lines, 28, colour="header_text")
    for paragraph in subtitle.text_frame.paragraphs[1:]:
        paragraph.space_before = Pt(6)
        for run in paragraph.runs:
            run.font.size = Pt(20)


def _empty_slide(prs, pack: MeetingPack) -> None:
    slide = _content_slide(prs, pack, TITLES["empty"], None)
    scope = filters_text(pack.filters)
    span = fmt.period(pack.filters.date_from, pack.filters.date_to)
    lines = [(t("deck_empty_filtered", LANG, name=pack.current.name, span=span, filters=scope) if scope
              else t("deck_empty", LANG, name=pack.current.name, span=span)) + ".",
             t("data_date", date=fmt.date(pack.as_of)) + "."]
    _textbox(slide, MARGIN, Inches(2.6), CONTENT_WIDTH, Inches(2.0), lines, 24,
             colour="text", align=PP_ALIGN.CENTER, anchor=MSO_ANCHOR.MIDDLE)


def change_colour(change_text: str, direction: int) -> str:
    """Green for a change in the good direction, red for the bad one, plain otherwise.

    Read from the change as shown ("+1,2 điểm", "-12", "0,0 điểm"), so a change
    that rounds to nothing is never coloured.
    """
    sign = {"+": 1, "-": -1}.get(change_text[:1], 0)
    if sign == 0 or direction == 0:
        return "text"
    return "good" if sign == direction else "bad"


def _kpi_slide(prs, pack: MeetingPack) -> None:
    finding = findings.kpi_finding(pack.totals, pack.previous.totals, pack.current.name, pack.previous.name)
    slide = _content_slide(prs, pack, TITLES["kpi"], finding)
    cells = kpi_cells(pack)
    widths = [Inches(3.8)] + [Inches(1.7)] * 5
    table = _table(slide, cells, widths, BODY_TOP, Inches(0.4), font_size=16, header_size=16)
    for r, key in enumerate(KPI_KEYS, start=1):
        direction = indicator(key).direction
        for col in (3, 5):
            cell = table.cell(r, col)
            colour = change_colour(cell.text_frame.text, direction)
            for run in cell.text_frame.paragraphs[0].runs:
                run.font.color.rgb = _rgb(colour)
                run.font.bold = colour != "text"


def _trend_slide(prs, pack: MeetingPack) -> None:
    finding = findings.trend_finding(pack.totals, pack.previous.totals, pack.by_agency,
                                     pack.current.name, pack.previous.name)
    slide = _content_slide(prs, pack, TITLES["trend"], finding)
    values = [p.totals["on_time_rate"] for p in pack.trend]
    data = _chart_data([p.label for p in pack.trend], [(SERIES["on_time_rate"], values)], "0.0%")
    chart = _add_chart(slide, XL_CHART_TYPE.LINE_MARKERS, data)
    series = chart.plots[0].series[0]
    series.smooth = False
    series.format.line.color.rgb = _rgb("on_time")
    series.format.line.width = Pt(3.5)
    series.marker.style = XL_MARKER_STYLE.CIRCLE
    series.marker.size = 11
    series.marker.format.fill.solid()
    series.marker.format.fill.fore_color.rgb = _rgb("on_time")
    series.marker.format.line.color.rgb = _rgb("on_time")
    _label_series(chart.plots[0], "0.0%", position=XL_LABEL_POSITION.ABOVE)
    chart.has_legend = False
    axis = chart.value_axis
    axis.minimum_scale = _rate_axis_floor(values)
    axis.maximum_scale = 1.0
    axis.tick_labels.number_format = "0%"
    axis.tick_labels.number_format_is_linked = False
    _light_grid(axis)
    chart.category_axis.format.line.color.rgb = _rgb("grid")


def agency_chart_rows(by_agency: Sequence[Row], limit: int = TOP_AGENCIES) -> list[Row]:
    """Agencies with resolved dossiers, highest late rate first (then most late, then
    the engine's order), at most ``limit``."""
    rows = [r for r in by_agency if r.get("late_rate") is not None]
    order = {id(r): i for i, r in enumerate(rows)}
    rows.sort(key=lambda r: (-r["late_rate"], -(r["late"] or 0), order[id(r)]))
    return rows[:limit]


def _agency_slide(prs, pack: MeetingPack) -> None:
    slide = _content_slide(prs, pack, TITLES["agency"], findings.agency_finding(pack.by_agency))
    rows = agency_chart_rows(pack.by_agency)
    if not rows:
        _note(slide, findings.sentence(t("fd_no_resolved", LANG)))
        return
    _horizontal_bars(slide, [r["agency"] for r in rows], [(SERIES["late_rate"], [r["late_rate"] for r in rows])],
                     "0.0%", ["late"])


def stage_chart_rows(by_stage: Sequence[Row], limit: int = TOP_STAGES) -> list[Row]:
    """Stages with steps in the period, in the engine's order (most caused late steps first)."""
    return [r for r in by_stage if (r.get("steps") or 0) > 0][:limit]


def _stage_slide(prs, pack: MeetingPack) -> None:
    slide = _content_slide(prs, pack, TITLES["stage"], findings.stage_finding(pack.by_stage))
    rows = stage_chart_rows(pack.by_stage)
    if not rows:
        _note(slide, t("fd_no_steps", LANG))
        return
    _horizontal_bars(slide, [r["stage"] for r in rows],
                     [(SERIES["caused_late"], [r["late"] for r in rows]),
                      (SERIES["inherited_late"], [r.get("inherited_late") or 0 for r in rows])],
                     "#,##0", ["late", "inherited"])


def handler_chart_rows(by_handler: Sequence[Row], limit: int = TOP_HANDLERS) -> list[Row]:
    """Handlers who caused late steps, most first (the engine's order), at most ``limit``:
    a handler who only passed on an earlier step's delay is not ranked."""
    return [r for r in by_handler if (r.get("late") or 0) > 0][:limit]


def handler_category(row: Row) -> str:
    """The handler's name over the agency: the line break keeps long agency names readable."""
    return f"{row['handler']}\n{row['agency']}" if row.get("agency") else str(row["handler"])


def _handler_slide(prs, pack: MeetingPack) -> None:
    slide = _content_slide(prs, pack, TITLES["handler"], findings.handler_finding(pack.by_handler))
    rows = handler_chart_rows(pack.by_handler)
    if not rows:
        _note(slide, t("no_late_steps") + ".")
        return
    _horizontal_bars(
        slide, [handler_category(r) for r in rows],
        [(SERIES["caused_late"], [r["late"] for r in rows]),
         (SERIES["late_dossiers"], [r["late_dossiers"] for r in rows]),
         (SERIES["inherited_late"], [r.get("inherited_late") or 0 for r in rows])],
        "#,##0", ["late", "late_dark", "inherited"], label_size=14,
    )


def _online_slide(prs, pack: MeetingPack) -> None:
    target = findings.TARGET_ONLINE_SHARE
    target_text = fmt.percent(target, decimals=0)
    finding = findings.online_finding(pack.totals, pack.previous.totals, pack.current.name, pack.previous.name)
    slide = _content_slide(prs, pack, TITLES["online"].format(target=target_text), finding)
    shares = [p.totals["online_share"] for p in pack.trend]
    data = _chart_data([p.label for p in pack.trend],
                       [(SERIES["online_share"], shares),
                        (SERIES["target"].format(target=target_text), [target] * len(pack.trend))],
                       "0.0%")
    chart = _add_chart(slide, XL_CHART_TYPE.COLUMN_CLUSTERED, data)
    _move_series_to_line(chart, 1)
    bars, line = chart.plots[0], chart.plots[1]
    bars.vary_by_categories = False
    bars.gap_width = 60
    _fill_series(bars.series[0], "online")
    _label_series(bars, "0.0%", position=XL_LABEL_POSITION.OUTSIDE_END)
    target_series = line.series[0]
    target_series.smooth = False
    target_series.format.line.color.rgb = _rgb("target")
    target_series.format.line.width = Pt(3)
    target_series.format.line.dash_style = MSO_LINE_DASH_STYLE.DASH
    target_series.marker.style = XL_MARKER_STYLE.NONE
    axis = chart.value_axis
    axis.minimum_scale = 0.0
    axis.maximum_scale = 1.0
    axis.major_unit = 0.25
    axis.tick_labels.number_format = "0%"
    axis.tick_labels.number_format_is_linked = False
    _light_grid(axis)
    chart.category_axis.format.line.color.rgb = _rgb("grid")
    chart.has_legend = True
    chart.legend.position = XL_LEGEND_POSITION.TOP
    chart.legend.include_in_layout = False
    chart.legend.font.size = Pt(16)


# --- tables ----------------------------------------------------------------------------


def _cell_text(cell, text: str, size: float, *, bold: bool = False, colour: str = "text",
               align=PP_ALIGN.LEFT, fill: str | None = None) -> None:
    tc_pr = cell._tc.get_or_add_tcPr()
    for side, inches in (("marL", 0.06), ("marR", 0.06), ("marT", 0.03), ("marB", 0.03)):
        tc_pr.set(side, str(Inches(inches)))
    tc_pr.set("anchor", "ctr")
    _write(cell.text_frame, text, size, bold=bold, colour=colour, align=align, anchor=None)
    # An explicit fill on every cell: the default table style would tint them.
    solid = etree.SubElement(tc_pr, qn("a:solidFill"))
    etree.SubElement(solid, qn("a:srgbClr")).set("val", COLOURS[fill] if fill else "FFFFFF")


def _table(slide, cells: list[list[str]], widths: Sequence[int], top, row_heights, *,
           font_size: float, header_size: float, header_rows: int = 1,
           bold_rows: Iterable[int] = (), numeric_from: int = 1):
    """A plain, readable table: dark header, light stripes, numbers right-aligned.

    ``row_heights`` is one height for every row or a list, one per row.
    """
    n_rows, n_cols = len(cells), len(widths)
    if isinstance(row_heights, int):
        row_heights = [row_heights] * n_rows
    frame = slide.shapes.add_table(n_rows, n_cols, MARGIN, top, sum(widths), sum(row_heights))
    table = frame.table
    table.first_row = True
    table.horz_banding = False
    for i, w in enumerate(widths):
        table.columns[i].width = w
    for r, height in enumerate(row_heights):
        table.rows[r].height = Emu(int(height))
    bold_rows = set(bold_rows)
    for r, row in enumerate(cells):
        for c, text in enumerate(row):
            if r < header_rows:
                _cell_text(table.cell(r, c), text, header_size, bold=True, colour="header_text",
                           align=PP_ALIGN.CENTER, fill="header")
                continue
            subtotal = r in bold_rows
            fill = "subtotal" if subtotal else ("stripe" if (r - header_rows) % 2 else None)
            align = PP_ALIGN.RIGHT if c >= numeric_from else (PP_ALIGN.CENTER if c == 0 and numeric_from > 1
                                                               else PP_ALIGN.LEFT)
            _cell_text(table.cell(r, c), text, font_size, bold=subtotal, align=align, fill=fill)
    return table


def text_lines(text: str, width, size: float) -> int:
    """Lines ``text`` takes in a cell ``width`` wide at ``size`` pt (an estimate:
    Arial averages about half an em per character)."""
    usable_pt = Emu(width).pt - 2 * CELL_MARGIN_PT
    per_line = max(1, int(usable_pt / (size * CHAR_WIDTH_EM)))
    return max(1, math.ceil(len(text) / per_line))


def row_height(cells: Sequence[str], widths: Sequence[int], size: float) -> int:
    """The height a table row needs for its longest cell (EMU)."""
    lines = max(text_lines(text, w, size) for text, w in zip(cells, widths, strict=True))
    return Emu(int(Pt(lines * size * LINE_SPACING) + Inches(0.08)))


def paginate(heights: Sequence[int], first_budget: int, budget: int) -> list[tuple[int, int]]:
    """``(start, end)`` row ranges whose heights fit the page budgets (the first
    page may have less room); at least one row a page, one empty page for no rows."""
    if not heights:
        return [(0, 0)]
    pages, start, used, room = [], 0, 0, first_budget
    for i, h in enumerate(heights):
        if i > start and used + h > room:
            pages.append((start, i))
            start, used, room = i, 0, budget
        used += h
    pages.append((start, len(heights)))
    return pages


def _numbered(title: str, index: int, count: int) -> str:
    return f"{title} ({index}/{count})" if count > 1 else title


def unused_cells(rows: Sequence[Row], start: int = 1) -> list[list[str]]:
    """Rows of the procedures table as text: STT, code, name, field, last dossier."""
    return [[fmt.number(start + i), r["procedure_code"], r["procedure_name"], r.get("field") or "",
             fmt.date(r["last_received"]) if r.get("last_received") else t("deck_never", LANG)]
            for i, r in enumerate(rows)]


def _unused_slides(prs, pack: MeetingPack) -> None:
    """The procedures table, split across slides; the finding on the first one."""
    rows = pack.procedures_without_dossiers
    title = TITLES["unused"].format(years=findings.UNUSED_YEARS)
    finding = findings.unused_finding(rows, pack.filters.date_to)
    header = [t(key, LANG) for key in ("stt", "procedure_code", "deck_procedure_name", "field", "deck_last_dossier")]
    widths = [Inches(0.6), Inches(2.55), Inches(5.55), Inches(2.3), Inches(1.33)]
    size = TABLE_PT
    cells = unused_cells(rows)
    heights = [row_height(c, widths, size) for c in cells]
    header_height = row_height(header, widths, size)
    first_top, next_top = BODY_TOP, Inches(1.35)
    pages = paginate(heights, BODY_BOTTOM - first_top - header_height, BODY_BOTTOM - next_top - header_height)
    for i, (start, end) in enumerate(pages):
        slide = _content_slide(prs, pack, _numbered(title, i + 1, len(pages)), finding if i == 0 else None)
        if start == end:
            continue
        table = _table(slide, [header] + cells[start:end], widths, first_top if i == 0 else next_top,
                       [header_height] + heights[start:end], font_size=size, header_size=size,
                       numeric_from=len(header))
        for row in list(table.rows)[1:]:
            row.cells[0].text_frame.paragraphs[0].alignment = PP_ALIGN.CENTER
            row.cells[4].text_frame.paragraphs[0].alignment = PP_ALIGN.CENTER


def report06_cells(rows: Sequence[Row]) -> list[list[str]]:
    """Biểu 06 rows (``report06.label_rows``) as text, in the 13 columns of the form."""
    return [[r["stt"], r["label"], *(fmt.number(r[k]) for k in NUMBER_COLUMNS)] for r in rows]


def _report06_header(table) -> None:
    """Three header rows: groups (merged), column names, column numbers (1)–(13)."""
    top = [HEADERS_VI["stt"], t("field", LANG), *[""] * 11]
    for title, first, _last in GROUPS_VI:
        top[first] = title
    names = ["", "", *(HEADERS_VI[k] for k in NUMBER_COLUMNS)]
    numbers = [f"({i})" for i in range(1, 14)]
    for r, row in enumerate((top, names, numbers)):
        for c, text in enumerate(row):
            _cell_text(table.cell(r, c), text, (12, 11, 11)[r], bold=r < 2, colour="header_text",
                       align=PP_ALIGN.CENTER, fill="header")
    table.cell(0, 0).merge(table.cell(1, 0))
    table.cell(0, 1).merge(table.cell(1, 1))
    for _, first, last in GROUPS_VI:
        table.cell(0, first).merge(table.cell(0, last))


def _report06_slides(prs, pack: MeetingPack) -> None:
    """The Biểu 06 table, split across slides, its three header rows on each."""
    widths = [Inches(0.5), Inches(3.55)] + [Inches(0.75)] * 11
    size = REPORT06_PT
    cells = report06_cells(pack.report06)
    heights = [row_height(c, widths, size) for c in cells]
    header_heights = [Inches(0.5), Inches(0.95), Inches(0.28)]
    top = Inches(1.75)
    room = BODY_BOTTOM - top - sum(header_heights)
    pages = paginate(heights, room, room)
    for i, (start, end) in enumerate(pages):
        slide = _content_slide(prs, pack, _numbered(TITLES["report06"], i + 1, len(pages)), None)
        _textbox(slide, MARGIN, Inches(1.25), CONTENT_WIDTH, Inches(0.4),
                 t("deck_report06_period", LANG, period=_period_line(pack)), 16, colour="muted")
        part = pack.report06[start:end]
        bold = {r for r, row in enumerate(part, start=3) if row["row_kind"] != "field"}
        table = _table(slide, [[""] * 13] * 3 + cells[start:end], widths, top,
                       header_heights + heights[start:end], font_size=size, header_size=12,
                       header_rows=3, bold_rows=bold, numeric_from=2)
        _report06_header(table)


# --- Chỉ số 766 (issue 15) ------------------------------------------------------------------


def index766_slide(prs, pack: MeetingPack) -> None:
    """The office's 766 index: the six groups, then the three biggest sources
    of lost points and the points the data cannot tell."""
    if not pack.index_766:
        return
    summary = index766.pack_summary(pack.index_766["total"], LANG)
    slide = _content_slide(prs, pack, t("i766_title", LANG), summary["title"])
    header = [t("i766_col_group", LANG), t("i766_col_points", LANG), t("i766_col_status", LANG)]
    _table(slide, [header, *summary["groups"]], [Inches(4.6), Inches(3.2), Inches(3.2)], BODY_TOP,
           Inches(0.38), font_size=15, header_size=15)
    lines = [t("i766_pack_losses", LANG) + ":", *[f"• {line}" for line in summary["losses"]], summary["unscored"]]
    _textbox(slide, MARGIN, BODY_TOP + Inches(3.0), CONTENT_WIDTH, Inches(1.6), lines, 16)


# --- the deck ----------------------------------------------------------------------------


def _appendix_slide(prs, pack: MeetingPack) -> None:
    """The divider between the story and the long tables: "Phụ lục" and what follows."""
    slide = _content_slide(prs, pack, TITLES["appendix"], None)
    contents = [TITLES["unused"].format(years=findings.UNUSED_YEARS), TITLES["report06"]]
    _textbox(slide, MARGIN, Inches(1.6), CONTENT_WIDTH, Inches(3.0),
             [t("deck_appendix_contents", LANG)] + [f"{i}. {line}" for i, line in enumerate(contents, start=1)],
             24, colour="text")


# The deck's order: the story (a finding and its chart on each slide), then
# the "Phụ lục" divider and the long tables. Each entry draws one slide or
# several; a new one is added here, nowhere else.
STORY_SLIDES = (_kpi_slide, _trend_slide, _agency_slide, _stage_slide, _handler_slide, _online_slide, index766_slide)
APPENDIX_SLIDES = (_unused_slides, _report06_slides)


def write_deck(pack: MeetingPack) -> bytes:
    """The .pptx bytes of a collected pack."""
    prs = Presentation()
    prs.slide_width, prs.slide_height = SLIDE_WIDTH, SLIDE_HEIGHT
    props = prs.core_properties
    props.title = f"{TITLES['deck'].capitalize()} {pack.current.name}"
    props.author = plain_text(unit_title(pack)) or t("deck_author", LANG)
    props.language = "vi-VN"
    _title_slide(prs, pack)
    if pack.empty:
        _empty_slide(prs, pack)
    else:
        for story in STORY_SLIDES:
            story(prs, pack)
        _appendix_slide(prs, pack)
        for appendix in APPENDIX_SLIDES:
            appendix(prs, pack)
    buffer = io.BytesIO()
    prs.save(buffer)
    return buffer.getvalue()


def build_deck(engine: Engine, filters: Filters, unit_name: str | None = None) -> bytes:
    """The meeting deck (.pptx bytes) for the period and filters."""
    return write_deck(collect_pack(engine, filters, unit_name))

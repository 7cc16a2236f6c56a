"""The written report: an editable Word draft for the review meeting.

``python -m analytics report --db --from --to [filters] --out FILE.docx [--pdf] [--unit NAME]``
and :func:`build_report_docx` (the dashboard's download button) produce the
draft offices edit before signing, laid out as administrative documents are
(Nghị định 30/2020/NĐ-CP: A4, Times New Roman 13–14, margins top/bottom
20–25 mm, left 30–35 mm, right 15–20 mm, parts numbered I., II., III. and
items 1., 2.):

* I. Kết quả đạt được: received, online, resolved, on time, pending, with
  their change against the previous period and the same period last year;
* II. Tồn tại, hạn chế: where and at which stage dossiers were late, the
  handlers late repeatedly, procedures without dossiers for three years, the
  online share under the target;
* III. Đề xuất, kiến nghị: which agencies to remind, which procedures to
  propose cutting, the gap to the 50% online target;
* Phụ lục 1: Biểu 06 (the rows of ``report06``); Phụ lục 2: the procedures
  without dossiers (when there are any).

The key charts are pictures in the text (:mod:`analytics.reports.static_charts`,
Altair rendered to PNG by vl-convert): the on-time trend and the online share
in part I, the late rate by agency and the late steps by stage (caused beside
"trễ do bước trước") in part II. Stages and handlers show the lateness they
only inherited apart from the lateness they caused. The parts and appendices
are the lists :data:`PARTS` and :data:`APPENDICES`.

Every sentence is built from :func:`analytics.reports.meeting_pack.collect_pack`'s
numbers through :mod:`analytics.reports.findings`. A PDF of the same document is
made by LibreOffice in headless mode when it is installed
(:func:`convert_to_pdf`); nothing else needs it.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import AbstractSet, Any, Sequence

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt, RGBColor

from analytics.indicators import index766
from analytics.indicators.engine import Engine
from analytics.indicators.filters import Filters
from analytics.indicators.registry import is_rate
from analytics.locale import fmt
from analytics.locale.labels import attribution_text, t
from analytics.locale.safe_text import plain_text
from analytics.reports import findings
from analytics.reports.meeting_pack import (
    MeetingPack,
    collect_pack,
    filters_text,
    kpi_cells,
    unit_title,
)
from analytics.reports.report06 import (
    FORM_CODE,
    FORM_TITLE,
    GROUPS_VI,
    HEADERS_VI,
    NUMBER_COLUMNS,
)
from analytics.reports.static_charts import Picture, report_pictures

FONT = "Times New Roman"
BODY_PT = 14
TABLE_PT = 12
APPENDIX_TABLE_PT = 11
MARGINS_MM = {"top": 20, "bottom": 20, "left": 30, "right": 15}
# Lists in the text name this many agencies, handlers or procedures; the
# appendix and the dashboard have them all.
LIST_LIMIT = 10
NAME_LIMIT = 5
PICTURE_WIDTH_CM = 16.0  # the text width of A4 portrait within the margins (21 - 3 - 1,5 cm)

HEADINGS = {
    "results": "I. KẾT QUẢ ĐẠT ĐƯỢC",
    "issues": "II. TỒN TẠI, HẠN CHẾ",
    "proposals": "III. ĐỀ XUẤT, KIẾN NGHỊ",
    "appendix06": "Phụ lục 1",
    "appendix_unused": "Phụ lục 2",
}
PDF_TIMEOUT_S = 180

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

Row = dict[str, Any]


class PdfUnavailable(RuntimeError):
    """LibreOffice is not installed, or it failed to convert the document."""


# --- document set-up -------------------------------------------------------------


def _set_run_font(run, size: float | None = None, *, bold: bool = False, italic: bool = False) -> None:
    """Size and emphasis of a run; the font itself comes from the Normal style."""
    if size is not None and size != BODY_PT:
        run.font.size = Pt(size)
    if bold:
        run.font.bold = True
    if italic:
        run.font.italic = True


def _style_font(style, size: float, *, bold: bool = False) -> None:
    """Times New Roman for every script, black, no theme font overriding it."""
    style.font.name = FONT
    style.font.size = Pt(size)
    style.font.bold = bold
    style.font.italic = False
    style.font.color.rgb = RGBColor(0, 0, 0)
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), FONT)


def _new_document() -> DocxDocument:
    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin = Mm(MARGINS_MM["top"])
    section.bottom_margin = Mm(MARGINS_MM["bottom"])
    section.left_margin = Mm(MARGINS_MM["left"])
    section.right_margin = Mm(MARGINS_MM["right"])
    normal = doc.styles["Normal"]
    _style_font(normal, BODY_PT)
    normal.paragraph_format.space_before = Pt(0)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.line_spacing = 1.0
    for name in ("Heading 1", "Heading 2"):
        style = doc.styles[name]
        _style_font(style, BODY_PT, bold=True)
        fmt_ = style.paragraph_format
        fmt_.space_before = Pt(6)
        fmt_.space_after = Pt(6)
        fmt_.first_line_indent = Cm(1.27)
        fmt_.keep_with_next = True
        fmt_.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    lang = doc.styles.element.find(qn("w:docDefaults"))
    if lang is not None:
        rpr = lang.find(qn("w:rPrDefault") + "/" + qn("w:rPr"))
        if rpr is not None:
            lang_el = rpr.find(qn("w:lang"))
            if lang_el is None:
                lang_el = OxmlElement("w:lang")
                rpr.append(lang_el)
            lang_el.set(qn("w:val"), "vi-VN")
    doc.core_properties.language = "vi-VN"
    return doc


def _paragraph(doc_or_cell, text: str = "", *, size: float = BODY_PT, bold: bool = False,
               italic: bool = False, align=WD_ALIGN_PARAGRAPH.JUSTIFY, indent: bool = True,
               space_after: float = 6):
    """A body paragraph: justified, first-line indent 1,27 cm, 6 pt after."""
    paragraph = doc_or_cell.add_paragraph()
    paragraph.alignment = align
    pf = paragraph.paragraph_format
    pf.first_line_indent = Cm(1.27) if indent else None
    pf.space_after = Pt(space_after)
    pf.line_spacing = 1.15
    if text:
        _set_run_font(paragraph.add_run(plain_text(text)), size, bold=bold, italic=italic)
    return paragraph


def _heading(doc, text: str, level: int):
    heading = doc.add_heading(level=level)
    _set_run_font(heading.add_run(plain_text(text)), BODY_PT, bold=True)
    return heading


def _bullet(doc, text: str):
    """A dash item, as administrative documents list things ("- ...")."""
    return _paragraph(doc, f"- {text}")


def _insert_in_order(parent, child, successors: Sequence[str]) -> None:
    """Insert ``child`` before the first of ``successors`` present: Word rejects
    properties out of the schema's order."""
    for tag in successors:
        found = parent.find(qn(tag))
        if found is not None:
            found.addprevious(child)
            return
    parent.append(child)


def _no_borders(table) -> None:
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    _insert_in_order(table._tbl.tblPr, borders,
                     ("w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook", "w:tblCaption", "w:tblDescription"))


def _cell(cell, lines: Sequence[str] | str, size: float, *, bold: bool = False, italic: bool = False,
          align=WD_ALIGN_PARAGRAPH.CENTER) -> None:
    lines = [lines] if isinstance(lines, str) else list(lines)
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    first = cell.paragraphs[0]
    for i, line in enumerate(lines):
        paragraph = first if i == 0 else cell.add_paragraph()
        paragraph.alignment = align
        paragraph.paragraph_format.first_line_indent = None
        paragraph.paragraph_format.space_after = Pt(0)
        if line:
            _set_run_font(paragraph.add_run(plain_text(line)), size, bold=bold, italic=italic)


def _shade(cell, hex_colour: str) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), hex_colour)
    _insert_in_order(cell._tc.get_or_add_tcPr(), shading,
                     ("w:noWrap", "w:tcMar", "w:textDirection", "w:tcFitText", "w:vAlign", "w:hideMark"))


def _column_widths(table, widths_cm: Sequence[float]) -> None:
    """Grid widths as well as cell widths: LibreOffice lays tables out from the grid."""
    for column, width in zip(table.columns, widths_cm, strict=True):
        column.width = Cm(width)


def _repeat_header(row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    tr_pr.append(header)


def _grid_table(doc, cells: list[list[str]], widths_cm: Sequence[float], *, size: float, header_rows: int = 1,
                bold_rows: AbstractSet[int] = frozenset(), left_cols: AbstractSet[int] = frozenset({0})):
    """A bordered table: header rows bold and shaded, numbers right-aligned."""
    table = doc.add_table(rows=len(cells), cols=len(widths_cm))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    _column_widths(table, widths_cm)
    # One row's cells at a time: Table.cell() rebuilds the whole grid on every call.
    for r, (row, row_cells) in enumerate(zip(cells, (row.cells for row in table.rows), strict=True)):
        for c, (text, cell) in enumerate(zip(row, row_cells, strict=True)):
            cell.width = Cm(widths_cm[c])
            if r < header_rows:
                _cell(cell, text, size, bold=True)
                _shade(cell, "E7E6E6")
            else:
                align = WD_ALIGN_PARAGRAPH.LEFT if c in left_cols else WD_ALIGN_PARAGRAPH.RIGHT
                _cell(cell, text, size, bold=r in bold_rows, align=align)
    for r in range(header_rows):
        _repeat_header(table.rows[r])
    return table


# --- the parts of the report ----------------------------------------------------------


def _letterhead(doc, pack: MeetingPack) -> None:
    unit = unit_title(pack)
    table = doc.add_table(rows=1, cols=2)
    _no_borders(table)
    table.autofit = False
    _column_widths(table, (6.0, 10.5))
    left, right = table.cell(0, 0), table.cell(0, 1)
    left.width, right.width = Cm(6.0), Cm(10.5)
    _cell(left, [unit.upper() if unit else "TÊN CƠ QUAN, ĐƠN VỊ", "Số: ....../BC-......"], 13)
    left.paragraphs[0].runs[0].font.bold = True
    # Nghị định 30/2020: the national title in 12–13 pt capitals, the motto in 13–14 pt.
    _cell(right, ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"], 12, bold=True)
    right.paragraphs[1].runs[0].font.size = Pt(13)
    date_line = right.add_paragraph()
    date_line.alignment = WD_ALIGN_PARAGRAPH.CENTER
    date_line.paragraph_format.space_before = Pt(6)
    _set_run_font(date_line.add_run("......, ngày ...... tháng ...... năm ......"), 14, italic=True)

    f = pack.filters
    _paragraph(doc, "", indent=False)
    _paragraph(doc, "BÁO CÁO", bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False, space_after=0)
    _paragraph(doc, f"Kết quả giải quyết thủ tục hành chính {pack.current.name}", bold=True,
               align=WD_ALIGN_PARAGRAPH.CENTER, indent=False, space_after=0)
    _paragraph(doc, f"(Kỳ báo cáo từ ngày {fmt.date(f.date_from)} đến ngày {fmt.date(f.date_to)}; "
                    f"{t_data_date(pack)})",
               italic=True, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False, space_after=0)
    scope = filters_text(f)
    if scope:
        _paragraph(doc, f"Phạm vi: {scope}", italic=True, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False,
                   space_after=0)
    _paragraph(doc, f"({attribution_text(f)})", italic=True, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False,
               space_after=0)
    _paragraph(doc, "", indent=False)


def t_data_date(pack: MeetingPack) -> str:
    return f"số liệu đến ngày {fmt.date(pack.as_of)}"


def _vs(pack: MeetingPack, key: str) -> str | None:
    """"tăng 1.345 hồ sơ (12,2%) so với quý II/2026 và tăng ... so với cùng kỳ năm trước".

    A count is compared only with a period that has dossiers; a rate only
    when both rates exist.
    """
    now = pack.totals[key]
    parts = []
    for other, name in ((pack.previous, pack.previous.name), (pack.last_year, "cùng kỳ năm trước")):
        before = other.totals[key]
        if not is_rate(key):
            change = findings.count_change(now, before) if other.totals.get("received_total") else None
        else:
            change = findings.rate_change(now, before)
        if change and (phrase := findings.compared(change, name)):
            parts.append(phrase)
    return " và ".join(parts) if parts else None


def _with_change(text: str, change: str | None) -> str:
    return f"{text}, {change}" if change else text


def results_sentences(pack: MeetingPack) -> dict[str, list[str]]:
    """Part I as sentences, by item title."""
    tot = pack.totals
    n = fmt.number
    received = [
        _with_change(f"Tổng số hồ sơ nhận giải quyết trong kỳ: {n(tot['received_total'])} hồ sơ",
                     _vs(pack, "received_total"))
        + f". Trong đó: từ kỳ trước chuyển sang {n(tot['carried_over'])} hồ sơ; "
        f"mới tiếp nhận {n(tot['received_new'])} hồ sơ.",
    ]
    online = f"Số hồ sơ mới tiếp nhận trực tuyến: {n(tot['online'])} hồ sơ"
    if tot["online_share"] is not None:
        online = _with_change(f"{online}, chiếm {fmt.percent(tot['online_share'])} số hồ sơ mới tiếp nhận",
                              _vs(pack, "online_share"))
    received.append(f"{online}; trực tiếp và qua dịch vụ bưu chính công ích: {n(tot['direct_postal'])} hồ sơ.")
    resolved = [
        _with_change(f"Đã giải quyết {n(tot['resolved'])} hồ sơ", _vs(pack, "resolved"))
        + f". Trong đó: trước hạn {n(tot['early'])} hồ sơ, đúng hạn {n(tot['on_time'])} hồ sơ, "
        f"quá hạn {n(tot['late'])} hồ sơ.",
    ]
    if tot["on_time_rate"] is not None:
        resolved.append(_with_change(
            f"Tỷ lệ giải quyết đúng hạn (gồm trước hạn và đúng hạn) đạt {fmt.percent(tot['on_time_rate'])}",
            _vs(pack, "on_time_rate")) + ".")
    else:
        resolved.append("Trong kỳ không có hồ sơ được giải quyết.")
    pending = [f"Đang giải quyết {n(tot['pending'])} hồ sơ, trong đó: trong hạn {n(tot['pending_within'])} "
               f"hồ sơ, quá hạn {n(tot['pending_overdue'])} hồ sơ."]
    if tot["progress_766"] is not None:
        pending.append(_with_change(
            f"Chỉ số tiến độ giải quyết hồ sơ (Quyết định số 766/QĐ-TTg) đạt {fmt.percent(tot['progress_766'])}",
            _vs(pack, "progress_766")) + ".")
    return {
        "1. Tiếp nhận hồ sơ": received,
        "2. Kết quả giải quyết hồ sơ": resolved,
        "3. Hồ sơ đang giải quyết": pending,
    }


def late_agencies(by_agency: Sequence[Row]) -> list[Row]:
    """Agencies with dossiers resolved late or pending overdue, in the engine's order."""
    return [r for r in by_agency if (r.get("late") or 0) > 0 or (r.get("pending_overdue") or 0) > 0]


def _agency_late_line(r: Row) -> str:
    parts = []
    if r.get("late"):
        parts.append(f"{fmt.number(r['late'])}/{fmt.number(r['resolved'])} hồ sơ giải quyết quá hạn "
                     f"({fmt.percent(r['late_rate'])})")
    if r.get("pending_overdue"):
        parts.append(f"{fmt.number(r['pending_overdue'])} hồ sơ đang giải quyết quá hạn")
    return f"{r['agency']}: {'; '.join(parts)}."


def _more_line(total: int, shown: int, noun: str) -> str | None:
    return f"Và {fmt.number(total - shown)} {noun} khác." if total > shown else None


def _inherited_clause(row: Row) -> str:
    """"; 3 bước trễ do bước trước" for a stage or handler row that also
    passed on lateness it did not cause (empty when none)."""
    inherited = row.get("inherited_late") or 0
    return f"; {fmt.number(inherited)} bước trễ do bước trước" if inherited else ""


def issues_sentences(pack: MeetingPack) -> dict[str, list[str]]:
    """Part II as sentences (a list item starts with "- "), by item title."""
    tot = pack.totals
    items: dict[str, list[str]] = {}

    late = []
    if not tot["late"] and not tot["pending_overdue"]:
        late.append("Trong kỳ không có hồ sơ giải quyết quá hạn và không có hồ sơ đang giải quyết quá hạn.")
    else:
        share = (f" (chiếm {fmt.percent(tot['late'] / tot['resolved'])} số hồ sơ đã giải quyết)"
                 if tot["resolved"] else "")
        late.append(f"Còn {fmt.number(tot['late'])} hồ sơ giải quyết quá hạn{share} và "
                    f"{fmt.number(tot['pending_overdue'])} hồ sơ đang giải quyết đã quá hạn.")
        agencies = late_agencies(pack.by_agency)
        if agencies:
            late.append(findings.sentence(findings.agency_late_clause(pack.by_agency))
                        + " Các cơ quan, đơn vị có hồ sơ quá hạn:")
            late += [f"- {_agency_late_line(r)}" for r in agencies[:LIST_LIMIT]]
            more = _more_line(len(agencies), LIST_LIMIT, "cơ quan, đơn vị")
            late += [f"- {more}"] if more else []
    items["1. Hồ sơ giải quyết quá hạn"] = late

    # A stage that only passed on an earlier step's delay is listed too, so
    # the reader sees the lateness it did not cause, counted apart.
    stages = [r for r in pack.by_stage if (r.get("late") or 0) > 0 or (r.get("inherited_late") or 0) > 0]
    stage_lines = [findings.stage_finding(pack.by_stage)]
    if stages:
        stage_lines.append("Số bước xử lý trễ hạn theo giai đoạn (bước gây trễ hạn, tức vượt thời hạn "
                           "của chính bước; bước chỉ trễ do bước trước chuyển đến muộn được ghi riêng):")
        stage_lines += [f"- {r['stage']}: {fmt.number(r['late'])}/{fmt.number(r['steps'])} bước gây trễ hạn "
                        f"({fmt.percent(r['late_rate'])}){_inherited_clause(r)}." for r in stages[:LIST_LIMIT]]
        more = _more_line(len(stages), LIST_LIMIT, "giai đoạn")
        stage_lines += [f"- {more}"] if more else []
    items["2. Giai đoạn xử lý trễ hạn"] = stage_lines

    repeated = findings.repeated_late_handlers(pack.by_handler)
    minimum = fmt.number(findings.REPEATED_LATE_MIN)
    if repeated:
        handler_lines = [f"Có {fmt.number(len(repeated))} người thụ lý trễ hạn từ {minimum} lần trở lên "
                         "trong kỳ:"]
        handler_lines += [f"- {findings.handler_label(r)}: {fmt.number(r['late'])} lần gây trễ hạn, "
                          f"{fmt.number(r['late_dossiers'])} hồ sơ{_inherited_clause(r)}."
                          for r in repeated[:LIST_LIMIT]]
        more = _more_line(len(repeated), LIST_LIMIT, "người thụ lý")
        handler_lines += [f"- {more}"] if more else []
    else:
        handler_lines = [f"Không có người thụ lý trễ hạn từ {minimum} lần trở lên trong kỳ."]
    items["3. Người thụ lý trễ hạn nhiều lần"] = handler_lines

    unused = pack.procedures_without_dossiers
    unused_lines = [findings.unused_finding(unused, pack.filters.date_to)]
    if unused:
        unused_lines[0] += f" Danh sách chi tiết tại {HEADINGS['appendix_unused']}."
    items[f"4. Thủ tục hành chính không phát sinh hồ sơ trong {findings.UNUSED_YEARS} năm"] = unused_lines

    share = tot["online_share"]
    if share is not None and share < findings.TARGET_ONLINE_SHARE:
        items["5. Tỷ lệ hồ sơ trực tuyến"] = [findings.sentence(
            f"tỷ lệ hồ sơ trực tuyến {pack.current.name} đạt {fmt.percent(share)}, "
            f"{findings.online_target_clause(share)}")]
    return items


def agencies_to_remind(by_agency: Sequence[Row], limit: int = NAME_LIMIT) -> list[Row]:
    """Agencies whose late rate is above the overall late rate (all agencies with
    late dossiers when none is above it), highest rate first."""
    with_late = [r for r in by_agency if (r.get("late") or 0) > 0 and r.get("late_rate") is not None]
    resolved = sum(r.get("resolved") or 0 for r in by_agency)
    late = sum(r.get("late") or 0 for r in by_agency)
    overall = late / resolved if resolved else None
    above = [r for r in with_late if overall is not None and r["late_rate"] > overall]
    chosen = above or with_late
    order = {id(r): i for i, r in enumerate(chosen)}
    return sorted(chosen, key=lambda r: (-r["late_rate"], order[id(r)]))[:limit]


def lowest_online_agencies(by_agency: Sequence[Row], target: float = findings.TARGET_ONLINE_SHARE,
                           limit: int = 3) -> list[Row]:
    """Agencies under the online target, lowest share first."""
    rows = [r for r in by_agency if r.get("online_share") is not None and r["online_share"] < target]
    order = {id(r): i for i, r in enumerate(rows)}
    return sorted(rows, key=lambda r: (r["online_share"], -(r.get("received_new") or 0), order[id(r)]))[:limit]


def proposals_sentences(pack: MeetingPack) -> list[str]:
    """Part III: one numbered proposal per problem the numbers show."""
    tot = pack.totals
    proposals: list[str] = []

    remind = agencies_to_remind(pack.by_agency)
    if remind:
        names = "; ".join(f"{r['agency']} (tỷ lệ trễ hạn {fmt.percent(r['late_rate'])}, "
                          f"{fmt.number(r['late'])} hồ sơ)" for r in remind)
        proposals.append(f"Đề nghị {names} rà soát nguyên nhân, chấn chỉnh việc giải quyết hồ sơ "
                         "quá hạn trong kỳ.")
    overdue = sorted((r for r in pack.by_agency if (r.get("pending_overdue") or 0) > 0),
                     key=lambda r: -r["pending_overdue"])
    if overdue:
        names = "; ".join(f"{r['agency']} ({fmt.number(r['pending_overdue'])} hồ sơ)" for r in overdue[:NAME_LIMIT])
        more = f" và {fmt.number(len(overdue) - NAME_LIMIT)} đơn vị khác" if len(overdue) > NAME_LIMIT else ""
        proposals.append(f"Đề nghị các cơ quan, đơn vị khẩn trương giải quyết dứt điểm "
                         f"{fmt.number(tot['pending_overdue'])} hồ sơ đang quá hạn, gồm: {names}{more}.")
    if not remind and not overdue and tot["resolved"]:
        proposals.append(f"Các cơ quan, đơn vị tiếp tục duy trì tỷ lệ giải quyết đúng hạn "
                         f"{fmt.percent(tot['on_time_rate'])} đã đạt trong kỳ.")

    repeated = findings.repeated_late_handlers(pack.by_handler)
    if repeated:
        shown = repeated[:NAME_LIMIT]
        agencies = list(dict.fromkeys(r["agency"] for r in shown if r.get("agency")))
        names = "; ".join(f"{findings.handler_label(r)}: {fmt.number(r['late'])} lần" for r in shown)
        more = (f" và {fmt.number(len(repeated) - len(shown))} người khác (mục II.3)"
                if len(repeated) > len(shown) else "")
        proposals.append(f"Đề nghị Thủ trưởng {findings.join_names(agencies, limit=NAME_LIMIT)} nhắc nhở "
                         f"người thụ lý trễ hạn nhiều lần: {names}{more}.")

    unused = pack.procedures_without_dossiers
    if unused:
        start, end = findings.unused_window(pack.filters.date_to)
        shown = unused[:NAME_LIMIT]
        names = "; ".join(f"{r['procedure_name']} (mã {r['procedure_code']})" for r in shown)
        more = (f" và {fmt.number(len(unused) - len(shown))} thủ tục khác ({HEADINGS['appendix_unused']})"
                if len(unused) > len(shown) else "")
        proposals.append(f"Đề xuất cấp có thẩm quyền xem xét bãi bỏ hoặc đơn giản hóa "
                         f"{fmt.number(len(unused))} thủ tục hành chính không phát sinh hồ sơ từ ngày "
                         f"{fmt.date(start)} đến ngày {fmt.date(end)}: {names}{more}.")

    share = tot["online_share"]
    target_text = fmt.percent(findings.TARGET_ONLINE_SHARE, decimals=0)
    low = lowest_online_agencies(pack.by_agency)
    low_text = "; ".join(f"{r['agency']} ({fmt.percent(r['online_share'])})" for r in low)
    if share is not None and share < findings.TARGET_ONLINE_SHARE:
        gap = findings.online_gap_count(tot)
        text = (f"Đẩy mạnh tiếp nhận hồ sơ trực tuyến để đạt chỉ tiêu {target_text}: tỷ lệ trong kỳ đạt "
                f"{fmt.percent(share)}; với {fmt.number(tot['received_new'])} hồ sơ mới tiếp nhận, cần thêm "
                f"ít nhất {fmt.number(gap)} hồ sơ nộp trực tuyến để đạt chỉ tiêu")
        proposals.append(text + (f"; tập trung tại {low_text}." if low_text else "."))
    elif share is not None:
        text = (f"Duy trì tỷ lệ hồ sơ trực tuyến đã đạt {fmt.percent(share)} "
                f"({findings.online_target_clause(share)})")
        proposals.append(text + (f"; hướng dẫn các đơn vị còn dưới chỉ tiêu nâng tỷ lệ trực tuyến: {low_text}."
                                 if low_text else "."))
    return [f"{i}. {p}" for i, p in enumerate(proposals, start=1)]


def _closing(doc) -> None:
    table = doc.add_table(rows=1, cols=2)
    _no_borders(table)
    _column_widths(table, (7.5, 8.5))
    left, right = table.cell(0, 0), table.cell(0, 1)
    left.width, right.width = Cm(7.5), Cm(8.5)
    _cell(left, ["Nơi nhận:", "- ......;", "- Lưu: VT."], 12, align=WD_ALIGN_PARAGRAPH.LEFT)
    left.paragraphs[0].runs[0].font.bold = True
    left.paragraphs[0].runs[0].font.italic = True
    _cell(right, ["THỦ TRƯỞNG ĐƠN VỊ", "(Ký, ghi rõ họ tên, đóng dấu)"], 14, bold=True)
    right.paragraphs[1].runs[0].font.bold = False
    right.paragraphs[1].runs[0].font.italic = True


def _landscape_section(doc):
    section = doc.add_section(WD_SECTION.NEW_PAGE)
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(20), Mm(15)
    return section


def report06_table_cells(rows: Sequence[Row]) -> list[list[str]]:
    """The appendix table as text: three header rows, then one row per report06 row."""
    top = [HEADERS_VI["stt"], HEADERS_VI["field"], *[""] * 11]
    for title, first, _ in GROUPS_VI:
        top[first] = title
    names = ["", "", *(HEADERS_VI[k] for k in NUMBER_COLUMNS)]
    numbers = [f"({i})" for i in range(1, 14)]
    body = [[r["stt"], r["label"], *(fmt.number(r[k]) for k in NUMBER_COLUMNS)] for r in rows]
    return [top, names, numbers, *body]


def _appendix_report06(doc, pack: MeetingPack, _charts: object = None) -> None:
    _landscape_section(doc)
    _paragraph(doc, HEADINGS["appendix06"], bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False,
               space_after=0)
    _paragraph(doc, f"{FORM_CODE.upper()}: {FORM_TITLE}", bold=True, align=WD_ALIGN_PARAGRAPH.CENTER,
               indent=False, space_after=0)
    f = pack.filters
    _paragraph(doc, f"(Kỳ báo cáo: từ ngày {fmt.date(f.date_from)} đến ngày {fmt.date(f.date_to)}; "
                    f"{t_data_date(pack)}. Đơn vị tính: hồ sơ)",
               italic=True, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)
    cells = report06_table_cells(pack.report06)
    bold = {i for i, r in enumerate(pack.report06, start=3) if r["row_kind"] != "field"}
    widths = [1.2, 6.3] + [1.75] * 11
    table = _grid_table(doc, cells, widths, size=APPENDIX_TABLE_PT, header_rows=3, bold_rows=bold,
                        left_cols={1})
    rows = table.rows
    for row in rows[3:]:
        row.cells[0].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    for cell in rows[2].cells:
        cell.paragraphs[0].runs[0].font.bold = False
        cell.paragraphs[0].runs[0].font.italic = True
    table.cell(0, 0).merge(table.cell(1, 0))
    table.cell(0, 1).merge(table.cell(1, 1))
    for _, first, last in GROUPS_VI:
        table.cell(0, first).merge(table.cell(0, last))
    _tidy_merged(table)


def _tidy_merged(table) -> None:
    """python-docx keeps the merged cells' empty paragraphs: drop the empty ones."""
    for row in table.rows[:2]:
        for cell in row.cells:
            paragraphs = cell.paragraphs
            if len(paragraphs) > 1:
                for p in paragraphs:
                    if not p.text and len(cell.paragraphs) > 1:
                        p._element.getparent().remove(p._element)


def unused_table_cells(rows: Sequence[Row]) -> list[list[str]]:
    header = ["STT", "Mã TTHC", "Tên thủ tục hành chính", "Lĩnh vực", "Ngày tiếp nhận hồ sơ gần nhất"]
    body = [[fmt.number(i), r["procedure_code"], r["procedure_name"], r.get("field") or "",
             fmt.date(r["last_received"]) if r.get("last_received") else "Chưa có"]
            for i, r in enumerate(rows, start=1)]
    return [header, *body]


def _appendix_unused(doc, pack: MeetingPack, _charts: object = None) -> None:
    rows = pack.procedures_without_dossiers
    if not rows:
        return
    doc.add_page_break()
    _paragraph(doc, HEADINGS["appendix_unused"], bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False,
               space_after=0)
    start, end = findings.unused_window(pack.filters.date_to)
    _paragraph(doc, f"DANH MỤC THỦ TỤC HÀNH CHÍNH KHÔNG PHÁT SINH HỒ SƠ TỪ NGÀY {fmt.date(start)} "
                    f"ĐẾN NGÀY {fmt.date(end)}", bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)
    table = _grid_table(doc, unused_table_cells(rows), [1.3, 4.3, 12.4, 4.5, 3.7], size=TABLE_PT,
                        left_cols={1, 2, 3})
    for row in table.rows[1:]:
        cells = row.cells
        cells[0].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        cells[4].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER


def _picture(doc, picture: Picture, number: int) -> None:
    """A chart picture across the text width, its caption under it ("Biểu đồ 1. …")."""
    paragraph = doc.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.first_line_indent = None
    paragraph.paragraph_format.space_before = Pt(6)
    paragraph.paragraph_format.keep_with_next = True
    paragraph.add_run().add_picture(io.BytesIO(picture.png), width=Cm(PICTURE_WIDTH_CM))
    _paragraph(doc, f"Biểu đồ {number}. {picture.caption}", size=TABLE_PT, italic=True,
               align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)


def _write_items(doc, items: dict[str, list[str]], charts: "_Charts | None" = None,
                 after: dict[str, str] | None = None) -> None:
    """Items with their paragraphs; ``after`` puts a chart (by key) after an item."""
    for title, lines in items.items():
        _heading(doc, title, 2)
        for line in lines:
            _paragraph(doc, line)
        if charts is not None and after and title in after:
            charts.place(doc, after[title])


class _Charts:
    """The report's chart pictures, numbered in the order they are placed."""

    def __init__(self, pictures: Sequence[Picture]):
        self.by_key = {p.key: p for p in pictures}
        self.placed = 0

    def place(self, doc, key: str) -> None:
        picture = self.by_key.get(key)
        if picture is not None:
            self.placed += 1
            _picture(doc, picture, self.placed)


def _results_part(doc, pack: MeetingPack, charts: _Charts) -> None:
    _heading(doc, HEADINGS["results"], 1)
    results = results_sentences(pack)
    _write_items(doc, results)
    _paragraph(doc, "Một số chỉ tiêu chính so với kỳ trước và cùng kỳ năm trước:")
    _grid_table(doc, kpi_cells(pack), [5.0, 2.2, 2.2, 2.2, 2.2, 2.2], size=TABLE_PT)
    _paragraph(doc, "", indent=False)
    charts.place(doc, "trend")
    charts.place(doc, "online")
    index766_section(doc, pack, len(results) + 1)


def index766_section(doc, pack: MeetingPack, number: int) -> None:
    """Chỉ số 766 (issue 15), item ``number`` of the results: the score, the
    groups, the three biggest sources of lost points and what the data
    cannot tell."""
    if not pack.index_766:
        return
    summary = index766.pack_summary(pack.index_766["total"])
    _heading(doc, f"{number}. {t('i766_title')}", 2)
    _paragraph(doc, summary["title"] + ".")
    header = [t("i766_col_group"), t("i766_col_points"), t("i766_col_status")]
    _grid_table(doc, [header, *summary["groups"]], [6.0, 4.0, 4.0], size=TABLE_PT)
    if summary["losses"]:
        _paragraph(doc, t("i766_pack_losses") + ":")
        for line in summary["losses"]:
            _bullet(doc, line + ".")
    _paragraph(doc, summary["unscored"])


def _issues_part(doc, pack: MeetingPack, charts: _Charts) -> None:
    _heading(doc, HEADINGS["issues"], 1)
    items = issues_sentences(pack)
    titles = list(items)
    _write_items(doc, items, charts, after={titles[0]: "agency", titles[1]: "stage"})


def _proposals_part(doc, pack: MeetingPack, charts: _Charts) -> None:
    _heading(doc, HEADINGS["proposals"], 1)
    for line in proposals_sentences(pack):
        _paragraph(doc, line)
    _paragraph(doc, "", indent=False)
    _closing(doc)


# The report's order: the parts, then the appendices. Each entry writes one
# part; a new one is added here, nowhere else.
PARTS = (_results_part, _issues_part, _proposals_part)
APPENDICES = (_appendix_report06, _appendix_unused)


def write_report_docx(pack: MeetingPack, pictures: Sequence[Picture] | None = None) -> bytes:
    """The .docx bytes of a collected pack.

    ``pictures``: the charts to put in the text; None draws them
    (:func:`analytics.reports.static_charts.report_pictures`), ``[]`` leaves them out.
    """
    doc = _new_document()
    doc.core_properties.title = f"Báo cáo kết quả giải quyết thủ tục hành chính {pack.current.name}"
    doc.core_properties.author = plain_text(unit_title(pack)) or "Phân tích một cửa điện tử"
    _letterhead(doc, pack)
    if pack.empty:
        scope = filters_text(pack.filters)
        _paragraph(doc, f"Không có hồ sơ trong {pack.current.name} "
                        f"(từ ngày {fmt.date(pack.filters.date_from)} đến ngày {fmt.date(pack.filters.date_to)})"
                        + (f" với phạm vi: {scope}" if scope else "") + f"; {t_data_date(pack)}.")
        _closing(doc)
    else:
        charts = _Charts(report_pictures(pack) if pictures is None else pictures)
        for part in (*PARTS, *APPENDICES):
            part(doc, pack, charts)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def build_report_docx(engine: Engine, filters: Filters, unit_name: str | None = None) -> bytes:
    """The written report (.docx bytes) for the period and filters."""
    return write_report_docx(collect_pack(engine, filters, unit_name))


# --- PDF through LibreOffice ----------------------------------------------------------


def find_soffice() -> str | None:
    """The LibreOffice program, when installed (``soffice`` or ``libreoffice``)."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert_to_pdf(data: bytes, suffix: str = ".docx", timeout: float = PDF_TIMEOUT_S) -> bytes:
    """Convert an office document to PDF with LibreOffice in headless mode.

    A private LibreOffice profile is used, so a desktop LibreOffice that is
    open does not block the conversion. Raises :class:`PdfUnavailable` when
    LibreOffice is missing or fails.
    """
    program = find_soffice()
    if program is None:
        raise PdfUnavailable("không tạo được PDF: máy chưa cài LibreOffice (soffice)")
    with tempfile.TemporaryDirectory(prefix="motcua-pdf-") as tmp:
        source = Path(tmp) / f"document{suffix}"
        source.write_bytes(data)
        profile = Path(tmp, "profile").as_uri()
        env = {**os.environ, "HOME": tmp}
        try:
            subprocess.run(
                [program, f"-env:UserInstallation={profile}", "--headless", "--norestore",
                 "--convert-to", "pdf", "--outdir", tmp, str(source)],
                check=True, capture_output=True, timeout=timeout, env=env,
            )
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired, OSError) as exc:
            raise PdfUnavailable(f"không tạo được PDF: LibreOffice lỗi ({exc})") from exc
        pdf = source.with_suffix(".pdf")
        if not pdf.is_file():
            raise PdfUnavailable("không tạo được PDF: LibreOffice không ghi ra tệp PDF")
        return pdf.read_bytes()

"""Biểu số 06/VPCP/KSTT (Thông tư 01/2020/TT-VPCP): the official form.

"Tình hình, kết quả giải quyết thủ tục hành chính": one row per field
(lĩnh vực) grouped by agency level, level subtotals, a totals row, and the
13 columns of the form. The same rows feed the dashboard table
(:func:`report06_frame`) and the workbook (:func:`build_report06_xlsx`).
"""

from __future__ import annotations

import io
from datetime import date
from typing import Any, Sequence

import pandas as pd
import xlsxwriter

from analytics.indicators.engine import REPORT06_NOTE_KEYS, Engine
from analytics.indicators.filters import ATTRIBUTION_CURRENT, Filters
from analytics.indicators.registry import BIEU06_COLUMNS, CONVENTION_BIEU06, indicator
from analytics.locale import fmt
from analytics.locale.labels import attribution_text, t
from analytics.reports.excel import scope_description

# The form's own text: the workbook is the official form, in Vietnamese
# whatever the screen's language, so its captions (and the header and
# signature lines written by write_report06_xlsx) are part of the file format
# and kept here, the one place deck.py and docreport.py read them from.
FORM_CODE = "Biểu số 06/VPCP/KSTT"
# The title and group labels as the official template prints them (issue 15).
FORM_TITLE = "TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH TẠI CƠ QUAN, ĐƠN VỊ TRỰC TIẾP GIẢI QUYẾT TTHC"
# Above columns (4)–(5) the template has a third header row: "Trong đó".
FORM_OF_WHICH = "Trong đó"
# The form's caption of each numbered column (1)..(13).
FORM_CAPTIONS = {
    1: "STT",
    2: "Lĩnh vực, công việc giải quyết theo cấp",
    3: "Tổng số",
    4: "Trực tuyến",
    5: "Trực tiếp, dịch vụ bưu chính",
    6: "Từ kỳ trước",
    7: "Tổng số",
    8: "Trước hạn",
    9: "Đúng hạn",
    10: "Quá hạn",
    11: "Tổng số",
    12: "Trong hạn",
    13: "Quá hạn",
}
ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII")
# Label keys of the level subtotal rows, by the data's agency level.
LEVEL_TITLE_KEYS = {"Tỉnh": "r06_level_province", "Huyện": "r06_level_district", "Xã": "r06_level_commune"}

# Columns (3)..(13) in the order of the form: the registry's Biểu 06 columns.
NUMBER_COLUMNS = BIEU06_COLUMNS

HEADERS_VI = {
    "stt": FORM_CAPTIONS[1],
    "field": FORM_CAPTIONS[2],
    **{key: FORM_CAPTIONS[indicator(key).bieu06_column or 0] for key in NUMBER_COLUMNS},
}
GROUPS_VI = (
    # (title, first column index, last column index) over columns 0..12
    ("Số hồ sơ nhận giải quyết", 2, 5),
    ("Số hồ sơ đã giải quyết", 6, 9),
    ("Số lượng hồ sơ đang giải quyết", 10, 12),
)


def label_rows(rows: list[dict[str, Any]], lang: str = "vi") -> list[dict[str, Any]]:
    """Give each engine row its STT (I, II... per level; 1, 2... per field) and
    label in ``lang`` (the workbook's rows are Vietnamese, as the form)."""
    out = []
    level_no = 0
    field_no = 0
    for row in rows:
        kind = row["row_kind"]
        if kind == "level":
            field_no = 0
            stt = ROMAN[level_no] if level_no < len(ROMAN) else str(level_no + 1)
            level_no += 1
            key = LEVEL_TITLE_KEYS.get(row["level"])
            label = t(key, lang) if key else (row["level"] or t("r06_level_unknown", lang))
        elif kind == "field":
            field_no += 1
            stt = str(field_no)
            label = row["field"] or t("r06_field_unknown", lang)
        else:
            stt = ""
            label = t("r06_total", lang)
        out.append({"row_kind": kind, "stt": stt, "label": label,
                    **{k: int(row[k]) for k in NUMBER_COLUMNS},
                    **{k: int(row.get(k) or 0) for k in REPORT06_NOTE_KEYS}})
    return out


def report06_notes(rows: list[dict[str, Any]], lang: str = "vi") -> list[str]:
    """The form's footnotes for data the columns cannot show (issue 13):
    the dossiers with no channel (outside columns (4) and (5), which then do
    not add up to the new dossiers) and those with no due date (counted on
    time or within time), from the totals row; none when both are 0.

    ``rows``: the engine's rows or :func:`label_rows`' rows.
    """
    total = next((r for r in rows if r["row_kind"] == "total"), None)
    if total is None:
        return []
    notes = []
    for key in REPORT06_NOTE_KEYS:
        count = int(total.get(key) or 0)
        if count:
            notes.append(t(f"note_{key}", lang, count=fmt.number(count, lang)))
    return notes


def report06_frame(rows: list[dict[str, Any]], lang: str = "vi") -> pd.DataFrame:
    """The 13 columns as a DataFrame with unique headers numbered like the form
    ("(3) Tổng số nhận"), for screens."""
    labelled = label_rows(rows, lang)
    columns = {"stt": t("stt", lang), "label": t("field", lang)}
    columns |= {key: t(f"r06_c{indicator(key).bieu06_column}", lang) for key in NUMBER_COLUMNS}
    frame = pd.DataFrame(labelled, columns=["row_kind", *columns])
    return frame.rename(columns=columns)


def build_report06_xlsx(
    engine: Engine,
    filters: Filters,
    unit_name: str | None = None,
    receiving_unit: str | None = None,
    counting: str = CONVENTION_BIEU06,
) -> bytes:
    """The Biểu 06 workbook laid out like the official form; a file limited
    to one agency (or other filters) says so under the period.

    ``counting``: the form's counting (default) or the 766 portal's
    (registry.CONVENTIONS; docs/INDICATORS.md, "Hai cách đếm"); a workbook
    counted the portal's way says so in a note under the table.
    """
    rows = label_rows(engine.report06(filters, counting=counting))
    return write_report06_xlsx(
        rows,
        date_from=filters.date_from,
        date_to=filters.date_to,
        as_of=engine.as_of(filters),
        unit_name=unit_name,
        receiving_unit=receiving_unit,
        scope=scope_description(filters, "vi"),
        counting=counting,
        attribution=filters.attribution,
    )


def write_report06_xlsx(
    rows: list[dict[str, Any]],
    *,
    date_from: date,
    date_to: date,
    as_of: date,
    unit_name: str | None = None,
    receiving_unit: str | None = None,
    scope: str = "",
    counting: str = CONVENTION_BIEU06,
    attribution: str = ATTRIBUTION_CURRENT,
) -> bytes:
    """The form's workbook. ``scope``: what the rows are limited to
    (``excel.scope_description``), a line under the period when not empty."""
    buffer = io.BytesIO()
    # Field names and the unit's name are data: with xlsxwriter's defaults,
    # write() would turn "=HYPERLINK(...)" into a live formula and
    # "http://..." into a link. Text is written with write_string, and the
    # options keep any write() of text a plain string.
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False,
                                        "strings_to_urls": False, "strings_to_numbers": False})
    sheet = book.add_worksheet("Biểu 06")
    font = {"font_name": "Times New Roman", "font_size": 12}
    f_title = book.add_format({**font, "bold": True, "font_size": 14, "align": "center", "valign": "vcenter"})
    f_center = book.add_format({**font, "align": "center", "valign": "vcenter"})
    f_italic = book.add_format({**font, "italic": True, "align": "center"})
    f_left = book.add_format({**font})
    f_bold_left = book.add_format({**font, "bold": True})
    f_header = book.add_format({**font, "bold": True, "border": 1, "align": "center",
                                "valign": "vcenter", "text_wrap": True, "bg_color": "#EDEDED"})
    f_colno = book.add_format({**font, "italic": True, "border": 1, "align": "center"})
    f_cell = book.add_format({**font, "border": 1, "num_format": "#,##0"})
    f_cell_text = book.add_format({**font, "border": 1, "text_wrap": True, "valign": "vcenter"})
    f_cell_center = book.add_format({**font, "border": 1, "align": "center"})
    f_sub = book.add_format({**font, "bold": True, "border": 1, "num_format": "#,##0", "bg_color": "#F5F5F5"})
    f_sub_text = book.add_format({**font, "bold": True, "border": 1, "bg_color": "#F5F5F5", "text_wrap": True})
    f_sub_center = book.add_format({**font, "bold": True, "border": 1, "align": "center", "bg_color": "#F5F5F5"})

    sheet.set_landscape()
    sheet.set_paper(9)  # A4
    sheet.fit_to_pages(1, 0)
    sheet.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.6)
    sheet.set_column(0, 0, 6)
    sheet.set_column(1, 1, 38)
    sheet.set_column(2, 12, 11)

    sheet.write_string(0, 0, FORM_CODE, f_bold_left)
    sheet.write_string(1, 0, f"Đơn vị báo cáo: {unit_name or ''}".rstrip(), f_left)
    sheet.write_string(2, 0, f"Đơn vị nhận báo cáo: {receiving_unit or ''}".rstrip(), f_left)
    sheet.merge_range(3, 0, 3, 12, FORM_TITLE, f_title)
    sheet.merge_range(
        4, 0, 4, 12,
        f"Kỳ báo cáo: từ ngày {date_from:%d/%m/%Y} đến ngày {date_to:%d/%m/%Y}"
        f" (số liệu đến ngày {as_of:%d/%m/%Y})",
        f_italic,
    )
    # The view the figures are counted in (issue 14): under today's units or as recorded.
    sheet.write_string(5, 0, attribution_text(attribution), f_left)
    sheet.write_string(5, 12, "Đơn vị tính: Số hồ sơ TTHC", f_italic)
    unit_row = 5
    if scope:
        sheet.merge_range(6, 0, 6, 12, f"Phạm vi: {scope}", f_italic)
        unit_row = 6

    # Three header rows, as the template: the groups; the captions (each
    # spanning the second and third rows) but "Trong đó" over (4)–(5); the
    # captions of (4) and (5) under it.
    top, second, third, numbers = unit_row + 1, unit_row + 2, unit_row + 3, unit_row + 4
    sheet.merge_range(top, 0, third, 0, HEADERS_VI["stt"], f_header)
    sheet.merge_range(top, 1, third, 1, HEADERS_VI["field"], f_header)
    for title, first, last in GROUPS_VI:
        sheet.merge_range(top, first, top, last, title, f_header)
    split = {indicator("online").bieu06_column, indicator("direct_postal").bieu06_column}
    for offset, key in enumerate(NUMBER_COLUMNS):
        col = 2 + offset
        if indicator(key).bieu06_column in split:
            sheet.write_string(third, col, HEADERS_VI[key], f_header)
        else:
            sheet.merge_range(second, col, third, col, HEADERS_VI[key], f_header)
    sheet.merge_range(second, 3, second, 4, FORM_OF_WHICH, f_header)
    sheet.set_row(top, 32)
    sheet.set_row(second, 24)
    sheet.set_row(third, 48)
    for col in range(13):
        sheet.write_string(numbers, col, f"({col + 1})", f_colno)
    sheet.freeze_panes(numbers + 1, 2)

    row_index = numbers + 1
    for row in rows:
        subtotal = row["row_kind"] != "field"
        if row["stt"]:
            sheet.write_string(row_index, 0, row["stt"], f_sub_center if subtotal else f_cell_center)
        else:  # the totals row: a blank, bordered cell
            sheet.write_blank(row_index, 0, None, f_sub_center if subtotal else f_cell_center)
        sheet.write_string(row_index, 1, row["label"], f_sub_text if subtotal else f_cell_text)
        for offset, key in enumerate(NUMBER_COLUMNS):
            sheet.write_number(row_index, 2 + offset, row[key], f_sub if subtotal else f_cell)
        row_index += 1

    notes = report06_notes(rows)
    if counting != CONVENTION_BIEU06:
        notes = [*notes, t("r06_note_portal_counting")]
    for offset, note in enumerate(notes):
        sheet.merge_range(row_index + 1 + offset, 0, row_index + 1 + offset, 12,
                          f"Ghi chú: {note}" if offset == 0 else note, f_left)
    signature_row = row_index + 2 + len(notes)
    sheet.merge_range(signature_row, 8, signature_row, 12,
                      f"......, ngày {as_of.day:02d} tháng {as_of.month:02d} năm {as_of.year}", f_italic)
    sheet.merge_range(signature_row + 1, 0, signature_row + 1, 4, "NGƯỜI LẬP BIỂU", f_title)
    sheet.merge_range(signature_row + 1, 8, signature_row + 1, 12, "THỦ TRƯỞNG ĐƠN VỊ", f_title)
    sheet.merge_range(signature_row + 2, 8, signature_row + 2, 12, "(Ký, ghi rõ họ tên, đóng dấu)", f_center)
    sheet.merge_range(signature_row + 2, 0, signature_row + 2, 4, "(Ký, ghi rõ họ tên)", f_center)

    book.close()
    return buffer.getvalue()


# --------------------------------------------------------------------------
# The dashboard's table of the form
# --------------------------------------------------------------------------


def report06_total(rows: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """The totals row of the engine's Biểu 06 rows (empty when there are no rows)."""
    return [r for r in rows if r.get("row_kind") == "total"]


def report06_table(rows: Sequence[dict[str, Any]], lang: str) -> list[dict[str, Any]]:
    """Biểu 06 rows with STT and label (I, II… per level, 1, 2… per field) in
    ``lang``, and a ``bold`` flag for the level and total rows."""
    return [{**r, "bold": r["row_kind"] != "field"} for r in label_rows(list(rows), lang)]

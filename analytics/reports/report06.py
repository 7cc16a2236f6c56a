"""Biểu số 06/VPCP/KSTT (Thông tư 01/2020/TT-VPCP): the official form.

"Tình hình, kết quả giải quyết thủ tục hành chính": one row per field
(lĩnh vực) grouped by agency level, level subtotals, a totals row, and the
13 columns of the form. The same rows feed the dashboard table
(:func:`report06_frame`) and the workbook (:func:`build_report06_xlsx`).
"""

from __future__ import annotations

import io
from datetime import date
from typing import Any

import pandas as pd
import xlsxwriter

from analytics.indicators.engine import REPORT06_KEYS, REPORT06_NOTE_KEYS, Engine
from analytics.indicators.filters import Filters
from analytics.locale import fmt
from analytics.locale.labels import t

FORM_CODE = "Biểu số 06/VPCP/KSTT"
FORM_TITLE = "TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH"
LEVEL_TITLES = {"Tỉnh": "Cấp tỉnh", "Huyện": "Cấp huyện", "Xã": "Cấp xã"}
ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII")

# Columns (3)..(13) in the order of the form.
NUMBER_COLUMNS = (
    "received_total", "online", "direct_postal", "carried_over",
    "resolved", "early", "on_time", "late",
    "pending", "pending_within", "pending_overdue",
)
assert set(NUMBER_COLUMNS) == set(REPORT06_KEYS)

HEADERS_VI = {
    "stt": "STT",
    "field": "Lĩnh vực, công việc giải quyết theo cấp",
    "received_total": "Tổng số",
    "online": "Trực tuyến",
    "direct_postal": "Trực tiếp, dịch vụ bưu chính",
    "carried_over": "Từ kỳ trước",
    "resolved": "Tổng số",
    "early": "Trước hạn",
    "on_time": "Đúng hạn",
    "late": "Quá hạn",
    "pending": "Tổng số",
    "pending_within": "Trong hạn",
    "pending_overdue": "Quá hạn",
}
GROUPS_VI = (
    # (title, first column index, last column index) over columns 0..12
    ("Số hồ sơ nhận giải quyết", 2, 5),
    ("Kết quả giải quyết: số hồ sơ đã giải quyết", 6, 9),
    ("Số hồ sơ đang giải quyết", 10, 12),
)


def label_rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Give each engine row its STT (I, II... per level; 1, 2... per field) and label."""
    out = []
    level_no = 0
    field_no = 0
    for row in rows:
        kind = row["row_kind"]
        if kind == "level":
            field_no = 0
            stt = ROMAN[level_no] if level_no < len(ROMAN) else str(level_no + 1)
            level_no += 1
            label = LEVEL_TITLES.get(row["level"], row["level"] or "Chưa xác định cấp")
        elif kind == "field":
            field_no += 1
            stt = str(field_no)
            label = row["field"] or "Chưa xác định lĩnh vực"
        else:
            stt = ""
            label = "Tổng cộng"
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


def report06_frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    """The 13 columns as a DataFrame with unique Vietnamese headers (for screens)."""
    labelled = label_rows(rows)
    columns = {
        "stt": "STT", "label": "Lĩnh vực",
        "received_total": "(3) Tổng số nhận", "online": "(4) Trực tuyến",
        "direct_postal": "(5) Trực tiếp, BCCI", "carried_over": "(6) Từ kỳ trước",
        "resolved": "(7) Đã giải quyết", "early": "(8) Trước hạn",
        "on_time": "(9) Đúng hạn", "late": "(10) Quá hạn",
        "pending": "(11) Đang giải quyết", "pending_within": "(12) Trong hạn",
        "pending_overdue": "(13) Quá hạn",
    }
    frame = pd.DataFrame(labelled, columns=["row_kind", *columns])
    return frame.rename(columns=columns)


def build_report06_xlsx(
    engine: Engine,
    filters: Filters,
    unit_name: str | None = None,
    receiving_unit: str | None = None,
) -> bytes:
    """The Biểu 06 workbook laid out like the official form."""
    rows = label_rows(engine.report06(filters))
    return write_report06_xlsx(
        rows,
        date_from=filters.date_from,
        date_to=filters.date_to,
        as_of=engine.as_of(filters),
        unit_name=unit_name,
        receiving_unit=receiving_unit,
    )


def write_report06_xlsx(
    rows: list[dict[str, Any]],
    *,
    date_from: date,
    date_to: date,
    as_of: date,
    unit_name: str | None = None,
    receiving_unit: str | None = None,
) -> bytes:
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
    sheet.write_string(5, 12, "Đơn vị tính: Số hồ sơ TTHC", f_italic)

    top, second, numbers = 6, 7, 8
    sheet.merge_range(top, 0, second, 0, HEADERS_VI["stt"], f_header)
    sheet.merge_range(top, 1, second, 1, HEADERS_VI["field"], f_header)
    for title, first, last in GROUPS_VI:
        sheet.merge_range(top, first, top, last, title, f_header)
    for offset, key in enumerate(NUMBER_COLUMNS):
        sheet.write_string(second, 2 + offset, HEADERS_VI[key], f_header)
    sheet.set_row(top, 32)
    sheet.set_row(second, 48)
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

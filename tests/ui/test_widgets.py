"""Tables, downloads and chart selections (ui/widgets.py): table shaping with
Vietnamese formats, the Excel file of a table, download names, the category
of a clicked chart point, the Biểu 06 columns."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date, datetime

import openpyxl
import pandas as pd

from analytics.indicators.filters import Filters
from ui import widgets
from ui.state import View
from ui.widgets import Col


def view(f: Filters, lang: str = "vi") -> View:
    return View(lang=lang, filters=f, preset="this_year", data_date=date(2026, 11, 20), as_of=f.date_to)


COLS = [Col("code", "code"), Col("channel", "channel", "channel"), Col("status", "status", "status"),
        Col("received_at", "received_at", "datetime"), Col("days_late", "days_late", "int"),
        Col("late_rate", "late_rate", "rate"), Col("period_start", "month", "month")]
ROWS = [
    {"code": "H1", "channel": "online", "status": 10, "received_at": datetime(2026, 7, 3, 8, 5),
     "days_late": 1234, "late_rate": 0.125, "period_start": date(2026, 7, 1)},
    {"code": "H2", "channel": "postal", "status": 5, "received_at": None,
     "days_late": None, "late_rate": None, "period_start": date(2026, 8, 1)},
]


def test_shape_table_keeps_types_and_names_codes():
    df = widgets.shape_table(pd.DataFrame(ROWS), COLS, "vi")
    assert list(df.columns) == [c.key for c in COLS]
    assert list(df["channel"]) == ["Trực tuyến", "Bưu chính công ích"]
    assert list(df["status"]) == ["Đã trả kết quả", "Yêu cầu bổ sung giấy tờ"]
    assert list(df["period_start"]) == ["Tháng 07/2026", "Tháng 08/2026"]
    assert pd.api.types.is_datetime64_any_dtype(df["received_at"])
    assert df["days_late"].iloc[0] == 1234 and pd.isna(df["days_late"].iloc[1])
    missing = widgets.shape_table(pd.DataFrame([{"code": "H1"}]), [Col("code"), Col("agency", "agency")], "vi")
    assert missing["agency"].isna().all()


def test_styled_table_shows_vietnamese_formats():
    df = widgets.shape_table(pd.DataFrame(ROWS), COLS, "vi")
    html = widgets.styled(df, COLS, "vi", bold_rows=[True, False]).to_html()
    for text in ("Mã hồ sơ", "1.234", "12,5%", "03/07/2026 08:05", "–", "font-weight: bold"):
        assert text in html
    assert "12.5%" in widgets.styled(df, COLS, "en").to_html()


def test_headers_are_unique():
    cols = [Col("late", "late", "int"), Col("pending_overdue", "pending_overdue", "int")]
    assert widgets.headers(cols, "vi") == {"late": "Quá hạn", "pending_overdue": "Quá hạn (2)"}


def test_xlsx_builder_writes_title_context_headers_and_formats():
    df = widgets.shape_table(pd.DataFrame(ROWS), COLS, "vi")
    build = widgets.xlsx_builder(df, COLS, title="Danh sách hồ sơ trễ hạn",
                              subtitle_lines=["Kỳ số liệu: 01/07/2026 – 30/09/2026", "Số liệu đến ngày 20/11/2026"],
                              lg="vi")
    sheet = openpyxl.load_workbook(io.BytesIO(build())).active
    assert sheet["A1"].value == "Danh sách hồ sơ trễ hạn"
    assert sheet["A2"].value == "Kỳ số liệu: 01/07/2026 – 30/09/2026"
    assert [c.value for c in sheet[4]] == ["Mã hồ sơ", "Kênh nộp", "Trạng thái", "Ngày tiếp nhận",
                                           "Số ngày trễ", "Tỷ lệ trễ hạn", "Tháng"]
    assert sheet["B5"].value == "Trực tuyến"
    assert sheet["D5"].value == datetime(2026, 7, 3, 8, 5) and sheet["D5"].number_format == "dd/mm/yyyy hh:mm"
    assert sheet["E5"].value == 1234 and sheet["E5"].number_format == "#,##0"
    assert sheet["F5"].value == 0.125 and sheet["F5"].number_format == "0.0%"
    assert sheet["E6"].value is None
    assert sheet.freeze_panes == "A5"


def test_file_name_is_ascii_with_the_period():
    v = view(Filters(date(2026, 7, 1), date(2026, 9, 30)))
    assert widgets.file_name("Đúng hạn theo cơ quan", v) == "dung-han-theo-co-quan_2026-07-01_2026-09-30.xlsx"


@dataclass
class Event:
    selection: object


def test_picked_label_reads_dict_and_attribute_events():
    dict_event = {"selection": {"points": [{"x": 0.98, "y": "UBND xã An Bình", "customdata": ["UBND xã An Bình"]}]}}
    assert widgets.picked_label(dict_event, ["UBND xã An Bình"]) == "UBND xã An Bình"
    attr_event = Event(selection={"points": [{"x": "Phòng Tư pháp", "y": 12}]})
    assert widgets.picked_label(attr_event, ["Phòng Tư pháp"]) == "Phòng Tư pháp"
    assert widgets.picked_label({"selection": {"points": []}}, ["A"]) is None
    assert widgets.picked_label(None, ["A"]) is None


def test_report06_columns_carry_the_form_numbers():
    assert [c.key for c in widgets.REPORT06_COLS][:3] == ["received_total", "online", "direct_postal"]
    assert [c.header("vi") for c in widgets.REPORT06_COLS][:2] == ["(3) Tổng số nhận", "(4) Trực tuyến"]
    assert len(widgets.REPORT06_COLS) == 11 and widgets.REPORT06_COLS[-1].header("vi") == "(13) Quá hạn"


def test_every_download_name_carries_scope_and_period():
    q3 = Filters(date(2026, 7, 1), date(2026, 9, 30))
    whole = widgets.file_name("bieu-06-vpcp-kstt", view(q3))
    one = widgets.file_name("bieu-06-vpcp-kstt", view(Filters(q3.date_from, q3.date_to, agency="Phòng Tư pháp")))
    other = widgets.file_name("bieu-06-vpcp-kstt", view(Filters(q3.date_from, q3.date_to, agency="Phòng Nội vụ")))
    officer = widgets.file_name("bieu-06-vpcp-kstt", view(Filters(q3.date_from, q3.date_to,
                                                                  scope=frozenset({"UBND xã An Bình"}))))
    assert whole == "bieu-06-vpcp-kstt_2026-07-01_2026-09-30.xlsx"
    assert "phong-tu-phap" in one and one.endswith("_2026-07-01_2026-09-30.xlsx")
    assert "ubnd-xa-an-binh" in officer
    assert len({whole, one, other, officer}) == 4
    deck = widgets.file_name("hop-ket-qua-giai-quyet-tthc", view(Filters(q3.date_from, q3.date_to,
                                                                         agency="Phòng Tư pháp")), ext="pptx")
    assert deck.endswith("_2026-07-01_2026-09-30.pptx") and "phong-tu-phap" in deck
    drilled = widgets.file_name("ho-so-tre-han", view(q3), extra_scope=["Phòng Tư pháp"])
    assert drilled != widgets.file_name("ho-so-tre-han", view(q3), extra_scope=["Phòng Nội vụ"])


def test_a_phone_shows_the_marked_columns_or_the_first_three():
    assert [c.key for c in widgets.phone_columns(COLS)] == ["code", "channel", "status"]
    marked = [Col("code", "code"), Col("days_late", "days_late", "int", phone=True),
              Col("late_rate", "late_rate", "rate", phone=True)]
    assert [c.key for c in widgets.phone_columns(marked)] == ["days_late", "late_rate"]
    assert widgets.phone_columns(COLS[:2]) == COLS[:2]  # two columns: no phone copy


def test_number_columns_are_narrow_with_the_whole_header_as_tooltip():
    config = widgets.column_config(COLS, "vi")
    days, rate = widgets.headers(COLS, "vi")["days_late"], widgets.headers(COLS, "vi")["late_rate"]
    assert set(config) == {days, rate}  # text and date columns keep their own width
    assert config[days]["width"] == widgets.NUMBER_PX and config[days]["help"] == days

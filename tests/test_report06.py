"""Biểu 06: every cell of the hand-counted office, and the form's layout."""

from __future__ import annotations

import io

import openpyxl
import pytest

from analytics.indicators.engine import Engine
from analytics.indicators.filters import Filters
from analytics.reports.report06 import build_report06_xlsx, report06_frame, report06_notes
from tests import golden as g
from tests.conftest import fill, finish

# STT, label, (3)..(13): counted by hand from tests/golden.py.
EXPECTED = [
    ("I", "Cấp huyện (trước 01/07/2025)", 4, 1, 1, 2, 2, 0, 0, 2, 2, 1, 1),
    ("1", "Đất đai", 4, 1, 1, 2, 2, 0, 0, 2, 2, 1, 1),
    ("II", "Cấp xã", 6, 2, 3, 1, 4, 2, 2, 0, 2, 1, 1),
    ("1", "Chứng thực", 3, 1, 2, 0, 3, 2, 1, 0, 0, 0, 0),
    ("2", "Hộ tịch", 3, 1, 1, 1, 1, 0, 1, 0, 2, 1, 1),
    (None, "Tổng cộng", 10, 3, 4, 3, 6, 2, 2, 2, 4, 2, 2),
]


@pytest.fixture
def engine(memory_con) -> Engine:
    fill(memory_con, **g.ROWS)
    finish(memory_con)
    return Engine(memory_con)


def _sheet(engine: Engine, f: Filters):
    data = build_report06_xlsx(engine, f, unit_name="UBND huyện Ninh Hòa")
    return openpyxl.load_workbook(io.BytesIO(data)).active


def test_every_cell_of_the_form(engine):
    sheet = _sheet(engine, Filters(*g.MARCH))
    body = [tuple(c.value for c in row) for row in sheet.iter_rows(min_row=11, max_row=16, max_col=13)]
    assert body == EXPECTED


def test_layout_like_the_official_form(engine):
    sheet = _sheet(engine, Filters(*g.MARCH))
    assert sheet["A1"].value == "Biểu số 06/VPCP/KSTT"
    assert sheet["A2"].value == "Đơn vị báo cáo: UBND huyện Ninh Hòa"
    assert sheet["A4"].value == ("TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH"
                                 " TẠI CƠ QUAN, ĐƠN VỊ TRỰC TIẾP GIẢI QUYẾT TTHC")
    assert "từ ngày 01/03/2026 đến ngày 31/03/2026" in sheet["A5"].value
    merged = {str(r) for r in sheet.merged_cells.ranges}
    # Three header rows as the template: STT and Lĩnh vực span them; three
    # groups on top; "Trong đó" over (4)–(5), whose captions are in the third row.
    assert {"A7:A9", "B7:B9", "C7:F7", "G7:J7", "K7:M7", "D8:E8", "C8:C9", "F8:F9", "M8:M9"} <= merged
    assert [sheet.cell(7, c).value for c in (3, 7, 11)] == [
        "Số hồ sơ nhận giải quyết", "Số hồ sơ đã giải quyết", "Số lượng hồ sơ đang giải quyết"]
    assert sheet.cell(8, 4).value == "Trong đó"
    assert [sheet.cell(9, c).value for c in (4, 5)] == ["Trực tuyến", "Trực tiếp, dịch vụ bưu chính"]
    assert [sheet.cell(8, c).value for c in (3, 6, 7, 8, 9, 10, 11, 12, 13)] == [
        "Tổng số", "Từ kỳ trước", "Tổng số", "Trước hạn", "Đúng hạn", "Quá hạn", "Tổng số", "Trong hạn", "Quá hạn",
    ]
    assert [sheet.cell(10, c).value for c in range(1, 14)] == [f"({i})" for i in range(1, 14)]
    assert sheet.freeze_panes == "C11"
    assert sheet.cell(11, 3).number_format == "#,##0"
    assert sheet.page_setup.orientation == "landscape"


def test_empty_period_gives_a_zero_totals_row(engine):
    sheet = _sheet(engine, Filters(g.MARCH[0].replace(year=2020), g.MARCH[1].replace(year=2020)))
    assert [c.value for c in sheet[11][:13]] == [None, "Tổng cộng"] + [0] * 11


def test_frame_for_screens_has_13_numbered_columns(engine):
    frame = report06_frame(engine.report06(Filters(*g.MARCH)))
    assert list(frame.columns)[1:3] == ["STT", "Lĩnh vực"]
    assert [c.split(" ")[0] for c in list(frame.columns)[3:]] == [f"({i})" for i in range(3, 14)]
    assert frame.iloc[-1]["Lĩnh vực"] == "Tổng cộng"
    assert int(frame.iloc[-1]["(3) Tổng số nhận"]) == 10


def _all_text(sheet) -> list[str]:
    return [c.value for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]


def test_footnotes_name_unknown_channels_and_missing_due_dates(memory_con):
    from tests.test_engine_missing_data import MARCH, OFFICE

    fill(memory_con, **OFFICE)
    finish(memory_con)
    engine = Engine(memory_con)
    rows = engine.report06(MARCH)
    assert report06_notes(rows) == [
        "3 hồ sơ không có thông tin kênh nộp (không tính vào số trực tuyến, trực tiếp, bưu chính;"
        " tỷ lệ trực tuyến tính trên hồ sơ có thông tin kênh nộp).",
        "3 hồ sơ không có ngày hẹn trả: đã giải quyết thì tính là đúng hạn, đang giải quyết thì tính là trong hạn.",
    ]
    assert report06_notes(rows, "en")[0].startswith("3 dossiers with no channel information")
    texts = _all_text(_sheet(engine, MARCH))
    assert any(x.startswith("Ghi chú: 3 hồ sơ không có thông tin kênh nộp") for x in texts)
    assert any(x.startswith("3 hồ sơ không có ngày hẹn trả") for x in texts)
    # The form keeps its 13 columns and the signature block below the notes.
    assert "NGƯỜI LẬP BIỂU" in texts


def test_no_footnote_when_every_channel_and_due_date_is_known(engine):
    assert report06_notes(engine.report06(Filters(*g.MARCH))) == []
    assert not any(x.startswith("Ghi chú") for x in _all_text(_sheet(engine, Filters(*g.MARCH))))


def title_block(sheet) -> list[str]:
    """Every text above the header rows of the form."""
    header = next(r for r in range(1, 20) if sheet.cell(r, 1).value == "STT")
    return [c.value for row in sheet.iter_rows(min_row=1, max_row=header - 1) for c in row
            if isinstance(c.value, str) and c.value.strip()]


def test_a_file_of_one_agency_says_so(engine):
    whole = _sheet(engine, Filters(*g.MARCH))
    assert not any(line.startswith("Phạm vi") for line in title_block(whole))
    one = _sheet(engine, Filters(*g.MARCH, agency=g.TNMT))
    lines = title_block(one)
    assert f"Phạm vi: Cơ quan/đơn vị: {g.TNMT}" in lines
    assert len(lines) == len(set(lines))  # no line said twice
    # The table moved down one row under the scope line, its layout kept.
    assert [one.cell(11, c).value for c in range(1, 14)] == [f"({i})" for i in range(1, 14)]
    assert one.freeze_panes == "C12"
    # Only the agency's rows: Phòng TN&MT is the district's Đất đai (golden.py).
    assert one.cell(12, 2).value == "Cấp huyện (trước 01/07/2025)"


def test_an_officers_file_names_the_account_scope(engine):
    sheet = _sheet(engine, Filters(*g.MARCH, scope=frozenset({g.XA})))
    assert f"Phạm vi: Phạm vi tài khoản: {g.XA}" in title_block(sheet)
def test_portal_counting_is_an_option_and_says_so(engine):
    form = build_report06_xlsx(engine, Filters(*g.MARCH))
    portal = build_report06_xlsx(engine, Filters(*g.MARCH), counting="portal766")
    form_texts = _all_text(openpyxl.load_workbook(io.BytesIO(form)).active)
    portal_texts = _all_text(openpyxl.load_workbook(io.BytesIO(portal)).active)
    assert not any("Cổng" in x for x in form_texts if x.startswith("Ghi chú"))
    assert any("cách đếm của Cổng Dịch vụ công quốc gia (Chỉ số 766)" in x for x in portal_texts)

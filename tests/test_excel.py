import io
import zipfile
from datetime import date, datetime

import pandas as pd
import pytest
from openpyxl import load_workbook
from python_calamine import CalamineWorkbook

from analytics.indicators.filters import Filters
from analytics.reports import excel
from analytics.reports.excel import ColumnSpec, SheetSpec, multi_table_to_xlsx, table_to_xlsx


def open_sheet(data, index=0):
    return load_workbook(io.BytesIO(data)).worksheets[index]


def late_dossiers():
    return pd.DataFrame(
        [
            {
                "code": "000.00.12.H42-260301-0001",
                "agency": "UBND xã Ninh Đa",
                "received_at": datetime(2026, 3, 1, 8, 5),
                "due_at": date(2026, 3, 10),
                "days_late": 4,
                "on_time_rate": 0.9763,
                "late_handler": "Đặng Thị Hồng",
            },
            {
                "code": "000.00.12.H42-260302-0002",
                "agency": "Văn phòng Đăng ký đất đai chi nhánh Ninh Hòa",
                "received_at": datetime(2026, 3, 2, 14, 30),
                "due_at": date(2026, 3, 12),
                "days_late": 12,
                "on_time_rate": None,
                "late_handler": None,
            },
        ]
    )


def build(df=None, **kwargs):
    kwargs.setdefault("title", "Danh sách hồ sơ trễ hạn")
    kwargs.setdefault("subtitle_lines", ["Kỳ số liệu: 01/03/2026 – 31/03/2026", "Số liệu đến ngày 26/03/2026"])
    return table_to_xlsx(late_dossiers() if df is None else df, **kwargs)


def test_title_subtitles_and_vietnamese_headers():
    ws = open_sheet(build())
    assert ws["A1"].value == "Danh sách hồ sơ trễ hạn"
    assert ws["A1"].font.b
    assert ws["A2"].value == "Kỳ số liệu: 01/03/2026 – 31/03/2026"
    assert ws["A3"].value == "Số liệu đến ngày 26/03/2026"
    headers = [c.value for c in ws[4]]
    assert headers == [
        "Mã hồ sơ", "Cơ quan/đơn vị", "Ngày tiếp nhận", "Ngày hẹn trả", "Số ngày trễ", "Tỷ lệ đúng hạn",
        "Người thụ lý khi trễ hạn",
    ]
    assert all(c.font.b and c.alignment.wrap_text for c in ws[4])
    assert ws.title == "Dữ liệu"


def test_freeze_pane_and_autofilter_cover_the_table():
    ws = open_sheet(build())
    assert ws.freeze_panes == "A5"
    assert ws.auto_filter.ref == "A4:G6"
    assert ws.max_row == 6


def test_values_and_number_formats():
    ws = open_sheet(build())
    row = {c.column_letter: c for c in ws[5]}
    assert row["A"].value == "000.00.12.H42-260301-0001" and row["A"].data_type == "s"
    assert row["B"].value == "UBND xã Ninh Đa"
    assert row["C"].value == datetime(2026, 3, 1, 8, 5)
    assert row["C"].number_format == "dd/mm/yyyy hh:mm"
    assert row["D"].value == datetime(2026, 3, 10)
    assert row["D"].number_format == "dd/mm/yyyy"
    assert row["E"].value == 4 and row["E"].number_format == "#,##0"
    assert row["F"].value == pytest.approx(0.9763) and row["F"].number_format == "0.0%"
    assert row["G"].value == "Đặng Thị Hồng"
    second = {c.column_letter: c.value for c in ws[6]}
    assert second["B"] == "Văn phòng Đăng ký đất đai chi nhánh Ninh Hòa"
    assert second["E"] == 12
    assert second["F"] is None and second["G"] is None


def test_widths_follow_the_values_and_are_capped():
    df = pd.DataFrame({"code": ["A1"], "procedure_name": ["x" * 200], "agency": ["Văn phòng Đăng ký đất đai"]})
    ws = open_sheet(build(df))
    widths = {k: ws.column_dimensions[k].width for k in "ABC"}
    assert widths["A"] < 12  # short values, short header
    assert widths["B"] <= excel._MAX_WIDTH + 1  # capped
    assert widths["B"] > widths["C"] > widths["A"]
    assert widths["C"] >= len("Văn phòng Đăng ký đất đai")


def test_column_specs_select_order_rename_and_set_kinds():
    df = pd.DataFrame(
        {"a": [1, 2], "b": ["x", "y"], "c": [0.5, 0.25], "d": [datetime(2026, 3, 1, 8, 5), datetime(2026, 3, 2)]}
    )
    ws = open_sheet(
        build(
            df,
            columns={
                "c": ColumnSpec("Tỷ lệ", "percent"),
                "b": "Tên",
                "d": ColumnSpec("Ngày", "date", width=20),
            },
        )
    )
    assert [c.value for c in ws[4]] == ["Tỷ lệ", "Tên", "Ngày"]
    assert ws["A5"].value == 0.5 and ws["A5"].number_format == "0.0%"
    assert ws["B6"].value == "y"
    assert ws["C5"].value == datetime(2026, 3, 1) and ws["C5"].number_format == "dd/mm/yyyy"
    assert ws.column_dimensions["C"].width == pytest.approx(20, abs=1)
    assert ws.auto_filter.ref == "A4:C6"


def test_unknown_column_in_spec_is_an_error_and_bad_kind_is_refused():
    with pytest.raises(ValueError, match="nope"):
        build(pd.DataFrame({"a": [1]}), columns={"nope": "X"})
    with pytest.raises(ValueError):
        ColumnSpec("X", "currency")


def test_empty_frame_gives_headers_and_a_no_data_row():
    ws = open_sheet(build(pd.DataFrame(columns=["code", "agency", "days_late"])))
    assert [c.value for c in ws[4]] == ["Mã hồ sơ", "Cơ quan/đơn vị", "Số ngày trễ"]
    assert ws["A5"].value == "Không có dữ liệu"
    assert ws.freeze_panes == "A5"
    assert ws.auto_filter.ref == "A4:C4"


def test_empty_list_of_rows_with_column_specs_still_has_headers():
    ws = open_sheet(build(pd.DataFrame([]), columns={"code": "Mã hồ sơ", "late": ColumnSpec("Số lần trễ hạn", "int")}))
    assert [c.value for c in ws[4]] == ["Mã hồ sơ", "Số lần trễ hạn"]
    assert ws["A5"].value == "Không có dữ liệu"


def test_english_empty_message_and_headers():
    ws = open_sheet(build(pd.DataFrame(columns=["late_rate"]), lang="en", subtitle_lines=[]))
    assert ws["A2"].value == "Late rate"
    assert ws["A3"].value == "No data"


def test_kind_inference():
    assert excel.infer_kind(pd.Series([1, 2]), "resolved") == "int"
    assert excel.infer_kind(pd.Series([1.0, None]), "resolved") == "int"
    assert excel.infer_kind(pd.Series([1.5, None]), "years_without") == "float"
    assert excel.infer_kind(pd.Series([0.5, None]), "late_rate") == "percent"
    assert excel.infer_kind(pd.Series([0.5]), "online_share") == "percent"
    assert excel.infer_kind(pd.Series([0.5]), "progress_766") == "percent"
    assert excel.infer_kind(pd.Series([date(2026, 1, 1), None]), "last_received") == "date"
    assert excel.infer_kind(pd.Series([datetime(2026, 1, 1, 8), None]), "received_at") == "datetime"
    assert excel.infer_kind(pd.Series(pd.to_datetime(["2026-01-01", "2026-02-01"])), "x") == "date"
    assert excel.infer_kind(pd.Series(["a", None]), "agency") == "text"
    assert excel.infer_kind(pd.Series([True, False]), "in_force") == "bool"
    assert excel.infer_kind(pd.Series([None, None]), "x") == "text"


def test_bools_text_that_looks_like_formulas_and_control_characters():
    df = pd.DataFrame(
        {"in_force": [True, False], "note": ["=1+1", "a\x01b & <c>"], "code": ["0012", " lề trái"]}
    )
    ws = open_sheet(build(df))
    assert [ws["A5"].value, ws["A6"].value] == ["Có", "Không"]
    assert ws["B5"].value == "=1+1" and ws["B5"].data_type == "s"
    assert ws["B6"].value == "ab & <c>"
    assert ws["C5"].value == "0012"
    assert ws["C6"].value == " lề trái"


def test_non_string_and_duplicate_column_names():
    df = pd.DataFrame([[1, "a", 2.5]], columns=[2026, "x", "x"])
    ws = open_sheet(build(df))
    assert [c.value for c in ws[4]] == ["2026", "x", "x"]
    assert ws["A5"].value == 1


def test_channel_and_status_codes_are_written_by_name():
    df = pd.DataFrame({"channel": ["online", "postal", None, "Trực tiếp"], "status": [10, 5, None, 4]})
    ws = open_sheet(build(df))
    assert [ws.cell(r, 1).value for r in range(5, 9)] == ["Trực tuyến", "Bưu chính công ích", None, "Trực tiếp"]
    assert [ws.cell(r, 2).value for r in range(5, 9)] == [
        "Đã trả kết quả", "Yêu cầu bổ sung giấy tờ", None, "Đang xử lý"]
    en = open_sheet(build(df, lang="en"))
    assert en["A5"].value == "Online"
    raw = open_sheet(build(df, name_codes=False))
    assert (raw["A5"].value, raw["B5"].value) == ("online", 10)


def test_vietnamese_text_stays_nfc():
    import unicodedata

    text = unicodedata.normalize("NFC", "Chứng thực bản sao từ bản chính")
    ws = open_sheet(build(pd.DataFrame({"procedure_name": [text]})))
    assert ws["A5"].value == text


def test_streamed_rows_equal_the_cell_by_cell_reference():
    df = late_dossiers()
    df = pd.concat([df] * 30, ignore_index=True)
    df["in_force"] = [i % 2 == 0 for i in range(len(df))]
    spec = SheetSpec(df, "T", ["S"])
    fast = open_sheet(excel._build([spec], lang="vi", stream=True))
    slow = open_sheet(excel._build([spec], lang="vi", stream=False))
    assert fast.max_row == slow.max_row == 3 + len(df)
    for fast_row, slow_row in zip(fast.iter_rows(), slow.iter_rows(), strict=True):
        assert [c.value for c in fast_row] == [c.value for c in slow_row]
        assert [c.number_format for c in fast_row] == [c.number_format for c in slow_row]
    assert fast.auto_filter.ref == slow.auto_filter.ref
    assert fast.dimensions == slow.dimensions


def test_multi_table_workbook():
    data = multi_table_to_xlsx(
        [
            SheetSpec(pd.DataFrame({"agency": ["A"], "late": [3]}), "Theo cơ quan", sheet_name="Cơ quan"),
            SheetSpec(pd.DataFrame({"field": ["Hộ tịch"]}), "Theo lĩnh vực", sheet_name="Cơ quan"),
            SheetSpec(pd.DataFrame(), "Trống", sheet_name="Giai đoạn: trễ/hạn [x]"),
        ]
    )
    wb = load_workbook(io.BytesIO(data))
    # Characters a tab may not hold become spaces, and runs of spaces one.
    assert wb.sheetnames == ["Cơ quan", "Cơ quan (2)", "Giai đoạn trễ hạn x"]
    assert wb["Cơ quan"]["B3"].value == 3
    assert wb["Cơ quan (2)"]["A3"].value == "Hộ tịch"
    assert wb.worksheets[2]["A2"].value == "Không có dữ liệu"
    with pytest.raises(ValueError):
        multi_table_to_xlsx([])


def test_workbook_is_a_valid_zip_with_print_setup():
    data = build()
    assert zipfile.ZipFile(io.BytesIO(data)).testzip() is None
    ws = open_sheet(data)
    assert ws.page_setup.orientation == "landscape"
    assert ws.print_title_rows == "$4:$4"


def test_subtitles_and_download_name():
    lines = excel.subtitles(
        date(2026, 7, 1),
        date(2026, 9, 30),
        data_date=date(2026, 9, 28),
        filters={"agency": "UBND xã Ninh Đa", "field": None, "channel": "online"},
    )
    assert lines == [
        "Kỳ số liệu: 01/07/2026 – 30/09/2026",
        "Bộ lọc: Cơ quan/đơn vị: UBND xã Ninh Đa; Kênh nộp: Trực tuyến",
        "Dữ liệu cập nhật đến ngày 28/09/2026",
    ]
    assert excel.subtitles(date(2026, 7, 1), date(2026, 9, 30), lang="en") == ["Period: 01/07/2026 – 30/09/2026"]
    assert excel.download_name("Tỷ lệ đúng hạn", date(2026, 7, 1), date(2026, 9, 30)) == (
        "ty-le-dung-han_2026-07-01_2026-09-30.xlsx"
    )
    assert excel.download_name("Đất đai / Hộ tịch") == "dat-dai-ho-tich.xlsx"


def test_a_year_of_dossiers_is_written_whole():
    n = 50_000
    df = pd.DataFrame(
        {
            "code": [f"000.00.12.H42-{i:07d}" for i in range(n)],
            "procedure_code": [f"1.00{i % 300:04d}" for i in range(n)],
            "procedure_name": [f"Cấp bản sao trích lục hộ tịch {i % 300}" for i in range(n)],
            "field": ["Hộ tịch", "Chứng thực", "Đất đai", "Tư pháp"] * (n // 4),
            "agency": [f"UBND xã Ninh Hòa {i % 20}" for i in range(n)],
            "channel": ["Trực tuyến", "Trực tiếp"] * (n // 2),
            "received_at": pd.date_range("2025-01-01 07:30", periods=n, freq="10min"),
            "due_at": pd.date_range("2025-01-10", periods=n, freq="10min").normalize(),
            "finished_at": [None if i % 10 == 0 else datetime(2025, 6, 1, 9, 0) for i in range(n)],
            "days_late": [i % 30 for i in range(n)],
            "late_stage": ["Thẩm định"] * n,
            "late_handler": ["Nguyễn Văn An"] * n,
            "status": ["Đã trả kết quả"] * n,
        }
    )
    # Speed is measured by scripts/bench_excel.py, not asserted here.
    data = table_to_xlsx(df, title="Danh sách hồ sơ", subtitle_lines=["Kỳ số liệu: năm 2025"])
    # openpyxl needs ~30 s to read this back; calamine (the importer's reader) well under 1 s.
    rows = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0).to_python()
    assert len(rows) == 2 + 1 + n
    last = rows[-1]
    assert last[0] == f"000.00.12.H42-{n - 1:07d}"
    assert last[6] == datetime(2025, 1, 1, 7, 30) + (n - 1) * pd.Timedelta("10min").to_pytimedelta()
    assert last[9] == (n - 1) % 30


def test_file_names_carry_scope_and_period():
    q3 = (date(2026, 7, 1), date(2026, 9, 30))
    whole = excel.download_name("Biểu 06", *q3)
    one = excel.download_name("Biểu 06", *q3, scope=["Phòng Tư pháp"])
    other = excel.download_name("Biểu 06", *q3, scope=["Phòng Nội vụ"])
    assert whole == "bieu-06_2026-07-01_2026-09-30.xlsx"
    assert one.startswith("bieu-06_phong-tu-phap-") and one.endswith("_2026-07-01_2026-09-30.xlsx")
    # One name per scope and period: a second download never overwrites the first...
    names = {whole, one, other, excel.download_name("Biểu 06", date(2026, 4, 1), date(2026, 6, 30),
                                                     scope=["Phòng Tư pháp"])}
    assert len(names) == 4
    # ...even for names that fold to the same ASCII, and the same scope gives the same name.
    assert excel.download_name("x", *q3, scope=["UBND xã An Hòa"]) != excel.download_name(
        "x", *q3, scope=["UBND xã An Hoà"])
    assert excel.download_name("x", *q3, scope=["Phòng Tư pháp"]) == excel.download_name(
        "x", *q3, scope=["Phòng Tư pháp"])
    assert excel.download_name("hop", *q3, ext="pptx").endswith(".pptx")


def test_a_long_scope_is_cut_at_a_word():
    name = excel.download_name("x", scope=["Chi nhánh Văn phòng đăng ký đất đai huyện An Phước", "Đất đai"])
    words = name.removesuffix(".xlsx").split("_")[1].split("-")[:-1]  # the last part is the fingerprint
    full = "chi-nhanh-van-phong-dang-ky-dat-dai-huyen-an-phuoc-dat-dai".split("-")
    assert words == full[: len(words)] and 0 < len("-".join(words)) <= excel.SCOPE_SLUG_CHARS


def test_scope_values_of_filters():
    q3 = (date(2026, 7, 1), date(2026, 9, 30))
    assert excel.scope_values(Filters(*q3)) == []
    assert excel.scope_values(Filters(*q3, agency="A", channel="online", scope=frozenset({"A", "B"}))) == [
        "A", "online"]
    assert excel.scope_values(Filters(*q3, scope=frozenset({"B", "A"}))) == ["A", "B"]


@pytest.mark.parametrize("title", [
    "Tỷ lệ giải quyết đúng hạn theo cơ quan, đơn vị",
    "Hồ sơ trễ hạn của Phòng Tài nguyên và Môi trường",
    "Đề xuất cắt giảm thủ tục hành chính không phát sinh hồ sơ",
    "Trễ hạn theo giai đoạn và cơ quan",
    "Late dossiers of the Department of Natural Resources",
])
def test_sheet_names_end_at_a_word(title):
    name = excel.sheet_title(title)
    assert 0 < len(name) <= 31
    abbreviations = {word.strip(",") for _, short in excel.SHEET_ABBREVIATIONS for word in short.split()}
    original = [w.strip(",") for w in title.lower().split()]
    for word in name.split():
        assert word.lower().strip(",") in original or word.strip(",") in abbreviations, (name, word)
    assert name.split()[-1].lower() not in excel._JOINING_WORDS  # never "… Tài nguyên và"
    data = table_to_xlsx(pd.DataFrame({"a": [1]}), title=title, sheet_name=name)
    assert load_workbook(io.BytesIO(data)).sheetnames == [name]


def test_a_short_sheet_name_is_kept_and_duplicates_stay_whole():
    assert excel.sheet_title("Theo tháng") == "Theo tháng"
    assert excel.sheet_title("Tỷ lệ giải quyết đúng hạn theo cơ quan, đơn vị") == "Tỷ lệ GQ đúng hạn theo CQ, ĐV"
    assert excel.sheet_title("Hồ sơ trễ hạn của Phòng Tài nguyên và Môi trường") == "HS trễ của Phòng Tài nguyên"
    data = multi_table_to_xlsx([SheetSpec(pd.DataFrame({"a": [1]}), "t", sheet_name="Hồ sơ trễ hạn của Phòng "
                                          "Tài nguyên và Môi trường")] * 2)
    names = load_workbook(io.BytesIO(data)).sheetnames
    assert len(set(names)) == 2 and names[1].endswith(" (2)") and all(len(n) <= 31 for n in names)


def test_no_line_is_said_twice_in_a_title_block():
    lines = ["Kỳ số liệu: 01/07/2026 – 30/09/2026", "Bộ lọc: Cơ quan/đơn vị: Phòng Tư pháp",
             "Cơ quan/đơn vị: Phòng Tư pháp", "Kỳ số liệu: 01/07/2026 – 30/09/2026", "Hồ sơ trễ hạn"]
    assert excel.unique_lines("Hồ sơ trễ hạn", lines) == lines[:2]
    data = table_to_xlsx(pd.DataFrame({"a": [1]}), title="Hồ sơ trễ hạn", subtitle_lines=lines)
    ws = open_sheet(data)
    block = [ws.cell(r, 1).value for r in range(1, 4)]
    assert block == ["Hồ sơ trễ hạn", *lines[:2]]

"""The importer: every rule of issue 2 section 2, on small files built here."""

from __future__ import annotations

import hashlib
import json
import os
import threading
import unicodedata
from datetime import date, datetime, time
from pathlib import Path

import duckdb
import numpy as np
import pytest
import xlsxwriter
from hypothesis import given, settings
from hypothesis import strategies as st

from analytics.ingest import importer
from analytics.ingest.columns import ALIASES, CITIZEN_HEADERS, COLUMNS, SHEET_NAMES, header_key, is_citizen_header
from analytics.ingest.importer import (
    REASON_BAD_DATE,
    REASON_CHANNEL,
    REASON_DUE_BEFORE_RECEIVED,
    REASON_DUPLICATE_DOSSIER,
    REASON_DUPLICATE_PROCEDURE,
    REASON_FINISHED_BEFORE_RECEIVED,
    REASON_FLAG,
    REASON_MISSING,
    REASON_NOT_A_DATE,
    REASON_STATUS,
    REASON_UNKNOWN_DOSSIER,
    ImportFailed,
    apply_import,
    import_files,
    plan_import,
    run_import_command,
)
from analytics.ingest.parsing import (
    DATE_INVALID,
    DATE_NOT_A_DATE,
    DATE_OK,
    clean_texts,
    parse_dates,
)
from analytics.locale.text import clean_text
from analytics.store.database import AnalyticsStore

DOSSIER_HEADER = ["Mã hồ sơ", "Mã TTHC", "Tên TTHC", "Lĩnh vực", "Cơ quan giải quyết", "Kênh nộp",
                  "Ngày tiếp nhận", "Ngày hẹn trả", "Ngày kết thúc xử lý", "Trạng thái"]
STEP_HEADER = ["Mã hồ sơ", "Bước", "Tên bước", "Người xử lý", "Đơn vị xử lý", "Ngày bắt đầu",
               "Hạn xử lý", "Ngày kết thúc"]
CATALOG_HEADER = ["Mã TTHC", "Tên TTHC", "Lĩnh vực", "Cấp thực hiện", "Mức độ DVCTT", "Ngày công bố", "Trạng thái"]


def dossier(code="HS1", *, procedure="1.001", name="Đăng ký khai sinh", field="Hộ tịch", agency="UBND xã An Bình",
            channel="Trực tuyến", received="01/04/2026", due="10/04/2026", finished="05/04/2026",
            status="Đã trả kết quả"):
    return [code, procedure, name, field, agency, channel, received, due, finished, status]


def step(code="HS1", no=1, name="Tiếp nhận", handler="Cán bộ Lan", agency="", started="01/04/2026",
         due="02/04/2026", finished="02/04/2026"):
    return [code, no, name, handler, agency, started, due, finished]


def write_xlsx(path: Path, sheets: dict[str, list[list]]) -> Path:
    """A workbook as one-stop software writes it; datetime/date values become Excel date cells."""
    book = xlsxwriter.Workbook(str(path))
    day = book.add_format({"num_format": "dd/mm/yyyy"})
    stamp = book.add_format({"num_format": "dd/mm/yyyy hh:mm"})
    for name, rows in sheets.items():
        sheet = book.add_worksheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if value is None or value == "":
                    continue
                if isinstance(value, datetime):
                    sheet.write_datetime(r, c, value, stamp)
                elif isinstance(value, date):
                    sheet.write_datetime(r, c, datetime.combine(value, time()), day)
                elif isinstance(value, bool):
                    sheet.write_boolean(r, c, value)
                else:
                    sheet.write(r, c, value)
    book.close()
    return path


def write_csv(path: Path, rows: list[list], *, encoding="utf-8", delimiter=",") -> Path:
    lines = [delimiter.join(_csv_cell(v, delimiter) for v in row) for row in rows]
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode(encoding))
    return path


def _csv_cell(value, delimiter):
    text = "" if value is None else str(value)
    return f'"{text}"' if delimiter in text or '"' in text else text


def query(db: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(Path(db).resolve()), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def dossier_rows(db: Path) -> dict[str, tuple]:
    rows = query(db, "select code, procedure_code, field, agency, channel, received_at, due_at, "
                     "finished_at, returned_at, status from dossiers order by code")
    return {r[0]: r[1:] for r in rows}


def snapshot(db: Path) -> dict[str, list[tuple]]:
    return {t: query(db, f"select * from {t} order by all") for t in ("dossiers", "steps", "procedures", "agencies")}


def state_of(directory: Path, db: Path) -> tuple:
    """Everything a failed import must leave alone: the database bytes, its link, the folder."""
    files = sorted(str(p.relative_to(directory)) for p in directory.rglob("*"))
    content = hashlib.sha256(db.read_bytes()).hexdigest() if db.exists() else None
    link = os.readlink(db) if db.is_symlink() else None
    return files, content, link


def rejects_of(plan) -> list[tuple]:
    return [(r.sheet, r.row, r.column, r.reason, r.value) for r in plan.rejects.itertuples()]


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "data" / "office.duckdb"


# -- headers ------------------------------------------------------------------------

@pytest.mark.parametrize("code_header", ["MÃ HỒ SƠ", "Ma ho so", "Mã hồ sơ", "  mã   HỒ  sơ ", "Mã hồ sơ (*)",
                                         "Ma\u0300 hô\u0300 sơ"])
@pytest.mark.parametrize("agency_header", ["ĐƠN VỊ XỬ LÝ", "Don vi xu ly", "đơn vị xử lý"])
def test_headers_match_ignoring_case_spaces_diacritics_and_d(tmp_path, code_header, agency_header):
    header = [code_header if h == "Mã hồ sơ" else agency_header if h == "Cơ quan giải quyết" else h
              for h in DOSSIER_HEADER]
    path = write_csv(tmp_path / "hs.csv", [header, dossier("HS-A")])
    plan = plan_import([path])
    (mapping,) = plan.sheets
    assert mapping.table == "dossiers"
    assert mapping.columns[clean_text(code_header)] == "code"
    assert mapping.columns[clean_text(agency_header)] == "agency"
    assert plan.dossiers[["code", "agency"]].values.tolist() == [["HS-A", "UBND xã An Bình"]]


def test_upper_case_unaccented_headers_import(tmp_path, db):
    header = [header_key(h).upper() for h in DOSSIER_HEADER]  # "MA HO SO", "CO QUAN GIAI QUYET"...
    report = import_files([write_csv(tmp_path / "hs.csv", [header, dossier("HS-A")])], db)
    assert report.tables["dossiers"]["accepted"] == 1
    assert query(db, "select code, agency, channel from dossiers") == [("HS-A", "UBND xã An Bình", "online")]


def test_header_key_folds_d_and_notes():
    assert header_key("ĐƠN VỊ") == header_key("don vi") == "don vi"
    assert header_key("Ngày tiếp nhận (dd/mm/yyyy)") == "ngay tiep nhan"
    assert header_key("Mã hồ sơ:") == "ma ho so"


ALIASES_WITH_CITIZEN_WORDS = {"Đơn vị/ cá nhân giải quyết", "Ngày trả công dân", "Người nhận"}


def test_alias_table_maps_each_header_to_one_column():
    for table, columns in COLUMNS.items():
        owners: dict[str, str] = {}
        for col in columns:
            for alias in col.aliases:
                key = header_key(alias)
                assert owners.setdefault(key, col.name) == col.name, (table, alias)
                # Aliases are matched before the citizen rules; those with a citizen word
                # ("cá nhân", "công dân", "người nhận") are staff or dates, named on purpose.
                assert not is_citizen_header(alias) or alias in ALIASES_WITH_CITIZEN_WORDS, alias
        assert ALIASES[table] == owners


def test_first_listed_alias_wins_and_the_other_is_ignored(tmp_path):
    header = DOSSIER_HEADER + ["Đơn vị"]  # "Cơ quan giải quyết" is listed first for the agency
    path = write_csv(tmp_path / "hs.csv", [header, dossier() + ["Phòng Tư pháp"]])
    plan = plan_import([path])
    assert plan.dossiers["agency"].tolist() == ["UBND xã An Bình"]
    assert plan.ignored_columns == ["Đơn vị"]


# -- sheets and header rows -------------------------------------------------------------

@pytest.mark.parametrize("dossier_sheet", ["Danh sách hồ sơ", "Hồ sơ", "HoSo", "HỒ SƠ", "ho so"])
def test_sheets_matched_by_name_other_sheets_skipped(tmp_path, db, dossier_sheet):
    path = write_xlsx(tmp_path / "export.xlsx", {
        "Thống kê": [["Tổng", 3]],
        dossier_sheet: [DOSSIER_HEADER, dossier("HS1")],
        "QuaTrinhXuLy": [STEP_HEADER, step("HS1")],
        "Danh mục TTHC": [CATALOG_HEADER, ["1.001", "Đăng ký khai sinh", "Hộ tịch", "Cấp xã", "Toàn trình", "", ""]],
        "Danh mục đơn vị": [["Tên đơn vị", "Cấp", "Đơn vị cấp trên"], ["UBND xã An Bình", "Xã", "UBND huyện Đông"]],
        "Ghi chú": [["Mã hồ sơ", "Kênh nộp"], ["HS9", "Trực tuyến"]],
    })
    report = import_files([path], db)
    assert report.skipped_sheets == ["export.xlsx: Thống kê", "export.xlsx: Ghi chú"]
    assert {t: c["accepted"] for t, c in report.tables.items()} == {
        "dossiers": 1, "steps": 1, "procedures": 1, "agencies": 1}
    assert [m.table for m in report.sheets] == ["dossiers", "steps", "procedures", "agencies"]


def test_workbook_without_named_sheets_is_matched_by_header(tmp_path, db):
    path = write_xlsx(tmp_path / "export.xlsx", {
        "Sheet1": [DOSSIER_HEADER, dossier("HS1")],
        "Sheet2": [["Ghi chú"], ["không có gì"]],
    })
    report = import_files([path], db)
    assert report.tables["dossiers"]["accepted"] == 1
    assert report.skipped_sheets == ["export.xlsx: Sheet2"]


def test_title_rows_above_header_and_rows_as_excel_shows_them(tmp_path):
    path = write_xlsx(tmp_path / "export.xlsx", {"Danh sách hồ sơ": [
        ["DANH SÁCH HỒ SƠ TIẾP NHẬN"],
        ["Từ ngày 01/04/2026 đến ngày 30/04/2026"],
        [],
        DOSSIER_HEADER,
        dossier("HS1"),
        [],  # a blank line is not a row of data
        dossier("HS2", channel="Fax"),
    ]})
    plan = plan_import([path])
    assert plan.sheets[0].header_row == 4
    assert plan.dossiers["code"].tolist() == ["HS1"]
    assert rejects_of(plan) == [("Danh sách hồ sơ", 7, "Kênh nộp", REASON_CHANNEL, "Fax")]


def test_column_number_row_under_the_header_is_not_data(tmp_path):
    numbers = [f"({i})" for i in range(1, len(DOSSIER_HEADER) + 1)]
    path = write_xlsx(tmp_path / "e.xlsx", {"Hồ sơ": [DOSSIER_HEADER, numbers, dossier("HS1")]})
    plan = plan_import([path])
    assert plan.dossiers["code"].tolist() == ["HS1"]
    assert plan.counts()["dossiers"] == {"accepted": 1, "rejected": 0}


def test_header_only_file_imports_nothing(tmp_path, db):
    report = import_files([write_csv(tmp_path / "d.csv", [DOSSIER_HEADER])], db)
    assert report.tables["dossiers"] == {"accepted": 0, "rejected": 0, "changed": 0}
    assert query(db, "select count(*) from import_log") == [(1,)]


def test_csv_matched_by_header_row_with_title_rows(tmp_path, db):
    steps_csv = write_csv(tmp_path / "b.csv", [["QUÁ TRÌNH XỬ LÝ"], [], STEP_HEADER, step("HS1")])
    dossiers_csv = write_csv(tmp_path / "a.csv", [["Báo cáo"], DOSSIER_HEADER, dossier("HS1")])
    catalog_csv = write_csv(tmp_path / "c.csv", [CATALOG_HEADER[:3], ["1.001", "Khai sinh", "Hộ tịch"]])
    plan = plan_import([dossiers_csv, steps_csv, catalog_csv], db)
    assert [(m.file, m.table, m.header_row) for m in plan.sheets] == [
        ("a.csv", "dossiers", 2), ("b.csv", "steps", 3), ("c.csv", "procedures", 1)]


# -- values -------------------------------------------------------------------------------

def test_each_date_format_day_first(tmp_path, db):
    rows = [
        dossier("D1", received=datetime(2026, 4, 3, 8, 30), due=date(2026, 4, 10), finished=""),
        dossier("D2", received="03/04/2026", due="04/04/2026", finished=""),
        dossier("D3", received="03/04/2026 08:30", due="10/04/2026 17:00:05", finished=""),
        dossier("D4", received="2026-04-03", due="2026-04-10 16:45:00", finished=""),
        dossier("D5", received=46115.5, due="10/04/2026", finished=""),  # an Excel serial number
        dossier("D6", received="3/4/2026 8:05", due="10/4/2026", finished=""),
    ]
    for row in rows:
        row[-1] = ""  # no status: in progress
    write_xlsx(tmp_path / "d.xlsx", {"Hồ sơ": [DOSSIER_HEADER, *rows]})
    import_files([tmp_path / "d.xlsx"], db)
    got = {code: (r[4], r[5]) for code, r in dossier_rows(db).items()}
    assert got == {
        "D1": (datetime(2026, 4, 3, 8, 30), datetime(2026, 4, 10)),
        "D2": (datetime(2026, 4, 3), datetime(2026, 4, 4)),
        "D3": (datetime(2026, 4, 3, 8, 30), datetime(2026, 4, 10, 17, 0, 5)),
        "D4": (datetime(2026, 4, 3), datetime(2026, 4, 10, 16, 45)),
        "D5": (datetime(2026, 4, 3, 12, 0), datetime(2026, 4, 10)),
        "D6": (datetime(2026, 4, 3, 8, 5), datetime(2026, 4, 10)),
    }


def test_parse_dates_states():
    raw = np.array(["31/02/2026", "29/02/2025", "29/02/2024", "abc", "03/04/26", "", None,
                    "03/04/2026 25:00", "10:30 03/04/2026", time(10, 0)], dtype=object)
    values, state = parse_dates(raw)
    assert state.tolist() == [DATE_INVALID, DATE_INVALID, DATE_OK, DATE_NOT_A_DATE, DATE_NOT_A_DATE,
                              DATE_OK, DATE_OK, DATE_INVALID, DATE_OK, DATE_NOT_A_DATE]
    assert values[2] == np.datetime64("2024-02-29")
    assert values[8] == np.datetime64("2026-04-03T10:30")
    assert np.isnat(values[5]) and np.isnat(values[6])


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(st.none(), st.text(alphabet=st.characters(codec="utf-8"), max_size=12)), max_size=20))
def test_clean_texts_is_clean_text_for_a_whole_column(values):
    got = [None if str(v) == "<NA>" else v for v in clean_texts(np.array(values, dtype=object))]
    assert got == [clean_text(v) for v in values]


@settings(max_examples=60, deadline=None)
@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)),
       st.times().map(lambda t: t.replace(microsecond=0)))
def test_written_dates_parse_back_day_first(day, clock):
    stamp = datetime.combine(day, clock)
    raw = np.array([day.strftime("%d/%m/%Y"), stamp.strftime("%d/%m/%Y %H:%M:%S"),
                    f"{day.day}/{day.month}/{day.year}", stamp.isoformat(sep=" "), stamp], dtype=object)
    values, state = parse_dates(raw)
    assert state.tolist() == [DATE_OK] * 5
    assert values.tolist() == [datetime.combine(day, time()), stamp, datetime.combine(day, time()), stamp, stamp]


def test_clean_texts_matches_clean_text():
    samples = ["  Hộ\u00a0 tịch  ", "Ho\u0300a", "a\tb\nc", "", "   ", None, "Đ\u2003Đ", 12.0, 12.5, True]
    got = list(clean_texts(np.array(samples, dtype=object)))
    want = [clean_text(s) for s in samples[:7]] + ["12", "12.5", "TRUE"]
    assert [None if g is None or g is np.nan or str(g) == "<NA>" else g for g in got] == want


@pytest.mark.parametrize(("written", "channel"), [
    ("Trực tuyến", "online"), ("TRỰC TUYẾN", "online"), ("truc tuyen", "online"), ("2", "online"), (2, "online"),
    ("Trực tiếp", "direct"), ("1", "direct"), (1, "direct"),
    ("Bưu chính công ích", "postal"), ("BCCI", "postal"), ("Qua bưu chính", "postal"), ("3", "postal"),
])
def test_channel_names_and_codes(tmp_path, written, channel):
    path = write_xlsx(tmp_path / "c.xlsx", {"Hồ sơ": [DOSSIER_HEADER, dossier(channel=written)]})
    assert plan_import([path]).dossiers["channel"].tolist() == [channel]


STATUS_BY_NAME = {
    "Mới đăng ký": 1, "Được tiếp nhận": 2, "Không được tiếp nhận": 3, "Đang xử lý": 4,
    "Yêu cầu bổ sung giấy tờ": 5, "Yêu cầu thực hiện nghĩa vụ tài chính": 6,
    "Công dân yêu cầu rút hồ sơ": 7, "Dừng xử lý": 8, "Đã xử lý xong": 9, "Đã trả kết quả": 10,
    "ĐANG XỬ LÝ": 4, "da tra ket qua": 10, "5": 5, 10: 10,
}


def test_status_names_and_codes(tmp_path):
    rows = [dossier(f"S{i}", status=written) for i, written in enumerate(STATUS_BY_NAME)]
    path = write_xlsx(tmp_path / "s.xlsx", {"Hồ sơ": [DOSSIER_HEADER, *rows]})
    plan = plan_import([path])
    assert plan.dossiers["status"].tolist() == list(STATUS_BY_NAME.values())


def test_flags(tmp_path):
    header = DOSSIER_HEADER + ["Liên thông", "Đã gắn kết quả"]
    flags = [("Có", "Không"), ("x", ""), (1, 0), ("TRUE", "FALSE"), (True, False), ("không", "có")]
    rows = [dossier(f"F{i}") + [a, b] for i, (a, b) in enumerate(flags)]
    path = write_xlsx(tmp_path / "f.xlsx", {"Hồ sơ": [header, *rows, dossier("F9") + ["có lẽ", ""]]})
    plan = plan_import([path])
    assert plan.dossiers["inter_agency"].tolist() == [True, True, True, True, True, False]
    assert plan.dossiers["result_attached"].tolist() == [False, False, False, False, False, True]
    assert rejects_of(plan) == [("Hồ sơ", 8, "Liên thông", REASON_FLAG, "có lẽ")]


def test_flags_absent_columns_are_unknown_and_inter_agency_false(tmp_path):
    path = write_csv(tmp_path / "hs.csv", [DOSSIER_HEADER, dossier()])
    row = plan_import([path]).dossiers.iloc[0]
    assert isinstance(row["inter_agency"], (bool, np.bool_)) and not row["inter_agency"]
    assert str(row["result_attached"]) == "<NA>"


def test_catalog_values(tmp_path, db):
    rows = [
        ["P1", "Thủ tục 1", "Hộ tịch", "Cấp xã", "Toàn trình", "15/01/2021", "Còn hiệu lực"],
        ["P2", "Thủ tục 2", "Hộ tịch", "Cấp huyện", "Mức độ 4", date(2021, 1, 16), "Đã bãi bỏ"],
        ["P3", "Thủ tục 3", "Đất đai", "Cấp Tỉnh", "Mức độ 3", "", ""],
        ["P4", "Thủ tục 4", "Đất đai", "Cấp Tỉnh, Cấp Huyện", "Mức độ 2", "", "Còn hiệu lực"],
        ["P5", "Thủ tục 5", "Đất đai", "Xã", "Một phần", "", ""],
        ["P6", "Thủ tục 6", "Đất đai", "", "Không", "", ""],
    ]
    path = write_xlsx(tmp_path / "c.xlsx", {"TTHC": [CATALOG_HEADER, *rows]})
    import_files([path], db)
    assert query(db, "select code, level, online_level, published_on, in_force from procedures order by code") == [
        ("P1", "Xã", "Toàn trình", date(2021, 1, 15), True),
        ("P2", "Huyện", "Toàn trình", date(2021, 1, 16), False),
        ("P3", "Tỉnh", "Một phần", None, True),
        ("P4", None, "Không", None, True),  # several levels: no single level to give an agency
        ("P5", "Xã", "Một phần", None, True),
        ("P6", None, "Không", None, True),
    ]


def test_text_is_nfc_with_whitespace_collapsed(tmp_path):
    decomposed = unicodedata.normalize("NFD", "UBND phường Bến Nghé")
    path = write_csv(tmp_path / "hs.csv", [DOSSIER_HEADER, dossier(agency=f"  {decomposed}   ")])
    assert plan_import([path]).dossiers["agency"].tolist() == ["UBND phường Bến Nghé"]


# -- bad rows -----------------------------------------------------------------------------

def test_each_bad_row_kind_with_row_column_reason_and_value(tmp_path, db):
    rows = [
        dossier("OK1"),                                               # row 2
        dossier("M1", agency=""),                                     # row 3: missing required
        dossier("B1", received="abc"),                                # row 4: not a date
        dossier("B2", due="31/02/2026"),                              # row 5: no such day
        dossier("B3", received="10/04/2026", due="09/04/2026", finished="", status="4"),  # row 6: due < received
        dossier("B4", received="10/04/2026", due="20/04/2026", finished="09/04/2026"),  # row 7
        dossier("B5", channel="Zalo"),                                # row 8: unknown channel
        dossier("B6", status="Chờ ký"),                               # row 9: unknown status
        dossier("B7", finished="", status="Đã xử lý xong"),           # row 10: closed without a date
        dossier("OK2", received="10/04/2026 15:00", due="10/04/2026 08:00", finished=""),  # row 11: same day
    ]
    for row in rows[-1:]:
        row[-1] = ""
    path = write_csv(tmp_path / "hs.csv", [DOSSIER_HEADER, *rows])
    plan = plan_import([path], db)
    assert rejects_of(plan) == [
        (None, 3, "Cơ quan giải quyết", REASON_MISSING, None),
        (None, 4, "Ngày tiếp nhận", REASON_NOT_A_DATE, "abc"),
        (None, 5, "Ngày hẹn trả", REASON_BAD_DATE, "31/02/2026"),
        (None, 6, "Ngày hẹn trả", REASON_DUE_BEFORE_RECEIVED, "09/04/2026"),
        (None, 7, "Ngày kết thúc xử lý", REASON_FINISHED_BEFORE_RECEIVED, "09/04/2026"),
        (None, 8, "Kênh nộp", REASON_CHANNEL, "Zalo"),
        (None, 9, "Trạng thái", REASON_STATUS, "Chờ ký"),
        (None, 10, "Ngày kết thúc xử lý",
         "Trạng thái 9 (Đã xử lý xong) cần ngày kết thúc xử lý hoặc ngày trả kết quả", None),
    ]
    assert set(plan.rejects["file"]) == {"hs.csv"}
    assert sorted(plan.dossiers["code"]) == ["OK1", "OK2"]
    report = apply_import(plan, db)
    assert report.tables["dossiers"] == {"accepted": 2, "rejected": 8, "changed": 2}
    assert sorted(dossier_rows(db)) == ["OK1", "OK2"]


def test_a_row_with_two_problems_counts_once(tmp_path):
    path = write_csv(tmp_path / "hs.csv", [DOSSIER_HEADER, dossier("X", channel="?", received="xx")])
    plan = plan_import([path])
    assert [r[2] for r in rejects_of(plan)] == ["Kênh nộp", "Ngày tiếp nhận"]
    assert plan.counts()["dossiers"] == {"accepted": 0, "rejected": 1}


def test_a_dossier_code_twice_in_a_file_rejects_all_its_rows(tmp_path, db):
    path = write_csv(tmp_path / "hs.csv", [DOSSIER_HEADER, dossier("DUP"), dossier("ONE"),
                                           dossier("DUP", status="Đang xử lý", finished="")])
    plan = plan_import([path], db)
    assert rejects_of(plan) == [(None, 2, "Mã hồ sơ", REASON_DUPLICATE_DOSSIER, "DUP"),
                                (None, 4, "Mã hồ sơ", REASON_DUPLICATE_DOSSIER, "DUP")]
    assert plan.dossiers["code"].tolist() == ["ONE"]


def test_the_same_code_in_two_files_is_a_later_snapshot_not_a_duplicate(tmp_path, db):
    first = write_csv(tmp_path / "a.csv", [DOSSIER_HEADER, dossier("HS1", status="Đang xử lý", finished="")])
    second = write_csv(tmp_path / "b.csv", [DOSSIER_HEADER, dossier("HS1", status="Đã trả kết quả")])
    report = import_files([first, second], db)
    assert report.tables["dossiers"]["rejected"] == 0
    assert dossier_rows(db)["HS1"][-1] == 10
    import_files([second, first], tmp_path / "other.duckdb")
    assert dossier_rows(tmp_path / "other.duckdb")["HS1"][-1] == 4  # files apply in argument order


def test_step_of_an_unknown_dossier_is_rejected(tmp_path, db):
    path = write_xlsx(tmp_path / "e.xlsx", {
        "Hồ sơ": [DOSSIER_HEADER, dossier("HS1")],
        "Quá trình xử lý": [STEP_HEADER, step("HS1"), step("HS404", 1), step("HS404", 2)],
    })
    plan = plan_import([path], db)
    assert rejects_of(plan) == [("Quá trình xử lý", 3, "Mã hồ sơ", REASON_UNKNOWN_DOSSIER, "HS404"),
                                ("Quá trình xử lý", 4, "Mã hồ sơ", REASON_UNKNOWN_DOSSIER, "HS404")]
    assert plan.counts()["steps"] == {"accepted": 1, "rejected": 2}


def test_step_of_a_dossier_already_in_the_database_is_kept(tmp_path, db):
    import_files([write_csv(tmp_path / "a.csv", [DOSSIER_HEADER, dossier("HS1", agency="UBND xã Bắc")])], db)
    steps_only = write_csv(tmp_path / "b.csv", [STEP_HEADER, step("HS1", agency="")])
    report = import_files([steps_only], db)
    assert report.tables["steps"] == {"accepted": 1, "rejected": 0, "changed": 1}
    # The step's agency defaults to its dossier's.
    assert query(db, "select dossier_code, agency from steps") == [("HS1", "UBND xã Bắc")]


def test_step_agency_defaults_to_the_dossier_in_the_same_import(tmp_path):
    path = write_xlsx(tmp_path / "e.xlsx", {
        "Hồ sơ": [DOSSIER_HEADER, dossier("HS1", agency="UBND xã Nam")],
        "Quá trình xử lý": [STEP_HEADER, step("HS1", 1), step("HS1", 2, agency="Phòng Tư pháp")],
    })
    assert plan_import([path]).steps["agency"].tolist() == ["UBND xã Nam", "Phòng Tư pháp"]


def test_required_step_values(tmp_path):
    path = write_xlsx(tmp_path / "e.xlsx", {
        "Hồ sơ": [DOSSIER_HEADER, dossier("HS1")],
        "Quá trình xử lý": [STEP_HEADER, step("HS1", handler=""), step("HS1", no="hai"), step("HS1", due="")],
    })
    plan = plan_import([path])
    assert [(r[1], r[2], r[3]) for r in rejects_of(plan)] == [
        (2, "Người xử lý", REASON_MISSING),
        (3, "Bước", importer.REASON_STEP_NO),
        (4, "Hạn xử lý", REASON_MISSING),
    ]


def test_duplicate_procedure_codes(tmp_path):
    same = ["P1", "Thủ tục 1", "Hộ tịch"]
    path = write_csv(tmp_path / "c.csv", [CATALOG_HEADER[:3], same, same, ["P2", "A", "Đất đai"],
                                          ["P2", "B", "Đất đai"]])
    plan = plan_import([path])
    assert plan.procedures["code"].tolist() == ["P1"]  # an exact repeat is one procedure
    assert [(r[1], r[3]) for r in rejects_of(plan)] == [(4, REASON_DUPLICATE_PROCEDURE),
                                                       (5, REASON_DUPLICATE_PROCEDURE)]
    assert plan.counts()["procedures"] == {"accepted": 1, "rejected": 2}


# -- citizen data ---------------------------------------------------------------------------

CITIZEN_VALUES = ("Nguyễn Thị Bí Mật", "079123456789", "12 ngõ Kín, phố Riêng", "0912000111", "bimat@example.vn")


def test_citizen_columns_never_stored_nor_in_rejects(tmp_path, db):
    header = DOSSIER_HEADER + ["Chủ hồ sơ", "Số CCCD/CMND", "Địa chỉ", "Số điện thoại", "Email", "Ghi chú"]
    rows = [dossier("HS1") + list(CITIZEN_VALUES) + ["ok"],
            dossier("HS2", channel="Không rõ") + list(CITIZEN_VALUES) + ["x"],
            dossier("HS3", received="") + list(CITIZEN_VALUES) + ["y"]]
    path = write_xlsx(tmp_path / "e.xlsx", {"Hồ sơ": [["DANH SÁCH"], header, *rows]})
    report = import_files([path], db)
    assert report.dropped_columns == ["Chủ hồ sơ", "Số CCCD/CMND", "Địa chỉ", "Số điện thoại", "Email"]
    assert report.ignored_columns == ["Ghi chú"]
    assert report.tables["dossiers"]["rejected"] == 2
    everything = json.dumps(
        {t: [list(map(str, r)) for r in query(db, f"select * from {t}")]
         for (t,) in query(db, "select table_name from information_schema.tables")},
        ensure_ascii=False)
    rejects_text = Path(report.rejects_file).read_text(encoding="utf-8-sig")
    for value in CITIZEN_VALUES:
        assert value not in everything
        assert value not in rejects_text
        assert value.encode() not in db.read_bytes()
    assert "Không rõ" in rejects_text  # an allowed column's value is shown


def test_citizen_header_variants():
    for header in CITIZEN_HEADERS + ("Số CCCD người nộp", "Địa chỉ thường trú", "SỐ ĐIỆN THOẠI LIÊN HỆ", "E-mail"):
        assert is_citizen_header(header), header
    for header in ("Ghi chú", "Người xử lý", "Ngày nhận"):
        assert not is_citizen_header(header), header


# -- fatal errors: nothing written ------------------------------------------------------------

@pytest.fixture
def filled_db(tmp_path, db) -> Path:
    import_files([write_csv(tmp_path / "base.csv", [DOSSIER_HEADER, dossier("BASE")])], db)
    return db


def _bad_files(tmp_path: Path) -> dict[str, Path]:
    garbage = tmp_path / "hong.xlsx"
    garbage.write_bytes(b"PK\x03\x04 this is not a workbook")
    wrong = tmp_path / "bao-cao.pdf"
    wrong.write_bytes(b"%PDF-1.4")
    empty = tmp_path / "rong.csv"
    empty.write_bytes(b"")
    empty_book = write_xlsx(tmp_path / "rong.xlsx", {"Sheet1": []})
    no_header = write_csv(tmp_path / "la.csv", [["Cột A", "Cột B"], ["1", "2"]])
    no_sheet = write_xlsx(tmp_path / "la.xlsx", {"Sheet1": [["x", "y"], [1, 2]]})
    # Issue 13: the channel may be missing (unknown channel); the reception date may not.
    missing = write_csv(tmp_path / "thieu.csv", [[h for h in DOSSIER_HEADER if h != "Ngày tiếp nhận"],
                                                 [v for h, v in zip(DOSSIER_HEADER, dossier(), strict=True)
                                                  if h != "Ngày tiếp nhận"]])
    missing_sheet = write_xlsx(tmp_path / "thieu.xlsx", {
        "Hồ sơ": [DOSSIER_HEADER, dossier("N1")],
        "Quá trình xử lý": [[h for h in STEP_HEADER if h != "Hạn xử lý"], ["N1", 1, "Tiếp nhận", "Lan", "", "", ""]],
    })
    return {"garbage": garbage, "wrong": wrong, "empty": empty, "empty_book": empty_book,
            "no_header": no_header, "no_sheet": no_sheet, "missing": missing,
            "missing_sheet": missing_sheet, "absent": tmp_path / "khong-co.csv"}


@pytest.mark.parametrize(("kind", "message"), [
    ("garbage", "Không đọc được tệp 'hong.xlsx'"),
    ("wrong", "loại tệp không hỗ trợ"),
    ("empty", "Tệp 'rong.csv' rỗng"),
    ("empty_book", "Tệp 'rong.xlsx' rỗng"),
    ("no_header", "không tìm thấy dòng tiêu đề"),
    ("no_sheet", "không có trang tính nào được nhận ra"),
    ("missing", "thiếu cột bắt buộc 'Ngày tiếp nhận'"),
    ("missing_sheet", "trang 'Quá trình xử lý' (Quá trình xử lý): thiếu cột bắt buộc 'Hạn xử lý'"),
    ("absent", "Không tìm thấy tệp"),
])
def test_fatal_errors_leave_the_database_byte_identical(tmp_path, filled_db, kind, message):
    bad = _bad_files(tmp_path)[kind]
    good = write_csv(tmp_path / "good.csv", [DOSSIER_HEADER, dossier("NEW")])
    before = state_of(tmp_path, filled_db)
    with pytest.raises(ImportFailed) as failure:
        import_files([good, bad], filled_db)  # the good first file is not written either
    assert message in str(failure.value)
    assert "\n" not in str(failure.value)
    assert state_of(tmp_path, filled_db) == before
    assert list(dossier_rows(filled_db)) == ["BASE"]


def test_failed_import_does_not_create_the_database(tmp_path, db):
    with pytest.raises(ImportFailed):
        import_files([_bad_files(tmp_path)["missing"]], db)
    assert not db.exists() and not db.parent.exists()


def test_the_new_version_is_opened_while_the_files_are_read(tmp_path, filled_db, monkeypatch):
    """import_files opens the new version (lock, copy, transaction) in a
    thread while the reader worker parses: the plan waits here until it is
    open, which never happens if the two ran one after the other."""
    opened = threading.Event()
    open_write, plan = AnalyticsStore.open_write, importer.plan_import

    def opening(store, incremental=False):
        pending = open_write(store, incremental)
        opened.set()
        return pending

    def planning(*args, **kwargs):
        assert opened.wait(timeout=30), "the version was not opened during the plan"
        return plan(*args, **kwargs)

    monkeypatch.setattr(AnalyticsStore, "open_write", opening)
    monkeypatch.setattr(importer, "plan_import", planning)
    report = import_files([write_csv(tmp_path / "new.csv", [DOSSIER_HEADER, dossier("NEW")])], filled_db)
    assert report.tables["dossiers"]["changed"] == 1
    assert list(dossier_rows(filled_db)) == ["BASE", "NEW"]


def test_a_write_published_before_the_lock_is_taken_makes_import_files_plan_again(tmp_path, filled_db, monkeypatch):
    """Another write lands after the plan read the database and before this
    import's version is opened: the files are planned again under the lock
    (the step of the new file names a dossier only that write added)."""
    planned = threading.Event()
    plans: list[int] = []
    other: list[Path] = [write_csv(tmp_path / "other.csv", [DOSSIER_HEADER, dossier("OTHER")])]
    open_write, plan = AnalyticsStore.open_write, importer.plan_import

    def opening(store, incremental=False):
        if other:  # the first opening only: the other import's own goes straight through
            planned.wait(timeout=30)
            import_files([other.pop()], store.path)
        return open_write(store, incremental)

    def planning(*args, **kwargs):
        plans.append(1)
        try:
            return plan(*args, **kwargs)
        finally:
            planned.set()

    steps = write_csv(tmp_path / "buoc.csv", [STEP_HEADER, step("OTHER")])
    monkeypatch.setattr(AnalyticsStore, "open_write", opening)
    monkeypatch.setattr(importer, "plan_import", planning)
    report = import_files([steps], filled_db)
    assert len(plans) == 3  # this import's plan, the other import's, this import's again
    assert report.tables["steps"] == {"accepted": 1, "rejected": 0, "changed": 1}
    assert list(dossier_rows(filled_db)) == ["BASE", "OTHER"]


def test_a_failed_write_keeps_the_database(tmp_path, filled_db, monkeypatch):
    good = write_csv(tmp_path / "good.csv", [DOSSIER_HEADER, dossier("NEW", channel="?")])
    before = state_of(tmp_path, filled_db)
    original = importer._write_rejects_file

    def fail_after_writing(path, rejects):
        original(path, rejects)
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(importer, "_write_rejects_file", fail_after_writing)
    with pytest.raises(ImportFailed, match="Không ghi được cơ sở dữ liệu"):
        import_files([good], filled_db)
    assert state_of(tmp_path, filled_db) == before


# -- encodings ---------------------------------------------------------------------------------

def _cp1258_bytes(text: str) -> bytes:
    """Text as Windows-1258 writes it: base letters, combining tone marks."""
    tones = "\u0300\u0301\u0303\u0309\u0323"
    out = bytearray()
    for ch in unicodedata.normalize("NFC", text):
        try:
            out += ch.encode("cp1258")
        except UnicodeEncodeError:
            parts = unicodedata.normalize("NFD", ch)
            tone = "".join(p for p in parts if p in tones)
            base = unicodedata.normalize("NFC", "".join(p for p in parts if p not in tones))
            out += (base + tone).encode("cp1258")
    return bytes(out)


def test_windows_1258_csv_is_decoded(tmp_path, db):
    rows = [DOSSIER_HEADER, dossier("HS1", field="Hộ tịch", agency="UBND phường Bến Nghé", name="Đăng ký kết hôn")]
    text = "\r\n".join(",".join(map(str, r)) for r in rows) + "\r\n"
    data = _cp1258_bytes(text)
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    path = tmp_path / "legacy.csv"
    path.write_bytes(data)
    import_files([path], db)
    assert query(db, "select field, agency, procedure_name from dossiers") == [
        ("Hộ tịch", "UBND phường Bến Nghé", "Đăng ký kết hôn")]


def test_other_legacy_encoding_is_refused(tmp_path, db):
    # TCVN3 ("ABC") bytes: not UTF-8, and read as Windows-1258 they are symbols, not Vietnamese.
    path = tmp_path / "tcvn3.csv"
    path.write_bytes(b"M\xb7 h\xe5 s\xac,M\xb7 TTHC\r\nHS1,1.001\r\n")
    with pytest.raises(ImportFailed, match="không phải UTF-8"):
        import_files([path], db)
    assert not db.exists()


def test_utf8_bom_and_semicolons(tmp_path, db):
    path = write_csv(tmp_path / "bom.csv", [DOSSIER_HEADER, dossier("HS1", agency="UBND xã Đông; Tây")],
                     encoding="utf-8-sig", delimiter=";")
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    import_files([path], db)
    assert query(db, "select code, agency from dossiers") == [("HS1", "UBND xã Đông; Tây")]


# -- upsert and idempotence ----------------------------------------------------------------------

def test_upsert_replaces_a_dossier_and_its_steps(tmp_path, db):
    first = write_xlsx(tmp_path / "t1.xlsx", {
        "Hồ sơ": [DOSSIER_HEADER, dossier("HS1", status="Đang xử lý", finished=""), dossier("HS2")],
        "Quá trình xử lý": [STEP_HEADER, step("HS1", 1), step("HS1", 2, "Thẩm định"), step("HS2", 1)],
    })
    second = write_xlsx(tmp_path / "t2.xlsx", {
        "Hồ sơ": [DOSSIER_HEADER, dossier("HS1", finished="08/04/2026", status="Đã xử lý xong")],
        "Quá trình xử lý": [STEP_HEADER, step("HS1", 1), step("HS1", 2, "Thẩm định"),
                            step("HS1", 3, "Phê duyệt", "Lãnh đạo Hùng")],
    })
    import_files([first], db)
    report = import_files([second], db)
    assert report.tables["dossiers"]["changed"] == 1
    rows = dossier_rows(db)
    assert rows["HS1"][6:] == (datetime(2026, 4, 8), None, 9)
    assert rows["HS2"][-1] == 10  # not in the second file: untouched
    assert query(db, "select dossier_code, step_no, step_name from steps order by all") == [
        ("HS1", 1, "Tiếp nhận"), ("HS1", 2, "Thẩm định"), ("HS1", 3, "Phê duyệt"), ("HS2", 1, "Tiếp nhận")]
    assert query(db, "select count(*) from dossiers") == [(2,)]


def test_same_file_twice_changes_nothing(tmp_path, db):
    path = write_xlsx(tmp_path / "e.xlsx", {
        "Hồ sơ": [DOSSIER_HEADER, dossier("HS1"), dossier("HS2", channel="?")],
        "Quá trình xử lý": [STEP_HEADER, step("HS1", 1), step("HS1", 1)],
        "TTHC": [CATALOG_HEADER[:4], ["1.001", "Khai sinh", "Hộ tịch", "Cấp xã"]],
        "Danh mục đơn vị": [["Tên đơn vị", "Cấp"], ["UBND xã An Bình", "Xã"]],
    })
    first = import_files([path], db)
    before = snapshot(db)
    second = import_files([path], db)
    assert snapshot(db) == before
    assert {t: c["changed"] for t, c in second.tables.items()} == {t: 0 for t in before}
    assert {t: c["accepted"] for t, c in second.tables.items()} == {t: c["accepted"] for t, c in first.tables.items()}
    assert query(db, "select import_id, dossiers_accepted, dossiers_rejected from import_log order by 1") == [
        (1, 1, 1), (2, 1, 1)]


# -- fallbacks -----------------------------------------------------------------------------------

def test_field_falls_back_to_the_catalog_of_the_same_import(tmp_path):
    path = write_xlsx(tmp_path / "e.xlsx", {
        "Hồ sơ": [DOSSIER_HEADER, dossier("HS1", field=""), dossier("HS2", field="Chứng thực")],
        "Danh mục TTHC": [CATALOG_HEADER[:3], ["1.001", "Đăng ký khai sinh", "Hộ tịch"]],
    })
    assert plan_import([path]).dossiers["field"].tolist() == ["Hộ tịch", "Chứng thực"]


def test_field_falls_back_to_the_catalog_in_the_database(tmp_path, db):
    import_files([write_csv(tmp_path / "c.csv", [CATALOG_HEADER[:3], ["1.001", "Khai sinh", "Hộ tịch"]])], db)
    header = [h for h in DOSSIER_HEADER if h != "Lĩnh vực"]
    row = [v for h, v in zip(DOSSIER_HEADER, dossier("HS1"), strict=True) if h != "Lĩnh vực"]
    import_files([write_csv(tmp_path / "d.csv", [header, row])], db)
    assert query(db, "select field from dossiers") == [("Hộ tịch",)]


def test_status_falls_back_on_the_end_date(tmp_path):
    header = [h for h in DOSSIER_HEADER if h != "Trạng thái"] + ["Ngày trả kết quả"]
    rows = [dossier("A", finished="05/04/2026")[:-1] + [""],
            dossier("B", finished="")[:-1] + [""],
            dossier("C", finished="")[:-1] + ["06/04/2026"]]  # the end falls back to the return date
    plan = plan_import([write_csv(tmp_path / "d.csv", [header, *rows])])
    frame = plan.dossiers.set_index("code")
    assert frame["status"].to_dict() == {"A": 9, "B": 4, "C": 9}
    assert frame.loc["C", "finished_at"] == datetime(2026, 4, 6)
    assert frame.loc["C", "returned_at"] == datetime(2026, 4, 6)


def test_blank_status_cell_falls_back_too(tmp_path):
    path = write_csv(tmp_path / "d.csv", [DOSSIER_HEADER, dossier("A", status=""),
                                          dossier("B", finished="", status="")])
    assert plan_import([path]).dossiers["status"].tolist() == [9, 4]


def test_agency_level_fallbacks(tmp_path, db):
    header = DOSSIER_HEADER + ["Cấp"]
    path = write_xlsx(tmp_path / "e.xlsx", {
        "Hồ sơ": [header,
                  dossier("A1", agency="UBND xã Một") + ["Huyện"],       # the agencies sheet says Xã
                  dossier("B1", agency="UBND xã Hai") + ["Xã"],          # from the dossier's Cấp
                  dossier("C1", agency="Sở Tư pháp", procedure="9.1") + [""]],  # from the procedure
        "Danh mục TTHC": [CATALOG_HEADER[:4], ["9.1", "Lý lịch tư pháp", "Tư pháp", "Cấp tỉnh"]],
        "Danh mục đơn vị": [["Tên đơn vị", "Cấp", "Đơn vị cấp trên"], ["UBND xã Một", "Xã", "UBND huyện Một"]],
    })
    import_files([path], db)
    assert query(db, "select name, level, parent from agencies order by name") == [
        ("Sở Tư pháp", "Tỉnh", None), ("UBND xã Hai", "Xã", None), ("UBND xã Một", "Xã", "UBND huyện Một")]
    # A later import that knows no level (nor parent) keeps the known ones.
    import_files([write_csv(tmp_path / "d.csv", [DOSSIER_HEADER, dossier("A2", agency="UBND xã Một")])], db)
    assert query(db, "select level, parent from agencies where name = 'UBND xã Một'") == [("Xã", "UBND huyện Một")]


def test_stored_level_beats_a_level_inferred_from_procedures(tmp_path, db):
    agencies = write_csv(tmp_path / "a.csv", [["Tên đơn vị", "Cấp", "Đơn vị cấp trên"], ["Phòng Tư pháp", "Huyện", ""]])
    import_files([agencies], db)
    later = write_xlsx(tmp_path / "e.xlsx", {
        "Hồ sơ": [DOSSIER_HEADER, dossier("X", agency="Phòng Tư pháp", procedure="9.1")],
        "TTHC": [CATALOG_HEADER[:4], ["9.1", "Lý lịch tư pháp", "Tư pháp", "Cấp tỉnh"]],
    })
    import_files([later], db)
    assert query(db, "select name, level from agencies") == [("Phòng Tư pháp", "Huyện")]


# -- plan, apply, report, command --------------------------------------------------------------------

def test_plan_writes_nothing_and_shows_mappings(tmp_path, db):
    path = write_csv(tmp_path / "d.csv", [DOSSIER_HEADER + ["Chủ hồ sơ", "Ghi chú"], dossier() + ["Bí Mật", "x"]])
    before = sorted(tmp_path.rglob("*"))
    plan = plan_import([path], db)
    assert sorted(tmp_path.rglob("*")) == before
    (mapping,) = plan.sheets
    assert mapping.columns["Ngày tiếp nhận"] == "received_at"
    assert mapping.dropped_columns == ["Chủ hồ sơ"] and mapping.ignored_columns == ["Ghi chú"]
    assert "Bí Mật" not in plan.dossiers.to_string()


def test_apply_plans_again_when_the_database_changed(tmp_path, db):
    steps_only = write_csv(tmp_path / "s.csv", [STEP_HEADER, step("HS1")])
    plan = plan_import([steps_only])  # no database: the dossier is unknown
    assert plan.counts()["steps"] == {"accepted": 0, "rejected": 1}
    import_files([write_csv(tmp_path / "d.csv", [DOSSIER_HEADER, dossier("HS1")])], db)
    report = apply_import(plan, db)
    assert report.tables["steps"] == {"accepted": 1, "rejected": 0, "changed": 1}


def test_rejects_file_log_and_progress(tmp_path, db):
    path = write_csv(tmp_path / "d.csv", [DOSSIER_HEADER + ["Email"], dossier("A") + ["a@b.vn"],
                                          dossier("B", channel="Fax") + ["c@d.vn"]])
    seen = []
    report = import_files([path], db, progress=lambda message, fraction: seen.append((message, fraction)))
    expected = db.parent / "rejects" / "office-import-1.csv"
    assert report.rejects_file == str(expected)
    raw = expected.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    assert raw.decode("utf-8-sig").splitlines() == [
        '"Tệp","Trang tính","Dòng","Cột","Lý do","Giá trị"',
        f'"d.csv","","3","Kênh nộp","{REASON_CHANNEL}","Fax"',  # every field quoted (CSV injection)
    ]
    assert query(db, 'select import_id, file, sheet, row, "column", reason, value from import_rejects') == [
        (1, "d.csv", None, 3, "Kênh nộp", REASON_CHANNEL, "Fax")]
    assert query(db, "select files, dossiers_accepted, dossiers_rejected, steps_accepted, dropped_columns, "
                     "ignored_columns, rejects_file, source from import_log") == [
        ([str(path)], 1, 1, 0, ["Email"], [], str(expected), "import")]
    fractions = [f for _, f in seen]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0


def test_no_rejects_no_file(tmp_path, db):
    report = import_files([write_csv(tmp_path / "d.csv", [DOSSIER_HEADER, dossier()])], db)
    assert report.rejects_file is None
    assert not (db.parent / "rejects").exists()
    assert "Không có dòng nào bị loại" in report.to_text()


def test_report_json_shape_and_text(tmp_path, db):
    path = write_xlsx(tmp_path / "e.xlsx", {
        "Hồ sơ": [DOSSIER_HEADER + ["Người nộp"], dossier("HS1") + ["Ai đó"], dossier("HS2", status="?") + ["X"]],
        "Quá trình xử lý": [STEP_HEADER, step("HS1")],
    })
    report = import_files([path], db)
    doc = report.to_json()
    assert doc["tables"] == {  # issue 13 added "skipped" (title, group, total, signature rows)
        "dossiers": {"accepted": 1, "rejected": 1, "changed": 1, "skipped": 0},
        "steps": {"accepted": 1, "rejected": 0, "changed": 1, "skipped": 0},
        "procedures": {"accepted": 0, "rejected": 0, "changed": 0, "skipped": 0},
        "agencies": {"accepted": 1, "rejected": 0, "changed": 1, "skipped": 0},
    }
    assert doc["dropped_columns"] == ["Người nộp"] and doc["ignored_columns"] == []
    assert doc["rejects_file"] == str(db.parent / "rejects" / "office-import-1.csv")
    text = report.to_text()
    assert "Hồ sơ: 1 dòng nhận (1 thay đổi), 1 dòng bị loại" in text
    assert "Cột dữ liệu cá nhân đã bỏ, không lưu: Người nộp" in text


def test_text_summary_uses_vietnamese_number_format(tmp_path, db):
    rows = [dossier(f"HS{i:04d}") for i in range(1234)]
    report = import_files([write_csv(tmp_path / "d.csv", [DOSSIER_HEADER, *rows])], db)
    assert "Hồ sơ: 1.234 dòng nhận" in report.to_text()


def test_run_import_command_json_and_exit_codes(tmp_path, db, capsys):
    good = write_csv(tmp_path / "d.csv", [DOSSIER_HEADER, dossier("HS1"), dossier("HS2", received="x")])
    assert run_import_command([str(good)], str(db), "json") == 0
    out, err = capsys.readouterr()
    doc = json.loads(out)
    assert list(doc)[:4] == ["tables", "dropped_columns", "ignored_columns", "rejects_file"]
    assert list(doc["tables"]) == ["dossiers", "steps", "procedures", "agencies"]
    assert {k: doc["tables"]["dossiers"][k] for k in ("accepted", "rejected")} == {"accepted": 1, "rejected": 1}
    assert doc["rejects_file"] == str(db.parent / "rejects" / "office-import-1.csv")
    assert err == ""

    assert run_import_command([str(good)], str(db), "text") == 0
    out, err = capsys.readouterr()
    assert "Hồ sơ: 1 dòng nhận (0 thay đổi), 1 dòng bị loại" in out
    assert "[100%] Đã nhập xong" in err

    missing = write_csv(tmp_path / "thieu.csv", [["Mã hồ sơ", "Mã TTHC"], ["HS1", "1"]])
    before = state_of(tmp_path, db)
    assert run_import_command([str(good), str(missing)], str(db), "json") == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith("Lỗi: Tệp 'thieu.csv'") and err.count("\n") == 1
    assert "Cơ quan giải quyết" in err
    assert state_of(tmp_path, db) == before


def test_run_import_command_writes_the_audit_log(tmp_path, db, capsys, monkeypatch):
    from analytics.access import audit
    from analytics.store.ops import OpsStore

    monkeypatch.setattr(audit.getpass, "getuser", lambda: "lan")
    good = write_csv(tmp_path / "d.csv", [DOSSIER_HEADER, dossier("HS1"), dossier("HS2", received="x")])
    assert run_import_command([str(good)], str(db), "json") == 0
    missing = write_csv(tmp_path / "thieu.csv", [["Mã hồ sơ", "Mã TTHC"], ["HS1", "1"]])
    assert run_import_command([str(missing)], str(db), "json") == 2
    capsys.readouterr()

    failed, done = audit.entries(OpsStore.beside(db))
    assert (done.action, done.actor, done.target) == (audit.IMPORT, "cli:lan", "d.csv")
    assert done.detail == {"import_id": 1, "dossiers": 1, "steps": 0, "rejected": 1}
    assert (failed.action, failed.actor, failed.target) == (audit.IMPORT_FAILED, "cli:lan", "thieu.csv")
    assert "Cơ quan giải quyết" in failed.detail["error"]


# -- documentation ------------------------------------------------------------------------------------

def test_every_alias_sheet_name_and_citizen_header_is_documented():
    doc = (Path(__file__).parents[1] / "docs" / "IMPORT.md").read_text(encoding="utf-8")
    for columns in COLUMNS.values():
        for col in columns:
            for alias in col.aliases:
                assert alias in doc, alias
    for names in SHEET_NAMES.values():
        for name in names:
            assert name in doc, name
    for header in CITIZEN_HEADERS:
        assert header in doc, header
    for reason in (REASON_MISSING, REASON_NOT_A_DATE, REASON_BAD_DATE, REASON_DUE_BEFORE_RECEIVED,
                   REASON_FINISHED_BEFORE_RECEIVED, REASON_CHANNEL, REASON_STATUS, REASON_DUPLICATE_DOSSIER,
                   REASON_UNKNOWN_DOSSIER, REASON_FLAG):
        assert reason in doc, reason


# -- Chỉ số 766 sources (issue 15) ----------------------------------------------------------------

def test_766_sources_are_read_and_value_2_is_the_province_gateway(tmp_path, db):
    header = [*DOSSIER_HEADER, "DuocThanhToanTrucTuyen", "Số lần yêu cầu bổ sung", "Ngày yêu cầu bổ sung",
              "Ngày hoàn thành bổ sung", "HoSoCoThanhPhanSoHoa", "DuocLayTuKhoDMQG", "TaiKhoanDuocXacThucVoiVNeID",
              "Số CCCD"]
    rows = [header,
            [*dossier("HS-1"), "2", "2", "03/04/2026", "04/04/2026", "1", "0", "1", "001099000001"],
            [*dossier("HS-2"), "1", "", "", "", "", "x", "", "001099000002"],
            [*dossier("HS-3"), "0", "hai", "", "", "", "", "", ""]]
    catalog = [[*CATALOG_HEADER, "Kết quả giấy", "Có phí, lệ phí", "Đủ điều kiện toàn trình"],
               ["1.001", "Đăng ký khai sinh", "Hộ tịch", "Xã", "Toàn trình", "", "Còn hiệu lực",
                "x", "50.000 đồng", "Có"]]
    report = import_files([write_csv(tmp_path / "tthc.csv", catalog), write_csv(tmp_path / "hs.csv", rows)], db)
    assert report.tables["dossiers"]["accepted"] == 2  # HS-3's "hai" is not a count
    assert query(db, "select code, paid_online, payment_gateway, supplement_count, supplement_requested_at::date, "
                     "supplement_completed_at::date, data_reused, citizen_store, vneid "
                     "from dossiers order by code") == [
        ("HS-1", True, 2, 2, date(2026, 4, 3), date(2026, 4, 4), True, False, True),
        ("HS-2", True, 1, None, None, None, False, True, False),
    ]
    assert query(db, "select paper_result, fee_bearing, fully_online_eligible from procedures") == [(True, True, True)]
    # The identity number column was dropped on read: nowhere in the database.
    assert "001099000001" not in str(query(db, "select * from dossiers"))


def test_766_sources_absent_stay_unknown(tmp_path, db):
    import_files([write_csv(tmp_path / "hs.csv", [DOSSIER_HEADER, dossier("HS-1")])], db)
    assert query(db, "select payment_gateway, supplement_count, data_reused, citizen_store, vneid from dossiers") == [
        (None, None, None, None, None)]
def test_xlsx_read_into_arrow_keeps_excel_rows_cell_types_and_sync_numbers(tmp_path):
    """Issue 13's fast path: the sheet is read into Arrow with every cell as text.
    Empty leading rows and column A are kept out of the data but counted, so row
    numbers are Excel's; date cells, serial numbers and compact sync dates
    written as numbers are dates; numbers and booleans in text columns read as
    typed."""
    header = ["", "Mã hồ sơ", "Mã TTHC", "Cơ quan giải quyết", "Kênh nộp", "Ngày tiếp nhận", "Ngày hẹn trả",
              "Ngày kết thúc xử lý", "Trạng thái", "Liên thông"]
    rows = [[], [], ["", "DANH SÁCH HỒ SƠ"], [], header,
            ["", "A1", "P1", "UBND xã Hòa An", "Trực tuyến", datetime(2026, 3, 2, 8, 30), date(2026, 3, 4),
             46085.5, 10, True],  # 46085.5 = 04/03/2026 12:00, an Excel serial number
            ["", "A2", 12345, "UBND xã Hòa An", 2, 20260303091500, "05/03/2026 17:00", "", 4, False],
            ["", "A3", "P1", "UBND xã Hòa An", "Trực tiếp", "32/03/2026", "05/03/2026", "", 4, ""]]
    path = write_xlsx(tmp_path / "ds.xlsx", {"Danh sách hồ sơ": rows})
    plan = plan_import([path])
    [sheet] = plan.sheets
    assert sheet.header_rows == [5] and sheet.skipped["title"] == 1
    d = plan.dossiers.set_index("code")
    assert list(d.index) == ["A1", "A2"]
    assert d.loc["A1", "received_at"] == datetime(2026, 3, 2, 8, 30)
    assert d.loc["A1", "due_at"] == datetime(2026, 3, 4)
    assert d.loc["A1", "finished_at"] == datetime(2026, 3, 4, 12, 0)
    assert d.loc["A2", "received_at"] == datetime(2026, 3, 3, 9, 15)  # yyyyMMddHHmmss stored as a number
    assert d.loc["A2", "procedure_code"] == "12345"  # a number cell in a text column, as typed
    assert (d.loc["A1", "channel"], d.loc["A2", "channel"]) == ("online", "online")  # sync code 2
    assert (d.loc["A1", "status"], d.loc["A2", "status"]) == (10, 4)
    assert (bool(d.loc["A1", "inter_agency"]), bool(d.loc["A2", "inter_agency"])) == (True, False)
    [reject] = plan.rejects.to_dict("records")
    assert (reject["row"], reject["column"], reject["value"]) == (8, "Ngày tiếp nhận", "32/03/2026")

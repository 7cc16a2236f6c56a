"""Issue 13: the lists one-stop systems really export, imported with no hand editing.

Each fixture is written here as the software prints it; each test checks the
numbers a person counting by hand gets, that no citizen value is stored
anywhere, and what the import report says it skipped.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

import duckdb
import pytest

from analytics.indicators.engine import Engine
from analytics.indicators.filters import Filters
from analytics.ingest import importer
from analytics.ingest.columns import header_key
from analytics.ingest.importer import (
    ImportFailed,
    attach_procedure,
    import_files,
    plan_import,
    read_profiles,
    run_import_command,
)
from analytics.store.database import AnalyticsStore
from tests.test_importer import query, write_csv, write_xlsx

APRIL = Filters(date(2026, 4, 1), date(2026, 4, 30))
CITIZEN = "Nguyễn Văn Công Dân"
CCCD = "001088012345"
PHONE = "0912345678"
PROBES = (CITIZEN, CCCD, PHONE, "Số 5 ngõ 7 Tân Lập")


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "data" / "office.duckdb"


def engine_of(db: Path) -> Engine:
    store = AnalyticsStore(db)
    store.upgrade_derived()
    return Engine(store.reader())


def assert_no_citizen_value(db: Path) -> None:
    """Every text column of every table (import log and rejects too) holds no probe."""
    con = duckdb.connect(str(db.resolve()), read_only=True)
    try:
        columns = con.execute(
            "select table_name, column_name from information_schema.columns "
            "where data_type like 'VARCHAR%' and table_schema = 'main'").fetchall()
        for table, col in columns:
            for probe in PROBES:
                hits = con.execute(f'select count(*) from "{table}" where "{col}"::varchar like ?',
                                   [f"%{probe}%"]).fetchall()[0][0]
                assert hits == 0, (table, col, probe)
    finally:
        con.close()


# -- a report-style sheet ---------------------------------------------------------------

def report_sheet() -> list[list]:
    blank = [""] * 11
    return [
        ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"],
        ["Độc lập - Tự do - Hạnh phúc"],
        ["UBND XÃ TÂN LẬP"],
        ["THỐNG KÊ HỒ SƠ TIẾP NHẬN"],
        ["Từ ngày 01/04/2026 đến ngày 15/04/2026"],
        blank,
        # A three-row header with merged group cells (text in the first cell only).
        ["STT", "Thông tin hồ sơ", "", "", "", "", "Kết quả", "", "Chủ hồ sơ", "Đơn vị tiếp nhận", "Kênh nộp"],
        ["", "Mã hồ sơ", "Ngày", "", "", "Cán bộ xử lý", "Trạng thái", "Hồ sơ quá hạn giải quyết", "", "", ""],
        ["", "", "Tiếp nhận", "Hẹn trả", "Kết thúc xử lý", "", "", "", "", "", ""],
        [f"({i})" for i in range(1, 12)],
        ["I. Lĩnh vực Hộ tịch"],
        ["Đăng ký khai sinh"],
        [1, "HS001", datetime(2026, 4, 1, 8), date(2026, 4, 8), date(2026, 4, 3), "Trần Cán Bộ",
         "Đã trả kết quả", "Không", CITIZEN, "UBND xã Tân Lập", "Trực tuyến"],
        # "Không" in the overdue column: a cross-check only; the dates say late.
        [2, "HS002", datetime(2026, 4, 1, 9), date(2026, 4, 8), date(2026, 4, 10), "Trần Cán Bộ",
         "Hoàn thành", "Không", CITIZEN, "UBND xã Tân Lập", "Trực tiếp"],
        ["Đăng ký kết hôn"],
        [3, "HS003", datetime(2026, 4, 2, 10), date(2026, 4, 9), "", "Lê Chuyên Viên",
         "Đang xử lý", "", CITIZEN, "UBND xã Tân Lập", ""],
        ["II. Lĩnh vực Chứng thực"],
        ["Chứng thực bản sao từ bản chính"],
        [4, "HS004", datetime(2026, 4, 3, 8), date(2026, 4, 3), date(2026, 4, 3), "Lê Chuyên Viên",
         "Đã trả kết quả", "", CITIZEN, "UBND xã Tân Lập", "Trực tuyến"],
        ["Tổng cộng", "", "", "", "", "", "", "", "", "", 4],
        blank,
        ["", "", "", "", "", "", "", "", "Tân Lập, ngày 16 tháng 4 năm 2026"],
        ["Người lập biểu", "", "", "", "", "", "", "", "Thủ trưởng đơn vị"],
        ["(Ký, ghi rõ họ tên)", "", "", "", "", "", "", "", "(Ký, ghi rõ họ tên, đóng dấu)"],
        ["Phạm Văn Lập", "", "", "", "", "", "", "", "Hoàng Thủ Trưởng"],
    ]


def test_report_style_sheet_imports_with_the_hand_counts(tmp_path, db):
    path = write_xlsx(tmp_path / "bao-cao.xlsx", {"Sheet1": report_sheet()})
    report = import_files([path], db)
    doc = report.to_json()

    assert doc["tables"]["dossiers"] == {"accepted": 4, "rejected": 0, "changed": 4, "skipped": 16}
    (sheet,) = doc["layout"]
    assert sheet["header_rows"] == [7, 8, 9]
    assert sheet["system"] == "report" and sheet["profile"] is None
    assert sheet["skipped"] == {"title": 5, "numbering": 1, "group": 5, "total": 1, "signature": 4}
    meanings = {c["header"]: c["meaning"] for c in sheet["columns"]}
    assert meanings["Mã hồ sơ"] == "code"
    assert meanings["Ngày Tiếp nhận"] == "received_at"
    assert meanings["Hẹn trả"] == "due_at"  # an alias of its own
    assert meanings["Ngày Kết thúc xử lý"] == "finished_at"
    assert meanings["Cán bộ xử lý"] == "handler"
    assert meanings["Chủ hồ sơ"] == importer.MEANING_DROPPED
    assert meanings["Hồ sơ quá hạn giải quyết"] == importer.MEANING_CROSS_CHECK
    assert "Chủ hồ sơ" in doc["dropped_columns"]
    assert "4 dòng ký tên" in report.to_text() and "5 dòng nhóm" in report.to_text()

    rows = query(db, "select code, procedure_name, field, channel, handler, status from dossiers order by code")
    assert rows == [
        ("HS001", "Đăng ký khai sinh", "Hộ tịch", "online", "Trần Cán Bộ", 10),
        ("HS002", "Đăng ký khai sinh", "Hộ tịch", "direct", "Trần Cán Bộ", 10),
        ("HS003", "Đăng ký kết hôn", "Hộ tịch", "direct", "Lê Chuyên Viên", 4),
        ("HS004", "Chứng thực bản sao từ bản chính", "Chứng thực", "online", "Lê Chuyên Viên", 10),
    ]
    # The blank channel cell of HS003 counts as direct, and the report says so.
    assert any("1 hồ sơ có ô kênh nộp để trống" in n for n in doc["notes"])
    # No procedure code column: three names, none in a catalogue, keyed by their folded names.
    assert [(u["key"], u["dossiers"]) for u in doc["unmatched_procedures"]] == [
        ("chung thuc ban sao tu ban chinh", 1), ("dang ky ket hon", 1), ("dang ky khai sinh", 2)]

    totals = engine_of(db).totals(APRIL)
    assert (totals["received_total"], totals["received_new"], totals["online"]) == (4, 4, 2)
    # HS001 early, HS004 on its due day, HS002 late; HS003 pending past 09/04 (data date 10/04).
    assert (totals["resolved"], totals["early"], totals["on_time"], totals["late"]) == (3, 1, 1, 1)
    assert (totals["pending"], totals["pending_overdue"]) == (1, 1)
    assert_no_citizen_value(db)


# -- no procedure code, no channel, due dates from the legal time limit ---------------------

def catalogue(tmp_path: Path) -> Path:
    return write_xlsx(tmp_path / "danh-muc.xlsx", {"Danh mục TTHC": [
        ["Mã TTHC", "Tên TTHC", "Lĩnh vực", "Thời hạn giải quyết"],
        ["1.001", "Đăng ký khai sinh", "Hộ tịch", "03 ngày làm việc"],
        ["1.002", "Đăng ký kết hôn", "Hộ tịch", "Không quy định"],
    ]})


def test_list_without_procedure_code_and_channel(tmp_path, db):
    dossiers = write_csv(tmp_path / "ds.csv", [
        ["Số biên nhận", "Tên thủ tục", "Đơn vị tiếp nhận", "Ngày nộp hồ sơ", "Ngày có kết quả", "Trạng thái",
         "Người tiếp nhận", "Số điện thoại", "Số CCCD"],
        # Received Wed 01/04/2026: day 1 is Thu 02/04, day 3 Mon 06/04.
        ["B1", "ĐĂNG KÝ KHAI SINH.", "UBND xã Tân Lập", "01/04/2026 08:00", "03/04/2026", "Hoàn thành",
         "Cán Bộ Một Cửa", PHONE, CCCD],
        ["B2", "Đăng ký khai sinh", "UBND xã Tân Lập", "01/04/2026 09:00", "07/04/2026", "Đã trả",
         "Cán Bộ Một Cửa", PHONE, CCCD],
        # A limit the catalogue does not state: no due date, not computed.
        ["B3", "Đăng ký kết hôn", "UBND xã Tân Lập", "02/04/2026", "", "Đang giải quyết",
         "Cán Bộ Một Cửa", PHONE, CCCD],
        # A name the catalogue does not have.
        ["B4", "Cấp bản sao trích lục", "UBND xã Tân Lập", "02/04/2026", "", "Đang chờ bổ sung hồ sơ",
         "Cán Bộ Một Cửa", PHONE, CCCD],
    ])
    report = import_files([catalogue(tmp_path), dossiers], db)
    doc = report.to_json()
    assert doc["tables"]["dossiers"]["accepted"] == 4
    assert query(db, "select code, procedure_code, field, channel, due_at, due_computed, status "
                     "from dossiers order by code") == [
        ("B1", "1.001", "Hộ tịch", None, datetime(2026, 4, 6), True, 10),
        ("B2", "1.001", "Hộ tịch", None, datetime(2026, 4, 6), True, 10),
        ("B3", "1.002", "Hộ tịch", None, None, False, 4),
        ("B4", "cap ban sao trich luc", None, None, None, False, 5),
    ]
    assert query(db, "select code, time_limit_value, time_limit_unit from procedures order by code") == [
        ("1.001", 3.0, "working_days"), ("1.002", None, None), ("cap ban sao trich luc", None, None)]
    assert doc["unmatched_procedures"] == [{"name": "Cấp bản sao trích lục", "key": "cap ban sao trich luc",
                                            "dossiers": 1}]
    meanings = {c["header"]: c["meaning"] for c in doc["layout"][1]["columns"]}
    assert meanings["Người tiếp nhận"] == importer.MEANING_STAFF  # staff: not dropped as citizen data
    assert meanings["Số điện thoại"] == meanings["Số CCCD"] == importer.MEANING_DROPPED
    assert any("2 hồ sơ không có ngày hẹn trả" in n for n in doc["notes"])

    totals = engine_of(db).totals(APRIL)
    assert (totals["received_total"], totals["resolved"]) == (4, 2)
    # B1 before its computed due date, B2 after it.
    assert (totals["early"], totals["late"]) == (1, 1)
    assert_no_citizen_value(db)

    # The officer attaches the unmatched name to its code; the next import matches it.
    write_xlsx(tmp_path / "them.xlsx", {"Danh mục TTHC": [
        ["Mã TTHC", "Tên TTHC", "Lĩnh vực"], ["1.003", "Cấp bản sao trích lục hộ tịch", "Hộ tịch"]]})
    import_files([tmp_path / "them.xlsx"], db)
    assert attach_procedure(db, "Cấp bản sao trích lục", "1.003") == 1
    assert query(db, "select procedure_code from dossiers where code = 'B4'") == [("1.003",)]
    assert query(db, "select count(*) from procedures where code = 'cap ban sao trich luc'") == [(0,)]
    again = import_files([dossiers], db).to_json()
    assert again["unmatched_procedures"] == []
    assert query(db, "select procedure_code from dossiers where code = 'B4'") == [("1.003",)]
    with pytest.raises(ImportFailed, match="không có trong danh mục"):
        attach_procedure(db, "Đăng ký khai sinh", "9.999")


def test_a_list_with_neither_status_nor_end_date_column_is_refused(tmp_path, db):
    path = write_csv(tmp_path / "x.csv", [["Mã hồ sơ", "Tên TTHC", "Đơn vị tiếp nhận", "Ngày tiếp nhận"],
                                          ["H1", "Thủ tục A", "UBND xã A", "01/04/2026"]])
    with pytest.raises(ImportFailed, match="thiếu cột bắt buộc 'Trạng thái'"):
        plan_import([path])


# -- the national sync field names, compact dates ------------------------------------------

SYNC_HEADER = ["MaHoSo", "MaTTHC", "TenTTHC", "MaLinhVuc", "TenLinhVuc", "NgayNopHoSo", "NgayTiepNhan",
               "NgayHenTra", "NgayKetThucXuLy", "NgayTra", "TrangThaiHoSo", "KenhThucHien", "DonViXuLy",
               "DuocThanhToanTrucTuyen", "ChuHoSo", "SoCMND", "SoDienThoai", "DiaChi"]


def sync_row(code, received, due, finished, status, channel, paid):
    return [code, "1.001", "Đăng ký khai sinh", "HT", "Hộ tịch", received, received, due, finished, finished,
            status, channel, "UBND xã Tân Lập", paid, CITIZEN, CCCD, PHONE, "Số 5 ngõ 7 Tân Lập"]


def test_sync_field_csv_with_compact_dates(tmp_path, db):
    path = write_csv(tmp_path / "dongbo.csv", [
        SYNC_HEADER,
        sync_row("S1", "20260401080000", "20260406170000", "20260403101500", "10", "2", "2"),
        sync_row("S2", "20260401090000", "20260406170000", "20260408160000", "10", "1", "0"),
        sync_row("S3", "20260402080000", "20260407170000", "", "4", "3", "1"),
        # Status 8 (stopped) is a closing status: without an end date the row is rejected.
        sync_row("S4", "20260402080000", "20260407170000", "", "8", "1", "0"),
    ])
    report = import_files([path], db)
    doc = report.to_json()
    assert doc["tables"]["dossiers"] == {"accepted": 3, "rejected": 1, "changed": 3, "skipped": 0}
    assert [tuple(r)[1:5] for r in report.rejects.itertuples(index=False)] == [
        (None, 5, "NgayKetThucXuLy", importer.REASON_CLOSED_WITHOUT_DATE.format(status="8 (Dừng xử lý)"))]
    (sheet,) = doc["layout"]
    assert sheet["system"] == "sync"
    meanings = {c["header"]: c["meaning"] for c in sheet["columns"]}
    assert meanings["NgayTiepNhan"] == "received_at"
    assert meanings["NgayNopHoSo"].startswith("ignored")  # the reception date wins
    assert meanings["DonViXuLy"] == "resolving_agency"
    assert all(meanings[h] == importer.MEANING_DROPPED for h in ("ChuHoSo", "SoCMND", "SoDienThoai", "DiaChi"))
    assert any("dùng cột 'DonViXuLy'" in n for n in doc["notes"])
    assert query(db, "select code, agency, resolving_agency, channel, received_at, paid_online "
                     "from dossiers order by code") == [
        ("S1", "UBND xã Tân Lập", "UBND xã Tân Lập", "online", datetime(2026, 4, 1, 8), True),
        ("S2", "UBND xã Tân Lập", "UBND xã Tân Lập", "direct", datetime(2026, 4, 1, 9), False),
        ("S3", "UBND xã Tân Lập", "UBND xã Tân Lập", "postal", datetime(2026, 4, 2, 8), True),
    ]
    totals = engine_of(db).totals(APRIL)
    assert (totals["received_new"], totals["online"], totals["direct_postal"]) == (3, 1, 2)
    assert (totals["resolved"], totals["early"], totals["late"], totals["pending"]) == (2, 1, 1, 1)
    assert_no_citizen_value(db)


def test_header_words_fold_camel_case():
    assert header_key("MaHoSo") == header_key("Mã hồ sơ") == "ma ho so"
    assert header_key("NgayHetHanBuocXuLy") == "ngay het han buoc xu ly"
    assert header_key("DVCTT") == "dvctt"


# -- JSON with nested steps (an event log) ------------------------------------------------

def test_json_list_of_dossiers_with_nested_event_log(tmp_path, db):
    records = [
        {"MaHoSo": "J1", "MaTTHC": "1.001", "TenTTHC": "Đăng ký khai sinh", "TenLinhVuc": "Hộ tịch",
         "NgayTiepNhan": "20260401080000", "NgayHenTra": "20260406170000", "NgayKetThucXuLy": "20260403160000",
         "TrangThaiHoSo": 10, "KenhThucHien": 2, "DonViXuLy": "UBND xã Tân Lập", "ChuHoSo": CITIZEN,
         "SoCMND": CCCD, "QuaTrinhXuLy": [
             {"ThoiGian": "20260401080000", "NguoiGui": "Một Cửa A", "NguoiNhan": "Chuyên Viên B",
              "ThaoTac": "Chuyển xử lý", "NgayHetHanBuocXuLy": "20260402170000"},
             {"ThoiGian": "20260403090000", "NguoiGui": "Chuyên Viên B", "NguoiNhan": "Lãnh Đạo C",
              "ThaoTac": "Trình ký", "NgayHetHanBuocXuLy": "20260403170000"},
         ]},
        {"MaHoSo": "J2", "MaTTHC": "1.001", "TenTTHC": "Đăng ký khai sinh", "TenLinhVuc": "Hộ tịch",
         "NgayTiepNhan": "20260402080000", "NgayHenTra": "20260407170000", "TrangThaiHoSo": 4,
         "KenhThucHien": 1, "DonViXuLy": "UBND xã Tân Lập", "SoDienThoai": PHONE, "QuaTrinhXuLy": []},
    ]
    path = tmp_path / "dongbo.json"
    path.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    doc = import_files([path], db).to_json()
    assert (doc["tables"]["dossiers"]["accepted"], doc["tables"]["steps"]["accepted"]) == (2, 2)
    # Step 1 ends when step 2 starts (late against 02/04); the last ends with the dossier.
    assert query(db, "select step_no, step_name, handler, started_at, due_at, finished_at from steps "
                     "order by step_no") == [
        (1, "Chuyển xử lý", "Chuyên Viên B", datetime(2026, 4, 1, 8), datetime(2026, 4, 2, 17),
         datetime(2026, 4, 3, 9)),
        (2, "Trình ký", "Lãnh Đạo C", datetime(2026, 4, 3, 9), datetime(2026, 4, 3, 17),
         datetime(2026, 4, 3, 16)),
    ]
    engine = engine_of(db)
    assert (engine.totals(APRIL)["received_new"], engine.totals(APRIL)["online"]) == (2, 1)
    stages = {r["handler"]: r for r in engine.by_handler(APRIL)}
    assert stages["Chuyên Viên B"]["late"] == 1 and stages["Lãnh Đạo C"]["late"] == 0
    assert_no_citizen_value(db)


# -- step files: an event log and a task list ------------------------------------------------

def base_dossiers(tmp_path: Path) -> Path:
    return write_csv(tmp_path / "hs.csv", [
        ["Mã hồ sơ", "Mã TTHC", "Đơn vị tiếp nhận", "Ngày tiếp nhận", "Ngày hẹn trả", "Ngày kết thúc xử lý",
         "Trạng thái", "Kênh nộp"],
        ["E1", "1.001", "UBND xã Tân Lập", "01/04/2026 08:00", "08/04/2026", "07/04/2026 10:00", "10", "1"],
    ])


def test_event_log_steps(tmp_path, db):
    log = write_csv(tmp_path / "nhatky.csv", [
        ["MaHoSo", "ThoiGian", "NguoiGui", "NguoiNhan", "ThaoTac", "NgayHetHanBuocXuLy"],
        # Out of time order on purpose: the step order comes from the times.
        ["E1", "20260402100000", "Chuyên Viên B", "Lãnh Đạo C", "Trình ký", "20260403170000"],
        ["E1", "20260401080000", "Một Cửa A", "Chuyên Viên B", "Chuyển xử lý", "20260402170000"],
        ["E1", "20260406090000", "Lãnh Đạo C", "Một Cửa A", "Trả kết quả", "20260408170000"],
    ])
    doc = import_files([base_dossiers(tmp_path), log], db).to_json()
    assert doc["tables"]["steps"] == {"accepted": 3, "rejected": 0, "changed": 3, "skipped": 0}
    meanings = {c["header"]: c["meaning"] for c in doc["layout"][1]["columns"]}
    assert meanings["NguoiNhan"] == "handler" and meanings["NguoiGui"] == "sender"
    assert query(db, "select step_no, step_name, handler, finished_at from steps order by step_no") == [
        (1, "Chuyển xử lý", "Chuyên Viên B", datetime(2026, 4, 2, 10)),
        (2, "Trình ký", "Lãnh Đạo C", datetime(2026, 4, 6, 9)),  # late against 03/04
        (3, "Trả kết quả", "Một Cửa A", datetime(2026, 4, 7, 10)),
    ]
    late = {r["handler"]: r["late"] for r in engine_of(db).by_handler(APRIL)}
    assert late == {"Chuyên Viên B": 0, "Lãnh Đạo C": 1, "Một Cửa A": 0}


def test_task_list_steps(tmp_path, db):
    tasks = write_xlsx(tmp_path / "congviec.xlsx", {"Sheet1": [
        ["Mã hồ sơ", "Vai trò", "Công việc", "Thời hạn quy định", "Ngày bắt đầu", "Ngày kết thúc",
         "Người thực hiện"],
        ["E1", "Chuyên viên", "Thẩm định hồ sơ", "2 ngày", datetime(2026, 4, 1, 8), datetime(2026, 4, 3, 9),
         "Chuyên Viên B"],
        # Thu 02/04 + 1 working day = Fri 03/04... starting Fri 03/04 14:00: Mon 06/04 14:00.
        ["E1", "Lãnh đạo", "Phê duyệt", "8 giờ", datetime(2026, 4, 3, 14), datetime(2026, 4, 6, 10),
         "Lãnh Đạo C"],
        ["E1", "Một cửa", "Trả kết quả", 0.5, datetime(2026, 4, 6, 10), datetime(2026, 4, 7, 10), "Một Cửa A"],
    ]})
    doc = import_files([base_dossiers(tmp_path), tasks], db).to_json()
    assert doc["tables"]["steps"]["accepted"] == 3
    assert query(db, "select step_no, step_name, handler, due_at, allowance_days from steps order by step_no") == [
        (1, "Thẩm định hồ sơ", "Chuyên Viên B", datetime(2026, 4, 3, 8), 2.0),
        (2, "Phê duyệt", "Lãnh Đạo C", datetime(2026, 4, 6, 14), 1.0),
        (3, "Trả kết quả", "Một Cửa A", datetime(2026, 4, 6, 14), 0.5),
    ]
    late = {r["handler"]: r["late"] for r in engine_of(db).by_handler(APRIL)}
    assert late == {"Chuyên Viên B": 0, "Lãnh Đạo C": 0, "Một Cửa A": 1}


# -- a rescheduled due date ---------------------------------------------------------------------

def test_rescheduled_due_date_keeps_the_original(tmp_path, db):
    path = write_csv(tmp_path / "giahan.csv", [
        ["Mã hồ sơ", "Mã TTHC", "Đơn vị tiếp nhận", "Ngày tiếp nhận", "Ngày hẹn trả", "Thời hạn trả kết quả lần sau",
         "Ngày kết thúc xử lý", "Trạng thái", "Kênh nộp"],
        # Finished by its new date, still late against the first one.
        ["R1", "1.001", "UBND xã Tân Lập", "01/04/2026", "06/04/2026", "10/04/2026", "09/04/2026", "10", "2"],
        ["R2", "1.001", "UBND xã Tân Lập", "01/04/2026", "06/04/2026", "", "03/04/2026", "10", "2"],
    ])
    import_files([path], db)
    assert query(db, "select code, due_at, due_rescheduled_at from dossiers order by code") == [
        ("R1", datetime(2026, 4, 6), datetime(2026, 4, 10)), ("R2", datetime(2026, 4, 6), None)]
    totals = engine_of(db).totals(APRIL)
    assert (totals["resolved"], totals["late"], totals["early"]) == (2, 1, 1)


def test_a_second_due_date_column_is_the_rescheduled_one(tmp_path):
    path = write_csv(tmp_path / "hai.csv", [
        ["Mã hồ sơ", "Mã TTHC", "Đơn vị tiếp nhận", "Ngày tiếp nhận", "Ngày hẹn trả", "Hẹn trả kết quả",
         "Trạng thái"],
        ["R1", "1.001", "UBND xã A", "01/04/2026", "06/04/2026", "10/04/2026", "4"],
    ])
    plan = plan_import([path])
    row = plan.dossiers.iloc[0]
    assert (row["due_at"], row["due_rescheduled_at"]) == (datetime(2026, 4, 6), datetime(2026, 4, 10))


# -- remembered layouts ---------------------------------------------------------------------------

def test_a_confirmed_layout_is_reused_by_the_command(tmp_path, db, capsys):
    first = write_xlsx(tmp_path / "t4.xlsx", {"Sheet1": report_sheet()})
    confirmed = importer.apply_import(plan_import([first], db), db, remember_layout=True)
    assert confirmed.profiles_saved and len(read_profiles(db)) == 1
    later = write_xlsx(tmp_path / "t5.xlsx", {"Sheet1": report_sheet()})
    assert run_import_command([str(later)], str(db), "json") == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["layout"][0]["profile"] == confirmed.profiles_saved[0]
    assert doc["tables"]["dossiers"]["accepted"] == 4

    # A correction kept in the profile wins over the alias table (the handler column ignored).
    sheet = plan_import([later], db).sheets[0]
    importer.save_profile(db, sheet, {"Cán bộ xử lý": "ignored"})
    plan = plan_import([later], db)
    meanings = dict(plan.sheets[0].meanings)
    assert meanings["Cán bộ xử lý"] == "ignored" and plan.dossiers["handler"].isna().all()
    # ... but never un-drops a citizen column.
    importer.save_profile(db, sheet, {"Chủ hồ sơ": "handler"})
    assert dict(plan_import([later], db).sheets[0].meanings)["Chủ hồ sơ"] == importer.MEANING_DROPPED


def test_procedure_attach_command(tmp_path, db, capsys):
    from analytics.cli.main import main

    dossiers = write_csv(tmp_path / "ds.csv", [
        ["Mã hồ sơ", "Tên thủ tục", "Đơn vị tiếp nhận", "Ngày tiếp nhận", "Trạng thái"],
        ["A1", "Thủ tục lạ", "UBND xã A", "01/04/2026", "4"]])
    import_files([catalogue(tmp_path), dossiers], db)
    assert main(["procedure-attach", "Thủ tục lạ", "1.002", "--db", str(db)]) == 0
    assert "1 hồ sơ" in capsys.readouterr().out
    assert query(db, "select procedure_code from dossiers") == [("1.002",)]
    assert main(["procedure-attach", "Thủ tục lạ", "không-có", "--db", str(db)]) == 2

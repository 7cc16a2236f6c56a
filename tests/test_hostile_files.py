"""Hostile files (issue "Hardening", section 4): each is made here, small, and
must fail alone with a clear message while this process (standing in for the
Streamlit server or the inbox loop) survives with its memory small."""

from __future__ import annotations

import csv
import json
import os
import resource
import time
import tomllib
import zipfile
from pathlib import Path

import pyarrow as pa
import pytest

from analytics.ingest import importer
from analytics.ingest.file_limits import MAX_FILE_MB, FileRefused, Limits, check_workbook
from analytics.ingest.importer import REASON_NOT_A_DATE, ImportFailed, plan_import
from analytics.ingest.inbox import SKIP_LINK, Inbox
from analytics.ingest.reader_worker import WorkerCrashed, run_isolated, worker_pid
from analytics.reminders.contacts import ContactFileError, read_contacts_file
from tests import golden as g
from tests.conftest import build_file_db

ROOT = Path(__file__).resolve().parents[1]
HEADER = ["Mã hồ sơ", "Mã TTHC", "Lĩnh vực", "Cơ quan giải quyết", "Kênh nộp", "Ngày tiếp nhận",
          "Ngày hẹn trả", "Ngày kết thúc xử lý", "Trạng thái"]

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>')
_RELS = ('<?xml version="1.0" encoding="UTF-8"?>'
         '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
         '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
         'officeDocument" Target="xl/workbook.xml"/></Relationships>')
_WORKBOOK = ('<?xml version="1.0" encoding="UTF-8"?>'
             '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
             'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
             '<sheets><sheet name="Hồ sơ" sheetId="1" r:id="rId1"/></sheets></workbook>')
_WORKBOOK_RELS = ('<?xml version="1.0" encoding="UTF-8"?>'
                  '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                  '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                  'relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>')
_SHEET_HEAD = ('<?xml version="1.0" encoding="UTF-8"?>'
               '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">')


def _cell(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def _header_row() -> str:
    return '<row r="1">' + "".join(_cell(f"{chr(65 + i)}1", h) for i, h in enumerate(HEADER)) + "</row>"


def write_xlsx(path: Path, rows_xml: str | None = None, dimension: str | None = None,
               sheet_chunks=None) -> Path:
    """A minimal workbook written by hand, so it can say what no writer library would."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as book:
        book.writestr("[Content_Types].xml", _CONTENT_TYPES)
        book.writestr("_rels/.rels", _RELS)
        book.writestr("xl/workbook.xml", _WORKBOOK)
        book.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        with book.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(_SHEET_HEAD.encode())
            if dimension:
                sheet.write(f'<dimension ref="{dimension}"/>'.encode())
            sheet.write(b"<sheetData>")
            if rows_xml:
                sheet.write(rows_xml.encode())
            for chunk in sheet_chunks or ():
                sheet.write(chunk)
            sheet.write(b"</sheetData></worksheet>")
    return path


def far_cell_xlsx(path: Path, dimension: str | None = "A1:XFD1048576") -> Path:
    """The 5 KB file of the issue: a header, and one cell at XFD1048576."""
    return write_xlsx(path, _header_row() + '<row r="1048576">' + _cell("XFD1048576", "x") + "</row>", dimension)


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def write_csv(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(HEADER)
        writer.writerows(rows)
    return path


def good_row(code: str, received: str = "10/03/2026 08:00") -> list[str]:
    return [code, "P1", "Chứng thực", g.XA, "Trực tiếp", received, "12/03/2026", "", "4"]


@pytest.fixture(autouse=True)
def warm_worker():
    """Start the reader worker once, so memory measured after is the files' alone."""
    run_isolated(os.getpid)


# -- spreadsheets ---------------------------------------------------------------------

def test_a_cell_at_xfd1048576_is_refused_before_reading(tmp_path):
    path = far_cell_xlsx(tmp_path / "xa.xlsx")
    assert path.stat().st_size < 5_000
    before = peak_rss_mb()
    with pytest.raises(ImportFailed, match="XFD1048576") as caught:
        plan_import([path])
    assert "A1:XFD1048576" in str(caught.value) and "200 cột" in str(caught.value)
    assert peak_rss_mb() - before < 50


def test_a_sheet_lying_about_its_range_crashes_only_the_worker(tmp_path):
    # The dimension says A1:I1, so the pre-read check lets it through; calamine
    # then fails to allocate the 17-billion-cell grid and aborts its process.
    path = far_cell_xlsx(tmp_path / "noi-doi.xlsx", dimension="A1:I1")
    first_worker = worker_pid()
    with pytest.raises(ImportFailed, match="tiến trình đọc tệp bị dừng") as caught:
        plan_import([path])
    assert "noi-doi.xlsx" in str(caught.value)
    # A fresh worker reads the next file.
    good = write_csv(tmp_path / "tot.csv", [good_row("HS1")])
    assert list(plan_import([good]).dossiers["code"]) == ["HS1"]
    assert worker_pid() not in (None, first_worker, os.getpid())


def test_formatted_blanks_far_away_do_not_refuse_a_sheet(tmp_path):
    # Excel counts formatted empty cells in <dimension>; calamine skips them.
    rows = (_header_row() + '<row r="2">' + "".join(_cell(f"{chr(65 + i)}2", v) for i, v in
                                                      enumerate(good_row("HS1"))) + "</row>"
            + '<row r="1048576"><c r="XFD1048576" s="1"/></row>')
    path = write_xlsx(tmp_path / "dinh-dang.xlsx", rows, dimension="A1:XFD1048576")
    assert list(plan_import([path]).dossiers["code"]) == ["HS1"]


def test_a_zip_bomb_is_refused_by_its_ratio_with_small_memory(tmp_path):
    row = ('<row>' + "".join(_cell(c, "Ủy ban nhân dân xã An Bình") for c in "ABCDEFGHI") + "</row>").encode()
    chunk = row * 2_000
    path = write_xlsx(tmp_path / "bom.xlsx", _header_row(), "A1:I1", sheet_chunks=[chunk] * 120)
    info = zipfile.ZipFile(path).getinfo("xl/worksheets/sheet1.xml")
    assert info.file_size > 150 * 2**20 and path.stat().st_size < 2 * 2**20
    before = peak_rss_mb()
    with pytest.raises(ImportFailed, match="nén .* lần") as caught:
        plan_import([path])
    assert "sheet1.xml" in str(caught.value)
    assert peak_rss_mb() - before < 50


def test_uncompressed_total_over_the_cap_is_refused(tmp_path):
    payload = os.urandom(3 * 2**20).hex().encode()  # 6 MB that barely compresses
    path = write_xlsx(tmp_path / "to.xlsx", _header_row(), "A1:I1", sheet_chunks=[b"<!--", payload, b"-->"])
    with pytest.raises(FileRefused, match="giải nén ra .* MB, quá giới hạn 5 MB"):
        check_workbook(path, Limits(max_uncompressed_mb=5))


def test_a_sheet_without_dimension_is_measured_from_its_cells(tmp_path):
    path = far_cell_xlsx(tmp_path / "khong-khai-bao.xlsx", dimension=None)
    with pytest.raises(FileRefused, match="XFD1048576"):
        check_workbook(path)
    rows = _header_row() + "".join(f'<row r="{r}">' + _cell(f"A{r}", "x") + "</row>" for r in range(2, 40))
    small = write_xlsx(tmp_path / "nho.xlsx", rows, dimension=None)
    check_workbook(small, Limits(max_cells=39 * 9))
    with pytest.raises(FileRefused, match="39 dòng × 9 cột"):
        check_workbook(small, Limits(max_cells=39 * 9 - 1))


# -- CSV --------------------------------------------------------------------------------

def test_a_ten_megabyte_line_of_commas_is_refused_quickly(tmp_path):
    path = tmp_path / "phay.csv"
    path.write_bytes(",".join(HEADER).encode() + b"\n" + b"," * (10 * 2**20) + b"\n")
    before = peak_rss_mb()
    started = time.perf_counter()
    with pytest.raises(ImportFailed, match="dòng 2 dài 10.485.761 ký tự"):
        plan_import([path])
    assert time.perf_counter() - started < 10
    assert peak_rss_mb() - before < 50


def test_a_csv_wider_than_the_cap_is_refused(tmp_path):
    path = tmp_path / "rong.csv"
    path.write_text(",".join(HEADER + [f"c{i}" for i in range(300)]) + "\n", encoding="utf-8")
    with pytest.raises(ImportFailed, match="309 cột, quá 200 cột"):
        plan_import([path])


# -- the worker ----------------------------------------------------------------------------

def abort_reader(*args):
    """Stands in for a reader that dies in native code (the worker imports it by name)."""
    os.abort()


def test_an_aborting_reader_is_a_clear_error_and_the_caller_survives(tmp_path, monkeypatch):
    with pytest.raises(WorkerCrashed, match="SIGABRT"):
        run_isolated(os.abort)
    assert run_isolated(os.getpid) != os.getpid()
    monkeypatch.setattr(importer, "read_file", abort_reader)
    path = write_csv(tmp_path / "hs.csv", [good_row("HS1")])
    with pytest.raises(ImportFailed, match=r"Không đọc được tệp 'hs.csv': tiến trình đọc tệp bị dừng \(SIGABRT"):
        plan_import([path])


def test_a_reader_past_its_memory_limit_is_a_clear_error(monkeypatch):
    monkeypatch.setenv("MOTCUA_IMPORT_MEMORY_MB", "600")
    with pytest.raises(WorkerCrashed, match="vượt giới hạn bộ nhớ 600 MB"):
        run_isolated(bytearray, 2 * 2**30)
    assert run_isolated(len, "ok") == 2  # the same worker goes on


def arrow_pool_backend() -> str:
    """The allocator behind pyarrow's default pool, where it runs (the worker imports it by name)."""
    return pa.default_memory_pool().backend_name


def test_imports_allocate_arrow_memory_with_the_c_library(tmp_path):
    # mimalloc's arenas cost the first import in a process 0.4-0.8 s of system time (arrow_memory.py).
    assert run_isolated(arrow_pool_backend) == "system"
    plan_import([write_csv(tmp_path / "hs.csv", [good_row("HS1")])])
    assert arrow_pool_backend() == "system"


def test_an_arrow_allocation_past_the_memory_limit_is_a_clear_error(monkeypatch):
    monkeypatch.setenv("MOTCUA_IMPORT_MEMORY_MB", "600")
    with pytest.raises(WorkerCrashed, match="vượt giới hạn bộ nhớ 600 MB"):
        run_isolated(pa.allocate_buffer, 2 * 2**30)
    assert run_isolated(arrow_pool_backend) == "system"  # the same worker goes on


# -- rows ------------------------------------------------------------------------------------

def test_text_in_a_date_column_rejects_the_row_not_the_import(tmp_path):
    path = write_csv(tmp_path / "ngay.csv", [good_row("HS1"), good_row("HS2", "Đang xử lý"),
                                             good_row("HS3", "ab/cd/2026")])
    plan = plan_import([path])
    assert list(plan.dossiers["code"]) == ["HS1"]
    rejects = plan.rejects[["file", "row", "column", "reason", "value"]].to_dict("records")
    assert rejects == [
        {"file": "ngay.csv", "row": 3, "column": "Ngày tiếp nhận", "reason": REASON_NOT_A_DATE, "value": "Đang xử lý"},
        {"file": "ngay.csv", "row": 4, "column": "Ngày tiếp nhận", "reason": REASON_NOT_A_DATE, "value": "ab/cd/2026"},
    ]


# -- size ---------------------------------------------------------------------------------------

def test_upload_limit_is_the_streamlit_one():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["maxUploadSize"] == MAX_FILE_MB


def test_a_file_over_the_limit_is_refused_unread(tmp_path):
    path = tmp_path / "lon.csv"
    with path.open("wb") as fh:  # sparse: takes no disk
        fh.truncate((MAX_FILE_MB + 1) * 2**20)
    with pytest.raises(ImportFailed, match=f"lớn 201,0 MB, quá giới hạn {MAX_FILE_MB} MB"):
        plan_import([path])
    with pytest.raises(ContactFileError, match=f"quá giới hạn {MAX_FILE_MB} MB"):
        read_contacts_file(path)


# -- contacts ------------------------------------------------------------------------------------

def test_contacts_import_has_the_same_limits(tmp_path):
    with pytest.raises(ContactFileError, match="XFD1048576"):
        read_contacts_file(far_cell_xlsx(tmp_path / "danh-ba.xlsx"))
    with pytest.raises(ContactFileError, match="tiến trình đọc tệp bị dừng"):
        read_contacts_file(far_cell_xlsx(tmp_path / "danh-ba-2.xlsx", dimension="A1:I1"))
    line = tmp_path / "danh-ba.csv"
    line.write_bytes("Họ và tên,Đơn vị\n".encode() + b"," * (2 * 2**20))
    with pytest.raises(ContactFileError, match="quá 1.000.000 ký tự"):
        read_contacts_file(line)


# -- inbox ------------------------------------------------------------------------------------------

@pytest.fixture
def inbox(tmp_path):
    db = tmp_path / "data" / "office.duckdb"
    build_file_db(db, **g.ROWS)
    folder = tmp_path / "data" / "inbox"
    folder.mkdir()
    return Inbox(db, folder, settle=0, sleep=lambda s: None), db, folder


def _age(path: Path) -> None:
    then = time.time() - 60
    os.utime(path, (then, then), follow_symlinks=False)


def test_inbox_moves_a_crashing_file_to_failed_and_imports_the_next(inbox):
    box, db, folder = inbox
    bad = far_cell_xlsx(folder / "a-hong.xlsx", dimension="A1:I1")
    good = write_csv(folder / "b-tot.csv", [good_row("X1")])
    for path in (bad, good):
        _age(path)
    result = box.run_once()
    assert [name for name, _ in result.imported] == ["b-tot.csv"]
    assert [name for name, _ in result.failed] == ["a-hong.xlsx"]
    [failed] = [p for p in (folder / "failed").iterdir() if p.suffix == ".xlsx"]
    reason = failed.with_name(failed.name + ".txt").read_text(encoding="utf-8")
    assert "tiến trình đọc tệp bị dừng" in reason
    assert "tiến trình đọc tệp bị dừng" in json.loads(failed.with_name(failed.name + ".json").read_text())["error"]
    assert not bad.exists()


def test_inbox_skips_a_link_to_a_file_outside(inbox, tmp_path):
    box, db, folder = inbox
    secret = write_csv(tmp_path / "bi-mat.csv", [good_row("SECRET1")])
    secret.chmod(0o600)
    link = folder / "lien-ket.csv"
    link.symlink_to(secret)
    _age(secret)
    _age(link)
    result = box.run_once()
    assert result.imported == [] and result.failed == []
    assert result.skipped == [("lien-ket.csv", SKIP_LINK)]
    assert "Bỏ qua: lien-ket.csv" in result.summary()
    assert link.is_symlink() and secret.exists()
    from analytics.store.database import AnalyticsStore

    codes = {r[0] for r in AnalyticsStore(db).reader().execute("select code from dossiers").fetchall()}
    assert "SECRET1" not in codes

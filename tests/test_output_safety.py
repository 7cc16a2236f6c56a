"""Data is never markup: names from an export file that look like formulas,
links or Markdown come out as the same text in every workbook, deck, report,
CSV file and page.

The office is tests/golden.py's, with every agency, field, procedure, stage
and handler renamed to something a spreadsheet or a Markdown renderer would
act on.
"""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from docx import Document
from streamlit.testing.v1 import AppTest

from analytics.access.auth import AGENCY_OFFICER, Accounts
from analytics.indicators.engine import Engine
from analytics.indicators.filters import Filters
from analytics.ingest.importer import import_files
from analytics.locale.safe_text import CSV_FORMULA_STARTS, csv_cell, md_escape
from analytics.reports import excel
from analytics.reports.deck import build_deck
from analytics.reports.docreport import build_report_docx
from analytics.reports.report06 import build_report06_xlsx
from analytics.store.database import AnalyticsStore
from analytics.store.ops import OpsStore
from tests import golden as g
from tests.conftest import build_file_db

# Spreadsheet formulas (OWASP "CSV Injection" examples).
FORMULA = '=HYPERLINK("http://x","y")'
PLUS, AT, MINUS = "+cmd", "@SUM(1)", "-1+1"
# Markdown, HTML, Streamlit directives, LaTeX.
LINK, BOLD, HTML = "[link](http://evil)", "**bold**", "<b>x</b>"
COLOUR, ICON, LATEX = ":red[x]", ":material/home:", "$x$"

RENAMED = {
    # agencies
    g.XA: FORMULA, g.PHUONG: LINK, g.TNMT: BOLD,
    # fields
    "Chứng thực": AT, "Hộ tịch": "=SUM(1;2)", "Đất đai": PLUS,
    # procedure names
    "Chứng thực bản sao từ bản chính": HTML, "Giao đất, cho thuê đất": f"{LATEX} and $y$",
    "Thẩm định phương án khai thác": COLOUR,
    # handlers
    g.AN: '=HYPERLINK("http://h","h")', g.BINH: f"{LINK} Bình", g.CUONG: MINUS, g.DUNG: f"{ICON} Dung",
    # stages
    "Tiếp nhận": f"{HTML} stage", "Thẩm định": f"{BOLD} stage", "Trả kết quả": "=1+2", "Phê duyệt": COLOUR,
}
AGENCIES = (FORMULA, LINK, BOLD)
FIELDS = (AT, "=SUM(1;2)", PLUS)
HANDLERS = ('=HYPERLINK("http://h","h")', f"{LINK} Bình", MINUS, f"{ICON} Dung")
# Text that a Markdown renderer turns into a link, bold, HTML, a colour, an
# icon or LaTeX: it may never reach one unescaped.
ACTIVE = (LINK, BOLD, HTML, COLOUR, ICON, LATEX, "http://")

MARCH = Filters(*g.MARCH)
PAGES = (
    "pages/tong_quan.py", "pages/dung_han.py", "pages/giai_doan.py", "pages/nguoi_thu_ly.py",
    "pages/truc_tuyen.py", "pages/tthc_khong_phat_sinh.py", "pages/chi_so_766.py", "pages/bieu_06.py",
    "pages/nhac_viec.py",
)
APP = Path(__file__).resolve().parents[1] / "dashboard.py"


def renamed_rows() -> dict[str, list[tuple]]:
    return {table: [tuple(RENAMED.get(v, v) if isinstance(v, str) else v for v in row) for row in rows]
            for table, rows in g.ROWS.items()}


@pytest.fixture(scope="module")
def evil_db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("evil") / "office.duckdb"
    build_file_db(path, **renamed_rows())
    return path


@pytest.fixture(scope="module")
def engine(evil_db) -> Engine:
    return Engine(AnalyticsStore(evil_db).reader())


def test_the_renamed_office_holds_the_names(engine):
    assert {r["agency"] for r in engine.by_agency(MARCH)} == set(AGENCIES)
    assert {r["handler"] for r in engine.by_handler(MARCH)} == set(HANDLERS)


# --- the primitives ---------------------------------------------------------------


@pytest.mark.parametrize("text, escaped", [
    (LINK, r"\[link\]\(http\:\/\/evil\)"),
    (BOLD, r"\*\*bold\*\*"),
    (HTML, r"\<b\>x\<\/b\>"),
    (COLOUR, r"\:red\[x\]"),
    (ICON, r"\:material\/home\:"),
    (LATEX, r"\$x\$"),
    ("# title", r"\# title"),
    ("1. one", r"1\. one"),
    ("- item", r"\- item"),
    ("a\n\n# b\r\nc", r"a \# b c"),
    ("UBND xã Hòa An", "UBND xã Hòa An"),
    (None, ""),
])
def test_md_escape(text, escaped):
    assert md_escape(text) == escaped


@pytest.mark.parametrize("value, cell", [
    (FORMULA, "'" + FORMULA), (PLUS, "'+cmd"), (AT, "'@SUM(1)"), (MINUS, "'-1+1"),
    ("\tx", "'\tx"), ("\rx", "'\rx"), ("UBND =1", "UBND =1"), ("", ""), (7, 7), (-1.5, -1.5), (None, None),
])
def test_csv_cell(value, cell):
    assert csv_cell(value) == cell


# --- workbooks ---------------------------------------------------------------------


def cells(data: bytes) -> list:
    book = openpyxl.load_workbook(io.BytesIO(data))
    return [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row if c.value is not None]


def assert_text_cells(data: bytes, names) -> None:
    found = cells(data)
    assert not [c.coordinate for c in found if c.data_type == "f"], "no cell may be a formula"
    texts = {c.value for c in found if c.data_type == "s"}
    for name in names:
        assert name in texts, f"{name!r} is not a text cell"


def test_report06_workbook_writes_field_names_and_unit_as_text(engine):
    data = build_report06_xlsx(engine, MARCH, unit_name="=1+1")
    assert_text_cells(data, FIELDS)
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert not book.worksheets[0]["B9"].hyperlink
    assert not [c for c in cells(data) if c.hyperlink]


@pytest.mark.parametrize("stream", [True, False])
def test_table_workbook_writes_names_as_text(engine, stream):
    df = pd.DataFrame.from_records(engine.by_agency(MARCH))
    spec = excel.SheetSpec(df, title=FORMULA, subtitle_lines=[f"Bộ lọc: {LINK}", PLUS],
                           columns={"agency": "=Header", "resolved": excel.ColumnSpec(kind="int")})
    data = excel._build([spec], lang="vi", stream=stream)
    assert_text_cells(data, (*AGENCIES, FORMULA, PLUS, "=Header"))


def test_deck_chart_workbooks_hold_names_as_text(engine):
    data = build_deck(engine, MARCH, unit_name=FORMULA)
    with zipfile.ZipFile(io.BytesIO(data)) as pptx:
        embedded = [pptx.read(n) for n in pptx.namelist() if n.startswith("ppt/embeddings/") and n.endswith(".xlsx")]
    assert embedded
    for workbook in embedded:
        assert not [c.coordinate for c in cells(workbook) if c.data_type == "f"]
    texts = {c.value for workbook in embedded for c in cells(workbook) if c.data_type == "s"}
    assert set(AGENCIES) <= texts  # the late rate by agency
    assert "=1+2" in texts  # a stage name
    assert any(t.startswith(MINUS + "\n") for t in texts)  # a handler (and the agency)


def test_docx_report_holds_the_literal_names(engine):
    document = Document(io.BytesIO(build_report_docx(engine, MARCH, unit_name=LINK)))
    text = "\n".join([p.text for p in document.paragraphs]
                     + [c.text for table in document.tables for row in table.rows for c in row.cells])
    for name in (*AGENCIES, *FIELDS, LINK):
        assert name in text


# --- the rejects CSV ------------------------------------------------------------------


def test_rejects_csv_cells_are_neutralised(tmp_path):
    header = ["Mã hồ sơ", "Mã TTHC", "Tên TTHC", "Lĩnh vực", "Cơ quan giải quyết", "Kênh nộp",
              "Ngày tiếp nhận", "Ngày hẹn trả", "Ngày kết thúc xử lý", "Trạng thái"]
    bad = [FORMULA, PLUS, AT, MINUS, "a;=1+1"]
    rows = [header] + [[f"HS{i}", "1.001", "Khai sinh", "Hộ tịch", "UBND xã An Bình", channel,
                        "01/04/2026", "10/04/2026", "05/04/2026", "Đã trả kết quả"] for i, channel in enumerate(bad)]
    path = tmp_path / "hs.csv"
    with path.open("w", encoding="utf-8", newline="") as out:
        csv.writer(out).writerows(rows)
    report = import_files([path], tmp_path / "data" / "office.duckdb")
    assert report.tables["dossiers"]["rejected"] == len(bad)
    raw = Path(report.rejects_file).read_text(encoding="utf-8-sig")
    table = list(csv.reader(io.StringIO(raw)))
    values = [row[-1] for row in table[1:]]
    assert values == ["'" + FORMULA, "'+cmd", "'@SUM(1)", "'-1+1", "a;=1+1"]
    assert not [c for row in table for c in row if c.startswith(CSV_FORMULA_STARTS)]
    # Every field is quoted: a spreadsheet that splits on ";" cannot cut "a;=1+1" into a formula cell.
    assert all(line.startswith('"') and line.endswith('"') for line in raw.splitlines())


# --- pages ----------------------------------------------------------------------------


def run(db: Path, monkeypatch, page: str, params: dict) -> AppTest:
    monkeypatch.setenv("MOTCUA_DB", str(db))
    at = AppTest.from_file(str(APP), default_timeout=120)
    at.query_params.update(params)
    at.run()
    at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def rendered(at: AppTest) -> list[str]:
    """Every text on the page that Streamlit renders as Markdown."""
    texts = []
    for kind in ("markdown", "caption", "info", "warning", "error", "success", "title", "header", "subheader"):
        texts += [e.value for e in getattr(at, kind)]
    texts += [m.label for m in at.metric] + [str(m.value) for m in at.metric]
    texts += [e.label for e in at.expander] + [t.label for t in at.tabs]
    return texts


def assert_inert(texts: list[str]) -> None:
    for text in texts:
        for active in ACTIVE:
            assert active not in text, f"{active!r} reaches Markdown unescaped in {text!r}"


MARCH_PARAMS = {"ky": "custom", "tu": "2026-03-01", "den": "2026-03-31"}


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("agency", [LINK, BOLD])
def test_pages_show_names_as_text(evil_db, monkeypatch, page, agency):
    at = run(evil_db, monkeypatch, page, {**MARCH_PARAMS, "donvi": agency})
    assert at.session_state["_view"].filters.agency == agency
    texts = rendered(at)
    assert_inert(texts)
    assert any(md_escape(agency) in m for m in texts)  # the header names the filter, escaped


def test_cards_name_the_top_handler_and_stage_as_text(evil_db, monkeypatch):
    at = run(evil_db, monkeypatch, "pages/nguoi_thu_ly.py", MARCH_PARAMS)
    # The top handler by caused lateness (issue 12): Cường, whose step made D17 late.
    assert f"**{md_escape(RENAMED[g.CUONG])}**" in [m.value for m in at.markdown]
    assert_inert(rendered(at))
    at = run(evil_db, monkeypatch, "pages/giai_doan.py", MARCH_PARAMS)
    assert f"**{md_escape(f'{BOLD} stage')}**" in [m.value for m in at.markdown]
    assert_inert(rendered(at))


def test_drill_down_message_names_the_agency_as_text(evil_db, monkeypatch):
    at = run(evil_db, monkeypatch, "pages/dung_han.py", MARCH_PARAMS)
    at.selectbox(key="dh_drill_agency").set_value(FORMULA).run()  # the commune has no late dossier
    assert any(md_escape(FORMULA) in i.value for i in at.info)
    assert_inert(rendered(at))


def test_import_page_names_file_columns_as_text(tmp_path, monkeypatch):
    db = tmp_path / "office.duckdb"
    with AnalyticsStore(db).write():
        pass
    header = ["Mã hồ sơ", "Mã TTHC", "Tên TTHC", "Lĩnh vực", "Cơ quan giải quyết", "Kênh nộp",
              "Ngày tiếp nhận", "Ngày hẹn trả", "Ngày kết thúc xử lý", "Trạng thái", LINK, COLOUR]
    row = ["HS1", "1.001", "Khai sinh", "Hộ tịch", "UBND xã An Bình", "Trực tuyến",
           "01/04/2026", "10/04/2026", "05/04/2026", "Đã trả kết quả", "x", "y"]
    content = io.StringIO()
    csv.writer(content).writerows([header, row])
    at = run(db, monkeypatch, "pages/nhap_du_lieu.py", {})
    at.file_uploader[0].set_value(("hs.csv", content.getvalue().encode(), "text/csv")).run()
    assert not at.exception
    shown = " ".join(i.value for i in at.info)
    assert md_escape(LINK) in shown and md_escape(COLOUR) in shown
    assert_inert(rendered(at))


def test_account_box_shows_the_name_and_scope_as_text(tmp_path, monkeypatch):
    db = tmp_path / "office.duckdb"
    build_file_db(db, **renamed_rows())
    password = "mật khẩu đủ dài"
    # A display name as an identity provider may send it; the scope is an agency of the data.
    Accounts(OpsStore.beside(db)).add("lan", display_name=BOLD, role=AGENCY_OFFICER, agency=LINK,
                                      password=password, actor="cli:test")
    monkeypatch.setenv("MOTCUA_AUTH", "on")
    monkeypatch.setenv("MOTCUA_DB", str(db))
    at = AppTest.from_file(str(APP), default_timeout=120)
    at.query_params.update(MARCH_PARAMS)
    at.run()
    at.text_input(key="auth_username").input("lan")
    at.text_input(key="auth_password").input(password)
    at.button(key="auth_submit").click()
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert f"**{md_escape(BOLD)}**" in [m.value.split(" · ")[0] for m in at.sidebar.markdown]
    assert any(md_escape(LINK) in c.value for c in at.sidebar.caption)
    assert_inert(rendered(at))


# --- control characters ------------------------------------------------------------


def test_control_characters_in_names_neither_break_the_pack_nor_reach_the_terminal(tmp_path, capsys):
    from analytics.cli.main import main

    coloured = "UBND xã\x1b[31m Hòa\x00 An\x9b2J"
    rows = renamed_rows()
    rows = {table: [tuple(coloured if v == FORMULA else v for v in row) for row in table_rows]
            for table, table_rows in rows.items()}
    db = tmp_path / "office.duckdb"
    build_file_db(db, **rows)
    engine = Engine(AnalyticsStore(db).reader())
    shown = "UBND xã[31m Hòa An2J"
    document = Document(io.BytesIO(build_report_docx(engine, MARCH, unit_name="Huyện\x07 A")))
    text = "\n".join([p.text for p in document.paragraphs]
                     + [c.text for table in document.tables for row in table.rows for c in row.cells])
    assert shown in text
    data = build_deck(engine, MARCH, unit_name="Huyện\x07 A")
    with zipfile.ZipFile(io.BytesIO(data)) as pptx:
        embedded = [pptx.read(n) for n in pptx.namelist() if n.startswith("ppt/embeddings/")]
    assert shown in {c.value for workbook in embedded for c in cells(workbook)}
    assert main(["indicators", "--db", str(db), "--from", "2026-03-01", "--to", "2026-03-31"]) == 0
    out = capsys.readouterr().out
    assert shown in out and "\x1b" not in out and "\x9b" not in out

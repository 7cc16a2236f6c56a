"""Each language shows only itself: on every page of a small demo office, the
English screen has no Vietnamese word the product wrote (names from the data
apart) and the Vietnamese screen no English widget text.

Read under AppTest from what the page draws: titles, headings, captions,
Markdown, notices, metric labels, widget labels, placeholders and help, button
and download labels, table headers, and options a widget's format_func names.
"""

from __future__ import annotations

import re

import pytest
from streamlit.testing.v1 import AppTest

from analytics.locale.labels import STAGE_NAMES_EN, stage_name
from analytics.reminders.contacts import FIELD_LABELS, ROLE_LABELS
from analytics.store.database import AnalyticsStore
from tests.test_pages import APP, build_small_demo
from tests.ui.test_gate import elements

PAGES = (
    "pages/tong_quan.py", "pages/dung_han.py", "pages/giai_doan.py", "pages/nguoi_thu_ly.py",
    "pages/truc_tuyen.py", "pages/tthc_khong_phat_sinh.py", "pages/bieu_06.py", "pages/nhac_viec.py",
    "pages/nhap_du_lieu.py",
)
# Letters only Vietnamese uses (the precomposed tone marks and ă â đ ê ô ơ ư).
VIETNAMESE = re.compile(r"[\u1ea0-\u1ef9ăâđêôơưĂÂĐÊÔƠƯàáảạèéẻẹìíỉịòóỏọùúủụỳýỷỵãẽĩõũỹ]")
# Names the English screen keeps in Vietnamese on purpose: the official
# form's name and the decree's, as an English reader meets them on paper.
PROPER_NAMES = ("Biểu số 06/VPCP/KSTT", "Biểu 06", "QĐ 766", "Thông tư 01/2020/TT-VPCP", "Tiếng Việt",
                "Quyết định 766", "Nghị định")
# The contacts file's column names and roles (Nhắc việc): the names staff
# type in their spreadsheet, the same on either screen; "Người xử lý" is the
# one-stop export's own column.
FILE_FORMAT = (*FIELD_LABELS.values(), *ROLE_LABELS.values(), "Người xử lý")
# Streamlit's own English that a Vietnamese screen must not show (labels,
# placeholders, empty-option texts).
ENGLISH = re.compile(r"\b(Choose an option|Select|Date range|Page not found|Browse files|No results|"
                     r"Download|Search|Drag and drop|the|and|of)\b")


@pytest.fixture(scope="module")
def office(tmp_path_factory):
    db = build_small_demo(tmp_path_factory.mktemp("langs") / "office.duckdb", per_year=300)
    con = AnalyticsStore(db).reader()
    names: set[str] = set()
    for sql in ("select name from agencies", "select distinct field from procedures", "select name from procedures",
                "select distinct step_name from steps", "select distinct handler from steps",
                "select distinct agency from steps", "select distinct field from dossiers"
                " join procedures on procedures.code = dossiers.procedure_code"):
        try:
            names |= {r[0] for r in con.execute(sql).fetchall() if r[0]}
        except Exception:  # noqa: BLE001 - a column this schema lacks holds no names to strip
            continue
    return db, names


def chrome(at: AppTest) -> list[str]:
    """What the product wrote on the page, one text per element part."""
    out: list[str] = []
    for e in elements(at):
        if e.type == "html":  # the stylesheets (ui.frame.inject_css), not text on screen
            continue
        proto = getattr(e, "proto", None)
        # A text area's value is the office's own text (the reminder
        # messages, sent in Vietnamese), not the product's words.
        attrs = ("label", "placeholder", "help") if e.type == "text_area" else (
            "label", "placeholder", "help", "value", "body")
        for attr in attrs:
            value = getattr(e, attr, None)
            if value is None and proto is not None and attr in ("label", "placeholder", "help", "body"):
                value = getattr(proto, attr, None)
            if isinstance(value, str) and value:
                out.append(value)
        if e.type in ("selectbox", "multiselect", "radio", "button_group"):
            out += [str(o) for o in getattr(e, "options", [])]
    for frame in at.dataframe:
        data = getattr(frame.value, "data", frame.value)
        out += [str(c) for c in data.columns]
    return out


def strip_names(text: str, names: set[str]) -> str:
    for name in sorted(names | set(PROPER_NAMES) | set(FILE_FORMAT), key=len, reverse=True):
        text = text.replace(name, "")
    return text


def open_page(db, monkeypatch, page: str, lang: str) -> AppTest:
    monkeypatch.setenv("MOTCUA_DB", str(db))
    at = AppTest.from_file(str(APP), default_timeout=180)
    at.query_params.update({"lang": lang, "ky": "custom", "tu": "2026-07-01", "den": "2026-09-30"})
    at.run()
    at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


@pytest.mark.parametrize("page", PAGES)
def test_english_screen_has_no_vietnamese_of_the_product(office, monkeypatch, page):
    db, names = office
    at = open_page(db, monkeypatch, page, "en")
    left = sorted({t for t in chrome(at) if VIETNAMESE.search(strip_names(t, names))})
    assert not left, f"{page}: Vietnamese on the English screen: {left[:10]}"
    # The sidebar's date range is labelled in English too.
    assert at.date_input(key="f_range").label == "From – to"


@pytest.mark.parametrize("page", PAGES)
def test_vietnamese_screen_has_no_english_widget_text(office, monkeypatch, page):
    db, names = office
    at = open_page(db, monkeypatch, page, "vi")
    left = sorted({t for t in chrome(at) if ENGLISH.search(strip_names(t, names))})
    assert not left, f"{page}: English on the Vietnamese screen: {left[:10]}"
    assert at.date_input(key="f_range").label == "Từ ngày – đến ngày"


def test_stage_names_in_english_where_the_catalogue_has_them(office, monkeypatch):
    db, _ = office
    at = open_page(db, monkeypatch, "pages/giai_doan.py", "en")
    table = at.dataframe[-1].value  # late steps by stage
    data = getattr(table, "data", table)
    stages = set(data.iloc[:, 0])
    assert stages and stages <= set(STAGE_NAMES_EN.values()), stages  # every demo step is in the catalogue
    assert stage_name("Thẩm định hồ sơ", "en") == "Appraising the dossier"
    assert stage_name("Kiểm tra thực địa", "en") == "Kiểm tra thực địa"  # none in the catalogue: as written
    assert stage_name("THẨM ĐỊNH  hồ sơ", "vi") == "THẨM ĐỊNH  hồ sơ"
    vi = open_page(db, monkeypatch, "pages/giai_doan.py", "vi")
    vi_data = getattr(vi.dataframe[-1].value, "data", vi.dataframe[-1].value)
    assert "Thẩm định hồ sơ" in set(vi_data.iloc[:, 0])


def test_an_english_link_is_english_from_the_first_run(office, monkeypatch):
    """The sidebar notice and the app name are drawn before the filters read
    the link: they follow its ``lang`` already."""
    db, _ = office
    monkeypatch.setenv("MOTCUA_DB", str(db))
    at = AppTest.from_file(str(APP), default_timeout=180)
    at.query_params.update({"lang": "en"})
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    first = [i.value for i in at.sidebar.info] + [m.value for m in at.sidebar.markdown]
    assert first and not [t for t in first if VIETNAMESE.search(strip_names(t, set()))], first
    assert "### One-stop shop · Reform indicators" in first

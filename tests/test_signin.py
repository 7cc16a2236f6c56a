"""Sign-in in the app (AppTest): nothing without signing in; an agency officer
sees only their agency on every page and through URL parameters; the
administrators' pages are hidden and refused for others; downloads and
sign-ins are audited."""

from __future__ import annotations

from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from analytics import audit
from analytics.auth import ADMIN, AGENCY_OFFICER, LEADER, MAX_FAILED_ATTEMPTS, Accounts
from analytics.engine import Engine
from analytics.filters import Filters
from analytics.ops import OpsStore
from analytics.store import AnalyticsStore
from tests.test_pages import AS_OF, build_small_demo

ROOT = Path(__file__).resolve().parents[1]
APP = ROOT / "dashboard.py"
PASSWORD = "mật khẩu đủ dài"
DATA_PAGES = (
    "pages/tong_quan.py", "pages/dung_han.py", "pages/giai_doan.py", "pages/nguoi_thu_ly.py",
    "pages/truc_tuyen.py", "pages/tthc_khong_phat_sinh.py", "pages/bieu_06.py", "pages/nhac_viec.py",
)


@pytest.fixture(scope="module")
def office(tmp_path_factory):
    """A small office with three accounts; returns (db, officer's agency, other
    agencies, handlers who never worked at that agency, procedure names)."""
    db = build_small_demo(tmp_path_factory.mktemp("signin") / "office.duckdb", per_year=600)
    con = AnalyticsStore(db).reader()
    # The agency with the most dossiers, so every page has something to show.
    agency = con.execute("select agency from fact_dossiers group by agency order by count(*) desc limit 1"
                         ).fetchone()[0]
    others = {r[0] for r in con.execute("select name from agencies").fetchall()} - {agency}
    catalog = [r[0] for r in con.execute("select name from procedures").fetchall()]
    own_handlers = {r[0] for r in con.execute("select distinct handler from steps where agency = ?",
                                              [agency]).fetchall()}
    foreign = {r[0] for r in con.execute("select distinct handler from steps").fetchall()} - own_handlers
    accounts = Accounts(OpsStore.beside(db))
    accounts.add("lan", display_name="Nguyễn Thị Lan", role=AGENCY_OFFICER, agency=agency,
                 password=PASSWORD, actor="cli:test")
    accounts.add("quantri", display_name="Quản trị", role=ADMIN, password=PASSWORD, actor="cli:test")
    accounts.add("lanhdao", display_name="Lãnh đạo", role=LEADER, password=PASSWORD, actor="cli:test")
    return db, agency, others, foreign, catalog


@pytest.fixture
def sign_in_on(monkeypatch, office):
    monkeypatch.setenv("MOTCUA_AUTH", "on")
    monkeypatch.setenv("MOTCUA_DB", str(office[0]))


def start(params: dict | None = None) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=120)
    at.query_params.update(params or {})
    at.run()
    return at


def sign_in(at: AppTest, username: str, password: str = PASSWORD) -> AppTest:
    at.text_input(key="auth_username").input(username)
    at.text_input(key="auth_password").input(password)
    at.button(key="auth_submit").click()
    return at.run()


def shown_text(at: AppTest) -> str:
    """Every text a person could read on the page (tables and options apart)."""
    parts: list[str] = []
    for kind in ("markdown", "caption", "title", "subheader", "header", "info", "warning", "error", "success"):
        parts += [str(e.value) for e in getattr(at, kind)]
    parts += [f"{m.label} {m.value}" for m in at.metric]
    return "\n".join(parts)


def shown_cells(at: AppTest) -> set[str]:
    """Every cell of every table on the page, and every option of every select box."""
    cells: set[str] = set()
    for frame in at.dataframe:
        data = getattr(frame.value, "data", frame.value)  # a Styler or a DataFrame
        cells |= {str(x) for x in data.to_numpy().ravel()}
    for box in at.selectbox:
        cells |= {str(o) for o in box.options}
    return cells


def leaks(at: AppTest, forbidden: set[str], catalog: list[str]) -> list[str]:
    """Forbidden names on the page: a table cell or an option equal to one, or
    one inside a text (procedure names, public catalog text that may name an
    agency, such as "... của Phòng Tư pháp", taken out first)."""
    text = shown_text(at)
    for name in sorted(catalog, key=len, reverse=True):
        text = text.replace(name, "")
    cells = shown_cells(at)
    return sorted(n for n in forbidden if n in cells or n in text)


def assert_clean(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]


def test_nothing_is_shown_before_signing_in(sign_in_on, office):
    at = start()
    assert_clean(at)
    assert at.text_input(key="auth_username") is not None
    assert not at.metric and not at.dataframe
    assert "Số liệu đến ngày" not in shown_text(at)
    assert "_view" not in at.session_state


def test_wrong_password_is_refused_and_audited(sign_in_on, office):
    at = sign_in(start(), "lan", "sai mật khẩu")
    assert_clean(at)
    assert any("Sai tên đăng nhập hoặc mật khẩu" in e.value for e in at.error)
    assert not at.metric
    last = audit.entries(OpsStore.beside(office[0]), actor="lan")[0]
    assert last.action == audit.SIGN_IN_FAILED and last.detail["reason"] == "wrong_password"


def test_agency_officer_sees_only_their_agency_on_every_page(sign_in_on, office):
    db, agency, others, foreign, catalog = office
    at = sign_in(start(), "lan")
    assert_clean(at)
    assert "Nguyễn Thị Lan" in shown_text(at)
    engine = Engine(AnalyticsStore(db).reader())
    checked = 0
    for page in DATA_PAGES:
        at.switch_page(page).run()
        assert_clean(at)
        view = at.session_state["_view"]
        assert view.filters.scope == frozenset({agency}), page
        leaked = leaks(at, others | foreign, catalog)
        assert not leaked, f"{page} shows {leaked[:5]}"
        checked += len(shown_text(at)) + len(shown_cells(at))
        if page == "pages/tong_quan.py":
            totals = engine.totals(view.filters)
            unscoped = engine.totals(Filters(view.filters.date_from, view.filters.date_to))
            assert totals["received_total"] < unscoped["received_total"]
            shown = [m.value for m in at.metric]
            assert any(m.replace(".", "") == str(totals["received_total"]) for m in shown), shown
    assert checked > 2000
    # The agency filter offers only their own agency.
    agency_box = [b for b in at.selectbox if agency in b.options]
    assert agency_box and set(agency_box[0].options) == {"Tất cả", agency}


def test_url_parameters_cannot_widen_the_scope(sign_in_on, office):
    db, agency, others, foreign, catalog = office
    other = sorted(others)[0]
    at = sign_in(start({"donvi": other, "ky": "last_year"}), "lan")
    assert_clean(at)
    view = at.session_state["_view"]
    assert view.filters.agency is None and view.filters.scope == frozenset({agency})
    assert view.preset == "last_year"  # the rest of the link still applies
    assert not leaks(at, others | foreign, catalog)
    at = sign_in(start({"donvi": agency}), "lan")
    assert at.session_state["_view"].filters.agency == agency


def test_admin_pages_hidden_and_refused_for_others(sign_in_on, office):
    at = sign_in(start(), "lan")
    for page in ("pages/nhap_du_lieu.py", "pages/quan_tri.py"):
        with pytest.raises(ValueError, match="Could not find a navigation page"):
            at.switch_page(page)  # not in the officer's navigation at all
    # Run on their own (a forged page URL), the pages draw the frame, whose
    # navigation has no such page for the officer: they land on the overview.
    for page in ("pages/nhap_du_lieu.py", "pages/quan_tri.py"):
        direct = AppTest.from_file(str(ROOT / page), default_timeout=120)
        direct.session_state["_user"] = Accounts(OpsStore.beside(office[0])).get("lan")
        direct.run()
        assert_clean(direct)
        assert [t.value for t in direct.title] == ["Tổng quan"], page
        assert not direct.get("file_uploader"), page
        assert not any(str(w.key).startswith("adm_") for w in [*direct.text_input, *direct.selectbox]), page


@pytest.fixture
def opened_at(monkeypatch):
    """Open the app at a URL path, as a browser does on a server where some
    session has already called st.navigation: the first run carries the
    path's page name (AppTest only sends page hashes), and Streamlit's old
    pages/ fallback is off (AppTest turns it back on at every run). Returns
    a setter for the path."""
    import streamlit.testing.v1.app_test as app_test
    import streamlit.testing.v1.local_script_runner as local_runner
    from streamlit.runtime.pages_manager import PagesManager

    path = {"name": ""}
    rerun_data = local_runner.RerunData

    def with_page_name(**kwargs):
        if not kwargs.get("page_script_hash"):  # the first request of the session
            kwargs["page_name"] = path["name"]
        return rerun_data(**kwargs)

    class WarmServer(PagesManager):
        def __init__(self, *args, **kwargs):
            PagesManager.uses_pages_directory = False
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(local_runner, "RerunData", with_page_name)
    monkeypatch.setattr(app_test, "PagesManager", WarmServer)
    return lambda name: path.update(name=name)


def test_a_deep_link_opens_its_page_after_signing_in(sign_in_on, office, opened_at):
    # Before: the sign-in rerun fell back to the overview.
    opened_at("giai_doan")
    at = start({"ky": "last_year", "kenh": "online"})
    assert at.text_input(key="auth_username") is not None
    at = sign_in(at, "lanhdao")
    assert_clean(at)
    assert [t.value for t in at.title] == ["Trễ hạn theo giai đoạn"]
    view = at.session_state["_view"]
    assert view.preset == "last_year" and view.filters.channel == "online"
    assert at.query_params == {"ky": "last_year", "kenh": "online"}
    # Used once: the next click stays where the person goes.
    at.switch_page("pages/dung_han.py").run()
    assert [t.value for t in at.title] == ["Đúng hạn / trễ hạn"]


def test_a_deep_link_with_dates_out_of_range_says_so_on_the_page_it_opens(sign_in_on, office, opened_at):
    # The run that signs in is cut short by the switch to the page: the note
    # about the link's dates must survive it.
    from datetime import date

    opened_at("giai_doan")
    at = sign_in(start({"ky": "custom", "tu": "1900-01-01", "den": "2026-03-31"}), "lanhdao")
    assert_clean(at)
    assert [t.value for t in at.title] == ["Trễ hạn theo giai đoạn"]
    view = at.session_state["_view"]
    assert (view.filters.date_from, view.filters.date_to) == (date(2000, 1, 1), date(2026, 3, 31))
    assert any("đã thu về trong khoảng này" in w.value for w in at.sidebar.warning)
    at.run()
    assert not at.sidebar.warning  # said once


def test_a_deep_link_to_a_page_the_role_may_not_open_lands_on_the_overview(sign_in_on, office, opened_at):
    opened_at("quan_tri")
    at = sign_in(start({"ky": "last_year"}), "lan")
    assert_clean(at)
    assert [t.value for t in at.title] == ["Tổng quan"]
    assert not any(str(w.key).startswith("adm_") for w in [*at.text_input, *at.selectbox])
    assert at.session_state["_view"].preset == "last_year"
    opened_at("quan_tri")
    at = sign_in(start(), "quantri")  # an administrator is taken there
    assert [t.value for t in at.title] == ["Quản trị"]


def test_admin_manages_accounts_and_reads_the_audit_log(sign_in_on, office):
    db = office[0]
    at = sign_in(start(), "quantri")
    at.switch_page("pages/quan_tri.py").run()
    assert_clean(at)
    assert [t.label for t in at.tabs] == ["Tài khoản", "Nhật ký"]
    cells = shown_cells(at)
    assert {"lan", "quantri", "lanhdao", "Cán bộ đơn vị", "Đăng nhập"} <= cells
    at.text_input(key="adm_new_username").input("binh")
    at.text_input(key="adm_new_name").input("Trần Thị Bình")
    at.selectbox(key="adm_new_role").select(LEADER)
    at.text_input(key="adm_new_password").input(PASSWORD)
    at.button(key="FormSubmitter:adm_add-Thêm tài khoản").click().run()
    assert_clean(at)
    assert any("Đã thêm tài khoản binh" in s.value for s in at.success)
    added = Accounts(OpsStore.beside(db)).get("binh")
    assert added.role == LEADER and added.scope is None
    entry = audit.entries(OpsStore.beside(db), action=audit.USER_ADD)[0]
    assert (entry.actor, entry.target) == ("quantri", "binh")
    # A leader sees no administration page.
    leader = sign_in(start(), "lanhdao")
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        leader.switch_page("pages/quan_tri.py")


def test_a_disabled_account_is_signed_out_at_the_next_click(sign_in_on, office):
    db = office[0]
    accounts = Accounts(OpsStore.beside(db))
    accounts.add("tam", display_name="Tạm", role=LEADER, password=PASSWORD, actor="cli:test")
    at = sign_in(start(), "tam")
    assert at.metric
    accounts.set_disabled("tam", True, actor="cli:test")
    at.run()
    assert not at.metric
    assert any("đã bị khóa" in w.value for w in at.warning)


def test_demo_database_runs_without_sign_in_and_says_so(monkeypatch, tmp_path):
    from datetime import date

    from analytics.demo import build_demo

    db = tmp_path / "demo.duckdb"
    build_demo(db, date(2026, 6, 30), years=1, dossiers_per_year=300)
    monkeypatch.delenv("MOTCUA_AUTH", raising=False)
    monkeypatch.setenv("MOTCUA_DB", str(db))
    at = start()
    assert_clean(at)
    assert at.metric
    assert any("Dữ liệu mẫu: không cần đăng nhập" in i.value for i in at.info)


def test_downloads_are_audited_with_the_user_and_scope(office, monkeypatch):
    import signin

    db, agency = office[:2]
    monkeypatch.setenv("MOTCUA_DB", str(db))
    st.session_state["_user"] = Accounts(OpsStore.beside(db)).get("lan")
    try:
        build = signin.audited(lambda: b"xlsx bytes", "tong-quan_2026-01-01_2026-12-31.xlsx")
    finally:
        del st.session_state["_user"]
    assert build() == b"xlsx bytes"  # called later, on another thread, without the session
    entry = audit.entries(OpsStore.beside(db), action=audit.EXPORT)[0]
    assert (entry.actor, entry.target) == ("lan", "tong-quan_2026-01-01_2026-12-31.xlsx")
    assert entry.detail == {"bytes": 10, "scope": [agency]}


@pytest.mark.parametrize("page", DATA_PAGES)
def test_a_page_run_without_the_frame_still_asks_to_sign_in(sign_in_on, office, page):
    # A fresh server runs the first request for /dung_han as pages/dung_han.py
    # itself, and another session may meanwhile clear Streamlit's process-wide
    # "pages folder" flag. Whatever that flag says, the page draws the frame,
    # whose sign-in gate stops it.
    from streamlit.runtime.pages_manager import PagesManager

    direct = AppTest.from_file(str(ROOT / page), default_timeout=120)
    direct.run()
    assert PagesManager.uses_pages_directory is False  # as another session would leave it
    assert_clean(direct)
    assert direct.text_input(key="auth_username") is not None, page
    assert not direct.metric and not direct.dataframe, page
    assert "Số liệu đến ngày" not in shown_text(direct), page


def test_a_locked_account_and_an_unknown_username_read_the_same(sign_in_on, office):
    accounts = Accounts(OpsStore.beside(office[0]))
    accounts.add("khoa", display_name="Khóa thử", role=LEADER, password=PASSWORD, actor="cli:test")

    def refusal(username: str) -> list[str]:
        at = start()
        for _ in range(MAX_FAILED_ATTEMPTS + 1):
            at = sign_in(at, username, "sai mật khẩu")
        assert_clean(at)
        return [e.value for e in at.error]

    shown = refusal("khoa")
    assert accounts.get("khoa").locked_until is not None  # locked, yet the screen does not say whose
    assert shown == refusal("khong-co-ai") and "Sai tên đăng nhập hoặc mật khẩu" in shown[0]


def test_a_full_disk_shows_a_message_instead_of_an_error_screen(sign_in_on, office, monkeypatch):
    import sqlite3

    import signin
    from tests.test_ops import FullDisk

    real = sqlite3.connect
    monkeypatch.setattr(sqlite3, "connect", lambda *a, **k: real(*a, factory=FullDisk, **k))
    signin._accounts.clear()  # as after a restart of the app: a new store object opens the file
    try:
        at = start()
        assert_clean(at)
        assert at.text_input(key="auth_username") is not None
        at = sign_in(at, "lan")
        assert_clean(at)
        assert any("ổ đĩa của máy chủ đã đầy" in e.value for e in at.error)
        assert not at.metric  # not let in without an audit entry
    finally:
        signin._accounts.clear()

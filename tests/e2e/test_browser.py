"""The dashboard in a real browser: ``streamlit run dashboard.py`` on a
loopback port, Debian's headless Chromium through Playwright.

Every page at desktop (1366×768) and phone (390×844) width, no error text on
screen, a screenshot of each into build/screenshots/; the period changed
through the sidebar; a link reproducing a view; a chart click drilling down;
an Excel download opened with openpyxl.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import openpyxl
import pytest
from playwright.sync_api import sync_playwright

from tests.e2e.browser import (
    DESKTOP,
    PAGES,
    PHONE,
    ROOT,
    launch,
    open_page,
    screenshot_full,
    streamlit_server,
    visible_errors,
    wait_idle,
)
from tests.test_pages import build_small_demo

SHOTS = ROOT / "build" / "screenshots"


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    return build_small_demo(tmp_path_factory.mktemp("e2e") / "demo.duckdb")


@pytest.fixture(scope="module")
def server(demo_db):
    log = ROOT / "build" / "e2e-streamlit.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    with streamlit_server(demo_db, log_path=log) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as pw:
        b = launch(pw)
        yield b
        b.close()


def new_page(browser, viewport):
    context = browser.new_context(viewport=viewport, locale="vi-VN", accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(120_000)
    return context, page


@pytest.mark.parametrize("viewport_name", ["desktop", "phone"])
def test_every_page_opens_without_errors(server, browser, viewport_name):
    viewport = DESKTOP if viewport_name == "desktop" else PHONE
    SHOTS.mkdir(parents=True, exist_ok=True)
    context, page = new_page(browser, viewport)
    try:
        for path, title in PAGES:
            open_page(page, server, path, "ky=last_year")
            body = page.inner_text("body")
            assert title in body, path
            assert "Số liệu đến ngày 31/12/2025" in body and "Dữ liệu cập nhật đến ngày 20/11/2026" in body
            assert "Đã có lỗi khi hiển thị trang này" not in body, path
            assert visible_errors(page) == [], path
            screenshot_full(page, SHOTS / f"{path or 'tong_quan'}-{viewport_name}.png")
        if viewport_name == "phone":
            # On a phone the page list and the filters live in the collapsed sidebar.
            page.get_by_test_id("stExpandSidebarButton").click()
            page.get_by_role("link", name="Người thụ lý").wait_for(state="visible")
            assert page.get_by_text("Kỳ số liệu", exact=True).first.is_visible()
    finally:
        context.close()


def test_period_change_and_excel_download(server, browser):
    context, page = new_page(browser, DESKTOP)
    try:
        open_page(page, server, "")
        assert "01/01/2026 – 31/12/2026" in page.inner_text('[data-testid="stMain"]')
        page.get_by_test_id("stSelectbox").filter(has_text="Kỳ số liệu").click()
        page.get_by_role("option", name=re.compile(r"^Quý trước")).click()
        page.wait_for_function(
            "() => document.querySelector('[data-testid=\"stMain\"]').innerText.includes('01/07/2026 – 30/09/2026')",
            polling=250)
        wait_idle(page)
        assert "ky=last_quarter" in page.url
        with page.expect_download() as info:
            page.get_by_role("button", name="Tải Excel").first.click()
        download = info.value
        assert download.suggested_filename == "bieu-06-tong-hop_2026-07-01_2026-09-30.xlsx"
        sheet = openpyxl.load_workbook(io.BytesIO(Path(download.path()).read_bytes())).active
        assert sheet["A1"].value == "Dòng tổng hợp Biểu 06"
        assert sheet["A2"].value == "Kỳ số liệu: 01/07/2026 – 30/09/2026"
        assert sheet["A3"].value == "Tính hồ sơ theo: Đơn vị hiện nay"  # the view, in every title block
        # "Số liệu đến ngày" is the period's as-of date, as in Biểu 06; the data date is named apart.
        assert sheet["A4"].value == "Số liệu đến ngày 30/09/2026"
        assert sheet["A5"].value.startswith("Dữ liệu cập nhật đến ngày ")
        headers = [c.value for c in sheet[6]]
        assert headers[0] == "(3) Tổng số nhận" and headers[-1] == "(13) Quá hạn"
        assert isinstance(sheet["A7"].value, (int, float)) and sheet["A7"].value > 0
        assert visible_errors(page) == []
    finally:
        context.close()


def test_a_link_reproduces_the_view(demo_db, browser):
    """A deep link as the very first request of a fresh server (Streamlit's
    pages/ fallback is still on then) still opens inside the frame."""
    with streamlit_server(demo_db) as fresh:
        _check_link(fresh, browser)


def _check_link(server, browser):
    context, page = new_page(browser, DESKTOP)
    try:
        open_page(page, server, "truc_tuyen", "ky=last_year&kenh=online")
        assert visible_errors(page) == []
        main = page.inner_text('[data-testid="stMain"]')
        assert "01/01/2025 – 31/12/2025" in main and "Kênh nộp: Trực tuyến" in main
        # The filters stay when moving to another page through the navigation.
        page.get_by_text("Phân tích", exact=True).click()
        page.get_by_test_id("stTopNavDropdownLink").filter(has_text="Người thụ lý").click()
        page.wait_for_url(re.compile(r"/nguoi_thu_ly"))
        wait_idle(page)
        main = page.inner_text('[data-testid="stMain"]')
        assert "Người thụ lý" in main and "01/01/2025 – 31/12/2025" in main and "Kênh nộp: Trực tuyến" in main
        assert "ky=last_year" in page.url and "kenh=online" in page.url
    finally:
        context.close()


def test_clicking_an_agency_bar_lists_its_late_dossiers(server, browser):
    context, page = new_page(browser, DESKTOP)
    try:
        open_page(page, server, "dung_han", "ky=last_year")
        chart = page.locator('[data-testid="stPlotlyChart"]').first
        chart.scroll_into_view_if_needed()
        # Plotly's drag layer lies over the bars: click where the first bar is.
        box = chart.locator("g.point path").first.bounding_box()
        page.mouse.click(box["x"] + box["width"] * 0.6, box["y"] + box["height"] / 2)
        page.wait_for_function(
            "() => document.querySelector('[data-testid=\"stMain\"]').innerText.includes('Số ngày trễ bình quân')",
            polling=250)
        wait_idle(page)
        picked = page.get_by_test_id("stSelectbox").filter(has_text="Cơ quan/đơn vị").last.inner_text()
        assert "Chọn cơ quan" not in picked
        # agency, the drill-down's resolved-late list (and its pending-overdue
        # list when it has one), field, month
        assert page.get_by_role("button", name="Tải Excel").count() >= 4
        assert visible_errors(page) == []
    finally:
        context.close()


# (client width, content width, right edge) of each table drawn on screen (not
# the copy that ui/style.css hides for this width): the grid's scroller holds
# the columns' full width.
VISIBLE_TABLE_WIDTHS = """() => [...document.querySelectorAll('[data-testid="stDataFrame"], [data-testid="stTable"]')]
    .filter(e => e.offsetParent !== null)
    .map(e => { const inner = e.querySelector('.dvn-scroller') || e.querySelector('table') || e;
                return [e.clientWidth, inner.scrollWidth, e.getBoundingClientRect().right]; })"""


def test_on_a_phone_a_choice_closes_the_sidebar_and_a_tap_on_a_bar_drills_down(server, browser):
    context = browser.new_context(viewport=PHONE, locale="vi-VN", has_touch=True, is_mobile=True)
    page = context.new_page()
    page.set_default_timeout(120_000)
    sidebar_open = "() => document.querySelector('[data-testid=\"stSidebar\"]').getBoundingClientRect().right > 0"
    try:
        open_page(page, server, "dung_han", "ky=last_year")
        page.get_by_test_id("stExpandSidebarButton").click()
        page.wait_for_function(sidebar_open, polling=250)
        page.get_by_test_id("stSelectbox").filter(has_text="Kỳ số liệu").locator("input").tap()
        page.get_by_role("option", name=re.compile(r"^Quý trước")).tap()
        page.wait_for_function(
            "() => document.querySelector('[data-testid=\"stMain\"]').innerText.includes('01/07/2026 – 30/09/2026')",
            polling=250)
        wait_idle(page)
        # The choice closed the sidebar: the page is readable again.
        page.wait_for_function(f"() => !({sidebar_open})()", polling=250, timeout=10_000)
        page.wait_for_timeout(1000)  # the charts re-layout to the full width

        # One tap on the first bar (not a hover first, then a second tap) opens the drill-down.
        chart = page.locator('[data-testid="stPlotlyChart"]').first
        chart.scroll_into_view_if_needed()
        page.wait_for_timeout(300)
        bars = chart.locator("g.point path")
        box = max((bars.nth(i).bounding_box() for i in range(bars.count())), key=lambda b: b["width"])
        page.touchscreen.tap(box["x"] + box["width"] * 0.5, box["y"] + box["height"] / 2)
        page.wait_for_function(
            "() => document.querySelector('[data-testid=\"stMain\"]').innerText.includes('Số ngày trễ bình quân')",
            polling=250)
        wait_idle(page)
        picked = page.get_by_test_id("stSelectbox").filter(has_text="Cơ quan/đơn vị").last.inner_text()
        assert "Chọn cơ quan" not in picked
        main = page.inner_text('[data-testid="stMain"]')
        assert "Giải quyết quá hạn trong kỳ:" in main
        assert visible_errors(page) == []
        # Every table shown (the ranking, the drill-down's late list, ...) fits
        # the phone: its key columns only, no sideways scrolling.
        widths = page.evaluate(VISIBLE_TABLE_WIDTHS)
        assert len(widths) >= 3, widths
        assert all(scroll <= client + 2 and right <= PHONE["width"] + 1 for client, scroll, right in widths), widths
        SHOTS.mkdir(parents=True, exist_ok=True)
        screenshot_full(page, SHOTS / "dung_han-phone-drill.png")
    finally:
        context.close()


def test_a_deep_link_opens_its_page_after_signing_in(tmp_path, browser, monkeypatch):
    """/giai_doan?ky=last_year asked before signing in: after the sign-in form,
    the stage page with last year's period, not the overview. Both the very
    first request of a fresh server (the pages/ fallback) and a later one."""
    from analytics.access.auth import LEADER, Accounts
    from analytics.store.ops import OpsStore

    db = build_small_demo(tmp_path / "office.duckdb", per_year=300)
    Accounts(OpsStore.beside(db)).add("lanhdao", display_name="Lãnh đạo", role=LEADER,
                                      password="mật khẩu đủ dài", actor="cli:test")
    monkeypatch.setenv("MOTCUA_AUTH", "on")
    with streamlit_server(db) as fresh:
        for attempt in ("fresh server", "warm server"):
            context, page = new_page(browser, DESKTOP)
            try:
                page.goto(f"{fresh}/giai_doan?ky=last_year&kenh=online", wait_until="domcontentloaded")
                page.get_by_label("Tên đăng nhập").fill("lanhdao")
                page.get_by_label("Mật khẩu").fill("mật khẩu đủ dài")
                page.get_by_role("button", name="Đăng nhập", exact=True).click()
                wait_idle(page)
                main = page.inner_text('[data-testid="stMain"]')
                assert "Trễ hạn theo giai đoạn" in main, attempt
                assert "Tên đăng nhập" not in main, attempt  # the form's placeholder was emptied
                assert "01/01/2025 – 31/12/2025" in main and "Kênh nộp: Trực tuyến" in main, attempt
                assert re.search(r"/giai_doan\?", page.url), (attempt, page.url)
                assert "ky=last_year" in page.url and "kenh=online" in page.url, attempt
                assert visible_errors(page) == [], attempt
            finally:
                context.close()

"""Every dashboard page under Streamlit's AppTest, on a small demo database and
on an empty one, with filters set; the numbers on screen are the engine's.

The demo database is tiny (two years, 1 500 dossiers a year) and built once
per session; the data date is 20/11/2026, so "Quý trước" is Q3 2026 and
"Năm trước" is 2025.
"""

from __future__ import annotations

import io
import logging
import shutil
from datetime import date
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook
from streamlit.testing.v1 import AppTest

from analytics.demo.generator import generate_frames
from analytics.indicators.engine import Engine
from analytics.indicators.filters import Filters
from analytics.indicators.registry import CONVENTION_BIEU06, CONVENTION_PORTAL766
from analytics.locale import fmt
from analytics.locale.labels import t
from analytics.locale.safe_text import md_escape
from analytics.store.database import AnalyticsStore
from ui import state

ROOT = Path(__file__).resolve().parents[1]
APP = ROOT / "dashboard.py"
AS_OF = date(2026, 11, 20)
PAGES = (
    "pages/tong_quan.py", "pages/dung_han.py", "pages/giai_doan.py", "pages/nguoi_thu_ly.py",
    "pages/truc_tuyen.py", "pages/tthc_khong_phat_sinh.py", "pages/chi_so_766.py", "pages/bieu_06.py",
    "pages/nhap_du_lieu.py",
)
ERROR_TEXT = "Đã có lỗi khi hiển thị trang này"
Q3 = (date(2026, 7, 1), date(2026, 9, 30))
YEAR_2025 = (date(2025, 1, 1), date(2025, 12, 31))


def build_small_demo(path: Path, per_year: int = 1500) -> Path:
    frames = generate_frames(AS_OF, years=2, dossiers_per_year=per_year)
    with AnalyticsStore(path).write() as con:
        for table in ("agencies", "procedures", "dossiers", "steps"):
            con.register(f"src_{table}", frames[table])
            con.execute(f"insert into {table} by name select * from src_{table}")
            con.unregister(f"src_{table}")
    return path


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory) -> Path:
    return build_small_demo(tmp_path_factory.mktemp("demo") / "demo.duckdb")


@pytest.fixture(scope="session")
def empty_db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("empty") / "empty.duckdb"
    with AnalyticsStore(path).write():
        pass
    return path


@pytest.fixture(scope="session")
def eng(demo_db) -> Engine:
    return Engine(AnalyticsStore(demo_db).reader())


def run(db: Path, monkeypatch, page: str | None = None, params: dict | None = None) -> AppTest:
    """The app on ``db`` with URL ``params``, switched to ``page``."""
    monkeypatch.setenv("MOTCUA_DB", str(db))
    at = AppTest.from_file(str(APP), default_timeout=120)
    at.query_params.update(params or {})
    at.run()
    if page:
        at.switch_page(page).run()
    return at


def assert_clean(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert not [e.value for e in at.error if ERROR_TEXT in e.value]


def texts(elements) -> list[str]:
    return [e.value for e in elements]


def metric(at: AppTest, label: str):
    found = [m for m in at.metric if m.label == label]
    assert found, f"no metric {label!r} in {[m.label for m in at.metric]}"
    return found[0]


def top_agency(eng: Engine, span) -> str:
    rows = eng.by_agency(Filters(*span))
    return max(rows, key=lambda r: r["received_total"])["agency"]


# --- every page, both databases ---------------------------------------------------


@pytest.mark.parametrize("page", PAGES)
def test_page_runs_on_demo_with_filters(page, demo_db, monkeypatch):
    at = run(demo_db, monkeypatch, page, {"ky": "last_quarter", "kenh": "online"})
    assert_clean(at)
    # The header's "Số liệu đến ngày" is the period's as-of date (as in Biểu 06);
    # the data date is named apart.
    assert any("Số liệu đến ngày 30/09/2026" in m and "Dữ liệu cập nhật đến ngày 20/11/2026" in m
               for m in texts(at.markdown))
    v = at.session_state["_view"]
    assert (v.filters.date_from, v.filters.date_to, v.filters.channel) == (*Q3, "online")


@pytest.mark.parametrize("page", PAGES)
def test_page_runs_on_empty_database(page, empty_db, monkeypatch):
    at = run(empty_db, monkeypatch, page, {"ky": "last_month"})
    assert_clean(at)
    assert any("Số liệu đến ngày –" in m for m in texts(at.markdown))
    if page != "pages/nhap_du_lieu.py":
        shown = " ".join(texts(at.info))
        assert "Không có" in shown or "không" in shown.lower()


# --- numbers equal the engine's ---------------------------------------------------


def test_overview_cards_equal_engine(demo_db, eng, monkeypatch):
    agency = top_agency(eng, Q3)
    at = run(demo_db, monkeypatch, None, {"ky": "last_quarter", "donvi": agency})
    assert_clean(at)
    f = Filters(*Q3, agency=agency)
    now = eng.totals(f)
    before = eng.totals(Filters(date(2026, 4, 1), date(2026, 6, 30), agency=agency))
    year_ago = eng.totals(Filters(date(2025, 7, 1), date(2025, 9, 30), agency=agency))
    assert now["received_total"] > 0
    for key, label in (("received_total", "Tổng số hồ sơ nhận giải quyết"), ("resolved", "Đã giải quyết"),
                       ("late", "Giải quyết quá hạn"), ("pending_overdue", "Đang giải quyết quá hạn")):
        m = metric(at, label)
        assert m.value == fmt.number(now[key])
        assert m.delta == fmt.signed_number(now[key] - before[key])
    for key, label in (("on_time_rate", "Tỷ lệ đúng hạn"), ("online_share", "Tỷ lệ hồ sơ trực tuyến"),
                       ("progress_766", "Chỉ số tiến độ (QĐ 766)")):
        m = metric(at, label)
        assert m.value == fmt.percent(now[key])
        if now[key] is not None and before[key] is not None:
            assert m.delta == fmt.points(now[key] - before[key])
    captions = " ".join(texts(at.caption))
    assert f"Cùng kỳ năm trước: {fmt.signed_number(now['resolved'] - year_ago['resolved'])}" in captions
    assert "01/04/2026 – 30/06/2026" in captions and "01/07/2025 – 30/09/2025" in captions


def test_year_to_date_is_compared_with_the_same_elapsed_days(demo_db, eng, monkeypatch):
    at = run(demo_db, monkeypatch, None, {})  # default "Năm nay": 01/01–31/12/2026, data to 20/11
    assert_clean(at)
    before = eng.totals(Filters(date(2025, 1, 1), date(2025, 11, 20)))
    now = eng.totals(Filters(date(2026, 1, 1), date(2026, 12, 31)))
    assert metric(at, "Đã giải quyết").delta == fmt.signed_number(now["resolved"] - before["resolved"])


def test_on_time_page_drill_down_lists_the_agency_late_dossiers(demo_db, eng, monkeypatch):
    from ui import widgets

    f = Filters(*YEAR_2025)
    worst = eng.by_agency(f)[0]
    assert worst["late"] > 0
    at = run(demo_db, monkeypatch, "pages/dung_han.py", {"ky": "last_year"})
    assert_clean(at)
    assert metric(at, "Đã giải quyết").value == fmt.number(eng.totals(f)["resolved"])
    at.selectbox(key="dh_drill_agency").set_value(worst["agency"]).run()
    assert_clean(at)
    late = eng.late_dossiers(f, agency=worst["agency"])
    resolved = [r for r in late if r["late_group"] == "resolved_late"]
    pending = [r for r in late if r["late_group"] == "pending_overdue"]
    # The drill-down's counts are the agency's row: resolved late, pending overdue.
    assert len(resolved) == worst["late"] and len(pending) == worst["pending_overdue"]
    assert [m.value for m in at.metric if m.label == "Giải quyết quá hạn"][-1] == fmt.number(len(resolved))
    assert [m.value for m in at.metric if m.label == "Đang giải quyết quá hạn"][-1] == fmt.number(len(pending))
    table = at.dataframe[1].value  # by agency, then the drill-down's resolved-late list
    shown = min(len(resolved), widgets.MAX_SCREEN_ROWS)
    assert len(table) == shown
    assert list(table.iloc[:, 0]) == [r["code"] for r in resolved][:shown]
    lists = 2 if pending else 1
    # agency, the drill-down's lists, field, month
    assert [b.label for b in at.download_button].count("Tải Excel") == 3 + lists


def test_a_shared_link_restores_the_drill_down(demo_db, eng, monkeypatch):
    f = Filters(*YEAR_2025)
    worst = eng.by_agency(f)[0]
    at = run(demo_db, monkeypatch, "pages/dung_han.py", {"ky": "last_year", "xem_donvi": worst["agency"]})
    assert_clean(at)
    assert at.selectbox(key="dh_drill_agency").value == worst["agency"]
    rows = eng.late_dossiers(f, agency=worst["agency"])
    resolved = sum(r["late_group"] == "resolved_late" for r in rows)
    # The drill-down's cards come after the page's own cards of the same names.
    drilled = {m.label: m.value for m in at.metric}  # the last of each label wins
    assert resolved and drilled["Giải quyết quá hạn"] == fmt.number(resolved)
    assert drilled["Đang giải quyết quá hạn"] == fmt.number(len(rows) - resolved)
    # The page writes its choice back, so the link copied from here has it.
    assert at.query_params["xem_donvi"] == worst["agency"]
    top = next(r for r in eng.by_handler(f) if r["late"])
    at = run(demo_db, monkeypatch, "pages/nguoi_thu_ly.py",
             {"ky": "last_year", "xem_ntl": f"{top['handler']}|{top['agency']}"})
    assert_clean(at)
    assert at.selectbox(key="ntl_handler").value == f"{top['handler']}\t{top['agency']}"
    assert at.query_params["xem_ntl"] == f"{top['handler']}|{top['agency']}"
    at.switch_page("pages/tong_quan.py").run()
    assert "xem_ntl" not in at.query_params  # another page's link leaves it out


def test_chart_selection_picks_the_drill_down_agency(demo_db, eng, monkeypatch):
    """The Plotly on_select callback reads the bar's category into the picker."""
    from ui import widgets

    class Event:
        selection = {"points": [{"y": "nope"}, {"customdata": ["UBND xã X", "1%"], "y": "UBND xã X"}]}

    assert widgets.picked_label(Event(), ["UBND xã X", "UBND xã Y"]) == "UBND xã X"
    assert widgets.picked_label(Event(), ["UBND xã Y"]) is None


def test_handler_page_lists_a_handlers_late_steps(demo_db, eng, monkeypatch):
    f = Filters(*YEAR_2025)
    top = eng.by_handler(f)[0]
    assert top["late"] > 0
    at = run(demo_db, monkeypatch, "pages/nguoi_thu_ly.py", {"ky": "last_year"})
    assert_clean(at)
    assert metric(at, "Số lần trễ hạn").value == fmt.number(sum(r["late"] for r in eng.by_handler(f)))
    assert f"**{md_escape(top['handler'])}**" in texts(at.markdown)  # the "Trễ hạn nhiều nhất" card
    at.selectbox(key="ntl_handler").set_value(f"{top['handler']}\t{top['agency']}").run()
    assert_clean(at)
    steps = eng.late_steps(f, handler=top["handler"], agency=top["agency"])
    assert len(steps) == top["late"]
    shown = [m.value for m in at.metric if m.label == "Số lần trễ hạn"]
    assert shown[-1] == fmt.number(len(steps))
    assert metric(at, "Số hồ sơ trễ hạn").value == fmt.number(len({s["code"] for s in steps}))


def test_stage_page_names_the_most_late_stage(demo_db, eng, monkeypatch):
    f = Filters(*YEAR_2025)
    stages = eng.by_stage(f)
    at = run(demo_db, monkeypatch, "pages/giai_doan.py", {"ky": "last_year"})
    assert_clean(at)
    assert "Giai đoạn trễ nhiều nhất" in texts(at.caption)
    assert f"**{md_escape(stages[0]['stage'])}**" in texts(at.markdown)
    assert metric(at, "Số lần trễ hạn").value == fmt.number(sum(r["late"] for r in stages))
    assert metric(at, "Số bước xử lý").value == fmt.number(sum(r["steps"] for r in stages))


def test_online_page_equals_engine(demo_db, eng, monkeypatch):
    f = Filters(*Q3)
    at = run(demo_db, monkeypatch, "pages/truc_tuyen.py", {"ky": "last_quarter"})
    assert_clean(at)
    totals = eng.totals(f)
    assert metric(at, "Trực tuyến").value == fmt.number(totals["online"])
    assert metric(at, "Tỷ lệ hồ sơ trực tuyến").value == fmt.percent(totals["online_share"])
    assert metric(at, "TTHC toàn trình còn nộp giấy nhiều").value == fmt.number(
        len(eng.fully_online_paper_heavy(f)))


def test_unused_procedures_page_counts(demo_db, eng, monkeypatch):
    f = Filters(*Q3)
    usage = eng.procedure_usage(f)
    at = run(demo_db, monkeypatch, "pages/tthc_khong_phat_sinh.py", {"ky": "last_quarter"})
    assert_clean(at)
    assert metric(at, "TTHC có phát sinh hồ sơ").value == (
        f"{fmt.number(usage['with_dossiers'])}/{fmt.number(usage['in_force'])}")
    unused = eng.procedures_without_dossiers(f)
    assert metric(at, "Không phát sinh hồ sơ 3 năm").value == fmt.number(len(unused))
    if unused:
        table = at.dataframe[-1].value
        assert sorted(table.iloc[:, 0]) == sorted(r["procedure_code"] for r in unused)


def test_report06_page_total_row_equals_engine(demo_db, eng, monkeypatch):
    f = Filters(*Q3)
    total = [r for r in eng.report06(f) if r["row_kind"] == "total"][0]
    at = run(demo_db, monkeypatch, "pages/bieu_06.py", {"ky": "last_quarter"})
    assert_clean(at)
    # A static table (all 13 columns fit, cells wrap), then its phone copy.
    table = at.table[0].value
    last = table.iloc[-1]
    assert last.iloc[1] == "Tổng cộng"
    keys = ("received_total", "online", "direct_postal", "carried_over", "resolved", "early", "on_time",
            "late", "pending", "pending_within", "pending_overdue")
    assert [int(x) for x in last.iloc[2:]] == [total[k] for k in keys]
    assert any(b.label == "Tải Biểu 06 (.xlsx)" for b in at.download_button)


# --- filters: URL, custom range, switching pages, language, print view -------------


def test_custom_range_from_url_and_a_half_picked_range(demo_db, eng, monkeypatch):
    at = run(demo_db, monkeypatch, None, {"ky": "custom", "tu": "2026-03-01", "den": "2026-03-31"})
    assert_clean(at)
    v = at.session_state["_view"]
    assert (v.filters.date_from, v.filters.date_to) == (date(2026, 3, 1), date(2026, 3, 31))
    received = fmt.number(eng.totals(Filters(date(2026, 3, 1), date(2026, 3, 31)))["received_total"])
    assert metric(at, "Tổng số hồ sơ nhận giải quyết").value == received
    # The user clicks a first day: the widget holds a 1-tuple until the second click.
    at.date_input(key="f_range").set_value((date(2026, 5, 4),)).run()
    assert_clean(at)
    v = at.session_state["_view"]
    assert v.half_picked
    assert (v.filters.date_from, v.filters.date_to) == (date(2026, 3, 1), date(2026, 3, 31))
    assert any("Hãy chọn ngày kết thúc" in c for c in texts(at.sidebar.caption))
    at.date_input(key="f_range").set_value((date(2026, 5, 4), date(2026, 5, 10))).run()
    v = at.session_state["_view"]
    assert (v.filters.date_from, v.filters.date_to, v.half_picked) == (date(2026, 5, 4), date(2026, 5, 10), False)


def test_filters_are_kept_when_switching_pages(demo_db, eng, monkeypatch):
    at = run(demo_db, monkeypatch, None, {"ky": "last_quarter"})
    at.selectbox(key="f_channel").set_value("online").run()
    at.switch_page("pages/dung_han.py").run()
    assert_clean(at)
    assert at.selectbox(key="f_channel").value == "online"
    assert at.selectbox(key="f_preset").value == "last_quarter"
    resolved = eng.totals(Filters(*Q3, channel="online"))["resolved"]
    assert metric(at, "Đã giải quyết").value == fmt.number(resolved)


def test_view_is_written_to_the_url(demo_db, monkeypatch):
    from ui import state

    at = run(demo_db, monkeypatch, None, {"ky": "last_quarter", "kenh": "postal", "lang": "en"})
    v = at.session_state["_view"]
    assert state.url_params(v) == {"lang": "en", "ky": "last_quarter", "kenh": "postal"}


def test_unknown_url_values_fall_back_to_defaults(demo_db, monkeypatch):
    at = run(demo_db, monkeypatch, None, {"ky": "never", "donvi": "Không có đơn vị này", "kenh": "fax",
                                          "tu": "2026-13-45"})
    assert_clean(at)
    v = at.session_state["_view"]
    assert (v.preset, v.filters.agency, v.filters.channel) == ("this_year", None, None)


@pytest.mark.parametrize("params, expected, note", [
    # Before: st.date_input raised on 1900-01-01 (below its bounds) on every
    # run of the session, so every page showed the error message.
    ({"ky": "custom", "tu": "1900-01-01", "den": "2100-12-31"},
     ("custom", date(2000, 1, 1), date(2100, 12, 31)), "đã thu về trong khoảng này"),
    # A period wholly after the data date: the overview's comparisons used to
    # end before they started.
    ({"ky": "custom", "tu": "9999-12-30", "den": "9999-12-31"},
     ("custom", date(2100, 12, 31), date(2100, 12, 31)), "đã thu về trong khoảng này"),
    ({"ky": "custom", "tu": "abc", "den": "2026-13-45"},
     ("this_year", date(2026, 1, 1), date(2026, 12, 31)), "Ngày trong đường link không hợp lệ"),
    ({"ky": "custom", "tu": "2026-05-01", "den": "2026-03-01"},
     ("this_year", date(2026, 1, 1), date(2026, 12, 31)), "Ngày trong đường link không hợp lệ"),
])
def test_link_dates_the_range_widget_cannot_hold_keep_every_page_working(demo_db, monkeypatch, params,
                                                                          expected, note):
    at = run(demo_db, monkeypatch, None, params)
    assert_clean(at)
    v = at.session_state["_view"]
    assert (v.preset, v.filters.date_from, v.filters.date_to) == expected
    assert any(note in w.value for w in at.sidebar.warning), texts(at.sidebar.warning)
    if expected[0] == "custom":
        assert at.date_input(key="f_range").value == expected[1:]
    for page in (*PAGES, "pages/nhac_viec.py", "pages/tong_quan.py"):
        at.switch_page(page).run()
        assert_clean(at)
        assert not at.error, (page, texts(at.error))
        v = at.session_state["_view"]
        assert (v.preset, v.filters.date_from, v.filters.date_to) == expected, page
        assert not at.sidebar.warning, page  # said once, not on every page


def test_english_switch(demo_db, eng, monkeypatch):
    at = run(demo_db, monkeypatch, None, {"lang": "en", "ky": "last_quarter"})
    assert_clean(at)
    assert any("Data as of 30/09/2026" in m and "Data loaded up to 20/11/2026" in m for m in texts(at.markdown))
    assert at.title[0].value == "Overview"
    received = eng.totals(Filters(*Q3))["received_total"]
    assert metric(at, "Dossiers to resolve (total)").value == fmt.number(received, "en")


def test_print_view_from_the_url(demo_db, monkeypatch):
    at = run(demo_db, monkeypatch, "pages/giai_doan.py", {"banin": "1"})
    assert_clean(at)
    assert at.toggle(key="f_print").value is True
    assert any("Ctrl+P" in c for c in texts(at.caption))
    # Static tables in the print view (they print whole), no interactive grids.
    assert len(at.table) >= 2 and len(at.dataframe) == 0


# --- failures are caught, logged, and explained -----------------------------------


def test_a_failing_page_shows_a_message_and_logs_the_traceback(demo_db, monkeypatch, caplog):
    import ui

    def broken(*args, **kwargs):
        raise RuntimeError("boom at /secret/path.py")

    monkeypatch.setattr(ui, "query", broken)
    with caplog.at_level(logging.ERROR, logger="motcua.dashboard"):
        at = run(demo_db, monkeypatch, None, {})
    assert not at.exception
    shown = " ".join(texts(at.error))
    assert ERROR_TEXT in shown and "/secret/path.py" not in shown
    assert any(r.exc_info and "boom" in str(r.exc_info[1]) for r in caplog.records)


def test_missing_database_points_to_the_import_page(tmp_path, monkeypatch):
    missing = tmp_path / "none.duckdb"
    at = run(missing, monkeypatch, None, {})
    assert_clean(at)
    assert any("Chưa có cơ sở dữ liệu" in w for w in texts(at.warning))
    at.switch_page("pages/nhap_du_lieu.py").run()
    assert_clean(at)
    assert at.file_uploader


# --- import ------------------------------------------------------------------------


def test_import_page_checks_then_imports(tmp_path, monkeypatch):
    db = tmp_path / "office.duckdb"
    with AnalyticsStore(db).write():
        pass
    sample = ROOT / "data" / "sample" / "mot-cua-export-mau.xlsx"
    at = run(db, monkeypatch, "pages/nhap_du_lieu.py", {})
    assert_clean(at)
    uploader = at.file_uploader[0]
    assert uploader.label == "Chọn tệp xuất (.xlsx, .csv, .json)"
    uploader.set_value((sample.name, sample.read_bytes(),
                        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")).run()
    assert_clean(at)
    warnings = " ".join(texts(at.warning))
    assert "Đã bỏ các cột thông tin cá nhân" in warnings
    counts = at.dataframe[0].value
    accepted = int(counts.iloc[0, 1])
    assert counts.iloc[0, 0] == "Hồ sơ" and accepted > 0
    assert Engine(AnalyticsStore(db).reader()).totals(Filters(date(2000, 1, 1), date(2100, 1, 1)))[
        "received_new"] == 0  # nothing written before the confirmation
    at.button(key="imp_confirm").click().run()
    assert_clean(at)
    assert any("Đã nhập lần số" in s for s in texts(at.success))
    con = AnalyticsStore(db).reader()
    assert con.execute("select count(*) from dossiers").fetchone()[0] == accepted
    shutil.rmtree(tmp_path / "rejects", ignore_errors=True)


# --- missing data is said where it changes a number (real exports) ----------------


def test_pages_say_when_channels_due_dates_or_steps_are_missing(tmp_path, monkeypatch):
    from tests.conftest import build_file_db
    from tests.test_engine_missing_data import OFFICE

    db = tmp_path / "missing.duckdb"
    build_file_db(db, **{**OFFICE, "steps": ()})
    params = {"ky": "custom", "tu": "2026-03-01", "den": "2026-03-31"}
    expected = {
        "pages/tong_quan.py": ["hồ sơ không có thông tin kênh nộp", "hồ sơ không có ngày hẹn trả"],
        "pages/truc_tuyen.py": ["hồ sơ không có thông tin kênh nộp"],
        "pages/bieu_06.py": ["hồ sơ không có thông tin kênh nộp", "hồ sơ không có ngày hẹn trả"],
        "pages/giai_doan.py": ["không có số liệu theo giai đoạn"],
        "pages/nguoi_thu_ly.py": ["lấy từ cột cán bộ xử lý của hồ sơ"],
    }
    for page, phrases in expected.items():
        at = run(db, monkeypatch, page, params)
        assert_clean(at)
        shown = " ".join(texts(at.caption) + texts(at.info) + texts(at.markdown))
        for phrase in phrases:
            assert phrase in shown, (page, phrase)


# --- counts that agree: the hand-counted office of tests/golden.py ---------------


@pytest.fixture(scope="module")
def golden_db(tmp_path_factory) -> Path:
    from tests import golden
    from tests.conftest import build_file_db

    path = tmp_path_factory.mktemp("golden") / "golden.duckdb"
    build_file_db(path, **golden.ROWS)
    return path


MARCH_URL = {"ky": "custom", "tu": "2026-03-01", "den": "2026-03-31"}


def test_late_list_shows_resolved_late_and_pending_overdue_apart(golden_db, monkeypatch):
    """March (golden.py): TNMT resolved D17 and D03 late, D05 is still open
    and overdue; Phường Đông Hòa's D08 was finished on 02/04, after the
    period: at 31/03 it was pending and overdue, whatever its status says now."""
    from tests import golden as g

    at = run(golden_db, monkeypatch, "pages/dung_han.py", MARCH_URL)
    assert_clean(at)
    assert metric(at, "Giải quyết quá hạn").value == "2"          # D03, D17
    assert metric(at, "Đang giải quyết quá hạn").value == "2"     # D05, D08
    by_agency = at.dataframe[0].value
    # Chart and table in one order: by late rate, worst first (all below
    # ranking.MIN_VOLUME resolved, so by volume: TNMT 2, then the others).
    assert by_agency.columns[1] == "Tỷ lệ trễ hạn"

    at.selectbox(key="dh_drill_agency").set_value(g.TNMT).run()
    assert_clean(at)
    shown = [(m.label, m.value) for m in at.metric]
    assert ("Giải quyết quá hạn", "2") in shown[-4:] and ("Đang giải quyết quá hạn", "1") in shown[-4:]
    resolved, pending = at.dataframe[1].value, at.dataframe[2].value
    assert list(resolved.iloc[:, 0]) == ["D17", "D03"]
    assert list(pending.iloc[:, 0]) == ["D05"]
    assert list(pending["Tình trạng cuối kỳ"]) == ["Chưa trả kết quả"]
    titles = texts(at.markdown)
    assert "**Giải quyết quá hạn trong kỳ: 2 hồ sơ**" in titles
    assert "**Đang giải quyết quá hạn tại ngày 31/03/2026: 1 hồ sơ**" in titles

    at.selectbox(key="dh_drill_agency").set_value(g.PHUONG).run()
    assert_clean(at)
    # No resolved-late list (a note instead): the second table is the pending one.
    assert any(f"{md_escape(g.PHUONG)}: không có hồ sơ giải quyết quá hạn trong kỳ" in i for i in texts(at.info))
    pending = at.dataframe[1].value
    assert list(pending.iloc[:, 0]) == ["D08"]
    assert list(pending["Tình trạng cuối kỳ"]) == ["Đã trả sau kỳ, ngày 02/04/2026"]


def test_unused_procedures_page_for_an_empty_period_does_not_contradict_itself(golden_db, monkeypatch):
    """June 2026 has no dossier in golden.py: no "0/9 có phát sinh hồ sơ" beside
    a list that says every procedure had dossiers; the chart counts procedures."""
    import json

    at = run(golden_db, monkeypatch, "pages/tthc_khong_phat_sinh.py",
             {"ky": "custom", "tu": "2026-06-01", "den": "2026-06-30"})
    assert_clean(at)
    info = " ".join(texts(at.info))
    assert "Kỳ đang xem không có hồ sơ nào được tiếp nhận" in info and "30/06/2026" in info
    assert not [m for m in texts(at.markdown) if "TTHC có phát sinh hồ sơ**" in m]
    charts = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    assert charts, "the three-year list has procedures (P7, P8 and the never-used ones)"
    axis = charts[0]["layout"]["xaxis"]["title"]["text"]
    assert axis == "Số TTHC"


def test_overview_names_the_received_split_and_ranks_agencies_by_late_rate(golden_db, monkeypatch):
    """March (golden.py): 10 dossiers to resolve = 3 carried over (D03, D05,
    D06) + 7 new; the ranking chart names agencies by late rate."""
    import json

    at = run(golden_db, monkeypatch, None, MARCH_URL)
    assert_clean(at)
    assert metric(at, "Tổng số hồ sơ nhận giải quyết").value == "10"
    assert "Gồm 3 kỳ trước chuyển sang và 7 mới tiếp nhận" in texts(at.caption)
    rank = [json.loads(c.proto.spec) for c in at.get("plotly_chart")][0]
    assert rank["layout"]["xaxis"]["title"]["text"] == "Tỷ lệ trễ hạn"
    # Two comparisons for a month: February and March 2025.
    assert any(c.startswith("Cùng kỳ năm trước:") for c in texts(at.caption))
    assert len(at.dataframe[-1].value.columns) == 6


def test_a_year_shows_one_comparison(golden_db, monkeypatch):
    """2026 up to the data date: the previous period and the same period last
    year are the same dates, so the cards and the table show it once."""
    at = run(golden_db, monkeypatch, None, {"ky": "custom", "tu": "2026-01-01", "den": "2026-12-31"})
    assert_clean(at)
    captions = texts(at.caption)
    assert not any(c.startswith("Cùng kỳ năm trước:") for c in captions)
    assert any(c.startswith("Mũi tên: thay đổi so với kỳ trước, cũng là cùng kỳ năm trước") for c in captions)
    table = at.dataframe[-1].value
    assert list(table.columns) == ["Chỉ số", "Kỳ này", "Kỳ trước", "Thay đổi so với kỳ trước"]


def test_missing_numbers_show_the_missing_mark_not_none(demo_db, monkeypatch):
    """Chỉ số 766: the sub-criteria the data cannot tell have no numerator,
    ratio or points; the grid draws such cells itself ("None" by default),
    so the table tells it fmt's mark for missing values."""
    at = run(demo_db, monkeypatch, "pages/chi_so_766.py", {"ky": "last_quarter"})
    assert_clean(at)
    grid = at.dataframe[0]
    assert grid.value.isna().any().any()   # there are missing cells to draw
    assert grid.proto.placeholder == fmt.MISSING
    assert all(d.proto.placeholder == fmt.MISSING for d in at.dataframe)


def test_report06_page_switches_to_the_portal_counting(demo_db, eng, monkeypatch, downloads):
    """The Biểu 06 page's "Cách đếm": the table, the caption under it and both
    downloads follow it; the form's workbook says so in its note."""
    def workbook_text(at: AppTest, key: str) -> str:
        [button] = [b for b in at.download_button if b.key == key]
        book = CalamineWorkbook.from_object(io.BytesIO(downloads[button.proto.deferred_file_id]()))
        rows = book.get_sheet_by_index(0).to_python()
        return "\n".join(str(c) for r in rows for c in r if c != "")

    portal_note = t("r06_note_portal_counting", "vi")
    at = run(demo_db, monkeypatch, "pages/bieu_06.py", {"ky": "last_quarter"})
    assert_clean(at)
    assert at.radio(key="r06_counting").value == CONVENTION_BIEU06
    assert portal_note not in workbook_text(at, "r06_form")
    assert "Cách đếm Biểu 06" in workbook_text(at, "dl_r06_table")
    assert "Cách đếm Biểu 06" in texts(at.caption)

    at.radio(key="r06_counting").set_value(CONVENTION_PORTAL766).run()
    assert_clean(at)
    assert portal_note in workbook_text(at, "r06_form")
    assert "Cách đếm của Cổng (Chỉ số 766)" in workbook_text(at, "dl_r06_table")
    assert any(c.startswith("Cách đếm của Cổng (Chỉ số 766)") for c in texts(at.caption))
    # The table on screen is the engine's, counted the portal's way.
    portal = [r for r in eng.report06(Filters(*Q3), counting=CONVENTION_PORTAL766) if r["row_kind"] == "total"][0]
    last = at.table[0].value.iloc[-1]  # the static form table
    assert [int(x) for x in last.iloc[2:]][-3:] == [portal[k] for k in ("pending", "pending_within",
                                                                         "pending_overdue")]


def test_report06_counting_is_kept_in_the_url(demo_db, monkeypatch):
    """A shared link restores the counting; the URL of the Biểu 06 page keeps
    it, the form's own (the default) and other pages leave it out, and an
    unknown value falls back to the form's."""
    def url(at: AppTest, page: str) -> dict[str, str]:
        return state.url_params(at.session_state["_view"], page)

    at = run(demo_db, monkeypatch, "pages/bieu_06.py", {"ky": "last_quarter", "dem": CONVENTION_PORTAL766})
    assert_clean(at)
    assert at.radio(key="r06_counting").value == CONVENTION_PORTAL766
    assert url(at, "bieu_06") == {"ky": "last_quarter", "dem": CONVENTION_PORTAL766}
    assert url(at, "tong_quan") == {"ky": "last_quarter"}
    at.radio(key="r06_counting").set_value(CONVENTION_BIEU06).run()
    assert url(at, "bieu_06") == {"ky": "last_quarter"}
    at.radio(key="r06_counting").set_value(CONVENTION_PORTAL766).run()
    assert url(at, "bieu_06")["dem"] == CONVENTION_PORTAL766
    stale = run(demo_db, monkeypatch, "pages/bieu_06.py", {"ky": "last_quarter", "dem": "khac"})
    assert_clean(stale)
    assert stale.radio(key="r06_counting").value == CONVENTION_BIEU06

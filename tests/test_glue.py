"""The Streamlit glue's plain functions: filter state, periods, KPI deltas,
table shaping, Excel building, drill-down helpers and import summaries.

Streamlit's session state works outside ``streamlit run`` (bare mode), which is
all the URL and period helpers need; the pages themselves are tested under
AppTest in tests/test_pages.py.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
import streamlit as st

import glue
from analytics.indicators.filters import Filters
from glue import Col

REF = date(2026, 11, 20)


@pytest.fixture(autouse=True)
def clean_state():
    for key in list(st.session_state.keys()):
        del st.session_state[key]
    yield
    for key in list(st.session_state.keys()):
        del st.session_state[key]


def view(f: Filters, *, preset: str = "this_year", lang: str = "vi", data_date=REF) -> glue.View:
    return glue.View(lang=lang, filters=f, preset=preset, data_date=data_date,
                     as_of=min(f.date_to, data_date) if data_date else f.date_to)


# --- filters, URL and periods ----------------------------------------------------


def test_filters_key_ignores_scope_order_and_sees_every_field():
    a = Filters(date(2026, 1, 1), date(2026, 3, 31), scope=frozenset({"B", "A"}))
    b = Filters(date(2026, 1, 1), date(2026, 3, 31), scope=frozenset({"A", "B"}))
    assert glue.filters_key(a) == glue.filters_key(b)
    assert glue.filters_key(a) != glue.filters_key(Filters(date(2026, 1, 1), date(2026, 3, 31)))
    assert glue.filters_key(a) != glue.filters_key(
        Filters(date(2026, 1, 1), date(2026, 3, 31), channel="online", scope=frozenset({"A", "B"})))
    assert glue.filters_key(None) is None


def test_resolve_period_of_presets_and_ranges():
    assert glue.resolve_period("last_quarter", None, REF) == (date(2026, 7, 1), date(2026, 9, 30), False)
    # Nghị định 09/2019: the report of November runs 15/10 – 14/11.
    assert glue.resolve_period("report_this_month", None, REF) == (date(2026, 10, 15), date(2026, 11, 14), False)
    assert glue.resolve_period("no_such_preset", None, REF) == (date(2026, 1, 1), date(2026, 12, 31), False)
    picked = (date(2026, 5, 10), date(2026, 5, 4))  # picked end first: still a range
    assert glue.resolve_period("custom", picked, REF) == (date(2026, 5, 4), date(2026, 5, 10), False)


def test_a_half_picked_range_keeps_the_last_complete_range():
    assert glue.resolve_period("custom", (date(2026, 5, 4),), REF) == (date(2026, 5, 4), date(2026, 5, 4), True)
    st.session_state["_last_range"] = (date(2026, 3, 1), date(2026, 3, 31))
    assert glue.resolve_period("custom", (date(2026, 5, 4),), REF) == (date(2026, 3, 1), date(2026, 3, 31), True)
    assert glue.resolve_period("custom", (), REF) == (date(2026, 3, 1), date(2026, 3, 31), True)
    assert glue.resolve_period("custom", (None, None), REF) == (date(2026, 3, 1), date(2026, 3, 31), True)


def test_url_state_round_trip():
    opts = {"levels": ["Huyện", "Xã"], "agencies": [{"name": "UBND xã An Bình", "level": "Xã"}],
            "fields": ["Hộ tịch"], "procedures": [{"code": "1.001", "name": "Khai sinh", "field": "Hộ tịch"}]}
    params = {"lang": "en", "ky": "custom", "tu": "2026-03-01", "den": "2026-03-31", "cap": "Xã",
              "donvi": "UBND xã An Bình", "linhvuc": "Hộ tịch", "tthc": "1.001", "kenh": "online",
              "banin": "1"}
    glue.init_state_from_url(params, opts, REF)
    v = glue.build_view(opts)
    f = v.filters
    assert (v.lang, v.preset, v.print_mode) == ("en", "custom", True)
    assert (f.date_from, f.date_to) == (date(2026, 3, 1), date(2026, 3, 31))
    assert (f.agency_level, f.agency, f.field, f.procedure, f.channel) == (
        "Xã", "UBND xã An Bình", "Hộ tịch", "1.001", "online")
    assert glue.url_params(v) == params


def test_url_values_not_offered_are_dropped():
    opts = {"levels": ["Xã"], "agencies": [], "fields": [], "procedures": []}
    glue.init_state_from_url({"ky": "custom", "tu": "2026-04-01", "den": "2026-03-01", "kenh": "fax",
                              "donvi": "Nowhere", "lang": "fr"}, opts, REF)
    v = glue.build_view(opts)
    assert (v.lang, v.preset, v.filters.channel, v.filters.agency) == ("vi", "this_year", None, None)
    assert glue.url_params(v) == {}


def test_url_dates_are_pulled_inside_the_range_widget_bounds():
    opts = {"levels": [], "agencies": [], "fields": [], "procedures": []}
    glue.init_state_from_url({"ky": "custom", "tu": "1900-01-01", "den": "2100-12-31"}, opts, REF)
    assert st.session_state[glue.K_RANGE] == (glue.RANGE_MIN, date(2100, 12, 31))
    assert st.session_state["_url_note"] == "ui_url_range_clamped"
    v = glue.build_view(opts)
    assert (v.filters.date_from, v.filters.date_to) == (date(2000, 1, 1), date(2100, 12, 31))
    assert glue.url_params(v) == {"ky": "custom", "tu": "2000-01-01", "den": "2100-12-31"}


def test_malformed_url_dates_fall_back_and_leave_a_note():
    opts = {"levels": [], "agencies": [], "fields": [], "procedures": []}
    glue.init_state_from_url({"tu": "abc", "den": "2026-13-45"}, opts, REF)
    assert st.session_state[glue.K_PRESET] == "this_year"
    assert glue.K_RANGE not in st.session_state
    assert st.session_state["_url_note"] == "ui_url_range_invalid"


def test_the_url_is_read_once_per_session():
    opts = {"levels": [], "agencies": [], "fields": [], "procedures": []}
    glue.init_state_from_url({"ky": "last_month"}, opts, REF)
    st.session_state[glue.K_PRESET] = "last_year"  # the user changed it since
    glue.init_state_from_url({"ky": "last_month"}, opts, REF)
    assert st.session_state[glue.K_PRESET] == "last_year"


def test_comparison_periods():
    q3 = Filters(date(2026, 7, 1), date(2026, 9, 30), channel="online")
    c = glue.comparison_filters(q3, REF)
    assert (c["previous"].date_from, c["previous"].date_to) == (date(2026, 4, 1), date(2026, 6, 30))
    assert (c["last_year"].date_from, c["last_year"].date_to) == (date(2025, 7, 1), date(2025, 9, 30))
    assert c["previous"].channel == "online"
    # "Năm nay" on 20/11: both comparisons stop after the same number of days.
    ytd = glue.comparison_filters(Filters(date(2026, 1, 1), date(2026, 12, 31)), REF)
    assert (ytd["previous"].date_from, ytd["previous"].date_to) == (date(2025, 1, 1), date(2025, 11, 20))
    assert (ytd["last_year"].date_from, ytd["last_year"].date_to) == (date(2025, 1, 1), date(2025, 11, 20))
    # A period wholly after the data date is compared whole (nothing has elapsed).
    future = glue.comparison_filters(Filters(date(2027, 1, 1), date(2027, 1, 31)), REF)
    assert (future["previous"].date_from, future["previous"].date_to) == (date(2026, 12, 1), date(2026, 12, 31))
    assert (future["last_year"].date_from, future["last_year"].date_to) == (date(2026, 1, 1), date(2026, 1, 31))
    days = glue.comparison_filters(Filters(date(2026, 5, 4), date(2026, 5, 10)), REF)
    assert (days["previous"].date_from, days["previous"].date_to) == (date(2026, 4, 27), date(2026, 5, 3))


def test_filter_summary_and_context_lines():
    f = Filters(date(2026, 7, 1), date(2026, 9, 30), agency="UBND xã An Bình", channel="postal",
                agency_level="Xã")
    v = view(f)
    assert glue.filter_summary(v) == "Cấp đơn vị: Xã; Cơ quan/đơn vị: UBND xã An Bình; Kênh nộp: Bưu chính công ích"
    assert glue.context_lines(v, "Người thụ lý: A") == [
        "Kỳ số liệu: 01/07/2026 – 30/09/2026",
        "Bộ lọc: Cấp đơn vị: Xã; Cơ quan/đơn vị: UBND xã An Bình; Kênh nộp: Bưu chính công ích",
        "Người thụ lý: A",
        "Số liệu đến ngày 20/11/2026",
    ]
    assert glue.filter_summary(view(Filters(date(2026, 1, 1), date(2026, 1, 31)), lang="en")) == ""


# --- KPI cards -----------------------------------------------------------------


def test_kpis_format_values_and_both_changes():
    now = {"received_total": 1234, "resolved": 1000, "on_time_rate": 0.975, "late": 25,
           "pending_overdue": 3, "online_share": 0.6, "progress_766": None}
    before = {"received_total": 1300, "resolved": 1000, "on_time_rate": 0.95, "late": 50,
              "pending_overdue": 1, "online_share": 0.512, "progress_766": 0.9}
    year = {**before, "resolved": 900, "on_time_rate": None}
    cards = {c.key: c for c in glue.kpis(now, before, year, "vi")}
    assert cards["received_total"].text == "1.234"
    assert cards["received_total"].delta_previous == "-66"
    assert cards["received_total"].delta_color == "off"
    assert cards["resolved"].delta_previous == "0" and cards["resolved"].delta_last_year == "+100"
    assert cards["on_time_rate"].text == "97,5%"
    assert cards["on_time_rate"].delta_previous == "+2,5 điểm"
    assert cards["on_time_rate"].delta_last_year is None
    assert cards["late"].label == "Giải quyết quá hạn" and cards["late"].delta_color == "inverse"
    assert cards["online_share"].delta_previous == "+8,8 điểm"
    assert cards["progress_766"].text == "–" and cards["progress_766"].delta_previous is None
    rows = glue.kpi_rows(list(cards.values()), "vi")
    assert rows[2] == {"indicator": "Tỷ lệ đúng hạn", "current": "97,5%", "previous": "95,0%",
                       "delta_previous": "+2,5 điểm", "last_year": "–", "delta_last_year": "–"}
    en = glue.kpis(now, before, year, "en", keys=("received_total", "on_time_rate"))
    assert [(c.text, c.delta_previous) for c in en] == [("1,234", "-66"), ("97.5%", "+2.5 pts")]


# --- tables ----------------------------------------------------------------------

COLS = [Col("code", "code"), Col("channel", "channel", "channel"), Col("status", "status", "status"),
        Col("received_at", "received_at", "datetime"), Col("days_late", "days_late", "int"),
        Col("late_rate", "late_rate", "rate"), Col("period_start", "month", "month")]
ROWS = [
    {"code": "H1", "channel": "online", "status": 10, "received_at": datetime(2026, 7, 3, 8, 5),
     "days_late": 1234, "late_rate": 0.125, "period_start": date(2026, 7, 1)},
    {"code": "H2", "channel": "postal", "status": 5, "received_at": None,
     "days_late": None, "late_rate": None, "period_start": date(2026, 8, 1)},
]


def test_shape_table_keeps_types_and_names_codes():
    df = glue.shape_table(pd.DataFrame(ROWS), COLS, "vi")
    assert list(df.columns) == [c.key for c in COLS]
    assert list(df["channel"]) == ["Trực tuyến", "Bưu chính công ích"]
    assert list(df["status"]) == ["Đã trả kết quả", "Yêu cầu bổ sung giấy tờ"]
    assert list(df["period_start"]) == ["Tháng 07/2026", "Tháng 08/2026"]
    assert pd.api.types.is_datetime64_any_dtype(df["received_at"])
    assert df["days_late"].iloc[0] == 1234 and pd.isna(df["days_late"].iloc[1])
    missing = glue.shape_table(pd.DataFrame([{"code": "H1"}]), [Col("code"), Col("agency", "agency")], "vi")
    assert missing["agency"].isna().all()


def test_styled_table_shows_vietnamese_formats():
    df = glue.shape_table(pd.DataFrame(ROWS), COLS, "vi")
    html = glue.styled(df, COLS, "vi", bold_rows=[True, False]).to_html()
    for text in ("Mã hồ sơ", "1.234", "12,5%", "03/07/2026 08:05", "–", "font-weight: bold"):
        assert text in html
    assert "12.5%" in glue.styled(df, COLS, "en").to_html()


def test_headers_are_unique():
    cols = [Col("late", "late", "int"), Col("pending_overdue", "pending_overdue", "int")]
    assert glue.headers(cols, "vi") == {"late": "Quá hạn", "pending_overdue": "Quá hạn (2)"}


def test_xlsx_builder_writes_title_context_headers_and_formats():
    df = glue.shape_table(pd.DataFrame(ROWS), COLS, "vi")
    build = glue.xlsx_builder(df, COLS, title="Danh sách hồ sơ trễ hạn",
                              subtitle_lines=["Kỳ số liệu: 01/07/2026 – 30/09/2026", "Số liệu đến ngày 20/11/2026"],
                              lg="vi")
    sheet = openpyxl.load_workbook(io.BytesIO(build())).active
    assert sheet["A1"].value == "Danh sách hồ sơ trễ hạn"
    assert sheet["A2"].value == "Kỳ số liệu: 01/07/2026 – 30/09/2026"
    assert [c.value for c in sheet[4]] == ["Mã hồ sơ", "Kênh nộp", "Trạng thái", "Ngày tiếp nhận",
                                           "Số ngày trễ", "Tỷ lệ trễ hạn", "Tháng"]
    assert sheet["B5"].value == "Trực tuyến"
    assert sheet["D5"].value == datetime(2026, 7, 3, 8, 5) and sheet["D5"].number_format == "dd/mm/yyyy hh:mm"
    assert sheet["E5"].value == 1234 and sheet["E5"].number_format == "#,##0"
    assert sheet["F5"].value == 0.125 and sheet["F5"].number_format == "0.0%"
    assert sheet["E6"].value is None
    assert sheet.freeze_panes == "A5"


def test_file_name_is_ascii_with_the_period():
    v = view(Filters(date(2026, 7, 1), date(2026, 9, 30)))
    assert glue.file_name("Đúng hạn theo cơ quan", v) == "dung-han-theo-co-quan_2026-07-01_2026-09-30.xlsx"


# --- drill-downs and summaries --------------------------------------------------


@dataclass
class Event:
    selection: object


def test_picked_label_reads_dict_and_attribute_events():
    dict_event = {"selection": {"points": [{"x": 0.98, "y": "UBND xã An Bình", "customdata": ["UBND xã An Bình"]}]}}
    assert glue.picked_label(dict_event, ["UBND xã An Bình"]) == "UBND xã An Bình"
    attr_event = Event(selection={"points": [{"x": "Phòng Tư pháp", "y": 12}]})
    assert glue.picked_label(attr_event, ["Phòng Tư pháp"]) == "Phòng Tư pháp"
    assert glue.picked_label({"selection": {"points": []}}, ["A"]) is None
    assert glue.picked_label(None, ["A"]) is None


def test_summaries():
    late = pd.DataFrame([{"code": "A", "days_late": 1}, {"code": "A", "days_late": 5}, {"code": "B", "days_late": 3}])
    assert glue.late_summary(late) == {"dossiers": 2, "avg_days": 3.0, "max_days": 5}
    assert glue.late_summary(pd.DataFrame()) == {"dossiers": 0, "avg_days": None, "max_days": None}
    stages = [{"stage": "Thẩm định", "steps": 90, "late": 6}, {"stage": "Tiếp nhận", "steps": 10, "late": 1},
              {"stage": "Trả kết quả", "steps": 0, "late": 0}]
    assert glue.stage_summary(stages) == {"steps": 100, "late": 7, "late_rate": 0.07,
                                          "top_stage": "Thẩm định", "top_late": 6}
    assert glue.stage_summary([])["top_stage"] is None
    handlers = [{"handler": "Lê A", "agency": "X", "late": 4, "steps": 9},
                {"handler": "Lê A", "agency": "Y", "late": 1, "steps": 3},
                {"handler": "Trần B", "agency": "X", "late": 0, "steps": 7}]
    s = glue.handler_summary(handlers)
    assert (s["handlers"], s["late_handlers"], s["late_steps"], s["top"]["agency"]) == (3, 2, 5, "X")
    labels = glue.handler_bar_labels(handlers)
    assert labels["Lê A · Y"] == "Lê A\tY" and labels["Trần B"] == "Trần B\tX" and "Lê A" not in labels
    assert glue.split_handler_key("Lê A\tY") == ("Lê A", "Y")
    rows = [{"field": "Đất đai"}, {"field": "Hộ tịch"}, {"field": "Đất đai"}, {"field": "Chứng thực"}]
    assert glue.count_by(rows, "field") == [{"field": "Đất đai", "count": 2}, {"field": "Chứng thực", "count": 1},
                                            {"field": "Hộ tịch", "count": 1}]


def test_report06_rows_for_the_screen():
    rows = [
        {"row_kind": "level", "level": "Xã", "field": None, **dict.fromkeys(glue.REPORT06_NUMBERS, 3)},
        {"row_kind": "field", "level": "Xã", "field": "Hộ tịch", **dict.fromkeys(glue.REPORT06_NUMBERS, 3)},
        {"row_kind": "total", "level": None, "field": None, **dict.fromkeys(glue.REPORT06_NUMBERS, 3)},
    ]
    vi = glue.report06_table(rows, "vi")
    assert [(r["stt"], r["label"], r["bold"]) for r in vi] == [
        ("I", "Cấp xã", True), ("1", "Hộ tịch", False), ("", "Tổng cộng", True)]
    en = glue.report06_table(rows, "en")
    assert [r["label"] for r in en] == ["Commune level", "Hộ tịch", "Total"]
    assert glue.report06_total(rows) == [rows[2]]
    assert [c.header("vi") for c in glue.REPORT06_COLS][:2] == ["(3) Tổng số nhận", "(4) Trực tuyến"]


# --- import page helpers ----------------------------------------------------------


@dataclass
class Sheet:
    file: str
    sheet: str | None
    table: str
    header_row: int
    columns: dict


@dataclass
class Upload:
    name: str
    data: bytes

    def getvalue(self) -> bytes:
        return self.data


def test_import_summaries():
    counts = {"dossiers": {"accepted": 10, "rejected": 2, "changed": 7},
              "steps": {"accepted": 40, "rejected": 0, "changed": 40}}
    assert glue.import_counts(counts, "vi") == [
        {"table": "Hồ sơ", "accepted": 10, "rejected": 2},
        {"table": "Quá trình xử lý", "accepted": 40, "rejected": 0}]
    assert glue.import_counts(counts, "en", with_changed=True)[0] == {
        "table": "Dossiers", "accepted": 10, "rejected": 2, "changed": 7}
    sheets = [Sheet("/tmp/x/01/export.xlsx", "Danh sách hồ sơ", "dossiers", 3,
                    {"MÃ HỒ SƠ": "code", "Kênh nộp": "channel"})]
    assert glue.import_mapping(sheets, "vi") == [
        {"file": "export.xlsx", "sheet": "Danh sách hồ sơ", "table": "Hồ sơ", "header_row": 3,
         "source": "MÃ HỒ SƠ", "target": "Mã hồ sơ"},
        {"file": "export.xlsx", "sheet": "Danh sách hồ sơ", "table": "Hồ sơ", "header_row": 3,
         "source": "Kênh nộp", "target": "Kênh nộp"}]


def test_uploads_are_saved_in_order_under_their_base_names():
    folder = glue.save_uploads([Upload("b.csv", b"2"), Upload("../../etc/a.xlsx", b"1"), Upload("b.csv", b"3")])
    try:
        paths = glue.upload_paths(folder)
        assert [p.name for p in paths] == ["b.csv", "a.xlsx", "b.csv"]
        assert [p.read_bytes() for p in paths] == [b"2", b"1", b"3"]
        assert all(folder in p.parents for p in paths)
    finally:
        glue.discard_uploads()
    assert not Path(folder).exists()


# --- database path -----------------------------------------------------------------


def test_the_default_demo_database_is_built_once_when_missing(tmp_path, monkeypatch):
    import analytics.demo.generator
    from analytics.store.database import AnalyticsStore

    target = tmp_path / "demo.duckdb"
    monkeypatch.setattr(glue, "DEFAULT_DB", target)
    monkeypatch.delenv("MOTCUA_DB", raising=False)
    built = []

    def fake_build(path, as_of=None):
        built.append(Path(path))
        with AnalyticsStore(path).write():
            pass

    monkeypatch.setattr(analytics.demo.generator, "build_demo", fake_build)
    assert glue.db_path() == target
    assert glue.ensure_database() is True
    assert glue.ensure_database() is True
    assert built == [target]
    # Another path that does not exist is never invented: the pages say so instead.
    monkeypatch.setenv("MOTCUA_DB", str(tmp_path / "elsewhere.duckdb"))
    assert glue.db_path() == (tmp_path / "elsewhere.duckdb").resolve()
    assert glue.ensure_database() is False
    assert built == [target]


def test_the_cached_watchlist_follows_imports_and_the_office_calendar(tmp_path, monkeypatch):
    from analytics.locale.workdays import calendar_with
    from tests.test_reminders_data import AS_OF, build_db

    store = build_db(tmp_path / "a.duckdb")
    monkeypatch.setenv("MOTCUA_DB", str(store.path))

    def codes(office_calendar):
        wl = glue.watchlist(as_of=AS_OF, near_due_days=1, scope=None, agency=None, inter_agency=None,
                            calendar=calendar_with(office_calendar), office_calendar=office_calendar)
        return [i.code for i in wl.items]

    before = codes({})
    assert "H01" in before and "H04" in before
    # An office day off on 4/5 moves the near-due cutoff to 5/5: more items, not the cached list.
    assert len(codes({"days_off": ["2026-05-04"]})) > len(before)
    with store.write() as con:  # a new data version: the cached answer is not reused
        con.execute("update dossiers set finished_at = timestamp '2026-04-29 08:00', status = 9 where code = 'H01'")
    assert "H01" not in codes({})

"""The view of a run (ui/state.py): the period of a preset or a half-picked
range, the URL state of the shared filters, the filter summary and the
subtitle lines of an Excel file.

Streamlit's session state works outside ``streamlit run`` (bare mode), which is
all these need; the pages themselves are tested under AppTest in
tests/test_pages.py.
"""

from __future__ import annotations

from datetime import date

import pytest
import streamlit as st

from analytics.indicators.filters import Filters
from analytics.locale.labels import level_name, t
from ui import state
from ui.state import View

REF = date(2026, 11, 20)


@pytest.fixture(autouse=True)
def clean_state():
    for key in list(st.session_state.keys()):
        del st.session_state[key]
    yield
    for key in list(st.session_state.keys()):
        del st.session_state[key]


def view(f: Filters, *, preset: str = "this_year", lang: str = "vi", data_date=REF) -> View:
    return View(lang=lang, filters=f, preset=preset, data_date=data_date,
                as_of=min(f.date_to, data_date) if data_date else f.date_to)


def test_resolve_period_of_presets_and_ranges():
    assert state.resolve_period("last_quarter", None, REF) == (date(2026, 7, 1), date(2026, 9, 30), False)
    # Nghị định 09/2019: the report of November runs 15/10 – 14/11.
    assert state.resolve_period("report_this_month", None, REF) == (date(2026, 10, 15), date(2026, 11, 14), False)
    assert state.resolve_period("no_such_preset", None, REF) == (date(2026, 1, 1), date(2026, 12, 31), False)
    picked = (date(2026, 5, 10), date(2026, 5, 4))  # picked end first: still a range
    assert state.resolve_period("custom", picked, REF) == (date(2026, 5, 4), date(2026, 5, 10), False)


def test_a_half_picked_range_keeps_the_last_complete_range():
    assert state.resolve_period("custom", (date(2026, 5, 4),), REF) == (date(2026, 5, 4), date(2026, 5, 4), True)
    st.session_state["_last_range"] = (date(2026, 3, 1), date(2026, 3, 31))
    assert state.resolve_period("custom", (date(2026, 5, 4),), REF) == (date(2026, 3, 1), date(2026, 3, 31), True)
    assert state.resolve_period("custom", (), REF) == (date(2026, 3, 1), date(2026, 3, 31), True)
    assert state.resolve_period("custom", (None, None), REF) == (date(2026, 3, 1), date(2026, 3, 31), True)


def test_url_state_round_trip():
    opts = {"levels": ["Huyện", "Xã"], "agencies": [{"name": "UBND xã An Bình", "level": "Xã"}],
            "fields": ["Hộ tịch"], "procedures": [{"code": "1.001", "name": "Khai sinh", "field": "Hộ tịch"}]}
    params = {"lang": "en", "ky": "custom", "tu": "2026-03-01", "den": "2026-03-31", "cap": "Xã",
              "donvi": "UBND xã An Bình", "linhvuc": "Hộ tịch", "tthc": "1.001", "kenh": "online",
              "banin": "1"}
    state.init_state_from_url(params, opts, REF)
    v = state.build_view(opts)
    f = v.filters
    assert (v.lang, v.preset, v.print_mode) == ("en", "custom", True)
    assert (f.date_from, f.date_to) == (date(2026, 3, 1), date(2026, 3, 31))
    assert (f.agency_level, f.agency, f.field, f.procedure, f.channel) == (
        "Xã", "UBND xã An Bình", "Hộ tịch", "1.001", "online")
    assert state.url_params(v) == params


def test_url_values_not_offered_are_dropped():
    opts = {"levels": ["Xã"], "agencies": [], "fields": [], "procedures": []}
    state.init_state_from_url({"ky": "custom", "tu": "2026-04-01", "den": "2026-03-01", "kenh": "fax",
                              "donvi": "Nowhere", "lang": "fr"}, opts, REF)
    v = state.build_view(opts)
    assert (v.lang, v.preset, v.filters.channel, v.filters.agency) == ("vi", "this_year", None, None)
    assert state.url_params(v) == {}


def test_url_dates_are_pulled_inside_the_range_widget_bounds():
    opts = {"levels": [], "agencies": [], "fields": [], "procedures": []}
    state.init_state_from_url({"ky": "custom", "tu": "1900-01-01", "den": "2100-12-31"}, opts, REF)
    assert st.session_state[state.K_RANGE] == (state.RANGE_MIN, date(2100, 12, 31))
    assert st.session_state["_url_note"] == "ui_url_range_clamped"
    v = state.build_view(opts)
    assert (v.filters.date_from, v.filters.date_to) == (date(2000, 1, 1), date(2100, 12, 31))
    assert state.url_params(v) == {"ky": "custom", "tu": "2000-01-01", "den": "2100-12-31"}


def test_malformed_url_dates_fall_back_and_leave_a_note():
    opts = {"levels": [], "agencies": [], "fields": [], "procedures": []}
    state.init_state_from_url({"tu": "abc", "den": "2026-13-45"}, opts, REF)
    assert st.session_state[state.K_PRESET] == "this_year"
    assert state.K_RANGE not in st.session_state
    assert st.session_state["_url_note"] == "ui_url_range_invalid"


def test_the_url_is_read_once_per_session():
    opts = {"levels": [], "agencies": [], "fields": [], "procedures": []}
    state.init_state_from_url({"ky": "last_month"}, opts, REF)
    st.session_state[state.K_PRESET] = "last_year"  # the user changed it since
    state.init_state_from_url({"ky": "last_month"}, opts, REF)
    assert st.session_state[state.K_PRESET] == "last_year"


def test_filter_summary_and_context_lines():
    f = Filters(date(2026, 7, 1), date(2026, 9, 30), agency="UBND xã An Bình", channel="postal",
                agency_level="Xã")
    v = view(f)
    assert state.filter_summary(v) == "Cấp đơn vị: Xã; Cơ quan/đơn vị: UBND xã An Bình; Kênh nộp: Bưu chính công ích"
    assert state.context_lines(v, "Người thụ lý: A") == [
        "Kỳ số liệu: 01/07/2026 – 30/09/2026",
        "Bộ lọc: Cấp đơn vị: Xã; Cơ quan/đơn vị: UBND xã An Bình; Kênh nộp: Bưu chính công ích",
        "Tính hồ sơ theo: Đơn vị hiện nay",
        "Người thụ lý: A",
        # One meaning of "Số liệu đến ngày": the period's as-of date, as in Biểu 06;
        # the data date is named apart.
        "Số liệu đến ngày 30/09/2026",
        "Dữ liệu cập nhật đến ngày 20/11/2026",
    ]
    recorded = view(Filters(date(2026, 1, 1), date(2026, 1, 31), attribution="recorded"), lang="en")
    assert "Dossiers counted under: Units as recorded" in state.context_lines(recorded)
    # A period running to the data date has one date line.
    assert state.context_lines(view(Filters(date(2026, 1, 1), date(2026, 12, 31))))[-1] == (
        "Số liệu đến ngày 20/11/2026")
    assert state.filter_summary(view(Filters(date(2026, 1, 1), date(2026, 1, 31)), lang="en")) == ""


def test_the_view_carries_the_users_scope_and_none_when_left_out():
    opts = {"levels": [], "agencies": [], "fields": [], "procedures": []}
    state.init_state_from_url({}, opts, REF)
    assert state.build_view(opts, scope=frozenset({"UBND xã An Bình"})).filters.scope == {"UBND xã An Bình"}
    assert state.build_view(opts, scope=None).filters.scope is None  # all agencies
    assert state.build_view(opts).filters.scope == frozenset()  # forgotten: nothing, not everything


DRILL_OPTS = {"levels": ["Xã"], "agencies": [{"name": "UBND xã An Bình", "level": "Xã"},
                                             {"name": "UBND xã Ninh Đa", "level": "Xã"}],
              "fields": [], "procedures": []}


def test_a_link_restores_the_drill_down_choice():
    params = {"ky": "last_quarter", "xem_donvi": "UBND xã Ninh Đa", "xem_ntl": "Trần Thị Bình|UBND xã An Bình"}
    state.init_state_from_url(params, DRILL_OPTS, REF)
    assert st.session_state[state.K_DRILL_AGENCY] == "UBND xã Ninh Đa"
    assert st.session_state[state.K_DRILL_HANDLER] == "Trần Thị Bình\tUBND xã An Bình"  # summaries.handler_key
    v = state.build_view(DRILL_OPTS)
    # Each page's link carries its own choice; a deep link followed after sign-in carries both.
    assert state.url_params(v, "dung_han") == {"ky": "last_quarter", "xem_donvi": "UBND xã Ninh Đa"}
    assert state.url_params(v, "nguoi_thu_ly") == {"ky": "last_quarter", "xem_ntl": "Trần Thị Bình|UBND xã An Bình"}
    assert state.url_params(v, "tong_quan") == {"ky": "last_quarter"}
    assert state.url_params(v, state.ALL_PAGES) == params


def test_a_drill_down_outside_the_users_scope_is_dropped():
    # The officer of An Bình is offered An Bình only (ui.facts(scope)).
    scoped = {**DRILL_OPTS, "agencies": [{"name": "UBND xã An Bình", "level": "Xã"}]}
    state.init_state_from_url({"xem_donvi": "UBND xã Ninh Đa", "xem_ntl": "Lê Văn Cường|UBND xã Ninh Đa"},
                              scoped, REF)
    assert state.K_DRILL_AGENCY not in st.session_state
    assert state.K_DRILL_HANDLER not in st.session_state
    v = state.build_view(scoped, scope=frozenset({"UBND xã An Bình"}))
    assert v.drill == {}
    assert state.url_params(v, state.ALL_PAGES) == {}


@pytest.mark.parametrize("value", ["", "x" * 500, "UBND xã An Bình\x00", "|UBND xã An Bình", "Bình|Nowhere",
                                   "Bình"])
def test_malformed_drill_down_values_are_dropped(value):
    state.init_state_from_url({"xem_donvi": value, "xem_ntl": value}, DRILL_OPTS, REF)
    assert state.build_view(DRILL_OPTS).drill == {}


# Agencies as Engine.options gives them: level, and whether each has figures
# under today's units (current) and as recorded (recorded).
TWO_TIER_OPTS = {"levels": ["Huyện", "Tỉnh", "Xã"], "agencies": [
    {"name": "UBND tỉnh Cà Mau", "level": "Tỉnh", "current": True, "recorded": True},
    {"name": "UBND xã Hồng Dân", "level": "Xã", "current": True, "recorded": True},
    # An old district office whose history is handed to the province's branch.
    {"name": "Phòng Tư pháp huyện Hồng Dân", "level": "Huyện", "current": False, "recorded": True},
]}


def test_levels_offered_follow_the_period_and_the_view():
    before, spanning, after = date(2025, 1, 1), date(2025, 6, 30), date(2025, 7, 1)
    # As recorded: cấp huyện only for a period that starts before 1/7/2025.
    assert state.offered_levels(TWO_TIER_OPTS, "recorded", before) == ["Tỉnh", "Xã", "Huyện"]
    assert state.offered_levels(TWO_TIER_OPTS, "recorded", spanning) == ["Tỉnh", "Xã", "Huyện"]
    assert state.offered_levels(TWO_TIER_OPTS, "recorded", after) == ["Tỉnh", "Xã"]
    # Under today's units the district's history is its successors': no Huyện at all.
    assert state.offered_levels(TWO_TIER_OPTS, "current", before) == ["Tỉnh", "Xã"]
    # ... unless an office's successor is not set yet, and then only in the past.
    unset = {"agencies": [{**a, "current": True} for a in TWO_TIER_OPTS["agencies"]]}
    assert state.offered_levels(unset, "current", before) == ["Tỉnh", "Xã", "Huyện"]
    assert state.offered_levels(unset, "current", after) == ["Tỉnh", "Xã"]


def _sidebar_script():
    import streamlit as st  # noqa: F401 - AppTest runs the function's body on its own

    from tests.ui.test_state import TWO_TIER_OPTS
    from ui import state

    v = state.sidebar_filters({**TWO_TIER_OPTS, "data_date": None, "fields": [], "procedures": []}, scope=None)
    st.write(f"level={v.filters.agency_level}")


def test_a_linked_level_not_offered_for_the_period_is_cleared():
    from streamlit.testing.v1 import AppTest

    # A link asking for cấp huyện in a period after the reform, as recorded.
    at = AppTest.from_function(_sidebar_script)
    at.query_params.update({"ky": "custom", "tu": "2026-01-01", "den": "2026-03-31", "cap": "Huyện",
                            "tinhtheo": "recorded"})
    at.run()
    assert not at.exception
    assert at.sidebar.selectbox(key=state.K_LEVEL).options == [
        t("all", "vi"), level_name("Tỉnh", "vi"), level_name("Xã", "vi")]
    assert "level=None" in [m.value for m in at.markdown]
    # The same link for a period before the reform keeps it.
    at = AppTest.from_function(_sidebar_script)
    at.query_params.update({"ky": "custom", "tu": "2025-01-01", "den": "2025-03-31", "cap": "Huyện",
                            "tinhtheo": "recorded"})
    at.run()
    assert not at.exception
    assert "level=Huyện" in [m.value for m in at.markdown]


def test_the_app_is_named_after_the_office_when_its_name_is_set(monkeypatch):
    from ui import data

    monkeypatch.setattr(data, "office_unit_name", lambda: "")
    assert data.app_name("vi") == "Một cửa điện tử · Chỉ số CCHC"
    monkeypatch.setattr(data, "office_unit_name", lambda: "UBND xã Hồng Dân *mới*")
    assert data.app_name("vi") == "UBND xã Hồng Dân *mới* · Chỉ số CCHC"
    assert data.app_name("en", tab=True) == "UBND xã Hồng Dân *mới* · Administrative reform indicators"
    # Typed by the office: escaped where it is rendered as Markdown.
    assert data.app_name("vi", markdown=True) == "UBND xã Hồng Dân \\*mới\\* · Chỉ số CCHC"

"""The dashboard's summaries of engine answers (analytics/indicators/summaries.py),
without Streamlit: the comparison periods, the KPI cards and their table,
the figures above the drill-down lists."""

from __future__ import annotations

from datetime import date

import pandas as pd

from analytics.indicators import summaries
from analytics.indicators.filters import Filters
from analytics.indicators.registry import INDICATORS

REF = date(2026, 11, 20)


def test_comparison_periods():
    q3 = Filters(date(2026, 7, 1), date(2026, 9, 30), channel="online")
    c = summaries.comparison_filters(q3, REF)
    assert (c["previous"].date_from, c["previous"].date_to) == (date(2026, 4, 1), date(2026, 6, 30))
    assert (c["last_year"].date_from, c["last_year"].date_to) == (date(2025, 7, 1), date(2025, 9, 30))
    assert c["previous"].channel == "online"
    # "Năm nay" on 20/11: both comparisons stop after the same number of days.
    ytd = summaries.comparison_filters(Filters(date(2026, 1, 1), date(2026, 12, 31)), REF)
    assert (ytd["previous"].date_from, ytd["previous"].date_to) == (date(2025, 1, 1), date(2025, 11, 20))
    assert (ytd["last_year"].date_from, ytd["last_year"].date_to) == (date(2025, 1, 1), date(2025, 11, 20))
    # A period wholly after the data date is compared whole (nothing has elapsed).
    future = summaries.comparison_filters(Filters(date(2027, 1, 1), date(2027, 1, 31)), REF)
    assert (future["previous"].date_from, future["previous"].date_to) == (date(2026, 12, 1), date(2026, 12, 31))
    assert (future["last_year"].date_from, future["last_year"].date_to) == (date(2026, 1, 1), date(2026, 1, 31))
    days = summaries.comparison_filters(Filters(date(2026, 5, 4), date(2026, 5, 10)), REF)
    assert (days["previous"].date_from, days["previous"].date_to) == (date(2026, 4, 27), date(2026, 5, 3))


def test_kpis_format_values_and_both_changes():
    now = {"received_total": 1234, "resolved": 1000, "on_time_rate": 0.975, "late": 25,
           "pending_overdue": 3, "online_share": 0.6, "progress_766": None}
    before = {"received_total": 1300, "resolved": 1000, "on_time_rate": 0.95, "late": 50,
              "pending_overdue": 1, "online_share": 0.512, "progress_766": 0.9}
    year = {**before, "resolved": 900, "on_time_rate": None}
    cards = {c.key: c for c in summaries.kpis(now, before, year, "vi")}
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
    rows = summaries.kpi_rows(list(cards.values()), "vi")
    assert rows[2] == {"indicator": "Tỷ lệ đúng hạn", "current": "97,5%", "previous": "95,0%",
                       "delta_previous": "+2,5 điểm", "last_year": "–", "delta_last_year": "–"}
    en = summaries.kpis(now, before, year, "en", keys=("received_total", "on_time_rate"))
    assert [(c.text, c.delta_previous) for c in en] == [("1,234", "-66"), ("97.5%", "+2.5 pts")]


def test_summaries():
    late = pd.DataFrame([{"code": "A", "days_late": 1}, {"code": "A", "days_late": 5}, {"code": "B", "days_late": 3}])
    assert summaries.late_summary(late) == {"dossiers": 2, "avg_days": 3.0, "max_days": 5}
    assert summaries.late_summary(pd.DataFrame()) == {"dossiers": 0, "avg_days": None, "max_days": None}
    stages = [{"stage": "Thẩm định", "steps": 90, "late": 6}, {"stage": "Tiếp nhận", "steps": 10, "late": 1},
              {"stage": "Trả kết quả", "steps": 0, "late": 0}]
    assert summaries.stage_summary(stages) == {"steps": 100, "late": 7, "late_rate": 0.07,
                                          "top_stage": "Thẩm định", "top_late": 6}
    assert summaries.stage_summary([])["top_stage"] is None
    handlers = [{"handler": "Lê A", "agency": "X", "late": 4, "steps": 9},
                {"handler": "Lê A", "agency": "Y", "late": 1, "steps": 3},
                {"handler": "Trần B", "agency": "X", "late": 0, "steps": 7}]
    s = summaries.handler_summary(handlers)
    assert (s["handlers"], s["late_handlers"], s["late_steps"], s["top"]["agency"]) == (3, 2, 5, "X")
    labels = summaries.handler_bar_labels(handlers)
    assert labels["Lê A · Y"] == "Lê A\tY" and labels["Trần B"] == "Trần B\tX" and "Lê A" not in labels
    assert summaries.split_handler_key("Lê A\tY") == ("Lê A", "Y")
    rows = [{"field": "Đất đai"}, {"field": "Hộ tịch"}, {"field": "Đất đai"}, {"field": "Chứng thực"}]
    assert summaries.count_by(rows, "field") == [{"field": "Đất đai", "count": 2}, {"field": "Chứng thực", "count": 1},
                                            {"field": "Hộ tịch", "count": 1}]


def test_every_card_reads_its_kind_and_direction_from_the_registry():
    values = dict.fromkeys(summaries.KPIS + ("received_new", "online"), 0.5)
    cards = summaries.kpis(values, values, values, "vi", keys=tuple(values))
    for card in cards:
        row = INDICATORS[card.key]
        assert card.kind == row.kind
        expected = {None: "off", False: "normal", True: "inverse"}[row.higher_is_worse]
        assert card.delta_color == expected, card.key
    rates = {c.key for c in cards if c.text.endswith("%")}
    assert rates == {"on_time_rate", "online_share", "progress_766"}


def test_name_late_causes_shows_the_receiving_agency_where_no_step_overran():
    late = pd.DataFrame([
        {"code": "A", "agency": "UBND xã Hòa An", "late_stage": "Thẩm định", "late_handler": "Lê Văn Cường",
         "late_cause": "step"},
        {"code": "B", "agency": "UBND phường Đông Hòa", "late_stage": None, "late_handler": None,
         "late_cause": "agency"},
    ])
    out = summaries.name_late_causes(late, "vi")
    assert out.loc[0, ["late_stage", "late_handler"]].tolist() == ["Thẩm định", "Lê Văn Cường"]
    assert out.loc[1, ["late_stage", "late_handler"]].tolist() == [
        "Cơ quan tiếp nhận (không bước nào vượt thời hạn)", "UBND phường Đông Hòa"]
    assert pd.isna(late.loc[1, "late_stage"])  # the input is left alone


def test_a_year_has_one_comparison_a_quarter_two():
    year = summaries.comparison_filters(Filters(date(2025, 1, 1), date(2025, 12, 31)), REF)
    assert summaries.one_comparison(year)            # 2024 twice
    ytd = summaries.comparison_filters(Filters(date(2026, 1, 1), date(2026, 12, 31)), REF)
    assert summaries.one_comparison(ytd)             # 01/01–20/11/2025 twice
    q3 = summaries.comparison_filters(Filters(date(2026, 7, 1), date(2026, 9, 30)), REF)
    assert not summaries.one_comparison(q3)          # Q2 2026 and Q3 2025


def test_a_change_that_rounds_to_zero_is_unchanged():
    now = {"on_time_rate": 0.99512, "late": 25, "received_total": 10, "carried_over": 3, "received_new": 7}
    before = {"on_time_rate": 0.99498, "late": 30, "received_total": 10}
    cards = {c.key: c for c in summaries.kpis(now, before, {}, "vi", ("on_time_rate", "late", "received_total"))}
    assert cards["on_time_rate"].delta_previous == "0,0 điểm" and cards["on_time_rate"].unchanged
    assert cards["received_total"].delta_previous == "0" and cards["received_total"].unchanged
    assert cards["late"].delta_previous == "-5" and not cards["late"].unchanged
    # The received total carries Biểu 06's split.
    assert cards["received_total"].detail == "Gồm 3 kỳ trước chuyển sang và 7 mới tiếp nhận"
    assert cards["late"].detail is None


def test_received_split_of_newly_received():
    totals = {"received_total": 13121, "carried_over": 586, "received_new": 12535}
    assert summaries.received_split("received_new", totals) == (
        "Trong tổng số 13.121 hồ sơ nhận giải quyết (586 kỳ trước chuyển sang)")
    assert summaries.received_split("received_total", {"received_total": 1}) is None


def test_late_groups_give_the_state_at_the_periods_end():
    df = pd.DataFrame([
        {"code": "A", "late_group": "resolved_late", "finished_at": pd.Timestamp("2026-03-12 10:00")},
        {"code": "B", "late_group": "pending_overdue", "finished_at": None},
        {"code": "C", "late_group": "pending_overdue", "finished_at": pd.Timestamp("2026-04-02 10:00")},
    ])
    resolved, pending = summaries.late_groups(df)
    assert list(resolved["code"]) == ["A"]
    assert list(zip(pending["code"], pending["state"], strict=True)) == [
        ("B", "Chưa trả kết quả"), ("C", "Đã trả sau kỳ, ngày 02/04/2026")]

"""The sentences of the meeting pack, on hand-made numbers."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from analytics.indicators.engine import Engine
from analytics.indicators.filters import Filters
from analytics.reports import findings as fd
from tests.conftest import fill, finish

TNMT = "Phòng Tài nguyên và Môi trường"


def agency(name, resolved, late, **extra):
    return {"agency": name, "resolved": resolved, "late": late,
            "late_rate": late / resolved if resolved else None, **extra}


def stage(name, steps, late):
    return {"stage": name, "steps": steps, "late": late, "late_rate": late / steps if steps else None}


def handler(name, agency_name, late, late_dossiers, steps=20):
    return {"handler": name, "agency": agency_name, "steps": steps, "late": late,
            "late_dossiers": late_dossiers, "late_rate": late / steps}


# --- text helpers ---------------------------------------------------------------------


def test_sentence_joins_clauses_capitalises_and_ends_once():
    assert fd.sentence("tỷ lệ đạt 97,6%", None, "", "còn 3 hồ sơ.") == "Tỷ lệ đạt 97,6%; còn 3 hồ sơ."
    assert fd.sentence() == ""


@pytest.mark.parametrize("names, expected", [
    (["A"], "A"),
    (["A", "B"], "A và B"),
    (["A", "B", "C"], "A, B và C"),
    (["A", "B", "C", "D", "E"], "A, B, C và 2 đơn vị khác"),
])
def test_join_names(names, expected):
    assert fd.join_names(names) == expected


# --- period names -----------------------------------------------------------------------


@pytest.mark.parametrize("span, name, label", [
    ((date(2026, 7, 1), date(2026, 9, 30)), "quý III/2026", "Quý III/2026"),
    ((date(2026, 3, 1), date(2026, 3, 31)), "tháng 03/2026", "Tháng 03/2026"),
    ((date(2026, 1, 1), date(2026, 12, 31)), "năm 2026", "Năm 2026"),
    ((date(2026, 1, 1), date(2026, 6, 30)), "6 tháng đầu năm 2026", "6 tháng đầu năm 2026"),
    ((date(2026, 1, 1), date(2026, 9, 30)), "9 tháng năm 2026", "9 tháng năm 2026"),
    # Reporting periods of Nghị định 09/2019 (15th – 14th).
    ((date(2026, 6, 15), date(2026, 9, 14)), "kỳ báo cáo quý III/2026", "Quý III/2026"),
    ((date(2025, 12, 15), date(2026, 3, 14)), "kỳ báo cáo quý I/2026", "Quý I/2026"),
    ((date(2026, 2, 15), date(2026, 3, 14)), "kỳ báo cáo tháng 03/2026", "Tháng 03/2026"),
    ((date(2025, 12, 15), date(2026, 6, 14)), "kỳ báo cáo 6 tháng năm 2026", "6 tháng năm 2026"),
    ((date(2025, 12, 15), date(2026, 12, 14)), "kỳ báo cáo năm 2026", "Năm 2026"),
    ((date(2026, 7, 1), date(2026, 8, 15)), "kỳ 01/07/2026 – 15/08/2026", "01/07–15/08/2026"),
    ((date(2025, 12, 20), date(2026, 1, 10)), "kỳ 20/12/2025 – 10/01/2026", "20/12/2025–10/01/2026"),
])
def test_period_name_and_label(span, name, label):
    assert fd.period_name(*span) == name
    assert fd.period_label(*span) == label


def test_unused_window_is_three_years_ending_on_to():
    assert fd.unused_window(date(2026, 9, 30)) == (date(2023, 10, 1), date(2026, 9, 30))
    assert fd.unused_window(date(2028, 2, 29)) == (date(2025, 3, 1), date(2028, 2, 29))


# --- changes ---------------------------------------------------------------------------


@pytest.mark.parametrize("now, before, expected", [
    (0.976, 0.964, "tăng 1,2 điểm"),
    (0.964, 0.976, "giảm 1,2 điểm"),
    (0.97641, 0.97639, "không đổi"),  # rounds to 0,0 điểm
    (0.5, None, None),
    (None, 0.5, None),
])
def test_rate_change(now, before, expected):
    assert fd.rate_change(now, before) == expected


@pytest.mark.parametrize("now, before, expected", [
    (112, 100, "tăng 12 hồ sơ (12,0%)"),
    (1000, 1234, "giảm 234 hồ sơ (19,0%)"),
    (5, 0, "tăng 5 hồ sơ"),  # no base for a relative change
    (10, 10, "không đổi"),
    (10, None, None),
])
def test_count_change(now, before, expected):
    assert fd.count_change(now, before) == expected


# --- slide findings ------------------------------------------------------------------------


def test_trend_finding_as_in_the_issue():
    by_agency = [agency(TNMT, 1000, 41), agency("UBND xã Hòa An", 2000, 20)]
    text = fd.trend_finding({"on_time_rate": 0.976}, {"on_time_rate": 0.964}, by_agency,
                            "quý III/2026", "quý II/2026")
    assert text == ("Tỷ lệ đúng hạn quý III/2026 đạt 97,6%, tăng 1,2 điểm so với quý II/2026; "
                    "Phòng Tài nguyên và Môi trường có tỷ lệ trễ hạn cao nhất (4,1%).")


def test_trend_finding_falling_and_without_previous_rate():
    falling = fd.trend_finding({"on_time_rate": 0.95}, {"on_time_rate": 0.975}, [], "tháng 03/2026",
                               "tháng 02/2026")
    assert falling.startswith("Tỷ lệ đúng hạn tháng 03/2026 đạt 95,0%, giảm 2,5 điểm so với tháng 02/2026;")
    alone = fd.trend_finding({"on_time_rate": 0.95}, {"on_time_rate": None}, [], "tháng 03/2026",
                             "tháng 02/2026")
    assert alone == "Tỷ lệ đúng hạn tháng 03/2026 đạt 95,0%; không có hồ sơ được giải quyết trong kỳ."


def test_on_time_clause_with_nothing_resolved():
    assert fd.on_time_clause({"on_time_rate": None}, {"on_time_rate": 0.9}, "quý III/2026", "quý II/2026") == (
        "không có hồ sơ được giải quyết trong quý III/2026")


def test_highest_late_agencies_ties_and_none_rates():
    rows = [agency("A", 20, 1), agency("B", 40, 2), agency("C", 10, 0), agency("D", 0, 0)]
    assert [r["agency"] for r in fd.highest_late_agencies(rows)] == ["A", "B"]
    assert fd.agency_late_clause(rows) == "A và B cùng có tỷ lệ trễ hạn cao nhất (5,0%)"
    assert fd.agency_finding(rows) == (
        "A và B cùng có tỷ lệ trễ hạn cao nhất (5,0%); 2/3 cơ quan, đơn vị có hồ sơ giải quyết quá hạn.")


def test_agency_finding_single_top_and_no_late():
    rows = [agency(TNMT, 905, 37), agency("UBND xã Hòa An", 1200, 12), agency("UBND xã Ninh Ích", 300, 0)]
    assert fd.agency_finding(rows) == (
        "Phòng Tài nguyên và Môi trường có tỷ lệ trễ hạn cao nhất (4,1%; 37/905 hồ sơ đã giải quyết); "
        "2/3 cơ quan, đơn vị có hồ sơ giải quyết quá hạn.")
    assert fd.agency_finding([agency("A", 10, 0)]) == "Không có cơ quan, đơn vị nào giải quyết hồ sơ quá hạn."
    assert fd.agency_finding([agency("A", 0, 0)]) == "Không có hồ sơ được giải quyết trong kỳ."


def test_stage_finding():
    rows = [stage("Thẩm định", 300, 30), stage("Phê duyệt", 100, 10), stage("Tiếp nhận", 400, 0)]
    assert fd.stage_finding(rows) == (
        "Giai đoạn Thẩm định có nhiều bước trễ hạn nhất: 30 lần, chiếm 75,0% số bước trễ hạn (tỷ lệ trễ 10,0%).")
    tie = [stage("Thẩm định", 10, 2), stage("Phê duyệt", 4, 2)]
    assert fd.stage_finding(tie) == (
        "Giai đoạn Thẩm định và Phê duyệt cùng có nhiều bước trễ hạn nhất: 2 lần mỗi giai đoạn "
        "(50,0% số bước trễ hạn).")
    assert fd.stage_finding([stage("Tiếp nhận", 5, 0)]) == "Không có bước xử lý trễ hạn trong kỳ."
    assert fd.stage_finding([]) == "Không có bước xử lý nào kết thúc trong kỳ."


def test_handler_finding_top_ties_and_repeated():
    rows = [handler("Trần Thị Bình", TNMT, 5, 4), handler("Lê Văn Cường", "UBND xã Hòa An", 2, 2),
            handler("Nguyễn Văn An", TNMT, 1, 1)]
    assert fd.handler_finding(rows) == (
        "Trần Thị Bình (Phòng Tài nguyên và Môi trường) trễ hạn nhiều nhất: 5 lần, 4 hồ sơ; "
        "2 người thụ lý trễ hạn từ 2 lần trở lên.")
    tie = [handler("A", "X", 3, 3), handler("B", "Y", 3, 2)]
    assert fd.handler_finding(tie) == (
        "A (X) và B (Y) cùng trễ hạn nhiều nhất (3 lần mỗi người); 2 người thụ lý trễ hạn từ 2 lần trở lên.")
    assert fd.handler_finding([handler("A", "X", 0, 0)]) == "Không có bước xử lý trễ hạn trong kỳ."
    assert [r["handler"] for r in fd.repeated_late_handlers(rows)] == ["Trần Thị Bình", "Lê Văn Cường"]


@pytest.mark.parametrize("share, previous, expected", [
    (0.523, 0.483, "Tỷ lệ hồ sơ trực tuyến quý III/2026 đạt 52,3%, vượt chỉ tiêu 50% (2,3 điểm); "
                   "tăng 4,0 điểm so với quý II/2026."),
    (0.41, 0.45, "Tỷ lệ hồ sơ trực tuyến quý III/2026 đạt 41,0%, thấp hơn chỉ tiêu 50% 9,0 điểm; "
                 "giảm 4,0 điểm so với quý II/2026."),
    (0.5, None, "Tỷ lệ hồ sơ trực tuyến quý III/2026 đạt 50,0%, đạt chỉ tiêu 50%."),
    (0.4996, None, "Tỷ lệ hồ sơ trực tuyến quý III/2026 đạt 50,0%, chưa đạt chỉ tiêu 50% (thiếu dưới 0,1 điểm)."),
    (None, 0.5, "Không có hồ sơ mới tiếp nhận trong quý III/2026."),
])
def test_online_finding(share, previous, expected):
    assert fd.online_finding({"online_share": share}, {"online_share": previous}, "quý III/2026",
                             "quý II/2026") == expected


@pytest.mark.parametrize("received, online, gap", [(7, 3, 1), (10, 6, 0), (10, 5, 0), (0, 0, 0), (9, 0, 5)])
def test_online_gap_count(received, online, gap):
    assert fd.online_gap_count({"received_new": received, "online": online}) == gap


def _procedure(code, field, last=None):
    return {"procedure_code": code, "procedure_name": f"Thủ tục {code}", "field": field, "last_received": last}


def test_unused_finding_fields_ties_and_never_used():
    to = date(2026, 9, 30)
    rows = [_procedure("P1", "Đất đai"), _procedure("P2", "Đất đai", date(2022, 1, 5)),
            _procedure("P3", "Hộ tịch")]
    assert fd.unused_finding(rows, to) == (
        "3 thủ tục hành chính còn hiệu lực không phát sinh hồ sơ từ 01/10/2023 đến 30/09/2026; "
        "nhiều nhất thuộc lĩnh vực Đất đai (2 thủ tục); 2 thủ tục chưa có hồ sơ nào trong dữ liệu.")
    every_field_once = [_procedure("P1", "Hộ tịch", date(2022, 1, 1)), _procedure("P2", "Đất đai", date(2021, 1, 1))]
    assert fd.unused_finding(every_field_once, to) == (
        "2 thủ tục hành chính còn hiệu lực không phát sinh hồ sơ từ 01/10/2023 đến 30/09/2026; "
        "thuộc các lĩnh vực Đất đai và Hộ tịch.")
    tie = [_procedure("P1", "Hộ tịch", date(2022, 1, 1)), _procedure("P2", "Đất đai", date(2021, 1, 1)),
           _procedure("P3", "Hộ tịch", date(2022, 1, 1)), _procedure("P4", "Đất đai", date(2021, 1, 1)),
           _procedure("P5", "Y tế", date(2021, 1, 1))]
    assert "nhiều nhất thuộc các lĩnh vực Đất đai và Hộ tịch (2 thủ tục mỗi lĩnh vực)" in fd.unused_finding(tie, to)
    assert fd.unused_finding(rows[:1], to).endswith(
        "đều thuộc lĩnh vực Đất đai; 1 thủ tục chưa có hồ sơ nào trong dữ liệu.")
    assert fd.unused_finding([], to) == (
        "Mọi thủ tục hành chính còn hiệu lực đều có hồ sơ từ 01/10/2023 đến 30/09/2026.")


def test_kpi_finding():
    totals = {"received_total": 13117, "resolved": 12354, "on_time_rate": 0.997, "pending_overdue": 152}
    assert fd.kpi_finding(totals, {"received_total": 12930}, "quý III/2026", "quý II/2026") == (
        "Quý III/2026 tiếp nhận 13.117 hồ sơ, tăng 187 hồ sơ (1,4%) so với quý II/2026; "
        "đã giải quyết 12.354 hồ sơ, đúng hạn 99,7%; còn 152 hồ sơ đang giải quyết quá hạn.")
    no_previous = fd.kpi_finding({**totals, "pending_overdue": 0}, {"received_total": 0}, "quý III/2026", "quý II/2026")
    assert no_previous == ("Quý III/2026 tiếp nhận 13.117 hồ sơ; đã giải quyết 12.354 hồ sơ, đúng hạn 99,7%; "
                           "không có hồ sơ đang giải quyết quá hạn.")
    assert fd.kpi_finding({"received_total": 0}, None, "quý III/2026", "quý II/2026") == "Không có hồ sơ trong kỳ."


# --- blame: a handler who only inherited lateness is never named ----------------------


def test_a_handler_with_only_inherited_late_steps_is_not_named(memory_con):
    """Ba dossiers, each made late at Thẩm định by a different handler; Xuân
    hands all three back at Trả kết quả a day after its deadline, taking no
    longer than her allowance. Counted by deadline she had 3 late steps and
    the others 1 each; counted by cause she has none."""
    xa = "UBND xã Hòa An"
    xuan = "Nguyễn Thị Xuân"
    causes = ["Lê Văn A", "Lê Văn B", "Lê Văn C"]
    dossiers, steps = [], []
    for i, who in enumerate(causes, start=1):
        code = f"E{i}"
        # Received Monday 02/03/2026, due Wednesday 04/03.
        dossiers.append((code, "P1", "Chứng thực", xa, "direct", datetime(2026, 3, 2, 8),
                         datetime(2026, 3, 4, 17), datetime(2026, 3, 9, 10), 10))
        # Thẩm định: allowance wd(02/03, 03/03] = 1, took wd(02/03, 06/03] = 4: caused 3 days.
        steps.append((code, 1, "Thẩm định", who, xa, datetime(2026, 3, 2, 8), datetime(2026, 3, 3, 17),
                      datetime(2026, 3, 6, 10)))
        # Trả kết quả: allowance wd(03/03, 04/03] = 1, took wd(06/03, 09/03] = 1: inherited.
        steps.append((code, 2, "Trả kết quả", xuan, xa, datetime(2026, 3, 6, 10), datetime(2026, 3, 4, 17),
                      datetime(2026, 3, 9, 10)))
    fill(memory_con, agencies=[(xa, "Xã", None)],
         procedures=[("P1", "Chứng thực bản sao", "Chứng thực", "Xã", "Toàn trình", date(2020, 1, 1), True)],
         dossiers=dossiers, steps=steps)
    finish(memory_con)
    engine = Engine(memory_con)
    march = Filters(date(2026, 3, 1), date(2026, 3, 31))
    by_handler = engine.by_handler(march)
    mine = next(r for r in by_handler if r["handler"] == xuan)
    assert (mine["late"], mine["inherited_late"], mine["late_dossiers"]) == (0, 3, 0)
    text = fd.handler_finding(by_handler)
    assert xuan not in text and all(who in text for who in causes)
    assert "Trả kết quả" not in fd.stage_finding(engine.by_stage(march))
    assert fd.repeated_late_handlers(by_handler) == []


def test_an_agency_with_two_dossiers_does_not_head_the_findings():
    rows = [agency("Phòng Tài chính - Kế hoạch", 2, 1), agency(TNMT, 400, 20), agency("UBND xã Ninh Đa", 300, 3)]
    # 50 % of 2 is not ranked (fewer than 20 resolved); TNMT's 5 % of 400 is the highest.
    assert [r["agency"] for r in fd.highest_late_agencies(rows)] == [TNMT]
    # With no large agency late, the small one is still named: it is the only lateness.
    assert [r["agency"] for r in fd.highest_late_agencies([rows[0], agency(TNMT, 400, 0)])] == [
        "Phòng Tài chính - Kế hoạch"]

"""The indicator contract on the hand-counted office of tests/golden.py."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from analytics.indicators.engine import AgencyNotFound, Engine, _sort_late
from analytics.indicators.filters import FilterError, Filters
from tests import golden as g
from tests.conftest import fill, finish


@pytest.fixture
def engine(memory_con) -> Engine:
    fill(memory_con, **g.ROWS)
    finish(memory_con)
    return Engine(memory_con)


MARCH = Filters(*g.MARCH)


def test_data_date_and_as_of(engine):
    assert engine.data_date() == date(2026, 4, 2)
    assert engine.as_of(MARCH) == date(2026, 3, 31)
    assert engine.as_of(Filters(date(2026, 4, 1), date(2026, 12, 31))) == date(2026, 4, 2)


def test_totals_are_the_hand_counts(engine):
    assert engine.totals(MARCH) == {
        "received_total": 10, "carried_over": 3, "received_new": 7,
        "online": 3, "direct_postal": 4,
        "resolved": 6, "early": 2, "on_time": 2, "late": 2,
        "pending": 4, "pending_within": 2, "pending_overdue": 2,
        "on_time_rate": pytest.approx(4 / 6), "online_share": pytest.approx(3 / 7),
        "progress_766": pytest.approx(6 / 10),
        # The golden office has every channel and due date.
        "channel_unknown": 0, "no_due_date": 0, "due_computed": 0, "rescheduled": 0,
    }


def test_rates_are_unrounded_and_null_on_zero_denominators(engine):
    totals = engine.totals(MARCH)
    assert totals["on_time_rate"] == 4 / 6
    empty = engine.totals(Filters(date(2020, 1, 1), date(2020, 1, 31)))
    assert empty["received_total"] == 0
    assert empty["on_time_rate"] is None
    assert empty["online_share"] is None
    assert empty["progress_766"] is None


def test_by_agency_sorted_by_late_then_name(engine):
    rows = engine.by_agency(MARCH)
    assert [(r["agency"], r["resolved"], r["late"], r["late_rate"]) for r in rows] == [
        (g.TNMT, 2, 2, 1.0),
        (g.PHUONG, 1, 0, 0.0),
        (g.XA, 3, 0, 0.0),
    ]
    tnmt = rows[0]
    assert (tnmt["received_total"], tnmt["pending"], tnmt["pending_overdue"], tnmt["level"]) == (4, 2, 1, "Huyện")


def test_by_field(engine):
    rows = engine.by_field(MARCH)
    assert [(r["field"], r["resolved"], r["late"], r["late_rate"]) for r in rows] == [
        ("Đất đai", 2, 2, 1.0),
        ("Chứng thực", 3, 0, 0.0),
        ("Hộ tịch", 1, 0, 0.0),
    ]


def test_by_stage(engine):
    # late counts the lateness a step caused (golden.py, above STEPS): Thẩm
    # định of D03 and D17, Trả kết quả of D03. Phê duyệt of D17 was late by
    # its deadline only because it started late: inherited, not late.
    # (Before 2026-12-07 Phê duyệt counted 1 late of 1.)
    assert engine.by_stage(MARCH) == [
        {"stage": "Thẩm định", "steps": 2, "late": 2, "caused_late": 2, "inherited_late": 0, "late_rate": 1.0},
        {"stage": "Trả kết quả", "steps": 2, "late": 1, "caused_late": 1, "inherited_late": 0, "late_rate": 0.5},
        {"stage": "Phê duyệt", "steps": 1, "late": 0, "caused_late": 0, "inherited_late": 1, "late_rate": 0.0},
        {"stage": "Tiếp nhận", "steps": 2, "late": 0, "caused_late": 0, "inherited_late": 0, "late_rate": 0.0},
    ]


def test_by_handler(engine):
    rows = engine.by_handler(MARCH)
    # Bình caused D03's Thẩm định (1 late, 1 dossier) and only inherited D17's
    # Phê duyệt (Cường's Thẩm định made D17 late): 1 late, 1 inherited. Before
    # 2026-12-07 she had 2 late steps on 2 dossiers.
    assert [(r["handler"], r["agency"], r["steps"], r["late"], r["inherited_late"], r["late_dossiers"])
            for r in rows] == [
        (g.CUONG, g.XA, 1, 1, 0, 1),
        (g.AN, g.TNMT, 2, 1, 0, 1),
        (g.BINH, g.TNMT, 2, 1, 1, 1),
        (g.DUNG, g.XA, 2, 0, 0, 0),
    ]
    assert all(r["caused_late"] == r["late"] for r in rows)


def test_agency_filter_uses_dossier_agency_for_dossiers_and_step_agency_for_steps(engine):
    xa = Filters(*g.MARCH, agency=g.XA)
    assert engine.totals(xa)["resolved"] == 3
    # The liên thông step of D17 (a Phòng TNMT dossier) counts for the commune.
    assert [(r["handler"], r["steps"], r["late"]) for r in engine.by_handler(xa)] == [
        (g.CUONG, 1, 1), (g.DUNG, 2, 0),
    ]
    tnmt = Filters(*g.MARCH, agency=g.TNMT)
    assert engine.totals(tnmt)["received_total"] == 4
    # An and Bình caused one late step each (Bình's other was inherited): by name.
    assert [r["handler"] for r in engine.by_handler(tnmt)] == [g.AN, g.BINH]


def test_channel_filter(engine):
    online = engine.totals(Filters(*g.MARCH, channel="online"))
    assert (online["received_new"], online["carried_over"], online["resolved"], online["late"],
            online["pending_within"], online["pending_overdue"]) == (3, 1, 2, 1, 1, 1)


def test_field_procedure_and_level_filters(engine):
    assert engine.totals(Filters(*g.MARCH, field="Hộ tịch"))["received_total"] == 3
    assert engine.totals(Filters(*g.MARCH, procedure="P1"))["received_new"] == 3
    assert engine.totals(Filters(*g.MARCH, agency_level="Huyện"))["received_total"] == 4
    combined = Filters(*g.MARCH, agency_level="Xã", channel="online", field="Hộ tịch")
    # D06 (carried over, status 5) and D08 (new, pending overdue).
    assert engine.totals(combined)["received_total"] == 2


def test_scope_restricts_every_query(engine):
    scoped = Filters(*g.MARCH, scope=frozenset({g.XA}))
    assert [r["agency"] for r in engine.by_agency(scoped)] == [g.XA]
    assert {r["agency"] for r in engine.by_handler(scoped)} == {g.XA}
    assert all(r["agency"] == g.XA for r in engine.late_dossiers(scoped))
    assert engine.totals(scoped)["received_total"] == 3
    # A filter on an agency outside the scope yields nothing, not that agency.
    assert engine.totals(Filters(*g.MARCH, agency=g.TNMT, scope=frozenset({g.XA})))["received_total"] == 0


def test_procedures_without_dossiers(engine):
    rows = engine.procedures_without_dossiers(MARCH)
    assert [(r["procedure_code"], r["last_received"]) for r in rows] == [
        ("P9", None),
        ("P7", date(2022, 6, 1)),
        ("P4", None),
    ]
    p7 = rows[1]
    assert p7["years_without"] == pytest.approx((date(2026, 3, 31) - date(2022, 6, 1)).days / 365.25)
    # A field filter narrows the catalog.
    unused = engine.procedures_without_dossiers(Filters(*g.MARCH, field="Đất đai"))
    assert [r["procedure_code"] for r in unused] == ["P4"]


def test_procedures_without_dossiers_29_february_falls_back_to_28(memory_con):
    fill(
        memory_con,
        agencies=[(g.XA, "Xã", None)],
        procedures=[("A", "Thủ tục A", "Hộ tịch", "Xã", "Không", date(2021, 2, 28), True),
                    ("B", "Thủ tục B", "Hộ tịch", "Xã", "Không", date(2021, 3, 1), True),
                    ("C", "Thủ tục C", "Hộ tịch", "Xã", "Không", date(2015, 1, 1), True)],
        dossiers=[("X1", "C", "Hộ tịch", g.XA, "direct", datetime(2021, 2, 28, 9), datetime(2021, 3, 1, 9),
                   datetime(2021, 3, 1, 8), 10)],
    )
    finish(memory_con)
    leap = Filters(date(2024, 2, 1), date(2024, 2, 29))
    # to - 3 years = 28/02/2021: A (published that day) is old enough, B is not;
    # C's last dossier on 28/02/2021 is not inside (28/02/2021, 29/02/2024].
    assert [r["procedure_code"] for r in Engine(memory_con).procedures_without_dossiers(leap)] == ["A", "C"]


def test_procedure_usage(engine):
    assert engine.procedure_usage(MARCH) == {"in_force": 8, "with_dossiers": 3, "without_dossiers": 5}


def test_trend_by_month_and_quarter(engine):
    march = engine.trend(MARCH)
    assert len(march) == 1
    keys = ("period_start", "received_new", "online", "resolved", "early", "on_time", "late")
    assert {k: march[0][k] for k in keys} == {
        "period_start": date(2026, 3, 1), "received_new": 7, "online": 3, "resolved": 6,
        "early": 2, "on_time": 2, "late": 2,
    }
    quarter = engine.trend(Filters(date(2026, 1, 1), date(2026, 3, 31)), grain="quarter")
    assert [(r["period_start"], r["received_new"], r["online"], r["resolved"], r["early"], r["on_time"], r["late"])
            for r in quarter] == [(date(2026, 1, 1), 12, 6, 8, 3, 2, 3)]
    months = engine.trend(Filters(date(2026, 1, 15), date(2026, 4, 10)))
    assert [r["period_start"] for r in months] == [date(2026, m, 1) for m in (1, 2, 3, 4)]
    # January counts only dossiers from the 15th: D12 (10/01) is outside.
    assert months[0]["received_new"] == 0 and months[0]["on_time_rate"] is None


def test_late_dossiers_with_the_stage_where_they_became_late(engine):
    rows = engine.late_dossiers(MARCH)
    # The first step that caused the lateness, how many did and the working
    # days the finished ones added (golden.py, above STEPS). D08's only step
    # stayed within its 20-day allowance: the receiving agency's lateness.
    assert [(r["code"], r["days_late"], r["late_stage"], r["late_handler"], r["caused_steps"],
             r["caused_days"], r["late_cause"]) for r in rows] == [
        ("D08", 19, None, None, 0, 0, "agency"),
        ("D05", 16, "Thẩm định", g.BINH, 1, 0, "step"),
        ("D17", 4, "Thẩm định", g.CUONG, 1, 2, "step"),
        ("D03", 2, "Thẩm định", g.BINH, 2, 2, "step"),
    ]
    # Bình only inherited D17's delay: it is not hers.
    assert [r["code"] for r in engine.late_dossiers(MARCH, handler=g.BINH)] == ["D05", "D03"]
    assert [r["code"] for r in engine.late_dossiers(MARCH, agency=g.TNMT)] == ["D05", "D17", "D03"]
    assert [r["code"] for r in engine.late_dossiers(MARCH, handler=g.CUONG)] == ["D17"]
    assert [r["code"] for r in engine.late_dossiers(MARCH, limit=2)] == ["D08", "D05"]


def test_late_steps_for_a_handler(engine):
    rows = engine.late_steps(MARCH, handler=g.BINH)
    # Caused first (D03's Thẩm định, 1 working day over its allowance), then
    # the inherited one, shown apart.
    assert [(r["code"], r["stage"], r["days_late"], r["caused_days"], r["caused_late"], r["inherited_late"])
            for r in rows] == [
        ("D03", "Thẩm định", 3, 1, True, False), ("D17", "Phê duyệt", 4, 0, False, True),
    ]


def test_stage_agency_matrix(engine):
    rows = engine.stage_agency(MARCH)
    cells = {(r["stage"], r["agency"]): (r["steps"], r["late"]) for r in rows}
    assert cells == {
        ("Thẩm định", g.TNMT): (1, 1), ("Thẩm định", g.XA): (1, 1),
        # D17's Phê duyệt only inherited its delay (golden.py): not late.
        ("Phê duyệt", g.TNMT): (1, 0), ("Trả kết quả", g.TNMT): (1, 1),
        ("Tiếp nhận", g.TNMT): (1, 0), ("Tiếp nhận", g.XA): (1, 0), ("Trả kết quả", g.XA): (1, 0),
    }


def test_fully_online_procedures_still_mostly_paper(engine):
    rows = engine.fully_online_paper_heavy(MARCH)
    assert [(r["procedure_code"], r["received_new"], r["online"]) for r in rows] == [("P1", 3, 1)]


def test_report06_rows(engine):
    rows = engine.report06(MARCH)
    cols = ("received_total", "online", "direct_postal", "carried_over", "resolved", "early",
            "on_time", "late", "pending", "pending_within", "pending_overdue")
    assert [(r["row_kind"], r["level"], r["field"], tuple(r[c] for c in cols)) for r in rows] == [
        ("level", "Huyện", None, (4, 1, 1, 2, 2, 0, 0, 2, 2, 1, 1)),
        ("field", "Huyện", "Đất đai", (4, 1, 1, 2, 2, 0, 0, 2, 2, 1, 1)),
        ("level", "Xã", None, (6, 2, 3, 1, 4, 2, 2, 0, 2, 1, 1)),
        ("field", "Xã", "Chứng thực", (3, 1, 2, 0, 3, 2, 1, 0, 0, 0, 0)),
        ("field", "Xã", "Hộ tịch", (3, 1, 1, 1, 1, 0, 1, 0, 2, 1, 1)),
        ("total", None, None, (10, 3, 4, 3, 6, 2, 2, 2, 4, 2, 2)),
    ]


def test_resolve_agency_ignores_case_and_diacritics(engine):
    assert engine.resolve_agency("ubnd xa hoa an") == g.XA
    assert engine.resolve_agency("PHÒNG TÀI NGUYÊN") == g.TNMT
    assert engine.resolve_agency("dong hoa") == g.PHUONG
    with pytest.raises(AgencyNotFound) as many:
        engine.resolve_agency("hòa")
    assert set(many.value.candidates) == {g.XA, g.PHUONG}
    with pytest.raises(AgencyNotFound) as none:
        engine.resolve_agency("Phòng Tư pháp")
    assert len(none.value.candidates) == 3


def test_options_within_scope(engine):
    opts = engine.options(scope=frozenset({g.XA}))
    assert [a["name"] for a in opts["agencies"]] == [g.XA]
    assert opts["fields"] == ["Chứng thực", "Hộ tịch", "Đất đai"]
    assert opts["min_date"] == date(2022, 6, 1)


def test_filters_reject_nonsense():
    with pytest.raises(FilterError):
        Filters(date(2026, 4, 1), date(2026, 3, 1))
    with pytest.raises(FilterError):
        Filters(date(2026, 3, 1), date(2026, 3, 31), channel="fax")


def test_indicators_json_shape(engine):
    result = engine.indicators(MARCH)
    assert list(result) == ["period", "totals", "by_agency", "by_field", "by_stage", "by_handler",
                            "procedures_without_dossiers", "index_766"]
    assert result["period"] == {"from": "2026-03-01", "to": "2026-03-31", "as_of": "2026-03-31"}
    assert set(result["by_agency"][0]) >= {"agency", "resolved", "late", "late_rate"}
    assert set(result["by_field"][0]) >= {"field", "resolved", "late", "late_rate"}
    assert set(result["by_stage"][0]) >= {"stage", "steps", "late", "late_rate"}
    assert set(result["by_handler"][0]) >= {"handler", "agency", "steps", "late", "late_dossiers"}
    assert result["procedures_without_dossiers"][1] == {
        "procedure_code": "P7", "procedure_name": "Đăng ký giám hộ", "field": "Hộ tịch",
        "last_received": "2022-06-01", "level": "Xã", "online_level": "Một phần",
        "published_on": "2018-01-01", "years_without": pytest.approx(1399 / 365.25),
    }


def test_overview_is_totals_by_agency_and_by_field_in_one_scan(engine):
    for f in (MARCH, Filters(*g.MARCH, channel="online"), Filters(date(2020, 1, 1), date(2020, 1, 31))):
        assert engine.overview(f) == (engine.totals(f), engine.by_agency(f), engine.by_field(f))


def test_late_list_groups_match_the_cards(engine):
    """late_group splits the list as the cards count: resolved late in March
    (D17, D03) and pending overdue at 31/03 (D05 open, D08 finished 02/04)."""
    rows = engine.late_dossiers(MARCH)
    groups = {r["code"]: r["late_group"] for r in rows}
    assert groups == {"D17": "resolved_late", "D03": "resolved_late",
                      "D05": "pending_overdue", "D08": "pending_overdue"}
    totals = engine.totals(MARCH)
    assert list(groups.values()).count("resolved_late") == totals["late"] == 2
    assert list(groups.values()).count("pending_overdue") == totals["pending_overdue"] == 2


def test_names_that_fold_alike_sort_the_same_whatever_order_the_sql_returned():
    # "Hòa" and "Hoa" fold to one key; DuckDB and Spark return tied rows in
    # different orders, and the lists must not follow them.
    rows = [
        {"handler": "Trương Thanh Hòa", "agency": "UBND xã A", "late": 2},
        {"handler": "Trương Thanh Hoa", "agency": "UBND xã A", "late": 2},
        {"handler": "Lê Văn Đức", "agency": "UBND xã A", "late": 5},
    ]
    first = _sort_late(rows, "handler", "agency")
    second = _sort_late(list(reversed(rows)), "handler", "agency")
    assert [r["handler"] for r in first] == [r["handler"] for r in second]
    assert [r["handler"] for r in first] == ["Lê Văn Đức", "Trương Thanh Hoa", "Trương Thanh Hòa"]

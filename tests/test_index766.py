"""Chỉ số 766 on the hand-counted office of tests/golden766.py (issue 15)."""

from __future__ import annotations

import duckdb
import pytest

from analytics.indicators import index766
from analytics.indicators.engine import Engine
from analytics.indicators.filters import Filters
from analytics.indicators.registry import CONVENTIONS
from analytics.ingest.columns import column
from analytics.locale.labels import t
from analytics.store.database import schema_sql
from tests import golden766 as g
from tests.conftest import finish

MARCH = Filters(*g.MARCH)


def _engine(with_766_sources: bool = True) -> Engine:
    con = duckdb.connect()
    con.execute(schema_sql())
    g.fill(con, with_766_sources)
    finish(con)
    return Engine(con)


@pytest.fixture(scope="module")
def engine() -> Engine:
    return _engine()


@pytest.fixture(scope="module")
def index(engine) -> dict:
    return engine.index_766(MARCH)


def _by_code(index: dict) -> dict[str, dict]:
    return {c["criterion"]: c for c in index766.flat_criteria(index)}


@pytest.mark.parametrize("code", sorted(g.EXPECTED))
def test_every_computed_sub_criterion_is_the_hand_count(index, code):
    row = _by_code(index["total"])[code]
    assert (row["numerator"], row["denominator"], row["points"]) == g.EXPECTED[code]
    assert row["status"] in (index766.STATUS_COMPUTED, index766.STATUS_PARTIAL)


def test_statuses_say_what_the_data_cannot_tell(index):
    rows = _by_code(index["total"])
    for code in ("1.1", "1.2", "1.3", "1.4", "3.1", "3.2", "5.1", "5.2", "5.3", "4.5a", "e_copy"):
        assert rows[code]["status"] == index766.STATUS_NATIONAL, code
        assert rows[code]["points"] is None
    # 5.4 lacks the PAKN term; 3.3 the sync multiplier: partial although every column is there.
    assert rows["5.4"]["status"] == rows["3.3"]["status"] == index766.STATUS_PARTIAL
    assert rows["2.1"]["status"] == rows["4.1"]["status"] == index766.STATUS_COMPUTED


def test_groups_and_total(index):
    total = index["total"]
    groups = {g_["group"]: g_["points"] for g_ in total["groups"]}
    assert groups == pytest.approx(g.EXPECTED_GROUPS)
    assert total["points"] == pytest.approx(g.EXPECTED_TOTAL)
    assert total["reachable"] == g.EXPECTED_REACHABLE
    assert total["maximum"] == 100 == sum(g_.maximum for g_ in index766.GROUPS)


def test_group_points_sum_to_the_total_for_every_unit(index):
    units = [index["total"], *index["by_agency"], *index["by_level"]]
    assert len(units) == 5
    for unit in units:
        assert sum(g_["points"] for g_ in unit["groups"]) == pytest.approx(unit["points"], abs=0.011)
        for group in unit["groups"]:
            scored = [c["points"] for c in group["criteria"] if c["points"] is not None]
            assert sum(scored) == pytest.approx(group["points"], abs=0.011)
            assert group["points"] <= group["reachable"] <= group["maximum"]


def test_by_agency_and_level(index):
    agencies = {a["agency"]: _by_code(a)["2.1"] for a in index["by_agency"]}
    for name, (num, den, pts) in g.EXPECTED_AGENCY_2_1.items():
        assert (agencies[name]["numerator"], agencies[name]["denominator"], agencies[name]["points"]) == (num, den, pts)
    assert [a["level"] for a in index["by_level"]] == ["Huyện", "Xã"]
    # Ranked by points lost, most first.
    lost = [a["lost"] for a in index["by_agency"]]
    assert lost == sorted(lost, reverse=True)


def test_the_two_conventions_differ_where_the_hand_count_says(engine):
    bieu06 = _by_code(engine.index_766(MARCH, counting="bieu06")["total"])["2.1"]
    assert (bieu06["numerator"], bieu06["denominator"], bieu06["points"]) == g.EXPECTED_BIEU06_2_1
    assert set(CONVENTIONS) == {"bieu06", "portal766"}
    # progress_766 of the totals stays Biểu 06's counting.
    assert engine.totals(MARCH)["progress_766"] == pytest.approx(6 / 8)


def test_report06_counts_by_either_convention(engine):
    form = engine.report06(MARCH)[-1]
    portal = engine.report06(MARCH, counting="portal766")[-1]
    # Form: resolved E01–E06; late E02, E04; E07 within (status 5).
    assert (form["resolved"], form["late"], form["pending_within"], form["pending_overdue"]) == (6, 2, 2, 0)
    # Portal: late E02 and E03 (two requests); E07's clock stopped after its due date: overdue.
    assert (portal["resolved"], portal["late"], portal["pending_within"], portal["pending_overdue"]) == (6, 2, 1, 1)
    assert portal["early"] + portal["on_time"] == 4


def test_payment_split_option(engine):
    rows = _by_code(engine.index_766(MARCH, payment_split=True)["total"])
    for code, expected in g.EXPECTED_SPLIT.items():
        assert (rows[code]["numerator"], rows[code]["denominator"], rows[code]["points"]) == expected
    assert rows["3.5"]["status"] == index766.STATUS_NATIONAL
    assert sum(c.maximum for c in index766.criteria(True) if c.group == "payment") == 10


def test_no_data_names_the_missing_column_never_zero():
    index = _engine(with_766_sources=False).index_766(MARCH)
    rows = _by_code(index["total"])
    expected = {
        "dvc": "Đủ điều kiện toàn trình", "3.6": "Có phí, lệ phí", "4.1": "Kết quả giấy",
        "4.2": "Số hóa", "4.3": "Tái sử dụng dữ liệu số hóa", "4.4": "Được lấy từ kho DMQG",
        "4.5b": "Tài khoản được xác thực với VNeID", "5.4": "Mức độ hài lòng",
    }
    for code, header in expected.items():
        assert rows[code]["status"] == index766.STATUS_NO_DATA, code
        assert header in rows[code]["missing_columns"], code
        assert rows[code]["points"] is None and rows[code]["numerator"] is None
    # Tiến độ needs no optional column. Without supplement data the portal's
    # clock is the dates: E03 on time, E04 late, and E07 (status 5, no request
    # date) is judged by its due date 17/03 against 31/03: overdue. 5/8.
    assert (rows["2.1"]["numerator"], rows["2.1"]["denominator"], rows["2.1"]["points"]) == (5, 8, 12.5)
    assert index["total"]["reachable"] == 20


def test_source_columns_are_the_importers_headers():
    tables = {"fully_online_eligible": "procedures", "online_level": "procedures", "fee_bearing": "procedures",
              "paper_result": "procedures"}
    for source, header in index766.SOURCE_COLUMNS.items():
        assert column(tables.get(source, "dossiers"), source).label == header, source


def test_points_rule():
    assert index766.points(8, 10, 4, 0.8) == 4
    assert index766.points(4, 10, 4, 0.8) == 2.0
    assert index766.points(1, 4, 20, None) == 5.0
    assert index766.points(0, 0, 20, None) is None


def test_simulation_gains_points_within_the_denominator(index):
    rows = _by_code(index["total"])
    # 2.1: three more on time of 8 -> 8/8 = 20 points: +7.5; never beyond the maximum.
    assert index766.simulate(rows["2.1"], 3) == 7.5
    assert index766.simulate(rows["2.1"], 50) == 7.5
    # 4.3: 3/7 -> 6/7 >= 80%: the maximum 2, +0.93.
    assert index766.simulate(rows["4.3"], 3) == pytest.approx(2 - 1.07, abs=0.011)
    assert index766.simulate(rows["1.1"], 3) == 0


def test_loss_lists_are_the_dossiers_behind_the_lost_points(engine):
    codes = {c: [r["code"] for r in engine.index_766_losses(MARCH, c)] for c in index766.LOSS_CRITERIA}
    assert codes["2.1"] == ["E03", "E02", "E07"]  # by received date, then code
    assert sorted(codes["dvc"]) == ["E02", "E04"]
    assert sorted(codes["3.6"]) == ["E02", "E05", "E07"]
    assert codes["4.1"] == ["E04"]
    assert sorted(codes["4.5b"]) == ["E02", "E04", "E05", "E07"]
    assert sorted(codes["5.4"]) == ["E02", "E03", "E07"]
    # Each list has exactly denominator - numerator rows.
    rows = _by_code(engine.index_766(MARCH)["total"])
    for code in ("2.1", "dvc", "3.6", "4.1", "4.2", "4.3", "4.4", "4.5b", "5.4", "3.3"):
        assert len(codes[code]) == rows[code]["denominator"] - rows[code]["numerator"], code


def test_trend_by_month(engine):
    trend = engine.index_766_trend(Filters(g.MARCH[0].replace(month=2), g.MARCH[1]))
    assert [t["month"].month for t in trend] == [2, 3]
    assert trend[1]["points"] == pytest.approx(g.EXPECTED_TOTAL)


def test_indicators_json_carries_index_766(engine):
    out = engine.indicators(MARCH)
    assert out["index_766"]["total"]["points"] == pytest.approx(g.EXPECTED_TOTAL)
    assert "progress_766" in out["totals"]


def test_every_group_sub_criterion_status_and_convention_has_a_label():
    for lang in ("vi", "en"):
        for c in {*index766.criteria(False), *index766.criteria(True)}:
            assert t(c.label_key, lang).strip()
            for note in (*c.notes, *([c.partial_note] if c.partial_note else [])):
                assert t(note, lang).strip()
        for group in index766.GROUPS:
            assert t(group.label_key, lang).strip()
        for status in index766.STATUSES:
            assert t(f"i766_status_{status}", lang).strip()
        for conv in CONVENTIONS.values():
            assert t(conv.label_key, lang).strip()

"""Fair rankings by rate (analytics/indicators/ranking.py), hand-counted."""

from __future__ import annotations

from analytics.indicators.ranking import MIN_VOLUME, rank_by_rate


def handler(name, steps, late):
    return {"handler": name, "agency": "Phòng Tư pháp", "steps": steps, "late": late,
            "late_rate": late / steps if steps else None}


def test_a_handler_with_very_few_steps_is_not_ranked_above_one_with_many():
    rows = [handler("An", 2, 1), handler("Bình", 300, 15), handler("Cường", 40, 1), handler("Dung", 0, 0)]
    ranked = rank_by_rate(rows, "late_rate", "steps", ("handler", "agency"))
    # Bình 5 % of 300, Cường 2.5 % of 40; An's 50 % of 2 steps is below 20
    # steps: unranked, after them; Dung has no rate.
    assert [(r["handler"], r["rank"], r["ranked"]) for r in ranked] == [
        ("Bình", 1, True), ("Cường", 2, True), ("An", None, False), ("Dung", None, False),
    ]
    assert rows[0].get("rank") is None  # the input rows are not changed


def test_lower_is_worse_ties_and_the_threshold():
    rows = [{"field": "Đất đai", "on_time_rate": 0.9, "resolved": MIN_VOLUME},
            {"field": "Chứng thực", "on_time_rate": 0.9, "resolved": 500},
            {"field": "Hộ tịch", "on_time_rate": 0.95, "resolved": MIN_VOLUME - 1}]
    ranked = rank_by_rate(rows, "on_time_rate", "resolved", ("field",), worse_high=False)
    # Equal rates: the larger volume first; exactly MIN_VOLUME is ranked.
    assert [(r["field"], r["rank"]) for r in ranked] == [("Chứng thực", 1), ("Đất đai", 2), ("Hộ tịch", None)]
    assert [r["field"] for r in rank_by_rate(rows, "on_time_rate", "resolved", ("field",),
                                             worse_high=False, min_volume=1)] == [
        "Chứng thực", "Đất đai", "Hộ tịch"]

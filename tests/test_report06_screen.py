"""Biểu 06 as the dashboard's table shows it (analytics/reports/report06.py),
without Streamlit: STT and labels per level and field in either language,
bold level and total rows, the totals row."""

from __future__ import annotations

from analytics.indicators.registry import BIEU06_COLUMNS
from analytics.reports.report06 import report06_table, report06_total


def test_report06_rows_for_the_screen():
    rows = [
        {"row_kind": "level", "level": "Xã", "field": None, **dict.fromkeys(BIEU06_COLUMNS, 3)},
        {"row_kind": "field", "level": "Xã", "field": "Hộ tịch", **dict.fromkeys(BIEU06_COLUMNS, 3)},
        {"row_kind": "total", "level": None, "field": None, **dict.fromkeys(BIEU06_COLUMNS, 3)},
    ]
    vi = report06_table(rows, "vi")
    assert [(r["stt"], r["label"], r["bold"]) for r in vi] == [
        ("I", "Cấp xã", True), ("1", "Hộ tịch", False), ("", "Tổng cộng", True)]
    en = report06_table(rows, "en")
    assert [r["label"] for r in en] == ["Commune level", "Hộ tịch", "Total"]
    assert report06_total(rows) == [rows[2]]

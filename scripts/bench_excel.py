"""Time the one Excel builder on a year's dossier list (~50k rows) and a summary table.

Run: .venv/bin/python scripts/bench_excel.py   (prints median seconds of 3 runs)
"""

from __future__ import annotations

import statistics
import sys
import time
from datetime import datetime
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from analytics.reports.excel import table_to_xlsx


def dossier_list(n: int) -> pd.DataFrame:
    return pd.DataFrame({
        "code": [f"000.00.12.H42-{i:07d}" for i in range(n)],
        "procedure_name": [f"Cấp bản sao trích lục hộ tịch {i % 300}" for i in range(n)],
        "field": ["Hộ tịch", "Chứng thực", "Đất đai", "Tư pháp"] * (n // 4),
        "agency": [f"UBND xã Ninh Hòa {i % 20}" for i in range(n)],
        "received_at": pd.date_range("2025-01-01 07:30", periods=n, freq="10min"),
        "due_at": pd.date_range("2025-01-10", periods=n, freq="10min").normalize(),
        "finished_at": [None if i % 10 == 0 else datetime(2025, 6, 1, 9, 0) for i in range(n)],
        "days_late": [i % 30 for i in range(n)],
        "late_rate": [(i % 100) / 100 for i in range(n)],
    })


def median_s(fn, repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    big = dossier_list(50_000)
    small = dossier_list(40)
    print(f"50,000-row dossier list: {median_s(lambda: table_to_xlsx(big, title='Danh sách hồ sơ')):.2f} s")
    print(f"40-row summary table:    {median_s(lambda: table_to_xlsx(small, title='Tổng hợp')) * 1000:.0f} ms")


if __name__ == "__main__":
    main()

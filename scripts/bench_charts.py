"""CPU time of building each dashboard chart (analytics/reports/charts.py), not a test.

Every builder runs on generated rows the size of a province section's pages
(25 agencies, 12 months, 9 stages, 30 handlers), both languages, plus the
print layout. With ``--against REV`` the charts module of that git revision
runs in the same process, alternating with the current one call by call (the
machine is shared: only ratios taken in one run are worth comparing), and
the figures' dictionaries are checked to be equal.

    .venv/bin/python scripts/bench_charts.py [--against 62529fd] [--repeat 30]

Times are CPU seconds of the process (``time.process_time``) per figure, the
median of ``--repeat`` rounds; ``to_dict`` is what ``ui.widgets.chart`` takes
of a built figure once.
"""

from __future__ import annotations

import argparse
import functools
import importlib.util
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from types import ModuleType
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from analytics.indicators import index766  # noqa: E402 - after the sys.path set-up above
from analytics.reports import charts  # noqa: E402 - after the sys.path set-up above

AGENCIES = [f"UBND xã Ninh {name}" for name in (
    "Đa", "Xuân", "Hòa", "Thọ", "Hưng", "Phước", "Vân", "Sim", "Thượng", "Tây", "Trung", "Thân", "Quang",
    "Bình", "Lộc", "An", "Giang", "Hà", "Phú", "Tân", "Thủy", "Ích", "Đông", "Thành")] + [
    "Văn phòng Đăng ký đất đai chi nhánh Ninh Hòa"]
STAGES = ["Tiếp nhận", "Thẩm định", "Phê duyệt", "Ký số", "Trả kết quả", "Chuyển xử lý", "Bổ sung hồ sơ",
          "Thu phí", "Lưu trữ"]
FIELDS = [f"Lĩnh vực {n}" for n in range(1, 16)]


def _agency_rows(names: list[str]) -> list[dict[str, Any]]:
    rows = []
    for i, name in enumerate(names):
        resolved, late, received, online = 40 + 37 * i, (i * 7) % 23, 60 + 41 * i, (13 * i) % 50 + 5
        rows.append({"agency": name, "field": name, "resolved": resolved, "late": late, "late_rate": late / resolved,
                     "on_time_rate": 1 - late / resolved, "received_new": received, "online": online,
                     "online_share": online / received, "steps": 3 * resolved, "procedure_count": i + 1})
    return rows


def inputs() -> list[tuple[str, Callable[[ModuleType, str], Any]]]:
    """(name, build(module, lang)) for every builder and the print layout."""
    by_agency = _agency_rows(AGENCIES)
    by_field = _agency_rows(FIELDS)
    trend = [{"period_start": date(2026, m + 1, 1), "received_new": 1000 + 17 * m,
              "online": 500 + 9 * m, "online_share": (500 + 9 * m) / (1000 + 17 * m), "resolved": 900 + m,
              "late": 10 + m, "on_time_rate": 1 - (10 + m) / (900 + m)} for m in range(12)]
    quarters = [{"period_start": date(2025 + q // 4, 3 * (q % 4) + 1, 1), "received_new": 2000 + q,
                 "online": 900 + 50 * q, "online_share": (900 + 50 * q) / (2000 + q)} for q in range(8)]
    stage_agency = [{"stage": s, "agency": a, "steps": 50 + 3 * i + j, "late": (i * j) % 7,
                     "late_rate": ((i * j) % 7) / (50 + 3 * i + j)}
                    for i, a in enumerate(AGENCIES[:15]) for j, s in enumerate(STAGES)]
    handlers = [{"handler": f"Cán bộ {i % 27}", "agency": AGENCIES[i % 5], "steps": 100 + i, "late": (i * 5) % 13,
                 "late_dossiers": (i * 3) % 9, "late_rate": ((i * 5) % 13) / (100 + i)} for i in range(30)]
    criteria = [{"criterion": c.code, "maximum": c.maximum, "points": None if i % 4 == 3 else c.maximum * 0.7}
                for i, c in enumerate(index766.criteria(True))]
    months = [{"month": date(2026, m, 1), "points": 60 + m, "reachable": 80.0} for m in range(1, 12)]
    by_stage = [{"stage": s, "late": 3 * i + 1, "steps": 100} for i, s in enumerate(STAGES)]
    return [
        ("kpi_trend", lambda m, lg: m.kpi_trend(trend, lg)),
        ("ranked_bars", lambda m, lg: m.ranked_bars(by_agency, "on_time_rate", "agency", average=0.9, lang=lg)),
        ("ranked_bars volume", lambda m, lg: m.ranked_bars(by_agency, "late_rate", "agency", average=0.05,
                                                           lang=lg, top=15, volume_key="resolved")),
        ("ranked_bars count", lambda m, lg: m.ranked_bars(by_stage, "late", "stage", lang=lg, title="Giai đoạn")),
        ("late_heatmap", lambda m, lg: m.late_heatmap(stage_agency, lg)),
        ("late_heatmap phone", lambda m, lg: m.late_heatmap(stage_agency, lg, phone=True)),
        ("handler_bars", lambda m, lg: m.handler_bars(handlers, lg)),
        ("online_share_bars", lambda m, lg: m.online_share_bars(by_field, "field", lg, top=15)),
        ("online_trend", lambda m, lg: m.online_trend(quarters, lg)),
        ("stacked_resolution", lambda m, lg: m.stacked_resolution({"early": 800, "on_time": 90, "late": 10}, lg)),
        ("index766_bars", lambda m, lg: m.index766_bars(criteria, lg)),
        ("index766_trend", lambda m, lg: m.index766_trend(months, lg)),
        ("empty_figure", lambda m, lg: m.empty_figure(lg)),
        ("apply_print_layout", lambda m, lg: m.apply_print_layout(m.kpi_trend(trend, lg))),
    ]


def load_revision(rev: str) -> ModuleType:
    """analytics/reports/charts.py as it was at ``rev``, imported under another name."""
    source = subprocess.run(["git", "-C", str(ROOT), "show", f"{rev}:analytics/reports/charts.py"],
                            check=True, capture_output=True, text=True).stdout
    folder = tempfile.mkdtemp(prefix="charts-")
    path = os.path.join(folder, "charts_at_revision.py")
    Path(path).write_text(source, encoding="utf-8")
    spec = importlib.util.spec_from_file_location("charts_at_revision", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def cpu(call: Callable[[], Any], repeat: int) -> float:
    start = time.process_time()
    for _ in range(repeat):
        call()
    return (time.process_time() - start) / repeat


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--against", help="git revision of charts.py to compare with")
    parser.add_argument("--repeat", type=int, default=30, help="rounds per figure (median taken)")
    parser.add_argument("--inner", type=int, default=3, help="calls per round")
    args = parser.parse_args()
    modules: dict[str, ModuleType] = {"now": charts}
    if args.against:
        modules = {args.against: load_revision(args.against), "now": charts}
    print(f"load average {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f}; CPU ms per figure "
          f"(median of {args.repeat} rounds of {args.inner}), vi and en")
    header = "".join(f"{name:>12}" for name in modules) + "".join(
        f"{'to_dict ' + name:>17}" for name in modules)
    print(f"{'builder':<22}{header}" + (f"{'ratio':>8}" if len(modules) == 2 else ""))
    totals = dict.fromkeys(modules, 0.0)
    for name, build in inputs():
        times: dict[str, list[float]] = {m: [] for m in modules}
        dict_times: dict[str, list[float]] = {m: [] for m in modules}
        for lang in ("vi", "en"):
            if len(modules) == 2:
                old, new = (build(m, lang).to_dict() for m in modules.values())
                if old != new:
                    print(f"  {name} ({lang}): the figure differs from {args.against}'s")
            for _ in range(args.repeat):
                for label, module in modules.items():  # alternating: both see the same load
                    times[label].append(cpu(functools.partial(build, module, lang), args.inner))
                    fig = build(module, lang)
                    dict_times[label].append(cpu(fig.to_dict, args.inner))
        medians = {m: statistics.median(v) for m, v in times.items()}
        for m, v in medians.items():
            totals[m] += v
        row = "".join(f"{1000 * v:12.2f}" for v in medians.values()) + "".join(
            f"{1000 * statistics.median(v):17.2f}" for v in dict_times.values())
        if len(modules) == 2:
            first, second = medians.values()
            row += f"{first / second:8.1f}x"
        print(f"{name:<22}{row}")
    row = "".join(f"{1000 * v:12.2f}" for v in totals.values())
    if len(modules) == 2:
        first, second = totals.values()
        row += " " * 17 * len(modules) + f"{first / second:8.1f}x"
    print(f"{'all (sum)':<22}{row}")


if __name__ == "__main__":
    main()

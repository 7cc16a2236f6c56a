"""Page redraw times of the dashboard on the demo database (not a test).

For every page, an AppTest session opens the page, then changes the shared
filters one at a time (period presets, agency, field, channel) and times the
script run after each change: the server-side redraw a user waits for after a
filter change (engine calls for the new filters, tables, charts). Each filter
state is then rerun unchanged (the cached case). Engine call times for the
same filters are measured directly, as the floor.

    MOTCUA_DB=data/demo.duckdb .venv/bin/python scripts/bench_pages.py [--markdown] [--browser] [--profile FILE]

Each run is also timed in CPU seconds of the whole process (the script's
thread, DuckDB's threads, Streamlit's marshalling): the server work a page
costs, which is what limits how many people one process serves. The median
of those over every page and filter change is printed as "CPU per page run".
``--profile FILE`` writes a cProfile of the script runs after a filter change
(Streamlit's script thread) and prints the top costs.

``--browser`` also times the whole round trip in headless Chromium: pick
another period in the sidebar and wait until the page has redrawn (script run,
websocket, drawing of tables and charts).
"""

from __future__ import annotations

import argparse
import cProfile
import os
import platform
import pstats
import statistics
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("MOTCUA_AUTH", "off")  # the demo needs no sign-in

from streamlit.runtime.pages_manager import PagesManager  # noqa: E402 - after the environment set-up above
from streamlit.runtime.scriptrunner import script_runner  # noqa: E402 - after the environment set-up above
from streamlit.runtime.scriptrunner.script_cache import ScriptCache  # noqa: E402 - after the environment set-up above
from streamlit.testing.v1 import AppTest, app_test, local_script_runner  # noqa: E402 - after the environment set-up above

from analytics.indicators import periods  # noqa: E402 - after the sys.path set-up above
from analytics.indicators.engine import Engine  # noqa: E402 - after the sys.path set-up above
from analytics.indicators.filters import Filters  # noqa: E402 - after the sys.path set-up above
from analytics.locale import clock  # noqa: E402 - after the sys.path set-up above
from analytics.store.database import AnalyticsStore  # noqa: E402 - after the sys.path set-up above

PAGES = (
    ("Tổng quan", "pages/tong_quan.py"),
    ("Đúng hạn / trễ hạn", "pages/dung_han.py"),
    ("Trễ hạn theo giai đoạn", "pages/giai_doan.py"),
    ("Người thụ lý", "pages/nguoi_thu_ly.py"),
    ("Trực tuyến", "pages/truc_tuyen.py"),
    ("TTHC không phát sinh hồ sơ", "pages/tthc_khong_phat_sinh.py"),
    ("Báo cáo Biểu 06", "pages/bieu_06.py"),
    ("Nhắc việc", "pages/nhac_viec.py"),
    ("Nhập dữ liệu", "pages/nhap_du_lieu.py"),
)
# Engine calls the pages make for one filter state, as (method, kwargs).
ENGINE_CALLS = (
    ("totals", {}), ("by_agency", {}), ("by_field", {}), ("by_stage", {}), ("by_handler", {}),
    ("stage_agency", {}), ("trend", {"grain": "month"}), ("trend", {"grain": "quarter"}),
    ("procedure_usage", {}), ("procedures_without_dossiers", {}), ("fully_online_paper_heavy", {}),
    ("report06", {}), ("late_dossiers", {}),
)


def filter_changes(eng: Engine, ref: date) -> list[tuple[str, str, object]]:
    """(description, widget key, value) applied one after another."""
    year = periods.preset_by_key("this_year", ref)
    rows = eng.by_agency(Filters(year.date_from, year.date_to))
    agency = max(rows, key=lambda r: r["received_total"])["agency"]
    fields = eng.by_field(Filters(year.date_from, year.date_to))
    field = max(fields, key=lambda r: r["received_total"])["field"]
    return [
        ("kỳ: quý trước", "f_preset", "last_quarter"),
        ("kỳ: kỳ báo cáo tháng trước", "f_preset", "report_last_month"),
        ("kỳ: năm trước", "f_preset", "last_year"),
        (f"cơ quan: {agency}", "f_agency", agency),
        ("kênh: trực tuyến", "f_channel", "online"),
        (f"lĩnh vực: {field}", "f_field", field),
        ("bỏ lọc cơ quan", "f_agency", ""),
        ("kỳ: năm nay", "f_preset", "this_year"),
    ]


class ScriptProfile:
    """cProfile of Streamlit's script thread, switched on for chosen runs.

    AppTest runs the page in its own thread; a profiler enabled in this
    thread would not see it, so the runner's script method enables it there.
    """

    def __init__(self) -> None:
        self.profile = cProfile.Profile()
        self.on = False
        runner = script_runner.ScriptRunner
        original = runner._run_script
        state = self

        def run_script(self: Any, rerun_data: Any) -> None:
            if not state.on:
                return original(self, rerun_data)
            state.profile.enable()
            try:
                return original(self, rerun_data)
            finally:
                state.profile.disable()

        runner._run_script = run_script  # type: ignore[method-assign]


def run_as_a_server() -> None:
    """Make every AppTest run start from the state a server's runs start from.

    AppTest prepares each run afresh: a new script cache (so the entry
    script and the page are compiled again on every run) and Streamlit's
    process-wide "is there a pages/ folder without st.navigation" flag reset
    (so the run starts the old multipage way: twelve ``st.Page`` objects of
    ``pages/`` made, the page run first and ``ui.frame`` re-entering
    ``dashboard.py`` through ``runpy``, which compiles it once more). A
    server compiles each script once and, after its first session has
    called ``st.navigation``, runs every page inside ``dashboard.py``
    directly. Here one script cache is shared by every run and the flag is
    set as ``st.navigation`` leaves it, so what is timed is the script run a
    server does. ``--app-test-runs`` keeps AppTest's own preparation (the
    measurements recorded before 07/12/2026 evening were made that way).
    """
    shared = ScriptCache()
    app_test.ScriptCache = lambda: shared  # type: ignore[assignment,misc]
    local_script_runner.ScriptCache = lambda: shared  # type: ignore[assignment,misc]
    make_runner = app_test.LocalScriptRunner

    def runner(*args: Any, **kwargs: Any) -> Any:
        PagesManager.uses_pages_directory = False  # as st.navigation leaves it
        return make_runner(*args, **kwargs)

    app_test.LocalScriptRunner = runner  # type: ignore[assignment,misc]


def time_run(at: AppTest, profile: ScriptProfile | None = None) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the process) of one script run."""
    if profile is not None:
        profile.on = True
    c0, t0 = time.process_time(), time.perf_counter()
    try:
        at.run()
    finally:
        if profile is not None:
            profile.on = False
    elapsed, cpu = time.perf_counter() - t0, time.process_time() - c0
    if at.exception:
        raise RuntimeError(at.exception[0].value)
    return elapsed, cpu


def bench_page(title: str, path: str, changes, profile: ScriptProfile | None = None) -> dict[str, Any]:
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=300)
    first = time_run(at)[0]
    at.switch_page(path)
    first += time_run(at)[0]
    changed, cpu, cached = [], [], []
    for _, key, value in changes:
        at.selectbox(key=key).set_value(value)
        wall, seconds = time_run(at, profile)
        drawn = [t.value for t in at.title]
        if drawn != [title]:  # what was timed must be the page named
            raise RuntimeError(f"{path} drew {drawn} instead of {title!r}")
        changed.append(wall)
        cpu.append(seconds)
        cached.append(time_run(at)[0])
    return {"first": first, "median": statistics.median(changed), "max": max(changed),
            "cached": statistics.median(cached), "cpu": statistics.median(cpu), "cpu_runs": cpu}


def bench_engine(eng: Engine, ref: date, repeat: int = 5) -> list[tuple[str, float]]:
    year = periods.preset_by_key("this_year", ref)
    f = Filters(year.date_from, year.date_to)
    out = []
    for name, kwargs in ENGINE_CALLS:
        times = []
        for _ in range(repeat):
            t0 = time.perf_counter()
            getattr(eng, name)(f, **kwargs)
            times.append(time.perf_counter() - t0)
        label = name + (f"({', '.join(f'{k}={v}' for k, v in kwargs.items())})" if kwargs else "")
        out.append((label, statistics.median(times)))
    return out


BROWSER_PERIODS = ("Quý trước", "Năm trước", "Kỳ báo cáo tháng trước", "Năm nay")


def bench_browser(db: Path) -> list[tuple[str, float, float]]:
    """(page, median, max) seconds from picking a period to the redrawn page."""
    from playwright.sync_api import sync_playwright

    from tests.e2e.browser import DESKTOP, launch, open_page, streamlit_server
    from tests.e2e.browser import PAGES as URLS

    out = []
    with streamlit_server(db) as url, sync_playwright() as pw:
        browser = launch(pw)
        page = browser.new_page(viewport=DESKTOP)
        page.set_default_timeout(120_000)
        for (path, title) in URLS:
            open_page(page, url, path)
            times = []
            for label in BROWSER_PERIODS:
                page.get_by_test_id("stSelectbox").filter(has_text="Kỳ số liệu").click()
                t0 = time.perf_counter()
                page.get_by_role("option", name=label, exact=False).first.click()
                page.wait_for_function(
                    """() => document.querySelector('[data-testid="stApp"]')
                           .getAttribute('data-test-script-state') === 'notRunning'""",
                    polling=50)
                # Charts finish drawing after the run; wait for the next frames.
                page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
                times.append(time.perf_counter() - t0)
            out.append((title, statistics.median(times), max(times)))
        browser.close()
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default=os.environ.get("MOTCUA_DB", str(ROOT / "data" / "demo.duckdb")))
    parser.add_argument("--markdown", action="store_true", help="print Markdown tables for docs/PERFORMANCE.md")
    parser.add_argument("--browser", action="store_true", help="also time period changes in headless Chromium")
    parser.add_argument("--profile", metavar="FILE",
                        help="write a cProfile of the script runs after a filter change and print the top costs")
    parser.add_argument("--skip-engine", action="store_true", help="do not time the engine calls")
    parser.add_argument("--app-test-runs", action="store_true",
                        help="keep AppTest's per-run preparation (scripts compiled again, the old multipage "
                             "start) instead of starting each run as a server does")
    parser.add_argument("--only", nargs="*", default=(), metavar="PAGE",
                        help="only the pages whose file name contains one of these (e.g. dung_han)")
    args = parser.parse_args()
    db = Path(args.db).resolve()
    if not db.exists():
        print(f"Không tìm thấy cơ sở dữ liệu {db} (chạy: python -m analytics demo --db {db})", file=sys.stderr)
        return 2
    os.environ["MOTCUA_DB"] = str(db)
    eng = Engine(AnalyticsStore(db).reader())
    ref = eng.data_date() or clock.office_today()
    dossiers = eng.con.execute("select count(*) from dossiers").fetchone()[0]
    changes = filter_changes(eng, ref)

    if not args.app_test_runs:
        run_as_a_server()
    profile = ScriptProfile() if args.profile else None
    rows = []
    for title, path in PAGES:
        if args.only and not any(part in path for part in args.only):
            continue
        rows.append((title, bench_page(title, path, changes, profile)))
    engine_rows = [] if args.skip_engine else bench_engine(eng, ref)

    cpu = platform.processor() or platform.machine()
    print(f"Database: {db.name}, {dossiers:,} dossiers, data date {ref:%d/%m/%Y}; "
          f"{os.cpu_count()} CPUs ({cpu}), Python {platform.python_version()}")
    print(f"Filter changes per page: {len(changes)} ({'; '.join(c[0] for c in changes)})")
    print(f"Load average at the end: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    print("Script runs: " + ("AppTest's own (each run compiles its scripts and starts the old multipage way)"
                             if args.app_test_runs else "as a server runs them (compiled once, inside st.navigation)"))
    head = ("Page", "first open (s)", "after a filter change: median (s)", "max (s)", "same filters again (s)",
            "CPU after a filter change: median (s)")
    if args.markdown:
        print("\n| " + " | ".join(head) + " |\n|" + "---|" * len(head))
    else:
        print(f"\n{head[0]:<28}{head[1]:>16}{'change median':>16}{'change max':>12}{'cached':>10}{'CPU':>8}")
    for title, r in rows:
        if args.markdown:
            print(f"| {title} | {r['first']:.2f} | {r['median']:.2f} | {r['max']:.2f} | {r['cached']:.2f} "
                  f"| {r['cpu']:.3f} |")
        else:
            print(f"{title:<28}{r['first']:>16.2f}{r['median']:>16.2f}{r['max']:>12.2f}{r['cached']:>10.2f}"
                  f"{r['cpu']:>8.3f}")
    every_run = [c for _, r in rows for c in r["cpu_runs"]]
    print(f"\nCPU per page run after a filter change, median of {len(every_run)} runs: "
          f"{statistics.median(every_run):.3f} s")
    if profile is not None:
        profile.profile.dump_stats(args.profile)
        print(f"\nProfile of those runs ({args.profile}), top costs by cumulative time:")
        pstats.Stats(args.profile).sort_stats("cumulative").print_stats(40)
    if args.markdown:
        print("\n| Engine call (this year) | median (ms) |\n|---|---|")
    else:
        print(f"\n{'Engine call (this year)':<40}{'median (ms)':>12}")
    for label, seconds in engine_rows:
        print(f"| {label} | {seconds * 1000:.1f} |" if args.markdown else f"{label:<40}{seconds * 1000:>12.1f}")
    if args.browser:
        browser_rows = bench_browser(db)
        if args.markdown:
            print("\n| Page, in Chromium: pick a period → redrawn | median (s) | max (s) |\n|---|---|---|")
        else:
            print(f"\n{'In Chromium: pick a period -> redrawn':<40}{'median':>10}{'max':>10}")
        for title, median, worst in browser_rows:
            print(f"| {title} | {median:.2f} | {worst:.2f} |" if args.markdown
                  else f"{title:<40}{median:>10.2f}{worst:>10.2f}")
    slow = [title for title, r in rows if r["max"] >= 1.0]
    print("\n" + ("Script run after a filter change: under 1 s on every page." if not slow
                  else "Script run over 1 s after a filter change: " + ", ".join(slow)))
    return 0


if __name__ == "__main__":
    sys.exit(main())

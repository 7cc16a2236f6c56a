"""Load test of the running dashboard (not a CI test): N people browsing at once.

    .venv/bin/python scripts/load_test.py --start --db data/demo.duckdb            # starts its own server
    .venv/bin/python scripts/load_test.py --url http://127.0.0.1:8501 --server-pid 1234

Each of ``--sessions`` simultaneous browser sessions (headless Debian
Chromium through Playwright, one context each: separate cookies, separate
Streamlit sessions) does ``--iterations`` rounds: it opens a random page by
its URL with random filters (period preset, channel, agency, field: a new
Streamlit session, "load"), then every other page through the navigation
menu ("switch"), and records how long each page took until Streamlit
finished its run and drew it. The server's resident memory (RSS of the
Streamlit process) is sampled every second.

Bounded on purpose: loopback addresses only, at most 50 sessions and 100
iterations, and a time cap (``--time-cap``, default 10 minutes) after which
sessions stop at their next page. Prints the median and 95th percentile page
time, errors, and memory at the start, the peak and the end; ``--json``
writes the raw numbers.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
LOOPBACK = {"127.0.0.1", "localhost", "::1"}
MAX_SESSIONS, MAX_ITERATIONS, MAX_TIME_CAP = 50, 100, 3600
# Pages everyone may open: url path -> (navigation section, page title), as
# dashboard.py registers them (Vietnamese labels).
NAV = {
    "": ("Phân tích", "Tổng quan"),
    "dung_han": ("Phân tích", "Đúng hạn / trễ hạn"),
    "giai_doan": ("Phân tích", "Trễ hạn theo giai đoạn"),
    "nguoi_thu_ly": ("Phân tích", "Người thụ lý"),
    "truc_tuyen": ("Phân tích", "Trực tuyến"),
    "tthc_khong_phat_sinh": ("Phân tích", "TTHC không phát sinh hồ sơ"),
    "bieu_06": ("Báo cáo", "Báo cáo Biểu 06"),
    "nhac_viec": ("Báo cáo", "Nhắc việc"),
}
PAGES = tuple(NAV)
PRESETS = ("this_month", "last_month", "this_quarter", "last_quarter", "first_half", "nine_months",
           "this_year", "last_year", "report_last_quarter", "report_year")
CHANNELS = (None, None, "online", "direct", "postal")
READY_JS = """() => {
    const app = document.querySelector('[data-testid="stApp"]');
    if (!app) return false;
    if (app.getAttribute('data-test-script-state') === 'running') return false;
    if (document.querySelector('[data-testid="stSkeleton"]')) return false;
    const text = document.body.innerText;
    return text.includes('Số liệu đến ngày') || text.includes('Data as of');
}"""
# After a click in the navigation: the new page's title is drawn and the run is over.
SWITCHED_JS = """(title) => {
    const app = document.querySelector('[data-testid="stApp"]');
    if (!app || app.getAttribute('data-test-script-state') === 'running') return false;
    if (document.querySelector('[data-testid="stSkeleton"]')) return false;
    const h = document.querySelector('[data-testid="stMain"] h1');
    return !!h && h.innerText.trim().startsWith(title);
}"""
ERROR_MARKERS = ("Traceback", "Đã có lỗi khi hiển thị trang này", "Page not found")


@dataclass
class Result:
    times: list[float] = field(default_factory=list)
    per_page: dict[str, list[float]] = field(default_factory=dict)
    by_kind: dict[str, list[float]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    rss: list[tuple[float, int]] = field(default_factory=list)
    pages_opened: int = 0


def check_loopback(url: str) -> None:
    host = urllib.parse.urlparse(url).hostname or ""
    if host not in LOOPBACK:
        sys.exit(f"Chỉ chạy trên máy này (127.0.0.1), không chạy với {host!r}")


def rss_bytes(pid: int) -> int | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    except OSError:
        return None
    return None


def sample_memory(pid: int, result: Result, stop: threading.Event, start: float) -> None:
    while not stop.is_set():
        value = rss_bytes(pid)
        if value is not None:
            result.rss.append((time.monotonic() - start, value))
        stop.wait(1.0)


def filter_options(db: str | None) -> tuple[list[str], list[str]]:
    """Agencies and fields to pick random filters from (none without a database)."""
    if not db:
        return [], []
    sys.path.insert(0, str(ROOT))
    from analytics.engine import Engine
    from analytics.store import AnalyticsStore

    opts = Engine(AnalyticsStore(db).reader()).options()
    return [a["name"] for a in opts["agencies"]], list(opts["fields"])


def random_query(rng: random.Random, agencies: list[str], fields: list[str]) -> str:
    params = {"ky": rng.choice(PRESETS)}
    channel = rng.choice(CHANNELS)
    if channel:
        params["kenh"] = channel
    if agencies and rng.random() < 0.3:
        params["donvi"] = rng.choice(agencies)
    if fields and rng.random() < 0.3:
        params["linhvuc"] = rng.choice(fields)
    return urllib.parse.urlencode(params)


async def one_session(browser, n: int, args, result: Result, deadline: float,
                      agencies: list[str], fields: list[str]) -> None:
    """One person: per round, open a random page by its URL with random
    filters (a new Streamlit session: "load"), then every other page through
    the navigation menu, as people do ("switch")."""
    rng = random.Random(args.seed * 1000 + n)
    context = await browser.new_context(viewport={"width": 1366, "height": 768}, locale="vi-VN")
    page = await context.new_page()
    timeout = args.page_timeout * 1000
    try:
        for _ in range(args.iterations):
            order = list(PAGES)
            rng.shuffle(order)
            for i, path in enumerate(order):
                if time.monotonic() > deadline:
                    return
                kind = "load" if i == 0 else "switch"
                start = time.monotonic()
                try:
                    if kind == "load":
                        url = f"{args.url}/{path}?{random_query(rng, agencies, fields)}"
                        await page.goto(url, wait_until="domcontentloaded", timeout=timeout)
                        if args.username and "Đăng nhập" in await page.inner_text("body"):
                            await sign_in(page, args)
                        await page.wait_for_function(READY_JS, timeout=timeout, polling=100)
                    else:
                        section, title = NAV[path]
                        await page.locator('[data-testid="stTopNavSection"]', has_text=section).click(
                            timeout=timeout)
                        await page.locator('[data-testid="stTopNavDropdownLink"]', has_text=title).first.click(
                            timeout=timeout)
                        await page.wait_for_function(SWITCHED_JS, arg=title, timeout=timeout, polling=100)
                    elapsed = time.monotonic() - start
                    text = await page.inner_text("body")
                    bad = [m for m in ERROR_MARKERS if m in text]
                    if bad or await page.locator('[data-testid="stException"]').count():
                        result.errors.append(f"{path or '/'}: {bad or 'stException'}")
                    result.times.append(elapsed)
                    result.by_kind.setdefault(kind, []).append(elapsed)
                    result.per_page.setdefault(path or "tong_quan", []).append(elapsed)
                except Exception as exc:  # noqa: BLE001 - counted and reported, the soak goes on
                    result.errors.append(f"{kind} {path or '/'}: {type(exc).__name__}: "
                                         f"{str(exc).splitlines()[0][:120]}")
                    if kind == "switch":
                        break  # the session is in an unknown state: next round starts with a load
                result.pages_opened += 1
    finally:
        await context.close()


async def sign_in(page, args) -> None:
    await page.get_by_label("Tên đăng nhập").fill(args.username)
    await page.get_by_label("Mật khẩu").fill(args.password)
    await page.get_by_role("button", name="Đăng nhập").click()


async def run(args, result: Result, agencies: list[str], fields: list[str]) -> None:
    from playwright.async_api import async_playwright

    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            # One untimed visit first: a server that has just started builds its
            # caches and registers its pages; the soak measures a running one.
            warm = await browser.new_page()
            await warm.goto(f"{args.url}/", wait_until="domcontentloaded", timeout=args.page_timeout * 1000)
            await warm.wait_for_function(READY_JS, timeout=args.page_timeout * 1000, polling=100)
            await warm.close()
            deadline = time.monotonic() + args.time_cap
            await asyncio.gather(*(one_session(browser, n, args, result, deadline, agencies, fields)
                                   for n in range(args.sessions)))
        finally:
            await browser.close()


def free_port() -> int:
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(db: str, port: int) -> subprocess.Popen:
    env = {**os.environ, "MOTCUA_DB": str(Path(db).absolute()), "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "dashboard.py", "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true",
         "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(300):
        if proc.poll() is not None:
            sys.exit(f"streamlit exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                if r.status == 200 and proc.poll() is None:
                    return proc
        except OSError:
            time.sleep(0.3)
    proc.terminate()
    sys.exit("streamlit did not start")


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def summary(result: Result, args, wall: float) -> dict:
    mib = [v / 2**20 for _, v in result.rss]
    quarter = max(1, len(mib) // 4)
    return {
        "sessions": args.sessions, "iterations": args.iterations, "pages_opened": result.pages_opened,
        "pages_measured": len(result.times), "errors": len(result.errors), "wall_s": round(wall, 1),
        "median_s": round(statistics.median(result.times), 3) if result.times else None,
        "p95_s": round(percentile(result.times, 0.95), 3) if result.times else None,
        "max_s": round(max(result.times), 3) if result.times else None,
        "by_kind": {k: {"n": len(v), "median_s": round(statistics.median(v), 3),
                        "p95_s": round(percentile(v, 0.95), 3)} for k, v in sorted(result.by_kind.items())},
        "per_page_median_s": {k: round(statistics.median(v), 3) for k, v in sorted(result.per_page.items())},
        "rss_mib": {
            "start": round(mib[0], 1) if mib else None,
            "peak": round(max(mib), 1) if mib else None,
            "end": round(mib[-1], 1) if mib else None,
            "first_quarter_mean": round(statistics.mean(mib[:quarter]), 1) if mib else None,
            "last_quarter_mean": round(statistics.mean(mib[-quarter:]), 1) if mib else None,
        },
        "first_errors": result.errors[:10],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default=None, help="a running app (loopback only)")
    parser.add_argument("--server-pid", type=int, default=None, help="its process id, to sample memory")
    parser.add_argument("--start", action="store_true", help="start `streamlit run dashboard.py` here")
    parser.add_argument("--db", default=None, help="the database (for --start and for random filters)")
    parser.add_argument("--port", type=int, default=None, help="for --start (default: a free port)")
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--iterations", type=int, default=3, help="rounds over every page per session")
    parser.add_argument("--time-cap", type=float, default=600, help="seconds; sessions stop after it")
    parser.add_argument("--page-timeout", type=float, default=120, help="seconds for one page")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--username", default=None, help="sign in as this user when asked")
    parser.add_argument("--password-stdin", action="store_true", help="the password on stdin")
    parser.add_argument("--json", dest="json_out", default=None, help="write the summary here")
    args = parser.parse_args(argv)
    if not 1 <= args.sessions <= MAX_SESSIONS or not 1 <= args.iterations <= MAX_ITERATIONS:
        parser.error(f"--sessions 1..{MAX_SESSIONS}, --iterations 1..{MAX_ITERATIONS}")
    if not 0 < args.time_cap <= MAX_TIME_CAP:
        parser.error(f"--time-cap 1..{MAX_TIME_CAP} s")
    args.password = sys.stdin.readline().rstrip("\n") if args.password_stdin else None
    if args.username and not args.password:
        parser.error("--username needs --password-stdin")

    server = None
    if args.start:
        if not args.db:
            parser.error("--start needs --db")
        args.port = args.port or free_port()
        server = start_server(args.db, args.port)
        args.url, args.server_pid = f"http://127.0.0.1:{args.port}", server.pid
    if not args.url:
        parser.error("give --url (and --server-pid) or --start --db")
    args.url = args.url.rstrip("/")
    check_loopback(args.url)
    agencies, fields = filter_options(args.db)

    result = Result()
    stop = threading.Event()
    start = time.monotonic()
    sampler = None
    if args.server_pid:
        sampler = threading.Thread(target=sample_memory, args=(args.server_pid, result, stop, start), daemon=True)
        sampler.start()
    try:
        asyncio.run(run(args, result, agencies, fields))
    finally:
        stop.set()
        if sampler:
            sampler.join(timeout=5)
        if server is not None:
            server.terminate()
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.kill()
    report = summary(result, args, time.monotonic() - start)
    print(json.dumps(report, ensure_ascii=False, indent=2))
    if args.json_out:
        Path(args.json_out).write_text(json.dumps({**report, "times": result.times, "rss": result.rss},
                                                  ensure_ascii=False), encoding="utf-8")
    return 1 if result.errors else 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Load test of the running dashboard (not a CI test): N people browsing at once.

    .venv/bin/python scripts/load_test.py --start --db /tmp/load/demo.duckdb --import-every 60
    .venv/bin/python scripts/load_test.py --url http://127.0.0.1:8501 --server-pid 1234 --db data/demo.duckdb

Each of ``--sessions`` simultaneous sessions does ``--iterations`` rounds: it
opens a random page with random filters (period preset, channel, agency,
field) as a new Streamlit session ("load"), then every other page of the
navigation ("switch"), and records how long each page took until Streamlit
finished its run.

``--browsers`` of the sessions (default 2) are headless Debian Chromium
through Playwright: they click the navigation menu and wait until the page
is drawn, as a person does. The others speak Streamlit's own WebSocket
protocol (the BackMsg/ForwardMsg protobufs the browser sends and receives):
the server does exactly the same work for them (script run, engine queries,
figures, tables, serialisation), but the load generator does not need twenty
browser renderers on the cores the app is being measured on. Both kinds
count an error for an exception element, an error box, a "page not found",
a script that did not finish, or a page that timed out.

``--import-every S`` runs ``python -m analytics import`` on a generated
export (``--import-rows`` new dossiers dated after the database's data date)
every S seconds while the sessions browse, and reports each import's time
and exit code, and when the sessions first showed the new data date.

The server's resident memory (RSS of the Streamlit process) is sampled every
second. Bounded on purpose: loopback addresses only, at most 50 sessions and
100 iterations, and a time cap (``--time-cap``, default 10 minutes) after
which sessions stop at their next page. Prints the median and 95th
percentile page time, errors and memory (and, with ``--warm-up S``, the same
percentiles over the pages started after S seconds, beside the whole run's);
``--json`` writes the raw numbers. Sessions start all at once (the worst
case), or spread evenly over ``--ramp-up S`` seconds as people arrive.
"""

from __future__ import annotations

import argparse
import asyncio
import atexit
import json
import os
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

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
READY_OR_SIGN_IN_JS = "() => (" + READY_JS + ")() || !!document.querySelector('input[type=password]')"
# After a click in the navigation: the new page's title is drawn and the run is over.
SWITCHED_JS = """(title) => {
    const app = document.querySelector('[data-testid="stApp"]');
    if (!app || app.getAttribute('data-test-script-state') === 'running') return false;
    if (document.querySelector('[data-testid="stSkeleton"]')) return false;
    const h = document.querySelector('[data-testid="stMain"] h1');
    return !!h && h.innerText.trim().startsWith(title);
}"""
ERROR_MARKERS = ("Traceback", "Đã có lỗi khi hiển thị trang này", "Page not found")
SIGN_IN_LABELS = ("Tên đăng nhập", "Mật khẩu")
# The page header names the period's as-of date ("Số liệu đến ngày") and, when
# the data reach further, the data date apart ("Dữ liệu cập nhật đến ngày");
# without the second the two are the same day.
DATA_LOADED = re.compile(r"(?:Dữ liệu cập nhật đến ngày|Data loaded up to) (\d{2}/\d{2}/\d{4})")
DATA_DATE = re.compile(r"(?:Số liệu đến ngày|Data as of) (\d{2}/\d{2}/\d{4})")


@dataclass
class Result:
    times: list[float] = field(default_factory=list)
    per_page: dict[str, list[float]] = field(default_factory=dict)
    by_kind: dict[str, list[float]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    rss: list[tuple[float, int]] = field(default_factory=list)
    pages_opened: int = 0
    imports: list[dict] = field(default_factory=list)
    started: float = field(default_factory=time.monotonic)
    # start (s since the start), kind, page, seconds, the data date it showed
    log: list[tuple[float, str, str, float, str | None]] = field(default_factory=list)
    server_cpu_s: float | None = None  # CPU the server used during the run (warm-up included)
    cpu_by_process: list[float] = field(default_factory=list)
    generator_cpu: tuple[float, float] = (0.0, 0.0)  # this script; its reaped children

    def record(self, kind: str, path: str, elapsed: float, shown: str | None = None) -> None:
        now = time.monotonic() - self.started
        self.log.append((round(now - elapsed, 2), kind, path or "tong_quan", round(elapsed, 3), shown))
        self.times.append(elapsed)
        self.by_kind.setdefault(kind, []).append(elapsed)
        self.per_page.setdefault(path or "tong_quan", []).append(elapsed)


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


def cpu_seconds(pid: int) -> float | None:
    """User + system CPU time the process has used so far."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def sample_memory(pids: list[int], result: Result, stop: threading.Event, start: float) -> None:
    """Every second, the resident memory of the app's processes together."""
    while not stop.is_set():
        values = [rss_bytes(pid) for pid in pids]
        if all(v is not None for v in values):
            result.rss.append((time.monotonic() - start, sum(values)))
        stop.wait(1.0)


def total_cpu(pids: list[int]) -> float | None:
    values = [cpu_seconds(pid) for pid in pids]
    return sum(values) if values and all(v is not None for v in values) else None


def filter_options(db: str | None) -> tuple[list[str], list[str]]:
    """Agencies and fields to pick random filters from (none without a database)."""
    if not db:
        return [], []
    sys.path.insert(0, str(ROOT))
    from analytics.indicators.engine import Engine
    from analytics.store.database import AnalyticsStore

    opts = Engine(AnalyticsStore(db).reader()).options()
    return [a["name"] for a in opts["agencies"]], list(opts["fields"])


def rounds(rng: random.Random, args) -> Iterator[list[tuple[str, str]]]:
    """What one person does, round after round: a random page as a new
    session ("load"), then every other page ("switch"), as (kind, page)."""
    for _ in range(args.iterations):
        order = list(PAGES)
        rng.shuffle(order)
        yield [("load" if i == 0 else "switch", path) for i, path in enumerate(order)]


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
        for visits in rounds(rng, args):
            for kind, path in visits:
                if time.monotonic() > deadline:
                    return
                start = time.monotonic()
                try:
                    if kind == "load":
                        url = f"{args.url}/{path}?{random_query(rng, agencies, fields)}"
                        await page.goto(url, wait_until="domcontentloaded", timeout=timeout)
                        if args.username:
                            await page.wait_for_function(READY_OR_SIGN_IN_JS, timeout=timeout, polling=100)
                            if await page.get_by_label(SIGN_IN_LABELS[0]).count():
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
                        result.errors.append(f"browser {path or '/'}: {bad or 'stException'}")
                    shown = DATA_LOADED.search(text) or DATA_DATE.search(text)
                    result.record(f"browser {kind}", path, elapsed, shown.group(1) if shown else None)
                except Exception as exc:  # noqa: BLE001 - counted and reported, the soak goes on
                    result.errors.append(f"browser {kind} {path or '/'}: {type(exc).__name__}: "
                                         f"{str(exc).splitlines()[0][:120]}")
                    if kind == "switch":
                        break  # the session is in an unknown state: next round starts with a load
                result.pages_opened += 1
                await think(rng, args)
    finally:
        await context.close()


async def sign_in(page, args) -> None:
    await page.get_by_label(SIGN_IN_LABELS[0]).fill(args.username)
    await page.get_by_label(SIGN_IN_LABELS[1]).fill(args.password)
    await page.get_by_role("button", name="Đăng nhập").click()


async def arriving(session, delay: float) -> None:
    """Start ``session`` after ``delay`` seconds (``--ramp-up``: people arrive one after another)."""
    if delay > 0:
        await asyncio.sleep(delay)
    await session


async def think(rng: random.Random, args) -> None:
    """A reader's pause between two pages (none by default: clicking without pause)."""
    if args.think > 0:
        await asyncio.sleep(rng.uniform(0.5, 1.5) * args.think)


class ProtocolClient:
    """One Streamlit session over the app's WebSocket, as the browser speaks it.

    ``open_page`` sends a rerun request (the page, the URL query string) and
    reads the server's messages until the script run has finished; it
    returns the problems seen on the way (empty: the page was fine)."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.ws_url = url.replace("http://", "ws://", 1) + "/_stcore/stream"
        self.ws = None
        self.pages: dict[str, str] = {}  # url path -> page script hash
        self.data_date: str | None = None
        self.form: dict[str, str] = {}  # text input label (and "submit") -> widget id
        self.first_message: str | None = None  # the first message box of the last page

    async def connect(self) -> None:
        """Load the page first, as a browser does, and keep its cookies: the
        proxy in front of several app processes (deploy/nginx-motcua.conf)
        sends every request carrying them to the same process."""
        import websockets

        def first_load() -> str | None:
            with urllib.request.urlopen(self.url + "/", timeout=60) as r:
                r.read()
                cookies = r.headers.get_all("Set-Cookie") or []
            return "; ".join(c.split(";", 1)[0] for c in cookies) or None

        cookie = await asyncio.to_thread(first_load)
        self.ws = await websockets.connect(self.ws_url, subprotocols=["streamlit"], max_size=None,
                                           open_timeout=60,
                                           additional_headers={"Cookie": cookie} if cookie else None)

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()

    async def open_page(self, path: str, query: str, timeout: float,
                        widgets: dict[str, str | bool] | None = None) -> list[str]:
        """Run ``path`` with ``query``; ``widgets``: values by widget id sent with it."""
        from streamlit.proto.BackMsg_pb2 import BackMsg

        msg = BackMsg()
        state = msg.rerun_script
        state.query_string = query
        state.page_name = path
        state.page_script_hash = self.pages.get(path, "")
        state.context_info.timezone = "Asia/Ho_Chi_Minh"
        state.context_info.locale = "vi-VN"
        for widget_id, value in (widgets or {}).items():
            w = state.widget_states.widgets.add()
            w.id = widget_id
            if isinstance(value, bool):
                w.trigger_value = value
            else:
                w.string_value = value
        self.form = {}
        self.first_message = None
        await self.ws.send(msg.SerializeToString())
        return await asyncio.wait_for(self._until_finished(), timeout)

    async def sign_in_if_asked(self, path: str, query: str, username: str, password: str,
                               timeout: float) -> list[str]:
        """Fill in and submit the sign-in form when the last page was that form."""
        if SIGN_IN_LABELS[0] not in self.form:
            return []
        values = {self.form[SIGN_IN_LABELS[0]]: username, self.form[SIGN_IN_LABELS[1]]: password,
                  self.form["submit"]: True}
        return await self.open_page(path, query, timeout, values)

    async def _until_finished(self) -> list[str]:
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        problems: list[str] = []
        self.data_date = None
        while True:
            fwd = ForwardMsg()
            fwd.ParseFromString(await self.ws.recv())
            kind = fwd.WhichOneof("type")
            if kind == "navigation":
                self.pages = {p.url_pathname: p.page_script_hash for p in fwd.navigation.app_pages}
            elif kind == "page_not_found":
                problems.append("page not found")
            elif kind == "delta" and fwd.delta.WhichOneof("type") == "new_element":
                problems += self._inspect(fwd.delta.new_element)
            elif kind == "script_finished":
                if fwd.script_finished == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                    continue  # st.rerun(): the next run follows on the same socket
                if fwd.script_finished != ForwardMsg.FINISHED_SUCCESSFULLY:
                    problems.append(f"script finished with status {fwd.script_finished}")
                return problems

    def _inspect(self, element) -> list[str]:
        from streamlit.proto.Alert_pb2 import Alert

        which = element.WhichOneof("type")
        if which == "exception":
            return [f"exception: {element.exception.type}: {element.exception.message[:120]}"]
        if which == "alert":
            body = element.alert.body
            if element.alert.format == Alert.ERROR or any(m in body for m in ERROR_MARKERS):
                return [f"error box: {body[:120]}"]
        if which == "text_input":
            self.form[element.text_input.label] = element.text_input.id
        elif which == "button" and element.button.is_form_submitter:
            self.form["submit"] = element.button.id
        if which == "alert" and not self.first_message:
            self.first_message = element.alert.body[:100]
        if which in ("markdown", "alert"):
            body = element.markdown.body if which == "markdown" else element.alert.body
            shown = DATA_LOADED.search(body) or DATA_DATE.search(body)
            if shown:
                self.data_date = shown.group(1)
        return []


async def protocol_session(n: int, args, result: Result, deadline: float,
                           agencies: list[str], fields: list[str]) -> None:
    """One person over the protocol: per round, a new session on a random page,
    then every other page, each with random filters."""
    rng = random.Random(args.seed * 1000 + n)
    client = None
    try:
        for visits in rounds(rng, args):
            for kind, path in visits:
                if time.monotonic() > deadline:
                    return
                start = time.monotonic()
                try:
                    if kind == "load":
                        if client is not None:
                            await client.close()
                        client = ProtocolClient(args.url)
                        await client.connect()
                    query = random_query(rng, agencies, fields)
                    problems = await client.open_page(path, query, args.page_timeout)
                    if kind == "load" and args.username:
                        problems += await client.sign_in_if_asked(path, query, args.username, args.password,
                                                                  args.page_timeout)
                    if client.data_date is None and not problems:
                        problems.append(f"{kind}: no data shown; first message: {client.first_message}")
                    elapsed = time.monotonic() - start
                    result.errors += [f"protocol {path or '/'}: {p}" for p in problems]
                    result.record(f"protocol {kind}", path, elapsed, client.data_date)
                except Exception as exc:  # noqa: BLE001 - counted and reported, the soak goes on
                    result.errors.append(f"protocol {kind} {path or '/'}: {type(exc).__name__}: "
                                         f"{str(exc).splitlines()[0][:120] if str(exc) else ''}")
                    break  # unknown state: the next round starts with a new session
                result.pages_opened += 1
                await think(rng, args)
    finally:
        if client is not None:
            await client.close()


def export_for_import(db: str, rows: int, out_dir: Path) -> tuple[Path, str]:
    """A one-stop export of ``rows`` new dossiers received in the days after
    the database's data date (codes prefixed ``LT-`` so that none collides
    with a dossier already there). Returns the file and the data date it
    brings, dd/mm/yyyy."""
    from datetime import timedelta

    import pandas as pd

    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(ROOT / "scripts"))
    from make_sample import write_xlsx

    from analytics.demo.generator import generate_frames
    from analytics.indicators.engine import Engine
    from analytics.store.database import AnalyticsStore

    current = Engine(AnalyticsStore(db).reader()).data_date()
    as_of = current + timedelta(days=3)
    frames = generate_frames(as_of, years=1, dossiers_per_year=rows * 40, seed=4242)
    d = frames["dossiers"]
    d = d[d["received_at"] > pd.Timestamp(current + timedelta(days=1))].head(rows).copy()
    s = frames["steps"]
    s = s[s["dossier_code"].isin(d["code"])].copy()
    d["code"] = "LT-" + d["code"].astype(str)
    s["dossier_code"] = "LT-" + s["dossier_code"].astype(str)
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / "load-test-export.xlsx"
    write_xlsx(path, {"agencies": frames["agencies"], "procedures": frames["procedures"],
                      "dossiers": d.reset_index(drop=True), "steps": s.reset_index(drop=True)})
    latest = max(d["received_at"].max(), d["finished_at"].max(), s["finished_at"].max())
    return path, latest.strftime("%d/%m/%Y")


def import_loop(args, result: Result, stop: threading.Event, first_at: float) -> None:
    """``python -m analytics import`` every ``--import-every`` seconds while the sessions browse."""
    if stop.wait(max(0.0, first_at - time.monotonic())):
        return
    while not stop.is_set():
        begin = time.monotonic()
        proc = subprocess.run(
            [sys.executable, "-m", "analytics", "import", str(args.import_file), "--db", args.db,
             "--format", "json"], cwd=ROOT, capture_output=True, text=True)
        end = time.monotonic()
        entry = {"start_s": round(begin - result.started, 1), "end_s": round(end - result.started, 1),
                 "seconds": round(end - begin, 1), "exit_code": proc.returncode}
        if proc.returncode == 0:
            doc = json.loads(proc.stdout)
            entry["dossiers_changed"] = doc["tables"]["dossiers"]["changed"]
        else:
            entry["error"] = proc.stderr.strip().splitlines()[-1][:200] if proc.stderr.strip() else ""
        result.imports.append(entry)
        stop.wait(max(0.0, args.import_every - (time.monotonic() - begin)))


async def run(args, result: Result, agencies: list[str], fields: list[str]) -> None:
    from playwright.async_api import async_playwright

    async with async_playwright() as p:
        browser = None
        if args.browsers:
            browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            # One untimed visit first: a server that has just started builds its
            # caches and registers its pages; the soak measures a running one.
            # Each process started here is visited directly (through nginx
            # only one of them would be), as a deployment's start-up check does.
            for url in getattr(args, "warm_urls", None) or [args.url]:
                warm = ProtocolClient(url)
                await warm.connect()
                await warm.open_page("", "", args.page_timeout)
                if args.username:
                    await warm.sign_in_if_asked("", "", args.username, args.password, args.page_timeout)
                await warm.close()
            deadline = time.monotonic() + args.time_cap
            stop = threading.Event()
            importer = None
            if args.import_every:
                importer = threading.Thread(target=import_loop, daemon=True,
                                            args=(args, result, stop, time.monotonic() + args.import_after))
                importer.start()
            sessions = [one_session(browser, n, args, result, deadline, agencies, fields)
                        for n in range(args.browsers)]
            sessions += [protocol_session(n, args, result, deadline, agencies, fields)
                         for n in range(args.browsers, args.sessions)]
            sessions = [arriving(session, n * args.ramp_up / args.sessions) for n, session in enumerate(sessions)]
            try:
                await asyncio.gather(*sessions)
            finally:
                stop.set()
                if importer is not None:
                    await asyncio.to_thread(importer.join)
        finally:
            if browser is not None:
                await browser.close()


def free_port() -> int:
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(db: str, port: int, sign_in: bool, options: list[str]) -> subprocess.Popen:
    env = {**os.environ, "MOTCUA_DB": str(Path(db).absolute()), "PYTHONUNBUFFERED": "1"}
    if sign_in:  # as in production (an import makes the demo database a real one anyway)
        env["MOTCUA_AUTH"] = "on"
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "dashboard.py", "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true",
         "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none",
         *(f"--{option}" for option in options)],
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


NGINX = "/usr/sbin/nginx"


def start_nginx(ports: list[int], listen: int) -> subprocess.Popen:
    """nginx on ``listen`` in front of the app processes on ``ports``, with
    the shipped deploy/nginx-motcua.conf (its upstream and listen lines
    filled in), in a temporary prefix."""
    if not Path(NGINX).exists():
        sys.exit("--processes needs nginx (bash scripts/install-system-deps.sh, or apt-get install nginx)")
    site = (ROOT / "deploy" / "nginx-motcua.conf").read_text(encoding="utf-8")
    upstreams = "".join(f"    server 127.0.0.1:{p};\n" for p in ports)
    site = re.sub(r"(?m)^    server 127\.0\.0\.1:\d+;\n(    server 127\.0\.0\.1:\d+;\n)*", upstreams, site)
    site = re.sub(r"listen 127\.0\.0\.1:\d+;", f"listen 127.0.0.1:{listen};", site)
    prefix = Path(tempfile.mkdtemp(prefix="motcua-nginx-"))
    # Its config, temp folders and logs go with the run (if nginx does not
    # start, its error log is printed before they go).
    atexit.register(shutil.rmtree, prefix, ignore_errors=True)
    (prefix / "site.conf").write_text(site, encoding="utf-8")
    temp = "".join(f"    {name}_temp_path {prefix / name};\n" for name in ("client_body", "proxy", "fastcgi",
                                                                             "uwsgi", "scgi"))
    (prefix / "nginx.conf").write_text(
        f"worker_processes 1;\npid {prefix / 'nginx.pid'};\nerror_log {prefix / 'error.log'} warn;\n"
        "events { worker_connections 1024; }\n"
        f"http {{\n    access_log off;\n{temp}    include {prefix / 'site.conf'};\n}}\n", encoding="utf-8")
    proc = subprocess.Popen([NGINX, "-p", str(prefix), "-c", str(prefix / "nginx.conf"), "-g", "daemon off;"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(100):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{listen}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return proc
        except OSError:
            time.sleep(0.1)
    proc.terminate()
    log = prefix / "error.log"
    sys.exit("nginx did not start:\n" + (log.read_text(encoding="utf-8", errors="replace") if log.exists() else ""))


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def _cpu(who: int) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def summary(result: Result, args, wall: float) -> dict:
    mib = [v / 2**20 for _, v in result.rss]
    quarter = max(1, len(mib) // 4)
    return {
        "processes": args.processes, "sessions": args.sessions, "browsers": args.browsers, "think_s": args.think,
        "ramp_up_s": args.ramp_up,
        "iterations": args.iterations, "pages_opened": result.pages_opened,
        "pages_measured": len(result.times), "errors": len(result.errors), "wall_s": round(wall, 1),
        "server_cpu_s": round(result.server_cpu_s, 1) if result.server_cpu_s is not None else None,
        "server_cpu_s_by_process": result.cpu_by_process,
        # What else used the machine's cores: this script (its protocol
        # sessions parse every message) and its children (the browsers and
        # the imports), all on the same cores as the app.
        "load_generator_cpu_s": round(result.generator_cpu[0], 1),
        "browsers_and_imports_cpu_s": round(result.generator_cpu[1], 1),
        "server_cpu_s_per_page": (round(result.server_cpu_s / result.pages_opened, 3)
                                  if result.server_cpu_s is not None and result.pages_opened else None),
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
        "imports": result.imports,
        "data_dates": data_date_summary(result, args),
        "after_warm_up": after_warm_up(result, getattr(args, "warm_up", 0.0)),
    }


def after_warm_up(result: Result, warm_up: float) -> dict | None:
    """The same percentiles over the pages that started after the first
    ``warm_up`` seconds (every session starts at once, on purpose, on cold
    processes: the steady state is reported beside that worst case, never
    instead of it)."""
    if warm_up <= 0:
        return None
    kept = [(kind, seconds) for start, kind, _, seconds, _ in result.log if start >= warm_up]
    times = [seconds for _, seconds in kept]
    if not times:
        return {"warm_up_s": warm_up, "pages": 0}
    by_kind: dict[str, list[float]] = {}
    for kind, seconds in kept:
        by_kind.setdefault(kind, []).append(seconds)
    return {
        "warm_up_s": warm_up, "pages": len(times),
        "median_s": round(statistics.median(times), 3), "p95_s": round(percentile(times, 0.95), 3),
        "by_kind": {k: {"n": len(v), "median_s": round(statistics.median(v), 3),
                        "p95_s": round(percentile(v, 0.95), 3)} for k, v in sorted(by_kind.items())},
    }


def data_date_summary(result: Result, args) -> dict:
    """When pages showed the data date before and after the imports."""
    seen: dict[str, list[float]] = {}  # data date -> when the pages showing it finished
    for start, _, _, seconds, shown in result.log:
        if shown:
            seen.setdefault(shown, []).append(start + seconds)
    out = {shown: {"pages": len(ats), "first_s": round(min(ats), 1), "last_s": round(max(ats), 1)}
           for shown, ats in sorted(seen.items())}
    expected = getattr(args, "new_data_date", None)
    committed = [i["end_s"] for i in result.imports if i["exit_code"] == 0]
    stale = None
    if expected and committed:
        # A page that started after the first import had committed must show its data.
        stale = sum(1 for start, _, _, _, shown in result.log
                    if start > committed[0] and shown and shown != expected)
    return {"expected_after_import": expected, "shown": out,
            "first_import_committed_s": committed[0] if committed else None,
            "pages_started_after_it_showing_old_data": stale}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default=None, help="a running app (loopback only)")
    parser.add_argument("--server-pid", type=int, default=None, help="its process id, to sample memory")
    parser.add_argument("--start", action="store_true", help="start `streamlit run dashboard.py` here")
    parser.add_argument("--processes", type=int, default=1,
                        help="for --start: this many app processes behind nginx (deploy/nginx-motcua.conf)")
    parser.add_argument("--db", default=None, help="the database (for --start and for random filters)")
    parser.add_argument("--port", type=int, default=None, help="for --start (default: a free port)")
    parser.add_argument("--server-option", action="append", default=[], metavar="SECTION.KEY=VALUE",
                        help="a Streamlit option for --start, e.g. runner.postScriptGC=true (repeatable)")
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--browsers", type=int, default=2,
                        help="how many of the sessions run in headless Chromium (the rest over the protocol)")
    parser.add_argument("--think", type=float, default=0,
                        help="mean pause between pages, seconds (default 0: clicking without pause)")
    parser.add_argument("--import-every", type=float, default=0,
                        help="seconds: run an import this often during the soak (needs --db)")
    parser.add_argument("--import-after", type=float, default=30, help="seconds before the first import")
    parser.add_argument("--import-rows", type=int, default=2000, help="new dossiers in the imported file")
    parser.add_argument("--iterations", type=int, default=3, help="rounds over every page per session")
    parser.add_argument("--time-cap", type=float, default=600, help="seconds; sessions stop after it")
    parser.add_argument("--page-timeout", type=float, default=120, help="seconds for one page")
    parser.add_argument("--warm-up", type=float, default=0,
                        help="seconds: also report the percentiles of the pages started after them")
    parser.add_argument("--ramp-up", type=float, default=0,
                        help="seconds over which the sessions start, evenly (default 0: all at once)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--username", default=None, help="sign in as this user when asked")
    parser.add_argument("--password-stdin", action="store_true", help="the password on stdin")
    parser.add_argument("--json", dest="json_out", default=None, help="write the summary here")
    args = parser.parse_args(argv)
    if not 1 <= args.sessions <= MAX_SESSIONS or not 1 <= args.iterations <= MAX_ITERATIONS:
        parser.error(f"--sessions 1..{MAX_SESSIONS}, --iterations 1..{MAX_ITERATIONS}")
    if not 0 < args.time_cap <= MAX_TIME_CAP:
        parser.error(f"--time-cap 1..{MAX_TIME_CAP} s")
    if not 1 <= args.processes <= 8:
        parser.error("--processes 1..8")
    if args.processes > 1 and not args.start:
        parser.error("--processes needs --start")
    if args.processes > 1 and not Path(NGINX).exists():
        # Checked before any app process starts: exiting later left them running.
        parser.error("--processes needs nginx (bash scripts/install-system-deps.sh, or apt-get install nginx)")
    if not 0 <= args.browsers <= args.sessions:
        parser.error("--browsers 0..--sessions")
    if args.import_every and not args.db:
        parser.error("--import-every needs --db (the database the app reads)")
    if args.import_every and not 1 <= args.import_rows <= 100_000:
        parser.error("--import-rows 1..100000")
    args.password = sys.stdin.readline().rstrip("\n") if args.password_stdin else None
    if args.username and not args.password:
        parser.error("--username needs --password-stdin")

    processes: list[subprocess.Popen] = []
    args.server_pids = [args.server_pid] if args.server_pid else []
    if args.start:
        if not args.db:
            parser.error("--start needs --db")
        ports = [args.port or free_port()] + [free_port() for _ in range(args.processes - 1)]
        servers = [start_server(args.db, port, bool(args.username), args.server_option) for port in ports]
        processes += servers
        args.server_pids = [p.pid for p in servers]
        args.url = f"http://127.0.0.1:{ports[0]}"
        args.warm_urls = [f"http://127.0.0.1:{port}" for port in ports]
        if args.processes > 1:
            front = free_port()
            processes.append(start_nginx(ports, front))
            args.url = f"http://127.0.0.1:{front}"
    if not args.url:
        parser.error("give --url (and --server-pid) or --start --db")
    args.url = args.url.rstrip("/")
    check_loopback(args.url)
    agencies, fields = filter_options(args.db)
    args.new_data_date = None
    if args.import_every:
        folder = Path(args.db).absolute().parent / "load-test-import"
        args.import_file, args.new_data_date = export_for_import(args.db, args.import_rows, folder)

    result = Result()
    stop = threading.Event()
    start = time.monotonic()
    sampler = None
    cpu_before = total_cpu(args.server_pids)
    each_before = [cpu_seconds(pid) or 0.0 for pid in args.server_pids]
    if args.server_pids:
        sampler = threading.Thread(target=sample_memory, args=(args.server_pids, result, stop, start), daemon=True)
        sampler.start()
    try:
        asyncio.run(run(args, result, agencies, fields))
    finally:
        stop.set()
        if sampler:
            sampler.join(timeout=5)
        cpu_after = total_cpu(args.server_pids)
        # Before the app processes (also children) are stopped and reaped.
        result.generator_cpu = (_cpu(resource.RUSAGE_SELF), _cpu(resource.RUSAGE_CHILDREN))
        result.cpu_by_process = [round((cpu_seconds(pid) or 0.0) - b, 1)
                                 for pid, b in zip(args.server_pids, each_before, strict=True)]
        if cpu_before is not None and cpu_after is not None:
            result.server_cpu_s = cpu_after - cpu_before
        for proc in processes:
            proc.terminate()
        for proc in processes:
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
    report = summary(result, args, time.monotonic() - start)
    print(json.dumps(report, ensure_ascii=False, indent=2))
    if args.json_out:
        Path(args.json_out).write_text(json.dumps({**report, "pages": result.log, "errors_all": result.errors,
                                                  "rss": result.rss},
                                                  ensure_ascii=False), encoding="utf-8")
    failed_imports = [i for i in result.imports if i["exit_code"] != 0]
    return 1 if result.errors or failed_imports else 0


if __name__ == "__main__":
    raise SystemExit(main())

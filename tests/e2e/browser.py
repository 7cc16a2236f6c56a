"""Shared helpers of the browser test and ``scripts/screenshots.py``: start
``streamlit run dashboard.py`` on a free loopback port and drive Debian's
Chromium through Playwright (no browser download)."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Iterator

from analytics.locale import clock

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
DESKTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}

# (url path, Vietnamese title) of every page, in navigation order.
PAGES = (
    ("", "Tổng quan"),
    ("dung_han", "Đúng hạn / trễ hạn"),
    ("giai_doan", "Trễ hạn theo giai đoạn"),
    ("nguoi_thu_ly", "Người thụ lý"),
    ("truc_tuyen", "Trực tuyến"),
    ("tthc_khong_phat_sinh", "TTHC không phát sinh hồ sơ"),
    ("chi_so_766", "Chỉ số 766"),
    ("bieu_06", "Báo cáo Biểu 06"),
    ("nhap_du_lieu", "Nhập dữ liệu"),
)
# Text that must never reach the screen: tracebacks and Streamlit's raw errors.
ERROR_MARKERS = ("Traceback", "Error:", "Exception", 'File "/', "site-packages", "StreamlitAPI",
                 "Page not found", "Đã có lỗi khi hiển thị trang này")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def streamlit_server(db_path: str | os.PathLike[str], *, port: int | None = None,
                     log_path: Path | None = None, timeout: float = 90) -> Iterator[str]:
    """``streamlit run dashboard.py`` on 127.0.0.1; yields its base URL."""
    port = port or free_port()
    # The server reads the same office clock as the caller (a pinned test day).
    env = {**os.environ, **clock.pinned_environment(), "MOTCUA_DB": str(db_path), "PYTHONUNBUFFERED": "1"}
    log = open(log_path, "w") if log_path else subprocess.DEVNULL  # noqa: SIM115 - open while the server runs, closed below
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "dashboard.py", "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true",
         "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"streamlit exited with {proc.returncode}")
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise TimeoutError("streamlit did not start")
            time.sleep(0.3)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        if log_path:
            log.close()


def launch(playwright):
    """Debian's Chromium, headless."""
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)


def wait_idle(page, timeout: float = 180_000) -> None:
    """Wait until the app has finished its script run and drawn the page."""
    page.wait_for_selector('[data-testid="stApp"]', timeout=timeout)
    page.wait_for_function(
        """() => {
            const app = document.querySelector('[data-testid="stApp"]');
            if (!app) return false;
            if (app.getAttribute('data-test-script-state') === 'running') return false;
            if (document.querySelector('[data-testid="stSkeleton"]')) return false;
            return document.body.innerText.includes('Số liệu đến ngày')
                || document.body.innerText.includes('Data as of');
        }""",
        timeout=timeout,
        polling=250,
    )
    page.wait_for_timeout(600)  # charts draw after the script run


def open_page(page, base_url: str, path: str, query: str = "") -> None:
    page.goto(f"{base_url}/{path}{('?' + query) if query else ''}", wait_until="domcontentloaded")
    wait_idle(page)


def visible_errors(page) -> list[str]:
    """Error-looking text on screen (exception boxes, tracebacks)."""
    found = []
    if page.locator('[data-testid="stException"]').count():
        found.append("stException element")
    text = page.inner_text("body")
    found += [m for m in ERROR_MARKERS if m in text]
    return found


def screenshot_full(page, path: Path) -> None:
    """The whole page: Streamlit scrolls inside its main block, not the
    document, so the viewport grows to the content's height first."""
    size = page.viewport_size
    height = page.evaluate(
        """() => {
            const main = document.querySelector('[data-testid="stMain"]');
            const side = document.querySelector('[data-testid="stSidebarContent"]');
            return Math.max(main ? main.scrollHeight : 0, side ? side.scrollHeight : 0);
        }"""
    )
    page.set_viewport_size({"width": size["width"], "height": max(size["height"], min(int(height) + 20, 12000))})
    page.wait_for_timeout(800)  # charts re-layout to the new size
    page.screenshot(path=str(path), full_page=True)
    page.set_viewport_size(size)

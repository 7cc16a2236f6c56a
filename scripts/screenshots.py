"""Refresh the pictures in docs/screenshots/ (``make screenshots``).

Starts ``streamlit run dashboard.py`` on a free loopback port over the demo
database (``$MOTCUA_DB`` or data/demo.duckdb, built when missing), opens every
page in Debian's headless Chromium at desktop (1366 px) and phone (390 px)
width with the period "Quý trước", plus the drill-down to one agency's late
dossiers and the A4 print view, and saves full-page PNGs.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from playwright.sync_api import sync_playwright  # noqa: E402 - after the sys.path set-up above

from tests.e2e.browser import (  # noqa: E402 - after the sys.path set-up above
    DESKTOP,
    PAGES,
    PHONE,
    launch,
    open_page,
    screenshot_full,
    streamlit_server,
    visible_errors,
    wait_idle,
)

# MOTCUA_SCREENSHOTS: another folder, e.g. docs/screenshots/before for a
# before/after pair of a change.
OUT = Path(os.environ.get("MOTCUA_SCREENSHOTS", ROOT / "docs" / "screenshots")).resolve()
QUERY = "ky=last_quarter"


def _shown(path: Path) -> Path:
    """The picture's path, relative to the repository when it is inside it
    (MOTCUA_SCREENSHOTS may point anywhere)."""
    return path.relative_to(ROOT) if path.is_relative_to(ROOT) else path


def database() -> Path:
    db = Path(os.environ.get("MOTCUA_DB", ROOT / "data" / "demo.duckdb")).resolve()
    if not db.exists():
        from analytics.demo.generator import build_demo

        print(f"Tạo cơ sở dữ liệu mẫu {db} …")
        build_demo(db)
    return db


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    problems = []
    with streamlit_server(database(), log_path=ROOT / "build" / "screenshots-streamlit.log") as url, \
            sync_playwright() as pw:
        browser = launch(pw)
        for name, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
            context = browser.new_context(viewport=viewport, locale="vi-VN")
            page = context.new_page()
            page.set_default_timeout(180_000)
            for path, _title in PAGES:
                open_page(page, url, path, QUERY)
                problems += [f"{path or 'tong_quan'} ({name}): {e}" for e in visible_errors(page)]
                target = OUT / f"{path or 'tong_quan'}-{name}.png"
                screenshot_full(page, target)
                print(_shown(target))
            context.close()
        # The "few clicks" story: the most late agency's dossiers, and the print view.
        context = browser.new_context(viewport=DESKTOP, locale="vi-VN")
        page = context.new_page()
        page.set_default_timeout(180_000)
        open_page(page, url, "dung_han", QUERY)
        chart = page.locator('[data-testid="stPlotlyChart"]').first
        chart.scroll_into_view_if_needed()
        box = chart.locator("g.point path").first.bounding_box()  # the worst agency, on top
        page.mouse.click(box["x"] + box["width"] * 0.6, box["y"] + box["height"] / 2)
        page.wait_for_function(
            "() => document.querySelector('[data-testid=\"stMain\"]').innerText.includes('Số ngày trễ bình quân')",
            polling=250)
        wait_idle(page)
        page.get_by_text("Hồ sơ trễ hạn của một cơ quan").scroll_into_view_if_needed()
        page.wait_for_timeout(500)
        page.screenshot(path=str(OUT / "dung_han-drill-down.png"))
        print(_shown(OUT / "dung_han-drill-down.png"))
        open_page(page, url, "", QUERY + "&banin=1")
        screenshot_full(page, OUT / "tong_quan-print.png")
        print(_shown(OUT / "tong_quan-print.png"))
        context.close()
        browser.close()
    for p in problems:
        print("LỖI HIỂN THỊ:", p, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())

"""Render two slides of the meeting deck to docs/screenshots/deck-1.png and deck-2.png.

A docs-build step, not part of the tests or CI: it needs LibreOffice (Impress)
and poppler's ``pdftoppm`` from Debian::

    apt-get install libreoffice-impress poppler-utils
    .venv/bin/python scripts/render_deck_pictures.py [--db PATH] [--slides 3,7]

It builds the deck of the demo office (``python -m analytics demo`` with a
fixed as-of date when the database is missing) for the last full quarter,
converts it to PDF with LibreOffice in headless mode and rasterises the chosen
pages. LibreOffice runs with the Vietnamese locale so the charts show decimal
commas (97,6%), as PowerPoint does on a Vietnamese Windows.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from analytics.indicators.engine import Engine  # noqa: E402 - after the sys.path set-up above
from analytics.indicators.filters import Filters  # noqa: E402 - after the sys.path set-up above
from analytics.reports.deck import build_deck  # noqa: E402 - after the sys.path set-up above
from analytics.reports.docreport import find_soffice  # noqa: E402 - after the sys.path set-up above
from analytics.store.database import AnalyticsStore  # noqa: E402 - after the sys.path set-up above

AS_OF = date(2026, 10, 15)
PERIOD = (date(2026, 7, 1), date(2026, 9, 30))  # Quý III/2026, the last full quarter before AS_OF
UNIT = "Tỉnh Bình Sơn (khu vực An Phước)"  # the demo office: a section of the invented province
OUT_DIR = ROOT / "docs" / "screenshots"
DPI = 110


def ensure_demo(db: Path) -> None:
    if AnalyticsStore(db).exists():
        return
    subprocess.run([sys.executable, "-m", "analytics", "demo", "--db", str(db), "--as-of", AS_OF.isoformat()],
                   cwd=ROOT, check=True)


def render(pptx: bytes, pages: list[int], out_dir: Path) -> list[Path]:
    soffice, pdftoppm = find_soffice(), shutil.which("pdftoppm")
    if not soffice or not pdftoppm:
        raise SystemExit("cần LibreOffice (soffice) và pdftoppm: apt-get install libreoffice-impress poppler-utils")
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    with tempfile.TemporaryDirectory(prefix="deck-render-") as tmp:
        source = Path(tmp) / "deck.pptx"
        source.write_bytes(pptx)
        env = {**os.environ, "HOME": tmp, "LC_ALL": "vi_VN.UTF-8", "LANG": "vi_VN.UTF-8"}
        subprocess.run([soffice, f"-env:UserInstallation={Path(tmp, 'profile').as_uri()}", "--headless",
                        "--convert-to", "pdf", "--outdir", tmp, str(source)],
                       check=True, capture_output=True, env=env, timeout=300)
        for index, page in enumerate(pages, start=1):
            stem = Path(tmp) / f"page-{page}"
            subprocess.run([pdftoppm, "-f", str(page), "-l", str(page), "-r", str(DPI), "-png", "-singlefile",
                            str(source.with_suffix(".pdf")), str(stem)], check=True)
            target = out_dir / f"deck-{index}.png"
            shutil.move(stem.with_suffix(".png"), target)
            written.append(target)
    return written


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=Path(tempfile.gettempdir()) / "meeting-pack-demo.duckdb")
    parser.add_argument("--slides", default="3,7", help="slide numbers to render, comma-separated")
    parser.add_argument("--out-dir", type=Path, default=OUT_DIR)
    args = parser.parse_args()
    ensure_demo(args.db)
    engine = Engine(AnalyticsStore(args.db).reader())
    pptx = build_deck(engine, Filters(*PERIOD), unit_name=UNIT)
    for path in render(pptx, [int(s) for s in args.slides.split(",")], args.out_dir):
        print(f"Đã ghi {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

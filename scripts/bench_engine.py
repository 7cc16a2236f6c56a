"""Benchmark: ``python -m analytics.bench [--dossiers N]`` or ``make bench`` (not a test).

Builds N dossiers (default 1 million, 4 steps each) with the demo generator,
then prints per indicator the median time of the engine, of the same SQL text
run bare with ``fetchall`` (the floor), and of the same computation in pandas
(scripts/pandas_reference.py), plus the import rate of a 100k-row xlsx next
to the parsers alone (``--import-only``: just that, on generated rows). The
machine is shared and noisy: read the ratios, which come from one run.
``python scripts/bench_engine.py`` runs it too.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any, Callable

import duckdb
import fastexcel
import xlsxwriter
from python_calamine import CalamineWorkbook

SCRIPTS = Path(__file__).resolve().parent
for folder in (SCRIPTS.parent, SCRIPTS):  # the project and its pandas_reference, from anywhere
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))

import pandas_reference as ref  # noqa: E402 - after the sys.path set-up above

from analytics.demo.generator import generate_frames, insert_frames  # noqa: E402 - after the sys.path set-up above
from analytics.indicators.engine import Engine  # noqa: E402 - after the sys.path set-up above
from analytics.indicators.filters import Filters  # noqa: E402 - after the sys.path set-up above
from analytics.ingest.importer import import_files  # noqa: E402 - after the sys.path set-up above
from analytics.store.database import AnalyticsStore  # noqa: E402 - after the sys.path set-up above


class _CapturingEngine(Engine):
    """An engine that remembers the SQL text and parameters of its last query."""

    def _run(self, sql: str, params: dict[str, Any]) -> list[dict[str, Any]]:
        self.last = (sql, params)
        return super()._run(sql, params)


def median_ms(fn: Callable[[], Any], repeat: int) -> float:
    fn()  # warm-up: caches, first-touch page faults
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def build_database(path: Path, n_dossiers: int, as_of: date, steps_per_dossier: int = 4) -> dict[str, Any]:
    years = 5
    start = time.perf_counter()
    frames = generate_frames(as_of, years=years, dossiers_per_year=n_dossiers // years, seed=7,
                             steps_per_dossier=steps_per_dossier)
    generated = time.perf_counter() - start
    start = time.perf_counter()
    with AnalyticsStore(path).write() as con:
        insert_frames(con, frames)
    loaded = time.perf_counter() - start
    return {"frames": frames, "generate_s": generated, "load_s": loaded}


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (f"{cpu}, {os.cpu_count()} cores, {mem:.0f} GiB; Python {platform.python_version()}, "
            f"duckdb {duckdb.__version__}")


def bench_indicators(db: Path, frames: dict, f: Filters, repeat: int) -> list[tuple[str, float, float, float]]:
    con = AnalyticsStore(db).reader()
    engine = _CapturingEngine(con)
    as_of = engine.as_of(f)
    prepared = ref.prepare(frames["dossiers"], frames["steps"], frames["agencies"])
    cases: list[tuple[str, Callable[[], Any], Callable[[], Any]]] = [
        ("totals", lambda: engine.totals(f), lambda: ref.totals(prepared, f, as_of)),
        ("by_agency", lambda: engine.by_agency(f), lambda: ref.by_dimension(prepared, f, as_of, "agency")),
        ("by_field", lambda: engine.by_field(f), lambda: ref.by_dimension(prepared, f, as_of, "field")),
        ("overview (totals+agency+field)", lambda: engine.overview(f),
         lambda: (ref.totals(prepared, f, as_of), ref.by_dimension(prepared, f, as_of, "agency"),
                  ref.by_dimension(prepared, f, as_of, "field"))),
        ("by_stage", lambda: engine.by_stage(f), lambda: ref.by_stage(prepared, f)),
        ("by_handler", lambda: engine.by_handler(f), lambda: ref.by_handler(prepared, f)),
        ("procedures_without_dossiers", lambda: engine.procedures_without_dossiers(f),
         lambda: ref.procedures_without_dossiers(prepared, frames["procedures"], f)),
        ("trend (month)", lambda: engine.trend(f), lambda: ref.trend(prepared, f)),
    ]
    results = []
    for name, run_engine, run_pandas in cases:
        engine_ms = median_ms(run_engine, repeat)
        sql, params = engine.last
        used = {k: v for k, v in params.items() if f"${k}" in sql}
        floor_ms = median_ms(lambda sql=sql, used=used: con.execute(sql, used).fetchall(), repeat)
        pandas_ms = median_ms(run_pandas, repeat)
        results.append((name, engine_ms, floor_ms, pandas_ms))
    whole_ms = median_ms(lambda: engine.indicators(f), repeat)
    results.append(("indicators JSON (whole)", whole_ms, float("nan"), float("nan")))
    return results


EXPORT_HEADERS = (
    ("code", "Mã hồ sơ"), ("procedure_code", "Mã TTHC"), ("field", "Lĩnh vực"),
    ("agency", "Cơ quan giải quyết"), ("channel", "Kênh nộp"), ("received_at", "Ngày tiếp nhận"),
    ("due_at", "Ngày hẹn trả"), ("finished_at", "Ngày kết thúc xử lý"), ("status", "Trạng thái"),
)
CHANNEL_TEXT = {"online": "Trực tuyến", "direct": "Trực tiếp", "postal": "Bưu chính công ích"}


def write_export(path: Path, dossiers, rows: int) -> None:
    """A dossier sheet as exports print it: Vietnamese headers, dd/mm/yyyy HH:MM text dates."""
    sample = dossiers.head(rows)
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = book.add_worksheet("Danh sách hồ sơ")
    sheet.write_row(0, 0, [header for _, header in EXPORT_HEADERS])
    columns = []
    for key, _ in EXPORT_HEADERS:
        values = sample[key]
        if key.endswith("_at"):
            values = values.dt.strftime("%d/%m/%Y %H:%M").fillna("")
        elif key == "channel":
            values = values.map(CHANNEL_TEXT)
        columns.append(values.astype(object).where(values.notna(), "").tolist())
    for i, row in enumerate(zip(*columns, strict=True), start=1):
        sheet.write_row(i, 0, row)
    book.close()


def bench_import(frames: dict, rows: int, workdir: Path, repeat: int = 3) -> dict[str, Any]:
    """Write a ``rows``-row export, then time the parsers alone and the whole import.

    A running server has its reader worker started and the libraries the
    import uses loaded; one small import before the timed ones does the same
    here, so the numbers are those of an import, not of a process start.
    Each round times both parsers and the import back to back (same load),
    into a fresh database; the best round of each is reported, and the
    ratio is taken within a round.
    """
    path = workdir / "export.xlsx"
    write_export(path, frames["dossiers"], rows)
    warm = workdir / "warm.xlsx"
    write_export(warm, frames["dossiers"], min(rows, 1000))
    import_files([warm], workdir / "warm.duckdb")
    rounds = []
    for i in range(repeat):
        start = time.perf_counter()
        CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
        calamine_s = time.perf_counter() - start
        start = time.perf_counter()
        fastexcel.read_excel(str(path)).load_sheet(0, header_row=None, skip_rows=0, dtypes="string", eager=True)
        arrow_s = time.perf_counter() - start
        db = workdir / f"import-{i}.duckdb"
        start = time.perf_counter()
        import_files([path], db)
        import_s = time.perf_counter() - start
        rounds.append({"calamine": rows / calamine_s, "fastexcel": rows / arrow_s, "import": rows / import_s,
                       "import_s": import_s, "load": os.getloadavg()[0]})
    best = max(rounds, key=lambda r: r["import"])
    return {"rows": rows, "rounds": rounds, "best": best,
            "parse_rows_per_s": max(r["fastexcel"] for r in rounds),
            "calamine_rows_per_s": max(r["calamine"] for r in rounds),
            "import_rows_per_s": best["import"]}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m analytics.bench", description=__doc__.splitlines()[0])
    parser.add_argument("--dossiers", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--import-rows", type=int, default=100_000)
    parser.add_argument("--skip-import", action="store_true")
    parser.add_argument("--import-only", action="store_true",
                        help="only the import benchmark (generates just the rows it needs)")
    parser.add_argument("--workdir", type=Path, default=None, help="where to build the databases")
    args = parser.parse_args(argv)

    print(f"Machine: {machine()}")
    as_of = date(2026, 11, 26)
    with tempfile.TemporaryDirectory(dir=args.workdir) as tmp:
        tmp_path = Path(tmp)
        if args.import_only:
            frames = generate_frames(as_of, years=1, dossiers_per_year=args.import_rows, seed=7, steps_per_dossier=3)
        else:
            db = tmp_path / "bench.duckdb"
            built = build_database(db, args.dossiers, as_of)
            frames = built["frames"]
            print(f"Built {len(frames['dossiers']):,} dossiers, {len(frames['steps']):,} steps: "
                  f"generate {built['generate_s']:.1f} s, load {built['load_s']:.1f} s, "
                  f"file {db.stat().st_size / 2**20:.0f} MiB")
            year = Filters(as_of - timedelta(days=364), as_of)
            print(f"\nPeriod: one year, {year.date_from} – {year.date_to}; median of {args.repeat} runs (ms)")
            print(f"{'indicator':32} {'engine':>9} {'bare SQL':>9} {'pandas':>9} "
                  f"{'engine/floor':>13} {'pandas/engine':>14}")
            for name, engine_ms, floor_ms, pandas_ms in bench_indicators(db, frames, year, args.repeat):
                print(f"{name:32} {engine_ms:9.1f} {floor_ms:9.1f} {pandas_ms:9.1f} "
                      f"{engine_ms / floor_ms:13.2f} {pandas_ms / engine_ms:14.1f}")
        if not args.skip_import:
            result = bench_import(frames, args.import_rows, tmp_path)
            print(f"\nImport of a {result['rows']:,}-row xlsx (rows/s; each round: parsers alone, then the whole "
                  "import: parse + validate + load + derived tables, reader worker warm)")
            print(f"{'round':>5} {'calamine rows':>14} {'fastexcel Arrow':>16} {'whole import':>13} "
                  f"{'whole/Arrow':>12} {'whole/calamine':>15} {'load avg':>9}")
            for i, r in enumerate(result["rounds"], start=1):
                print(f"{i:5} {r['calamine']:14,.0f} {r['fastexcel']:16,.0f} {r['import']:13,.0f} "
                      f"{r['import'] / r['fastexcel']:12.2f} {r['import'] / r['calamine']:15.2f} {r['load']:9.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Benchmark: ``python -m analytics.bench [--dossiers N]`` or ``make bench`` (not a test).

Builds N dossiers (default 1 million, 4 steps each) with the demo generator,
then prints per indicator the median time of the engine, of the same SQL text
run bare with ``fetchall`` (the floor), and of the same computation in pandas
(scripts/pandas_reference.py), plus the import rate of a 100k-row xlsx next
to the parser alone (fastexcel, as the import reads) and to the reference
parser issue 13 measured against (python-calamine to Python rows), in wall
clock and CPU time (``--import-only``: just
that, on generated rows; ``--import-base N``: also into a database already
holding N other dossiers, where only the touched derived rows are rebuilt). The
machine is shared and noisy: read the ratios, which come from one run.
``python scripts/bench_engine.py`` runs it too.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
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
from analytics.ingest.importer import import_files, load_sheet_text  # noqa: E402 - after the sys.path set-up above
from analytics.ingest.reader_worker import worker_pid  # noqa: E402 - after the sys.path set-up above
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


def worker_cpu_s() -> float:
    """CPU seconds (user + system) the reader worker has used so far; 0 before it starts."""
    pid = worker_pid()
    if pid is None:
        return 0.0
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def timed(fn: Callable[[], Any]) -> tuple[float, float]:
    """(wall seconds, CPU seconds of this process and of the reader worker) of one call."""
    wall, cpu, worker = time.perf_counter(), time.process_time(), worker_cpu_s()
    fn()
    return time.perf_counter() - wall, time.process_time() - cpu + worker_cpu_s() - worker


def base_database(path: Path, dossiers: int, as_of: date) -> None:
    """A database already holding ``dossiers`` other dossiers (codes prefixed
    "B-", with their steps): what a later import lands in."""
    frames = generate_frames(as_of, years=2, dossiers_per_year=dossiers // 2, seed=11)
    frames["dossiers"]["code"] = "B-" + frames["dossiers"]["code"].astype(str)
    frames["steps"]["dossier_code"] = "B-" + frames["steps"]["dossier_code"].astype(str)
    with AnalyticsStore(path).write() as con:
        insert_frames(con, frames)


def bench_import(frames: dict, rows: int, workdir: Path, as_of: date, repeat: int = 3, base: int = 0
                 ) -> dict[str, Any]:
    """Write a ``rows``-row export, then time two parsers alone and the whole import.

    The parser alone is :func:`analytics.ingest.importer.load_sheet_text`, the
    very call the import reads a sheet with (fastexcel: the sheet into Arrow
    in one call). The reference parser is python-calamine reading the sheet
    into Python rows (``to_python``), the parser issue 13 measured its bar
    against ("the parser alone at 58,000-74,000 rows/s"; the import read its
    sheets that way then); the import no longer uses it, and the two ratios
    are printed side by side. A running server has its reader
    worker started and the libraries the import uses loaded; one small import
    before the timed ones does the same here, so the numbers are those of an
    import, not of a process start. Each round times the parser and the
    import back to back (same load), into a fresh database (with ``base``,
    a copy of one already holding that many other dossiers); the best round
    is reported, and the ratio is taken within a round. CPU time counts this
    process and the reader worker, so it holds on a loaded machine.
    """
    workdir.mkdir(parents=True)
    path = workdir / "export.xlsx"
    write_export(path, frames["dossiers"], rows)
    warm = workdir / "warm.xlsx"
    write_export(warm, frames["dossiers"], min(rows, 1000))
    import_files([warm], workdir / "warm.duckdb")
    if base:
        base_database(workdir / "base" / "base.duckdb", base, as_of)
    rounds = []
    for i in range(repeat):
        parse_wall, parse_cpu = timed(lambda: load_sheet_text(fastexcel.read_excel(str(path)), 0))
        ref_wall, ref_cpu = timed(lambda: CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python())
        db = workdir / f"import-{i}" / "office.duckdb"
        db.parent.mkdir()
        if base:
            shutil.copyfile((workdir / "base" / "base.duckdb").resolve(), db)
        import_wall, import_cpu = timed(lambda db=db: import_files([path], db))
        rounds.append({"parse": rows / parse_wall, "parse_cpu": rows / parse_cpu,
                       "reference": rows / ref_wall, "reference_cpu": rows / ref_cpu,
                       "import": rows / import_wall, "import_cpu": rows / import_cpu,
                       "import_s": import_wall, "load": os.getloadavg()[0]})
    best = max(rounds, key=lambda r: r["import_cpu"])
    return {"rows": rows, "base": base, "rounds": rounds, "best": best,
            "parse_rows_per_s": max(r["parse"] for r in rounds),
            "import_rows_per_s": max(r["import"] for r in rounds)}


def print_import(result: dict[str, Any]) -> None:
    into = f" into a database of {result['base']:,} other dossiers" if result["base"] else ""
    print(f"\nImport of a {result['rows']:,}-row xlsx{into} (rows per second of wall clock and of CPU, this "
          "process + reader worker; each round: the parser alone (fastexcel, as the import calls it), the "
          "reference parser (python-calamine to Python rows, issue 13's 'parser alone'), then the whole "
          "import: parse + validate + load + derived tables, reader worker warm; ratio = import / parser)")
    print(f"{'round':>5} {'parser wall':>12} {'parser CPU':>11} {'ref. wall':>10} {'ref. CPU':>9} "
          f"{'import wall':>12} {'import CPU':>11} {'ratio wall':>11} {'ratio CPU':>10} "
          f"{'ref. ratio wall':>16} {'ref. ratio CPU':>15} {'load avg':>9}")
    for i, r in enumerate(result["rounds"], start=1):
        print(f"{i:5} {r['parse']:12,.0f} {r['parse_cpu']:11,.0f} {r['reference']:10,.0f} "
              f"{r['reference_cpu']:9,.0f} {r['import']:12,.0f} {r['import_cpu']:11,.0f} "
              f"{r['import'] / r['parse']:11.2f} {r['import_cpu'] / r['parse_cpu']:10.2f} "
              f"{r['import'] / r['reference']:16.2f} {r['import_cpu'] / r['reference_cpu']:15.2f} {r['load']:9.1f}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m analytics.bench", description=__doc__.splitlines()[0])
    parser.add_argument("--dossiers", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--import-rows", type=int, default=100_000)
    parser.add_argument("--skip-import", action="store_true")
    parser.add_argument("--import-base", type=int, default=0,
                        help="also import into a database already holding this many other dossiers")
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
            print_import(bench_import(frames, args.import_rows, tmp_path / "fresh", as_of))
            if args.import_base:
                print_import(bench_import(frames, args.import_rows, tmp_path / "based", as_of, base=args.import_base))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

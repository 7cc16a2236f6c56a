"""Province- and national-scale timings of every query the pages run (not a test).

    .venv/bin/python scripts/scale_bench.py --dossiers 10000000 --db /data/scale/province.duckdb \\
        --memory-limit 4GB --threads 2 --parquet /data/scale/parquet
    nice -n 19 .venv/bin/python scripts/scale_bench.py --dossiers 30000000 \\
        --build-parquet /data/scale/national --memory-limit 3GB --threads 2

``--build-parquet DIR`` is the national-scale design: no DuckDB file at all.
The generator's chunks (``--chunk-size`` dossiers with their steps) each go
through an in-memory DuckDB held to ``--memory-limit``, which builds the
chunk's derived tables with facts.sql (exact per chunk: a dossier and its
steps are always in one chunk, and every fact is per dossier) and the
pre-aggregated tables of scripts/scale_bench.sql, and appends them to the
year-partitioned Parquet layout of ``export-parquet``. Memory is bounded by a
chunk, disk by the compressed Parquet. Then the engine runs every page's
queries on the folder (:func:`analytics.store.parquet.connect_parquet`), and
the period totals are also read from the pre-aggregates and checked equal.

Builds the demo office at ``--dossiers`` (five years, 4 steps each) by
streaming the generator's chunks into one write (memory bounded by a chunk,
not by the database), unless the database exists. Then, with DuckDB limited
to ``--memory-limit`` and ``--threads``, times each engine method the pages
call (first run, then the median of ``--repeat``) for a year, a quarter, one
agency, and an agency officer's scope; optionally the same on a Parquet export.
Prints Markdown tables for docs/SCALE.md. scripts/bench_engine.py is the
engine-vs-pandas comparison; this is the page-by-page view at scale.
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any, Callable

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from analytics.indicators.engine import Engine  # noqa: E402 - after the sys.path set-up above
from analytics.indicators.filters import Filters  # noqa: E402 - after the sys.path set-up above
from analytics.reminders.watchlist import build_watchlist  # noqa: E402 - after the sys.path set-up above
from analytics.store.database import (  # noqa: E402 - after the sys.path set-up above
    AnalyticsStore,
    refresh_derived,
    schema_sql,
)
from analytics.store.parquet import (  # noqa: E402 - after the sys.path set-up above
    EXPORT_MANIFEST,
    PARTITIONED,
    ROW_GROUP_SIZE,
    SINGLE,
    connect_parquet,
)

AS_OF = date(2026, 11, 26)
# (page, engine method, keyword arguments): what each page asks the engine.
PAGE_QUERIES: tuple[tuple[str, str, dict[str, Any]], ...] = (
    ("(every page) filter options", "options", {}),
    ("Tổng quan", "totals", {}),
    ("Tổng quan", "trend", {"grain": "month"}),
    ("Tổng quan / Biểu 06", "report06", {}),
    ("Đúng hạn", "by_agency", {}),
    ("Đúng hạn", "by_field", {}),
    ("Đúng hạn", "late_dossiers", {"limit": 1000}),
    ("Giai đoạn", "by_stage", {}),
    ("Giai đoạn", "stage_agency", {}),
    ("Người thụ lý", "by_handler", {}),
    ("Người thụ lý", "late_steps", {"limit": 1000}),
    ("Trực tuyến", "fully_online_paper_heavy", {}),
    ("Trực tuyến", "trend", {"grain": "quarter"}),
    ("TTHC không phát sinh", "procedure_usage", {}),
    ("TTHC không phát sinh", "procedures_without_dossiers", {}),
    # Not an engine method: the reminders' watchlist over the open dossiers and
    # their steps, as of the data date (analytics.reminders.watchlist).
    ("Nhắc việc", "watchlist", {}),
)


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def build(db: Path, dossiers: int, memory_limit: str, threads: int) -> dict[str, float]:
    from analytics.demo.generator import iter_frames

    start = time.perf_counter()
    rows = {"dossiers": 0, "steps": 0}
    with AnalyticsStore(db).write() as con:
        con.execute(f"set memory_limit = '{memory_limit}'")
        con.execute(f"set threads = {int(threads)}")
        con.execute("set preserve_insertion_order = false")
        for chunk in iter_frames(AS_OF, years=5, dossiers_per_year=dossiers // 5, seed=7, steps_per_dossier=4):
            for table in ("agencies", "procedures", "dossiers", "steps"):
                if table not in chunk:
                    continue
                frame = chunk[table]
                con.register("chunk", frame)
                columns = ", ".join(f'"{c}"' for c in frame.columns)
                con.execute(f"insert into {table} ({columns}) select {columns} from chunk")
                con.unregister("chunk")
                rows[table] = rows.get(table, 0) + len(frame)
            print(f"  … {rows['dossiers']:,} dossiers", file=sys.stderr, flush=True)
    return {**rows, "build_s": time.perf_counter() - start}


def _statements() -> dict[str, str]:
    parts = re.split(r"^-- name: (\w+)\s*$", (ROOT / "scripts" / "scale_bench.sql").read_text(encoding="utf-8"),
                     flags=re.M)
    return {parts[i]: parts[i + 1].strip().rstrip(";") for i in range(1, len(parts), 2)}


DAILY_SQL = _statements()
DAILY = ("daily_received", "daily_resolved")


def _quote(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def build_parquet(out: Path, dossiers: int, memory_limit: str, threads: int, chunk_size: int) -> dict[str, float]:
    """The national-scale build: generator chunks straight to year-partitioned
    Parquet (export-parquet's layout) with the pre-aggregates, no database file."""
    import duckdb

    from analytics.demo.generator import iter_frames

    start = time.perf_counter()
    out.mkdir(parents=True, exist_ok=False)
    rows = {"dossiers": 0, "steps": 0}
    small: dict[str, Any] = {}
    data_date = None
    chunk_times = []
    for n, chunk in enumerate(iter_frames(AS_OF, years=5, dossiers_per_year=dossiers // 5, seed=7,
                                          steps_per_dossier=4, chunk_size=chunk_size)):
        t0 = time.perf_counter()
        small.update({k: chunk[k] for k in ("agencies", "procedures") if k in chunk})
        con = duckdb.connect()
        con.execute(f"set memory_limit = '{memory_limit}'")
        con.execute(f"set threads = {int(threads)}")
        con.execute("set preserve_insertion_order = false")
        con.execute(schema_sql())
        for table in ("agencies", "procedures", "dossiers", "steps"):
            frame = small[table] if table in small else chunk[table]
            con.register("chunk", frame)
            columns = ", ".join(f'"{c}"' for c in frame.columns)
            con.execute(f"insert into {table} ({columns}) select {columns} from chunk")
            con.unregister("chunk")
            if table in rows:
                rows[table] += len(frame)
        refresh_derived(con)  # facts.sql on this chunk only, plus units, calendar and meta
        chunk_date = con.execute("select value from meta where key = 'data_date'").fetchone()[0]
        data_date = max(data_date or chunk_date, chunk_date)
        for name in DAILY:
            con.execute(f"create table {name} as {DAILY_SQL[name]}")
        selects = {**PARTITIONED, **{name: f"select * from {name}" for name in DAILY}}
        for table, select in selects.items():
            con.execute(
                f"copy ({select}) to {_quote(out / table)} (format parquet, partition_by (year), "
                f"row_group_size {ROW_GROUP_SIZE}, compression zstd, overwrite_or_ignore true, "
                f"filename_pattern 'chunk{n:04d}_{{i}}')"
            )
        if n == 0:
            for table in SINGLE:
                if table == "meta":
                    continue
                (out / table).mkdir()
                con.execute(f"copy (select * from {table}) to {_quote(out / table / f'{table}.parquet')} "
                            "(format parquet, compression zstd)")
        con.close()
        chunk_times.append(time.perf_counter() - t0)
        print(f"  … {rows['dossiers']:,} dossiers, chunk {chunk_times[-1]:.0f} s, "
              f"peak RSS {peak_rss_mib():,.0f} MiB", file=sys.stderr, flush=True)
    # meta once, for the whole data: the latest date of any chunk.
    con = duckdb.connect()
    (out / "meta").mkdir()
    con.execute("create table meta (key varchar, value varchar)")
    con.execute("insert into meta values ('data_date', $d), ('data_version', '1')", {"d": data_date})
    con.execute(f"copy meta to {_quote(out / 'meta' / 'meta.parquet')} (format parquet)")
    (out / EXPORT_MANIFEST).write_text(json.dumps({
        "database": None, "data_version": 1, "data_date": data_date, "rows": rows,
        "partitioned_by": {t: "year" for t in (*PARTITIONED, *DAILY)},
    }), encoding="utf-8")
    return {**rows, "build_s": time.perf_counter() - start,
            "chunk_s_median": statistics.median(chunk_times) if chunk_times else 0.0}


def filter_cases(agency: str) -> dict[str, Filters]:
    """The filter sets every size is measured with: a year, a quarter, the
    busiest agency, and an officer scoped to it."""
    year = (AS_OF - timedelta(days=364), AS_OF)
    return {
        "year": Filters(*year),
        "quarter": Filters(date(2026, 7, 1), date(2026, 9, 30)),
        "year, one agency": Filters(*year, agency=agency),
        "year, officer scope": Filters(*year, scope=frozenset({agency})),
    }


def folder_mib(folder: Path) -> dict[str, float]:
    """Disk used per table folder, MiB."""
    return {p.name: sum(f.stat().st_size for f in p.rglob("*.parquet")) / 2**20
            for p in sorted(folder.iterdir()) if p.is_dir()}


def national(args: argparse.Namespace) -> int:
    """Build (unless present) and measure the chunked Parquet design."""
    out = args.build_parquet
    print(f"# {args.dossiers:,} dossiers straight to Parquet; DuckDB memory_limit {args.memory_limit}, "
          f"threads {args.threads}, chunks of {args.chunk_size:,}")
    if not out.exists():
        built = build_parquet(out, args.dossiers, args.memory_limit, args.threads, args.chunk_size)
        print(f"built {built['dossiers']:,} dossiers, {built['steps']:,} steps in {built['build_s']:.0f} s "
              f"(median chunk {built['chunk_s_median']:.0f} s); peak RSS {peak_rss_mib():,.0f} MiB")
    sizes = folder_mib(out)
    print(f"disk: {sum(sizes.values()):,.0f} MiB in all; " + ", ".join(f"{k} {v:,.0f}" for k, v in sizes.items()))
    con = connect_parquet(out, memory_limit=args.memory_limit, threads=args.threads)
    for name in DAILY:
        con.execute(f"create view {name} as select * exclude (year) from read_parquet("
                    f"{_quote(out / name / '*' / '*.parquet')}, hive_partitioning = true)")
    engine = Engine(con)
    agency = con.execute("select agency from daily_received group by agency order by sum(dossiers) desc limit 1"
                         ).fetchone()[0]
    cases = filter_cases(agency)
    CPU_MEDIANS.clear()
    rows = measure(engine, cases, args.repeat)
    print(f"\n## Engine on the chunked Parquet (ms)\n\n{table(rows, cases, list(CPU_MEDIANS))}")
    keys = ("received_new", "online", "resolved", "early", "on_time", "late")
    for label, f in cases.items():
        params = {"from": f.date_from, "to": f.date_to, "agency": f.agency,
                  "scope": sorted(f.scope) if f.scope else None}
        first, median, _ = timed(lambda p=params: con.execute(DAILY_SQL["totals_from_daily"], p).fetchall(),
                                 args.repeat)
        daily_cpu = CPU_MEDIANS[-1]
        cur = con.execute(DAILY_SQL["totals_from_daily"], params)
        daily = dict(zip([d[0] for d in cur.description], cur.fetchone(), strict=True))
        totals = engine.totals(f)
        same = all(int(daily[k]) == totals[k] for k in keys)
        print(f"totals from the pre-aggregates, {label}: first {first:.0f} ms, median {median:.0f} ms "
              f"(CPU {daily_cpu:.0f} ms); "
              f"equal to Engine.totals: {same} ({', '.join(f'{k} {totals[k]:,}' for k in keys)})")
    print(f"peak RSS of this process: {peak_rss_mib():,.0f} MiB")
    return 0


def timed(fn: Callable[[], Any], repeat: int) -> tuple[float, float, int]:
    start = time.perf_counter()
    result = fn()
    first = (time.perf_counter() - start) * 1000
    times, cpu = [], []
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        fn()
        times.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    n = len(result) if isinstance(result, list) else 1
    CPU_MEDIANS.append(statistics.median(cpu))
    return first, statistics.median(times), n


# The process CPU time (all DuckDB threads) of each timed call's median run,
# in order: on a machine shared with other jobs, wall time measures the
# neighbours; CPU time is the work (on 2 idle cores, wall ≈ CPU / 2 or more).
CPU_MEDIANS: list[float] = []


def measure(engine: Engine, cases: dict[str, Filters], repeat: int) -> list[tuple]:
    out = []
    for page, method, kwargs in PAGE_QUERIES:
        row = [page, method + (f" ({kwargs['grain']})" if "grain" in kwargs else "")]
        for f in cases.values():
            if method == "options":
                first, median, _ = timed(lambda f=f: engine.options(f.scope), repeat)
            elif method == "watchlist":
                first, median, _ = timed(lambda f=f: build_watchlist(
                    engine.con, as_of=AS_OF, scope=f.scope, agency=f.agency), repeat)
            else:
                first, median, _ = timed(lambda m=method, f=f, kwargs=kwargs: getattr(engine, m)(f, **kwargs), repeat)
            row += [first, median]
        out.append(tuple(row))
    return out


def table(rows: list[tuple], cases: dict[str, Filters], cpu: list[float] | None = None) -> str:
    """Markdown: first / median wall ms per case, and with ``cpu`` (one per
    cell, in order) the median run's CPU ms after a second slash."""
    head = "| page | query | " + " | ".join(
        f"{c} first / median{' / CPU' if cpu else ''}" for c in cases) + " |"
    sep = "|---|---|" + "---:|" * len(cases)
    lines = [head, sep]
    cells_cpu = iter(cpu or [])
    for page, method, *values in rows:
        cells = [f"{values[i]:.0f} / {values[i + 1]:.0f}" + (f" / {next(cells_cpu):.0f}" if cpu else "")
                 for i in range(0, len(values), 2)]
        lines.append(f"| {page} | `{method}` | " + " | ".join(cells) + " |")
    worst = max(v for r in rows for v in r[3::2])
    lines.append(f"\nSlowest median: {worst:.0f} ms.")
    if cpu:
        lines.append(f"Largest median CPU: {max(cpu):.0f} ms.")
    return "\n".join(lines)


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--dossiers", type=int, default=10_000_000)
    p.add_argument("--db", type=Path, help="the DuckDB file to build (if missing) and measure")
    p.add_argument("--build-parquet", type=Path, default=None,
                   help="national scale: build straight to year-partitioned Parquet here (if missing) and measure")
    p.add_argument("--chunk-size", type=int, default=1_000_000, help="dossiers per chunk of --build-parquet")
    p.add_argument("--memory-limit", default="4GB")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--repeat", type=int, default=5)
    p.add_argument("--parquet", type=Path, default=None, help="also export here and time the engine on it")
    args = p.parse_args()
    if args.build_parquet:
        return national(args)
    if not args.db:
        p.error("--db or --build-parquet is required")

    print(f"# {args.dossiers:,} dossiers; DuckDB memory_limit {args.memory_limit}, threads {args.threads}")
    if not args.db.exists():
        built = build(args.db, args.dossiers, args.memory_limit, args.threads)
        print(f"built {built['dossiers']:,} dossiers, {built['steps']:,} steps in {built['build_s']:.0f} s; "
              f"peak RSS {peak_rss_mib():,.0f} MiB")
    store = AnalyticsStore(args.db)
    size = store.current_file().stat().st_size
    con = store.reader()
    con.execute(f"set memory_limit = '{args.memory_limit}'")
    con.execute(f"set threads = {args.threads}")
    counts = {t: con.execute(f"select count(*) from {t}").fetchone()[0]
              for t in ("dossiers", "steps", "fact_dossiers", "fact_steps",
                        "late_or_open_dossiers", "late_or_open_steps")}
    print(f"rows: {counts}; database file {size / 2**20:,.0f} MiB")
    engine = Engine(con)
    agency = con.execute("select agency from fact_dossiers group by agency order by count(*) desc limit 1"
                         ).fetchone()[0]
    cases = filter_cases(agency)
    rows = measure(engine, cases, args.repeat)
    print(f"\n## DuckDB file (ms)\n\n{table(rows, cases)}")
    whole_first, whole_median, _ = timed(lambda: engine.indicators(cases["year"]), args.repeat)
    print(f"\nindicators JSON (every list at once), year: first {whole_first:.0f} ms, median {whole_median:.0f} ms")
    print(f"peak RSS of this process so far: {peak_rss_mib():,.0f} MiB")

    if args.parquet:
        from analytics.store.parquet import export_parquet

        start = time.perf_counter()
        exported = export_parquet(args.db, args.parquet, overwrite=True)
        print(f"\nexport-parquet: {time.perf_counter() - start:.0f} s, {exported.bytes / 2**20:,.0f} MiB, "
              f"years {exported.years[0]}–{exported.years[-1]}")
        pq_engine = Engine(connect_parquet(args.parquet, memory_limit=args.memory_limit, threads=args.threads))
        rows = measure(pq_engine, cases, args.repeat)
        print(f"\n## Parquet export (ms)\n\n{table(rows, cases)}")
        print(f"peak RSS of this process: {peak_rss_mib():,.0f} MiB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

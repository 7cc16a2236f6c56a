"""Province- and national-scale timings of every query the pages run (not a test).

    .venv/bin/python scripts/scale_bench.py --dossiers 10000000 --db /data/scale/province.duckdb \\
        --memory-limit 4GB --threads 2 --parquet /data/scale/parquet
    nice -n 19 .venv/bin/python scripts/scale_bench.py --dossiers 10000000 \\
        --build-parquet /data/scale/national --memory-limit 2GB --threads 2 --chunk-size 1000000

``--build-parquet DIR`` is the national-scale design: no DuckDB file at all.
The dossiers and their steps of an invented country (34 provinces, 3 808
units, the demo's procedure catalogue) are generated in DuckDB SQL,
``--chunk-size`` dossiers at a time (scripts/scale_bench.sql: every draw a
hash of the dossier number, so a chunk is the same whatever the chunk size),
in an in-memory DuckDB held to ``--memory-limit`` and ``--threads``, which
builds the chunk's derived tables with facts.sql (exact per chunk: a dossier
and its steps are always in one chunk, and every fact is per dossier) and the
day pre-aggregates, and appends them to the year-partitioned Parquet layout
of ``export-parquet``; the month tables are rolled up from the day tables at
the end. Memory is bounded by a chunk, disk by the compressed Parquet. Then
(unless ``--build-only``) the engine runs every page's queries on the folder
(:func:`analytics.store.parquet.connect_parquet`), and the totals, the
per-agency counts and the monthly trend are also read from the day and month
tables, timed and checked equal to the engine's.

With ``--db``, builds the demo office at ``--dossiers`` (five years, 4 steps each) by
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
import resource
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any, Callable

import duckdb
import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from analytics.demo.generator import iter_frames  # noqa: E402 - after the sys.path set-up above
from analytics.demo.names import (  # noqa: E402 - after the sys.path set-up above
    FAMILY_NAMES,
    FEMALE_GIVEN,
    FEMALE_MIDDLE,
    MALE_GIVEN,
    MALE_MIDDLE,
)
from analytics.indicators.engine import Engine  # noqa: E402 - after the sys.path set-up above
from analytics.indicators.filters import Filters  # noqa: E402 - after the sys.path set-up above
from analytics.locale.workdays import default_calendar  # noqa: E402 - after the sys.path set-up above
from analytics.reminders.watchlist import build_watchlist  # noqa: E402 - after the sys.path set-up above
from analytics.sqlfiles import split_named  # noqa: E402 - after the sys.path set-up above
from analytics.store.database import (  # noqa: E402 - after the sys.path set-up above
    AnalyticsStore,
    refresh_derived,
    refresh_work_calendar,
    schema_sql,
    sql_literal,
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
    named = split_named((ROOT / "scripts" / "scale_bench.sql").read_text(encoding="utf-8"))
    return {name: text.rstrip(";") for name, text in named.items()}


def _readers(parts: dict[str, str]) -> dict[str, str]:
    """The readers of the pre-aggregates: each counting query over each row
    source, as one statement named ``<count>_from_<source>`` (scale_bench.sql,
    "Readers")."""
    return {f"{count}_from_{source}": f"with\n{parts[f'rows_from_{source}']},\n\n{parts[f'count_{count}']}"
            for count in ("totals", "by_agency", "trend") for source in ("daily", "monthly")}


DAILY_SQL = _statements()
DAILY_SQL |= _readers(DAILY_SQL)
DAILY = ("daily_received", "daily_resolved")


# The national data set (--build-parquet): an invented country of PROVINCES
# provinces, each with its departments (Sở, the land registry, the tax and
# social-insurance offices) and COMMUNES communes and wards, about 3 800
# units, the two-tier structure since 1/7/2025. Names are made up from common
# place-name syllables; the procedures are the demo's catalogue (the national
# TTHC wording), each received by a commune or by the department of its field.
PROVINCES = 34
COMMUNES = 98
_PROVINCE_SYLLABLES = (("An", "Bình", "Hòa", "Phú", "Tân", "Long", "Vĩnh", "Quảng", "Hưng", "Đông", "Thái", "Kim"),
                       ("Sơn", "Giang", "Lâm", "Phước", "Điền", "Hải", "Thành", "Ninh", "Yên", "Xuyên", "Lộc"))
_COMMUNE_SYLLABLES = (("An", "Bình", "Hòa", "Phú", "Tân", "Long", "Vĩnh", "Mỹ", "Hưng", "Đông", "Tây", "Nam",
                       "Bắc", "Trung", "Kim", "Thạnh", "Phước", "Thuận", "Xuân", "Hiệp"),
                      ("Sơn", "Giang", "Lâm", "Điền", "Hải", "Thành", "Ninh", "Yên", "Lộc", "Hội", "Lợi",
                       "Thắng", "Phong", "Mỹ", "Quý", "Đức", "Hà", "Khánh"))
# (name before "tỉnh X", kind, the fields of the procedures it receives)
DEPARTMENTS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("Văn phòng đăng ký đất đai", "local", ("Đất đai", "Đăng ký biện pháp bảo đảm")),
    ("Sở Tư pháp", "local", ("Chứng thực", "Nuôi con nuôi", "Bồi thường nhà nước", "Hòa giải ở cơ sở")),
    ("Sở Nông nghiệp và Môi trường", "local", ("Môi trường", "Nông nghiệp", "Lâm nghiệp")),
    ("Sở Xây dựng", "local", ("Xây dựng", "Quy hoạch xây dựng, kiến trúc")),
    ("Sở Giáo dục và Đào tạo", "local", ("Giáo dục và Đào tạo",)),
    ("Sở Y tế", "local", ("Y tế", "An toàn thực phẩm", "Bảo trợ xã hội", "Trẻ em", "Phòng, chống tệ nạn xã hội")),
    ("Sở Nội vụ", "local", ("Thi đua, khen thưởng", "Tôn giáo", "Tổ chức phi chính phủ", "Công chức, viên chức",
                            "Việc làm", "Người có công")),
    ("Sở Tài chính", "local", ("Thành lập và hoạt động của hợp tác xã",
                               "Thành lập và hoạt động của hộ kinh doanh", "Quản lý công sản")),
    ("Sở Công Thương", "local", ("Lưu thông hàng hóa trong nước",)),
    ("Sở Văn hóa, Thể thao và Du lịch", "local", ("Văn hóa",)),
    ("Thanh tra tỉnh", "local", ("Giải quyết khiếu nại",)),
    ("Thuế tỉnh", "vertical", ()),
    ("Bảo hiểm xã hội tỉnh", "vertical", ()),
)
_TAX_SLOT = 100 + [d[0] for d in DEPARTMENTS].index("Thuế tỉnh")


def _place_names(syllables: tuple[tuple[str, ...], tuple[str, ...]], count: int, offset: int) -> list[str]:
    first, second = syllables
    pairs = [f"{a} {b}" for a in first for b in second if a != b]
    step = 7 if len(pairs) % 7 else 11   # coprime with the number of pairs: every pair once
    return [pairs[(offset + k * step) % len(pairs)] for k in range(count)]


def national_catalogue() -> dict[str, Any]:
    """The country's agencies and procedures (schema frames) and the tables
    the generator SQL joins: gen_agencies, gen_procedures, gen_days."""
    rng = np.random.default_rng(16)
    agencies, gen_agencies = [], []
    field_department = {field: 100 + k for k, (_, _, fields) in enumerate(DEPARTMENTS) for field in fields}
    for p, province in enumerate(_place_names(_PROVINCE_SYLLABLES, PROVINCES, 3)):
        head = f"UBND tỉnh {province}"
        agencies.append((head, "Tỉnh", None, "local"))
        units = [(100 + k, f"{name} {province}" if name.endswith("tỉnh") else f"{name} tỉnh {province}", "Tỉnh", kind)
                 for k, (name, kind, _) in enumerate(DEPARTMENTS)]
        units += [(c, f"UBND {'phường' if c % 5 == 0 else 'xã'} {name}, tỉnh {province}", "Xã", "local")
                  for c, name in enumerate(_place_names(_COMMUNE_SYLLABLES, COMMUNES, 13 * p))]
        tax = f"Thuế tỉnh {province}"
        for slot, name, level, kind in units:
            agencies.append((name, level, head, kind))
            # most units are rarely late, a few often (a cubed draw: mean about 2 %)
            gen_agencies.append((p, slot, name, 0.004 + 0.07 * float(rng.random()) ** 3, tax))
    catalogue = next(iter(iter_frames(AS_OF, years=5, dossiers_per_year=50, seed=7, chunk_size=1000)))["procedures"]
    procedures = catalogue.sample(frac=1.0, random_state=16).reset_index(drop=True)   # popularity order
    to_commune = (procedures["level"] == "Xã") | (rng.random(len(procedures)) < 0.55)
    procedures["level"] = np.where(to_commune, "Xã", "Tỉnh")
    gen_procedures = pd.DataFrame({
        "pidx": np.arange(len(procedures), dtype=np.int32),
        "code": procedures["code"], "name": procedures["name"], "field": procedures["field"],
        "online_level": procedures["online_level"],
        "limit_days": procedures["time_limit_value"].fillna(5).round().astype(np.int32),
        "receiver": np.where(to_commune, "commune", "department"),
        "department": [field_department.get(f, 106) for f in procedures["field"]],
    })
    calendar = default_calendar()
    first = date(AS_OF.year - 5, AS_OF.month, AS_OF.day) + timedelta(days=1)
    days = [first + timedelta(days=k) for k in range((AS_OF - first).days + 800)]
    days = [d for d in days if calendar.is_working_day(d)]
    history = sum(d <= AS_OF for d in days)
    return {
        "agencies": pd.DataFrame(agencies, columns=["name", "level", "parent", "kind"]),
        "procedures": procedures,
        "gen_agencies": pd.DataFrame(gen_agencies, columns=["province", "slot", "name", "late_rate", "tax_office"]),
        "gen_procedures": gen_procedures,
        "gen_days": pd.DataFrame({"idx": np.arange(len(days), dtype=np.int32), "day": days}),
        "history_days": history,
        "last_day_idx": len(days) - 1,
        "families": [f for f, _ in FAMILY_NAMES],
        "middles": list(MALE_MIDDLE + FEMALE_MIDDLE),
        "givens": list(MALE_GIVEN + FEMALE_GIVEN),
    }


def _insert_frame(con: Any, table: str, frame: Any) -> None:
    con.register("frame", frame)
    columns = ", ".join(f'"{c}"' for c in frame.columns)
    con.execute(f"insert into {table} ({columns}) select {columns} from frame")
    con.unregister("frame")


def generate_chunk(con: Any, catalogue: dict[str, Any], lo: int, hi: int, total: int) -> None:
    """Dossiers lo ≤ n < hi of ``total`` and their four steps each, in SQL
    (scale_bench.sql, gen_dossiers / insert_dossiers / insert_steps), into the
    schema's dossiers and steps tables of ``con``."""
    for name in ("gen_agencies", "gen_procedures", "gen_days"):
        con.register("frame", catalogue[name])
        con.execute(f"create or replace temp table {name} as select * from frame")
        con.unregister("frame")
    params = {"lo": lo, "hi": hi, "total": total, "growth": 0.6, "history_days": catalogue["history_days"],
              "procedures": len(catalogue["gen_procedures"]), "provinces": PROVINCES, "communes": COMMUNES,
              "as_of": AS_OF, "last_day_idx": catalogue["last_day_idx"]}
    con.execute(DAILY_SQL["gen_dossiers"], params)
    con.execute(DAILY_SQL["insert_dossiers"])
    con.execute(DAILY_SQL["insert_steps"], {"as_of": AS_OF, "last_day_idx": catalogue["last_day_idx"],
                                            "families": catalogue["families"], "middles": catalogue["middles"],
                                            "givens": catalogue["givens"]})
    con.execute("drop table gen")


def build_parquet(out: Path, dossiers: int, memory_limit: str, threads: int, chunk_size: int) -> dict[str, float]:
    """The national-scale build: dossiers and steps generated in SQL chunk by
    chunk, each chunk's derived tables (facts.sql) and pre-aggregates written
    straight to year-partitioned Parquet (export-parquet's layout), no
    database file."""
    start = time.perf_counter()
    out.mkdir(parents=True, exist_ok=False)
    catalogue = national_catalogue()
    rows = {"dossiers": 0, "steps": 0}
    data_date = None
    chunk_times = []
    for n, lo in enumerate(range(0, dossiers, chunk_size)):
        t0 = time.perf_counter()
        con = duckdb.connect()
        con.execute(f"set memory_limit = '{memory_limit}'")
        con.execute(f"set threads = {int(threads)}")
        con.execute("set preserve_insertion_order = false")
        con.execute(schema_sql())
        for table in ("agencies", "agency_aliases", "procedures"):
            if table in catalogue:
                _insert_frame(con, table, catalogue[table])
        generate_chunk(con, catalogue, lo, min(lo + chunk_size, dossiers), dossiers)
        for table in rows:
            rows[table] += con.execute(f"select count(*) from {table}").fetchone()[0]
        refresh_derived(con)  # facts.sql on this chunk only, plus units, calendar and meta
        if n == 0:
            # The units the first chunk gave every agency (register_units: a
            # few seconds for 3 800 units): the next chunks start from them.
            catalogue["agencies"] = con.execute("select * from agencies").df()
            catalogue["agency_aliases"] = con.execute("select * from agency_aliases").df()
        chunk_date = con.execute("select value from meta where key = 'data_date'").fetchone()[0]
        data_date = max(data_date or chunk_date, chunk_date)
        for name in DAILY:
            con.execute(f"create table {name} as {DAILY_SQL[name]}")
        selects = {**PARTITIONED, **{name: f"select * from {name}" for name in DAILY}}
        for table, select in selects.items():
            con.execute(
                f"copy ({select}) to {sql_literal(out / table)} (format parquet, partition_by (year), "
                f"row_group_size {ROW_GROUP_SIZE}, compression zstd, overwrite_or_ignore true, "
                f"filename_pattern 'chunk{n:04d}_{{i}}')"
            )
        if n == 0:
            for table in SINGLE:
                if table in ("meta", "work_calendar"):
                    continue
                (out / table).mkdir()
                con.execute(f"copy (select * from {table}) to {sql_literal(out / table / f'{table}.parquet')} "
                            "(format parquet, compression zstd)")
        con.close()
        chunk_times.append(time.perf_counter() - t0)
        print(f"  … {rows['dossiers']:,} dossiers, chunk {chunk_times[-1]:.1f} s, "
              f"peak RSS {peak_rss_mib():,.0f} MiB", file=sys.stderr, flush=True)
    # meta and the working-day calendar once, for the whole data: the latest
    # date of any chunk, the days from the first to the last of any chunk.
    con = duckdb.connect()
    con.execute(schema_sql())
    for table in ("dossiers", "steps"):
        con.execute(f"drop table {table}")
        con.execute(f"create view {table} as select * from read_parquet("
                    f"{sql_literal(out / table / '*' / '*.parquet')}, hive_partitioning = true)")
    refresh_work_calendar(con)
    for table in ("meta", "work_calendar"):
        (out / table).mkdir()
    target = sql_literal(out / "work_calendar" / "work_calendar.parquet")
    con.execute(f"copy work_calendar to {target} (format parquet)")
    con.execute("create or replace table meta (key varchar, value varchar)")
    con.execute("insert into meta values ('data_date', $d), ('data_version', '1')", {"d": data_date})
    con.execute(f"copy meta to {sql_literal(out / 'meta' / 'meta.parquet')} (format parquet)")
    con.close()
    rollup_monthly(out, memory_limit, threads)
    (out / EXPORT_MANIFEST).write_text(json.dumps({
        "database": None, "data_version": 1, "data_date": data_date, "rows": rows,
        "partitioned_by": {t: "year" for t in (*PARTITIONED, *DAILY, *MONTHLY)},
    }), encoding="utf-8")
    return {**rows, "build_s": time.perf_counter() - start,
            "chunk_s_median": statistics.median(chunk_times) if chunk_times else 0.0}


MONTHLY = ("monthly_received", "monthly_resolved")


def rollup_monthly(out: Path, memory_limit: str, threads: int) -> float:
    """The month tables (scale_bench.sql) from the day tables of a built
    folder, year-partitioned beside them; returns the seconds taken."""
    start = time.perf_counter()
    con = duckdb.connect()
    con.execute(f"set memory_limit = '{memory_limit}'")
    con.execute(f"set threads = {int(threads)}")
    con.execute("set preserve_insertion_order = false")
    for name in DAILY:
        con.execute(f"create view {name} as select * exclude (year) from read_parquet("
                    f"{sql_literal(out / name / '*' / '*.parquet')}, hive_partitioning = true)")
    for name in MONTHLY:
        con.execute(f"copy ({DAILY_SQL[name]}) to {sql_literal(out / name)} (format parquet, partition_by (year), "
                    f"row_group_size {ROW_GROUP_SIZE}, compression zstd)")
    con.close()
    return time.perf_counter() - start


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
          f"threads {args.threads}, chunks of {args.chunk_size:,}; load average {load_average()}")
    if not out.exists():
        built = build_parquet(out, args.dossiers, args.memory_limit, args.threads, args.chunk_size)
        print(f"built {built['dossiers']:,} dossiers, {built['steps']:,} steps in {built['build_s']:.0f} s "
              f"(median chunk {built['chunk_s_median']:.1f} s); peak RSS {peak_rss_mib():,.0f} MiB; "
              f"load average {load_average()}")
    sizes = folder_mib(out)
    print(f"disk: {sum(sizes.values()):,.0f} MiB in all; " + ", ".join(f"{k} {v:,.0f}" for k, v in sizes.items()))
    if not (out / MONTHLY[0]).exists():
        # A folder built before the month tables: roll them up now.
        seconds = rollup_monthly(out, args.memory_limit, args.threads)
        print(f"month tables rolled up from the day tables in {seconds:.0f} s")
        sizes = folder_mib(out)
    if args.build_only:
        return 0
    con = connect_parquet(out, memory_limit=args.memory_limit, threads=args.threads)
    for name in (*DAILY, *MONTHLY):
        con.execute(f"create view {name} as select * exclude (year) from read_parquet("
                    f"{sql_literal(out / name / '*' / '*.parquet')}, hive_partitioning = true)")
    counts = {t: con.execute(f"select count(*) from {t}").fetchone()[0]
              for t in ("fact_dossiers", "fact_steps", "late_or_open_dossiers", "late_or_open_steps",
                        "open_dossier_steps", *DAILY, *MONTHLY)}
    print(f"rows: {counts}")
    engine = Engine(con)
    agency = con.execute("select agency from daily_received group by agency order by sum(dossiers) desc limit 1"
                         ).fetchone()[0]
    cases = filter_cases(agency)
    CPU_MEDIANS.clear()
    rows = measure(engine, cases, args.repeat)
    print(f"\n## Engine on the chunked Parquet, raw facts (ms; load average {load_average()})\n\n"
          f"{table(rows, cases, list(CPU_MEDIANS))}")
    print(f"\n## Raw facts against the pre-aggregates (ms, first / median / CPU; load average {load_average()})\n")
    print("| query | case | facts | day tables | month + day tables | equal |\n|---|---|---:|---:|---:|---|")
    for method, statement, compare in DAILY_QUERIES:
        for label, f in cases.items():
            params = {"from": f.date_from, "to": f.date_to, "agency": f.agency,
                      "scope": sorted(f.scope) if f.scope else None}
            kwargs = {"grain": "month"} if method == "trend" else {}
            facts_first, facts_median, _ = timed(lambda m=method, f=f, kw=kwargs: getattr(engine, m)(f, **kw),
                                                 args.repeat)
            facts_cpu = CPU_MEDIANS[-1]
            daily_first, daily_median, _ = timed(lambda p=params, q=statement: con.execute(DAILY_SQL[q], p).fetchall(),
                                                 args.repeat)
            daily_cpu = CPU_MEDIANS[-1]
            monthly = statement.replace("_daily", "_monthly")
            month_first, month_median, _ = timed(
                lambda p=params, q=monthly: con.execute(DAILY_SQL[q], p).fetchall(), args.repeat)
            month_cpu = CPU_MEDIANS[-1]
            expected = getattr(engine, method)(f, **kwargs)
            same = []
            for q in (statement, monthly):
                cur = con.execute(DAILY_SQL[q], params)
                names = [d[0] for d in cur.description]
                same.append(compare([dict(zip(names, r, strict=True)) for r in cur.fetchall()], expected))
            print(f"| `{method}` | {label} | {facts_first:.0f} / {facts_median:.0f} / {facts_cpu:.0f} "
                  f"| {daily_first:.0f} / {daily_median:.0f} / {daily_cpu:.0f} "
                  f"| {month_first:.0f} / {month_median:.0f} / {month_cpu:.0f} | {' / '.join(map(str, same))} |")
    print(f"peak RSS of this process: {peak_rss_mib():,.0f} MiB; load average {load_average()}")
    return 0


def _same_totals(daily: list[dict[str, Any]], totals: dict[str, Any]) -> bool:
    keys = ("received_new", "online", "resolved", "early", "on_time", "late")
    return all(int(daily[0][k]) == totals[k] for k in keys)


def _same_keyed(key: str) -> Callable[[list[dict[str, Any]], list[dict[str, Any]]], bool]:
    """Rows keyed by ``key`` with equal new / resolved / late counts (the
    engine lists keys with nothing in the period too: those count as zero)."""
    def same(daily: list[dict[str, Any]], facts: list[dict[str, Any]]) -> bool:
        counts = ("received_new", "resolved", "late")
        left = {r[key]: tuple(int(r[c]) for c in counts) for r in daily}
        right = {r[key]: tuple(int(r[c] or 0) for c in counts) for r in facts}
        keys = set(left) | set(right)
        return all(left.get(k, (0, 0, 0)) == right.get(k, (0, 0, 0)) for k in keys)
    return same


# (engine method, pre-aggregate statement of scale_bench.sql, equality check)
DAILY_QUERIES: tuple[tuple[str, str, Callable[[list[dict[str, Any]], Any], bool]], ...] = (
    ("totals", "totals_from_daily", _same_totals),
    ("by_agency", "by_agency_from_daily", _same_keyed("agency")),
    ("trend", "trend_from_daily", _same_keyed("period_start")),
)


def load_average() -> str:
    """The 1-minute load average: the machine is shared, every number is read next to it."""
    return Path("/proc/loadavg").read_text(encoding="utf-8").split()[0]


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
    p.add_argument("--build-only", action="store_true", help="with --build-parquet: build, print the disk use, stop")
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

"""The analytics tables as year-partitioned Parquet, and the engine on them.

``python -m analytics export-parquet --db data/motcua.duckdb --out data/parquet``
writes (hive layout, readable unchanged by DuckDB, Spark, Trino, ClickHouse)::

    out/
      dossiers/year=2024/data_0.parquet   ← year the dossier was received
      steps/year=2024/...                 ← the year of its dossier: a dossier and
      fact_dossiers/year=2024/...            its steps always share a partition
      fact_steps/year=2024/...
      late_or_open_dossiers/year=2024/...
      late_or_open_steps/year=2024/...
      open_dossier_steps/year=2024/...
      agencies/agencies.parquet           ← small tables: one file each
      agency_aliases/agency_aliases.parquet  ← every spelling of each agency unit
      procedures/procedures.parquet
      meta/meta.parquet
      work_calendar/work_calendar.parquet
      procedure_aliases/…, import_profiles/…  ← only once the officer has
                                             attached a procedure name or
                                             remembered an import layout
      _export.json                        ← row counts, data version, data date

``fact_dossiers`` / ``fact_steps`` are the derived tables every indicator
reads, ``late_or_open_dossiers`` / ``late_or_open_steps`` their few rows the
late lists read, ``open_dossier_steps`` the steps of unfinished dossiers the
reminders' watchlist reads (analytics/store/sql/facts.sql); exporting them lets a cluster run
the same indicator SQL without rebuilding them (it may also rebuild them from
``dossiers`` / ``steps`` with facts.sql, see analytics/indicators/dialects.py).

:func:`connect_parquet` opens an in-memory DuckDB with one view per table over
``read_parquet(..., hive_partitioning = true)``, so
``Engine(connect_parquet(out))`` runs every query unchanged.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from analytics.locale.clock import utc_now
from analytics.store.database import AnalyticsStore, StoreError, one_value, sql_literal

# table -> expression of its partition year (None: not partitioned). Fixed
# text, never from input. A step takes the year of its dossier (received);
# a step whose dossier is missing falls back to its own due date's year.
PARTITIONED: dict[str, str] = {
    "dossiers": "select t.*, year(t.received_at) as year from dossiers as t",
    "steps": ("select t.*, coalesce(year(d.received_at), year(t.due_at)) as year from steps as t "
              "left join dossiers as d on d.code = t.dossier_code"),
    "fact_dossiers": "select t.*, year(t.received_on) as year from fact_dossiers as t",
    "fact_steps": ("select t.*, coalesce(year(d.received_on), year(t.due_on)) as year from fact_steps as t "
                   "left join fact_dossiers as d on d.code = t.dossier_code"),
    "late_or_open_dossiers": "select t.*, year(t.received_on) as year from late_or_open_dossiers as t",
    "late_or_open_steps": ("select t.*, coalesce(year(d.received_on), year(t.due_on)) as year "
                           "from late_or_open_steps as t "
                           "left join fact_dossiers as d on d.code = t.dossier_code"),
    "open_dossier_steps": ("select t.*, coalesce(year(d.received_at), year(t.due_at)) as year "
                           "from open_dossier_steps as t "
                           "left join dossiers as d on d.code = t.dossier_code"),
}
# work_calendar: the office's working days, which facts.sql reads to attribute
# lateness; a cluster rebuilding the facts needs it (indicators/dialects.py).
# agency_aliases: the spellings of each agency unit (issue 13), so a cluster
# resolves "UBND xã …" and "Ủy ban nhân dân xã …" to one unit as the app does,
# and an agency filter or a scope spelled another way selects its unit.
# agency_current: each unit's successor today (issue 14), which the reminders'
# watchlist reads to hand a predecessor's open work to the unit that took it
# over.
SINGLE = ("agencies", "agency_aliases", "agency_current", "procedures", "meta", "work_calendar")
TABLES = (*PARTITIONED, *SINGLE)
# The officer's import decisions: procedure names attached to catalogue codes
# and remembered layouts. The importer creates these tables on first use, so
# an export carries them only when the database has them.
OPTIONAL = ("procedure_aliases", "import_profiles")
# Tables a reader skips when absent: the optional ones, and those older
# exports lack (names are then taken as spelled).
MAY_BE_ABSENT = (*OPTIONAL, "agency_aliases", "agency_current")
EXPORT_MANIFEST = "_export.json"
# Row groups of ~120k rows keep min/max statistics useful for date filters.
ROW_GROUP_SIZE = 122_880


class ParquetError(Exception):
    """An export or a Parquet folder that cannot be used, for people."""


@dataclass
class ExportResult:
    out: Path
    rows: dict[str, int]
    years: list[int]
    bytes: int
    data_version: int | None
    data_date: str | None


def export_parquet(db_path: str | os.PathLike[str], out: str | os.PathLike[str], *,
                   overwrite: bool = False, memory_limit: str | None = None) -> ExportResult:
    """Write every analytics table of the current state under ``out``.

    The export is built in a temporary folder beside ``out`` and renamed into
    place: readers of ``out`` see the old export or the new one, whole.
    ``memory_limit`` (DuckDB's, e.g. ``"4GB"``) bounds the export on a
    machine that runs other things; by default DuckDB may use 80 % of RAM.

    Raises:
        ParquetError: no database, or ``out`` exists and ``overwrite`` is false.
    """
    store = AnalyticsStore(db_path)
    if not store.exists():
        raise ParquetError(f"Không tìm thấy cơ sở dữ liệu {db_path}")
    store.upgrade_derived()  # a database written by an older version
    out = Path(out).absolute()
    if out.exists() and not overwrite:
        raise ParquetError(f"Thư mục {out} đã có; dùng --overwrite để thay")
    out.parent.mkdir(parents=True, exist_ok=True)
    work = out.with_name(f".{out.name}.{os.getpid()}.partial")
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir()
    previous_limit = None
    try:
        con = store.reader()
        previous_limit = one_value(con, "select current_setting('memory_limit')")
        if memory_limit:
            try:
                con.execute(f"set memory_limit = {sql_literal(memory_limit)}")
            except duckdb.Error as exc:
                raise ParquetError(f"Giới hạn bộ nhớ không hợp lệ {memory_limit!r} (ví dụ: 4GB)") from exc
        present = {name for (name,) in con.execute(
            "select table_name from duckdb_tables() where schema_name = 'main'").fetchall()}
        optional = tuple(t for t in OPTIONAL if t in present)
        rows: dict[str, int] = {}
        for table in (*TABLES, *optional):
            rows[table] = one_value(con, f"select count(*) from {table}")
        for table, select in PARTITIONED.items():
            target = work / table
            if rows[table] == 0:
                # Nothing to partition: one empty file keeps the schema.
                target.mkdir()
                con.execute(f"copy (select * from {table}) to {sql_literal(target / 'empty.parquet')} "
                            "(format parquet)")
                continue
            con.execute(
                f"copy ({select}) to {sql_literal(target)} "
                f"(format parquet, partition_by (year), row_group_size {ROW_GROUP_SIZE}, "
                "compression zstd)"
            )
        for table in (*SINGLE, *optional):
            (work / table).mkdir()
            con.execute(f"copy (select * from {table}) to {sql_literal(work / table / f'{table}.parquet')} "
                        "(format parquet, compression zstd)")
        meta = dict(con.execute("select key, value from meta").fetchall())
        years = sorted(int(p.name.split("=", 1)[1]) for p in (work / "dossiers").glob("year=*"))
        data_version = int(meta["data_version"]) if meta.get("data_version") else None
        data_date = meta.get("data_date")
        manifest = {
            "exported_at": utc_now().isoformat(timespec="seconds"),
            "database": Path(db_path).name,
            "data_version": data_version,
            "data_date": data_date,
            "rows": rows,
            "partitioned_by": {t: "year" for t in PARTITIONED},
        }
        (work / EXPORT_MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2),
                                            encoding="utf-8")
        if out.exists():
            old = out.with_name(f".{out.name}.{os.getpid()}.old")
            os.replace(out, old)
            os.replace(work, out)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(work, out)
    except (StoreError, duckdb.Error, OSError) as exc:
        raise ParquetError(f"Không xuất được Parquet: {exc}") from exc
    finally:
        shutil.rmtree(work, ignore_errors=True)
        if memory_limit and previous_limit is not None:
            # The reader is shared in this process: give it its own limit back.
            with contextlib.suppress(duckdb.Error):
                con.execute(f"set memory_limit = {sql_literal(previous_limit)}")
    size = sum(p.stat().st_size for p in out.rglob("*.parquet"))
    return ExportResult(out, rows, years, size, data_version, data_date)


def connect_parquet(folder: str | os.PathLike[str], *, memory_limit: str | None = None,
                    threads: int | None = None) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB whose tables are views over an exported folder.

    The views have the names and columns of the analytics database (the hive
    ``year`` column is left out), so :class:`analytics.indicators.engine.Engine` runs on
    it unchanged; DuckDB reads the files in place, skipping row groups by
    their statistics.

    Raises:
        ParquetError: the folder is not an export.
    """
    root = Path(folder).absolute()
    if not (root / EXPORT_MANIFEST).is_file():
        raise ParquetError(f"{root} không phải thư mục xuất Parquet (thiếu {EXPORT_MANIFEST})")
    con = duckdb.connect()
    if memory_limit:
        con.execute(f"set memory_limit = {sql_literal(memory_limit)}")
    if threads:
        con.execute(f"set threads = {int(threads)}")
    for table in (*TABLES, *(t for t in OPTIONAL if (root / t).is_dir())):
        folder_path = root / table
        if not folder_path.is_dir() and table in MAY_BE_ABSENT:
            continue
        if not folder_path.is_dir():
            raise ParquetError(f"Thiếu bảng {table} trong {root}")
        if table in PARTITIONED and any(folder_path.glob("year=*")):
            source = (f"read_parquet({sql_literal(folder_path / '*' / '*.parquet')}, hive_partitioning = true, "
                      "hive_types = {'year': integer})")
            con.execute(f"create view {table} as select * exclude (year) from {source}")
        else:
            source = f"read_parquet({sql_literal(folder_path / '*.parquet')})"
            con.execute(f"create view {table} as select * from {source}")
    return con


def export_info(folder: str | os.PathLike[str]) -> dict[str, Any]:
    """The ``_export.json`` of an export folder."""
    return json.loads((Path(folder) / EXPORT_MANIFEST).read_text(encoding="utf-8"))

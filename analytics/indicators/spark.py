"""The indicator engine on Spark: the same queries, run by a Spark cluster.

A province with a Spark cluster points the product at its Parquet export
(``python -m analytics export-parquet``) and a master URL, and gets the
numbers of the DuckDB engine without any SQL written twice::

    engine = spark_engine("/data/motcua-parquet", master="spark://head:7077")
    engine.indicators(Filters(date(2026, 1, 1), date(2026, 3, 31)))

Every table of the export becomes a temporary view with the name the SQL
reads (the hive ``year`` folder column left out, as in
:func:`analytics.store.parquet.connect_parquet`). Each query the
:class:`~analytics.indicators.engine.Engine` runs, written in DuckDB's dialect,
is translated by SQLGlot (:func:`analytics.indicators.dialects.translate`)
and run with Spark's named parameters (``spark.sql(text, args=...)``): values
are bound, never pasted into the text; only the drill-down lists' row limit,
an int, is written as a literal (Spark takes no parameter there). Rows come
back with DuckDB's Python types (decimals as floats).

The master URL: the ``master`` argument, else ``MOTCUA_SPARK_MASTER``,
else ``local[*]`` (every core of this machine).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from pyspark.errors import AnalysisException
from pyspark.sql import SparkSession

from analytics.indicators.dialects import translate
from analytics.indicators.engine import Engine
from analytics.store.agency_names import SQL as AGENCY_SQL
from analytics.store.parquet import EXPORT_MANIFEST, MAY_BE_ABSENT, OPTIONAL, PARTITIONED, TABLES, ParquetError

MASTER_ENV = "MOTCUA_SPARK_MASTER"
DEFAULT_MASTER = "local[*]"
# Small-data settings for one process (tests, a laptop): one shuffle
# partition per core is plenty below millions of rows, the web UI would
# open a port per session, and the driver stays small beside other work.
LOCAL_CONF: dict[str, str] = {
    "spark.ui.enabled": "false",
    "spark.ui.showConsoleProgress": "false",
    "spark.sql.shuffle.partitions": "2",
    "spark.driver.memory": "768m",
    # Timestamps without a zone (DuckDB's TIMESTAMP) stay wall-clock times.
    "spark.sql.session.timeZone": "UTC",
}


def master_url(master: str | None = None) -> str:
    """The Spark master: the argument, else ``MOTCUA_SPARK_MASTER``, else ``local[*]``."""
    return master or os.environ.get(MASTER_ENV) or DEFAULT_MASTER


def spark_session(master: str | None = None, conf: Mapping[str, str] | None = None,
                  app_name: str = "motcua-indicators") -> SparkSession:
    """A Spark session on :func:`master_url` (an existing one in this process
    is reused: Spark allows one context per process). ``conf`` adds to or
    replaces :data:`LOCAL_CONF` for a local master; a cluster's own defaults
    apply otherwise."""
    url = master_url(master)
    builder = SparkSession.builder.master(url).appName(app_name)
    settings = {**(LOCAL_CONF if url.startswith("local") else {}), **(conf or {})}
    for key, value in settings.items():
        builder = builder.config(key, value)
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    return spark


def register_parquet(spark: SparkSession, folder: str | os.PathLike[str]) -> None:
    """One temporary view per table of an ``export-parquet`` folder, named
    as the indicator SQL reads it.

    Raises:
        ParquetError: the folder is not an export, or a table is missing.
    """
    root = Path(folder).absolute()
    if not (root / EXPORT_MANIFEST).is_file():
        raise ParquetError(f"{root} không phải thư mục xuất Parquet (thiếu {EXPORT_MANIFEST})")
    for table in (*TABLES, *OPTIONAL):
        path = root / table
        if not path.is_dir():
            if table in MAY_BE_ABSENT:
                continue
            raise ParquetError(f"Thiếu bảng {table} trong {root}")
        frame = spark.read.parquet(str(path))
        if table in PARTITIONED and "year" in frame.columns:
            frame = frame.drop("year")
        frame.createOrReplaceTempView(table)


@lru_cache(maxsize=512)
def _spark_text(sql: str, limit: int | None) -> tuple[str, tuple[str, ...]]:
    """The Spark text of a DuckDB query and its parameter names (``p_<name>``).
    Cached: the engine runs a few dozen distinct texts."""
    translated = translate("query", sql, "spark", params={"limit": limit})
    return translated.sql, translated.parameters


def _python(value: Any) -> Any:
    """A Spark value as DuckDB's Python API gives it."""
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, list):
        return [_python(v) for v in value]
    return value


class SparkBackend:
    """Runs the engine's DuckDB-dialect SQL on a Spark session whose temporary
    views are the tables of an export (:func:`register_parquet`)."""

    def __init__(self, spark: SparkSession):
        self.spark = spark

    def rows(self, sql: str, params: dict[str, Any]) -> list[dict[str, Any]]:
        limit = params.get("limit")
        text, names = _spark_text(sql, int(limit) if limit is not None else None)
        args = {name: params[name.removeprefix("p_")] for name in names}
        frame = self.spark.sql(text, args=args) if args else self.spark.sql(text)
        columns = frame.columns
        return [{c: _python(v) for c, v in zip(columns, row, strict=True)} for row in frame.collect()]

    def canonical_names(self) -> dict[str, str]:
        # An export written before agency_aliases was exported has none:
        # names are then taken as spelled, as on such an export in DuckDB.
        try:
            self.spark.table("agency_aliases")
        except AnalysisException:
            return {}
        return {r["alias_key"]: r["name"] for r in self.rows(AGENCY_SQL["canonical"].rstrip(";"), {})}


def spark_engine(folder: str | os.PathLike[str], spark: SparkSession | None = None,
                 master: str | None = None) -> Engine:
    """An :class:`Engine` over an export folder, on ``spark`` or a session on ``master``."""
    session = spark or spark_session(master)
    register_parquet(session, folder)
    return Engine(SparkBackend(session))

"""The indicator SQL for other engines: Trino, Spark (and any SQLGlot dialect).

A province that already runs a cluster reads the Parquet export
(analytics/store/parquet.py) there and runs the same indicator queries, translated
from DuckDB's dialect by SQLGlot. The queries are taken from the engine itself
(every query every public :class:`~analytics.indicators.engine.Engine` method runs, for
every grouping of the allow-lists), so nothing is written twice.

Before translating, a few DuckDB conveniences become portable SQL (checked by
running the portable form back in DuckDB, see tests/test_dialects.py):

* ``group by all`` becomes the explicit list of non-aggregate columns;
* ``select unnest(generate_series(...))`` becomes a ``from unnest(...)`` table
  (Trino ``UNNEST(SEQUENCE(...))``, Spark ``EXPLODE(SEQUENCE(...))``);
* a ``limit`` bound to a parameter (the drill-downs' ``$limit``) is dropped:
  Trino and Spark take only a literal there; fetch the rows you need (given
  the values, ``translate(..., params=...)`` writes the limit as a literal
  int instead, as the Spark backend does: analytics/indicators/spark.py);
* a literal with a decimal point (``/ 365.25``) becomes a DOUBLE: DuckDB
  divides by it in double precision, Spark and Trino would round to the
  DECIMAL literal's scale;
* Spark only: ``grouping(a, b)`` becomes ``grouping_id(a, b)``, the same bit
  mask (Spark's ``grouping`` takes one column);
* parameters: Trino has positional ``?`` (:attr:`Translated.parameters` gives
  their order, for ``EXECUTE ... USING``); Spark named markers ``:p_<name>``
  (``spark.sql(text, args={"p_from": ...})``, Spark 3.4+), prefixed because
  names such as ``from`` are reserved words there.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

import duckdb
import sqlglot
from sqlglot import exp

from analytics.indicators.engine import TREND_GRAINS, Engine
from analytics.indicators.filters import Filters
from analytics.sqlfiles import read_sql
from analytics.store.database import refresh_work_calendar, schema_sql

DIALECTS = ("trino", "spark")


@dataclass(frozen=True)
class Translated:
    """One query in one dialect, with the order (Trino) or names (Spark) of its parameters."""

    name: str
    dialect: str
    sql: str
    parameters: tuple[str, ...]
    dropped_limit: bool


class _Recorder(Engine):
    """An engine that records the text of every query instead of trusting a list."""

    def __init__(self, con: duckdb.DuckDBPyConnection):
        super().__init__(con)
        self.queries: dict[str, str] = {}
        self._label = ""

    def _run(self, sql: str, params: dict[str, Any]) -> list[dict[str, Any]]:
        if self._label:
            self.queries.setdefault(self._label, sql)
        return super()._run(sql, params)


# A label ending so is recorded as over data with no steps at all (the
# engine then reads other queries, e.g. by_handler per dossier-level handler).
NO_STEPS = "_no_steps"
# Engine methods and arguments whose queries are the indicators. Each label
# names one query text; methods that run several (indicators) add nothing new.
_CALLS: tuple[tuple[str, str, dict[str, Any]], ...] = (
    ("totals", "totals", {}),
    # The KPI cards' three periods in one query (classified_dossiers joined to periods).
    ("totals_periods", "totals_periods",
     {"periods": [(date(2026, 1, 1), date(2026, 3, 31)), (date(2025, 10, 1), date(2025, 12, 31)),
                  (date(2025, 1, 1), date(2025, 3, 31))]}),
    # The same periods and the agencies of the first, from one query (grouping sets).
    ("totals_periods_by_agency", "totals_periods_by_agency",
     {"periods": [(date(2026, 1, 1), date(2026, 3, 31)), (date(2025, 10, 1), date(2025, 12, 31)),
                  (date(2025, 1, 1), date(2025, 3, 31))]}),
    ("by_agency", "by_agency", {}),
    ("by_field", "by_field", {}),
    ("overview", "overview", {}),
    ("report06", "report06", {}),
    ("procedure_usage", "procedure_usage", {}),
    ("procedures_without_dossiers", "procedures_without_dossiers", {}),
    *((f"trend_{grain}", "trend", {"grain": grain}) for grain in TREND_GRAINS),
    ("fully_online_paper_heavy", "fully_online_paper_heavy", {}),
    ("late_dossiers", "late_dossiers", {}),
    ("by_stage", "by_stage", {}),
    ("by_handler", "by_handler", {}),
    # Data with no steps at all: per dossier-level handler (handler_counts_dossier.sql).
    (f"by_handler{NO_STEPS}", "by_handler", {}),
    ("stage_agency", "stage_agency", {}),
    ("late_steps", "late_steps", {}),
    # Chỉ số 766 (issue 15): its counts (the office's row) and a loss list.
    ("index_766", "index_766", {}),
    ("index_766_trend", "index_766_trend", {}),  # the same counts, every month in one query
    ("index_766_losses", "index_766_losses", {}),
)


def indicator_queries() -> dict[str, str]:
    """Every indicator query as the engine runs it (DuckDB dialect), by name.

    Recorded from a real engine over an empty database of the schema, so a
    new grouping or SQL file is picked up as soon as a method uses it.
    """
    con = duckdb.connect()
    try:
        con.execute(schema_sql())
        refresh_work_calendar(con)
        con.execute(read_sql("analytics.store", "facts"))
        con.execute("insert into meta values ('data_date', '2026-03-31')")
        recorder = _Recorder(con)
        f = Filters(date(2026, 1, 1), date(2026, 3, 31))
        for label, method, kwargs in _CALLS:
            recorder._label = label
            recorder._has_steps = not label.endswith(NO_STEPS)
            getattr(recorder, method)(f, **kwargs)
        return dict(recorder.queries)
    finally:
        con.close()


def facts_statements() -> dict[str, str]:
    """The statements of facts.sql (``create or replace table <name> as ...``),
    by table name, in order: a cluster that receives only dossiers and steps
    builds the facts with them, and with the ``work_calendar`` table of the
    Parquet export (working days: AnalyticsStore builds it in Python)."""
    text = read_sql("analytics.store", "facts")
    statements = [s for s in sqlglot.parse(text, read="duckdb") if s is not None]
    return {s.this.name if isinstance(s.this, exp.Table) else s.this.this.name: s.sql("duckdb")
            for s in statements}


# -- portable rewrites -----------------------------------------------------------

def _expand_group_by_all(node: exp.Expression) -> exp.Expression:
    if isinstance(node, exp.Select):
        group = node.args.get("group")
        if isinstance(group, exp.Group) and group.args.get("all"):
            keys = [e.unalias().copy() for e in node.expressions if not e.find(exp.AggFunc)]
            node.set("group", exp.Group(expressions=keys))
    return node


def _unnest_into_from(node: exp.Expression) -> exp.Expression:
    """``select unnest(x)::date as d`` (no from) -> ``select cast(series.value as date) as d
    from unnest(x) as series(value)``."""
    if isinstance(node, exp.Select) and not node.args.get("from_") and len(node.expressions) == 1:
        generator = node.expressions[0].find(exp.Explode)
        if generator is not None:
            series = generator.this.copy()
            generator.replace(exp.column("value", "series"))
            node.set("from_", exp.From(this=exp.Unnest(
                expressions=[series],
                alias=exp.TableAlias(this=exp.to_identifier("series"), columns=[exp.to_identifier("value")]),
            )))
    return node


def _drop_parameter_limit(tree: exp.Expression, params: dict[str, Any] | None) -> bool:
    """Drop each limit bound to a parameter; with ``params``, write the
    parameter's value there instead (an int; None: no limit). Returns whether
    a limit was dropped without its value."""
    dropped = False
    for select in tree.find_all(exp.Select):
        limit = select.args.get("limit")
        placeholder = limit.find(exp.Placeholder) if limit is not None else None
        if placeholder is None:
            continue
        value = params.get(placeholder.name) if params is not None else None
        if value is None:
            select.set("limit", None)
            dropped = params is None
        else:
            # An int from the engine's own arguments, never text: safe as a literal.
            select.set("limit", exp.Limit(expression=exp.Literal.number(int(value))))
    return dropped


def _decimal_literal_as_double(node: exp.Expression) -> exp.Expression:
    """``x / 365.25``: DuckDB divides in double precision; Spark (and Trino)
    would divide by a DECIMAL literal and round to its scale (3.887748 for
    3.887748117727584). A literal with a decimal point becomes a DOUBLE."""
    if isinstance(node, exp.Literal) and not node.is_string and "." in node.this:
        return exp.Cast(this=node.copy(), to=exp.DataType.build("DOUBLE"))
    return node


def _grouping_id(node: exp.Expression) -> exp.Expression:
    """Spark's ``grouping`` takes one column; its ``grouping_id(a, b)`` is the
    bit mask DuckDB's and Trino's ``grouping(a, b)`` return."""
    if isinstance(node, exp.Grouping) and len(node.expressions) > 1:
        return exp.Anonymous(this="GROUPING_ID", expressions=[e.copy() for e in node.expressions])
    return node


def portable(sql: str, params: dict[str, Any] | None = None) -> tuple[exp.Expression, bool]:
    """The DuckDB query as a portable syntax tree, and whether a limit was dropped.

    With ``params`` (the values the query will run with), a limit bound to a
    parameter is written as its value instead of being dropped.
    """
    tree = sqlglot.parse_one(sql, read="duckdb")
    tree = tree.transform(_expand_group_by_all).transform(_unnest_into_from).transform(_decimal_literal_as_double)
    dropped = _drop_parameter_limit(tree, params)
    return tree, dropped


def translate(name: str, sql: str, dialect: str, params: dict[str, Any] | None = None) -> Translated:
    """One DuckDB query in ``dialect`` (``trino``, ``spark``, or another SQLGlot dialect).

    ``params``: see :func:`portable` (the limit written as a literal).
    """
    tree, dropped = portable(sql, params)
    if dialect == "spark":
        tree = tree.transform(_grouping_id)
    # Named markers first, so the generated text tells the parameters' order.
    for placeholder in list(tree.find_all(exp.Placeholder)):
        placeholder.replace(exp.Placeholder(this=f"p_{placeholder.name}"))
    text = tree.sql(dialect, pretty=True, comments=False)
    markers = re.compile(r":p_([a-z_][a-z0-9_]*)\b")
    order = tuple(markers.findall(text))
    if dialect == "trino":
        return Translated(name, dialect, markers.sub("?", text), order, dropped)
    return Translated(name, dialect, text, tuple(dict.fromkeys(f"p_{n}" for n in order)), dropped)


def translate_all(dialect: str) -> dict[str, Translated]:
    """Every indicator query, and the facts statements, in ``dialect``."""
    queries = {**{f"facts_{k}": v for k, v in facts_statements().items()}, **indicator_queries()}
    return {name: translate(name, sql, dialect) for name, sql in queries.items()}


def bind_trino(translated: Translated, params: dict[str, Any]) -> list[Any]:
    """The positional values for a Trino query, from the engine's named parameters."""
    return [params[name] for name in translated.parameters]

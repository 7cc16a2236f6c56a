"""The indicator engine: every number the pages, reports and CLI show.

Indicator SQL lives in ``analytics/indicators/sql/*.sql``; each file is a chain of named
CTEs building on the shared ones of ``base.sql``. Filters and scope travel as
bound parameters. The only text ever substituted into SQL are grouping
expressions from the allow-lists below.
"""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache
from typing import Any, Iterable, Protocol, Sequence

import duckdb

from analytics.indicators import index766
from analytics.indicators.filters import Filters
from analytics.indicators.registry import BIEU06_COLUMNS, CONVENTION_BIEU06, CONVENTION_PORTAL766, convention
from analytics.locale.text import fold
from analytics.sqlfiles import read_sql
from analytics.store.agency_names import canonical, canonical_names

_PARAM = re.compile(r"\$([a-z_][a-z0-9_]*)")

# An agency's level, on the rows of one agency only, for grouping sets that
# also sum several agencies: on such a row any_value would be whichever
# agency's row came first, not the same from run to run.
_OWN_AGENCY_LEVEL = "case when grouping(agency) = 0 then any_value(agency_level) end as level,"

# Grouping allow-lists: name -> (select-list prefix, group by clause).
DOSSIER_GROUPINGS: dict[str, tuple[str, str]] = {
    "total": ("", ""),
    "agency": ("agency, any_value(agency_level) as level,", "group by agency"),
    "field": ("field,", "group by field"),
    # totals, by agency and by field in one scan (split by grouping_id).
    "overview": (
        f"agency, field, grouping(agency, field) as grouping_id, {_OWN_AGENCY_LEVEL}",
        "group by grouping sets ((), (agency), (field))",
    ),
    "report06": (
        "agency_level as level, field, grouping(agency_level, field) as grouping_id,",
        "group by grouping sets ((agency_level, field), (agency_level), ())",
    ),
    "level": ("agency_level as level,", "group by agency_level"),
    # One row per period of a query over several periods (compose(periods=n)).
    "period": ("period,", "group by period"),
    # ... and one per period and agency beside them (split by grouping_id).
    "period_agency": (
        f"period, agency, grouping(agency) as grouping_id, {_OWN_AGENCY_LEVEL}",
        "group by grouping sets ((period), (period, agency))",
    ),
}
STEP_GROUPINGS: dict[str, tuple[str, str]] = {
    "stage": ("step_name as stage,", "group by step_name"),
    "stage_agency": ("step_name as stage, agency,", "group by step_name, agency"),
}
TREND_GRAINS: dict[str, str] = {"month": "1 month", "quarter": "3 months"}
# The tables the shared queries of base.sql read. The late lists read only
# the facts finished after their due date or not finished (facts.sql): every
# row they can show, a few percent of all.
FACTS: dict[str, dict[str, str]] = {
    "all": {"dossier_facts": "fact_dossiers", "step_facts": "fact_steps"},
    "late_or_open": {"dossier_facts": "late_or_open_dossiers", "step_facts": "late_or_open_steps"},
}
# The period of classified_dossiers (base.sql): the query's own ...
ONE_PERIOD = {"period_from": "$from::date", "period_to": "$to::date", "period_as_of": "$as_of::date",
              "period_source": "filtered_dossiers"}
# ... or, for several periods in one scan, the columns of the periods CTE
# (:func:`periods_cte`), each dossier joined to every period it is new or
# carried over in: received by the period's end, and received in it, still
# open at its start or finished in it or later (a dossier finished before it
# was received counts as new, as is_new says).
SEVERAL_PERIODS = {
    "period_from": "period_from", "period_to": "period_to", "period_as_of": "period_as_of",
    "period_source": """filtered_dossiers
        join periods
          on received_on <= period_to
         and (received_on >= period_from or finished_on is null or finished_on >= period_from)""",
}
# At most this many periods in one query (Chỉ số 766's trend: 24 months).
MAX_PERIODS = 24

# Counts of missing or reworked data (issue 13), in the totals and in every
# by_agency / by_field row: received_new = online + direct_postal +
# channel_unknown; no_due_date, due_computed and rescheduled count dossiers
# of received_total (docs/INDICATORS.md, "Missing data").
DATA_QUALITY_KEYS = ("channel_unknown", "no_due_date", "due_computed", "rescheduled")
TOTAL_KEYS = (
    "received_total", "carried_over", "received_new", "online", "direct_postal",
    "resolved", "early", "on_time", "late", "pending", "pending_within",
    "pending_overdue", "on_time_rate", "online_share", "progress_766",
    *DATA_QUALITY_KEYS,
)
# Carried by each Biểu 06 row beside the form's columns, for its footnotes.
REPORT06_NOTE_KEYS = ("channel_unknown", "no_due_date")
# Where by_handler's rows come from: the step log, or (data with no steps at
# all) the dossiers' own handler column.
HANDLER_SOURCE_STEPS = "steps"
HANDLER_SOURCE_DOSSIER = "dossier"


class AgencyNotFound(LookupError):
    """An agency name that matches no agency, or several."""

    def __init__(self, message: str, candidates: list[str]):
        super().__init__(message)
        self.candidates = candidates


def _strip_comments(sql: str) -> str:
    return "\n".join(line for line in sql.splitlines() if not line.lstrip().startswith("--"))


def periods_cte(n: int) -> str:
    """The ``periods`` CTE of a query over ``n`` periods: one row per period,
    its number (0 to n - 1) and its dates, every one a bound parameter
    (``$period_from_<i>``, ``$period_to_<i>``, ``$period_as_of_<i>``). The
    text depends on ``n`` alone; a union of selects, not a VALUES list, so
    that every engine SQLGlot writes for reads it the same."""
    if not 1 <= n <= MAX_PERIODS:
        raise ValueError(f"between 1 and {MAX_PERIODS} periods, not {n}")
    rows = "\n    union all\n".join(
        f"    select {i} as period, $period_from_{i}::date as period_from, $period_to_{i}::date as period_to,"
        f" $period_as_of_{i}::date as period_as_of"
        for i in range(n)
    )
    return f"periods as (\n{rows}\n)"


@lru_cache(maxsize=None)
def compose(name: str, facts: str = "all", periods: int = 0, **fragments: str) -> str:
    """The SQL of one indicator file with the shared CTEs of base.sql in front.

    Args:
        name: the file name in ``analytics/indicators/sql`` without ``.sql``.
        facts: which tables base.sql reads, a key of :data:`FACTS`.
        periods: 0 for the period of ``$from`` and ``$to``; n for n periods
            at once (:func:`periods_cte`), classified_dossiers then holding a
            row per dossier and period, with the period's number in ``period``.
        fragments: allow-listed text for the file's ``{placeholders}``.
    """
    body = _strip_comments(read_sql("analytics.indicators", name)).strip()
    if fragments:
        body = body.format(**fragments)
    if not body.startswith("with"):
        raise ValueError(f"{name}.sql must start with 'with'")
    period = SEVERAL_PERIODS if periods else ONE_PERIOD
    base = _strip_comments(read_sql("analytics.indicators", "base")).strip().format(**FACTS[facts], **period)
    if periods:
        base = periods_cte(periods) + ",\n" + base
    return without_unused_ctes("with\n" + base + ",\n" + body[len("with"):].lstrip())


# A named query of a composed statement: ",\n" then "name as (" on a line of its own.
_CTE_SPLIT = re.compile(r",\n(?=\n?[a-z_][a-z0-9_]* as \(\n)")
_CTE_NAME = re.compile(r"\n?([a-z_][a-z0-9_]*) as \(\n")


def without_unused_ctes(sql: str) -> str:
    """``sql`` without the named queries nothing in it reads.

    base.sql's shared queries go in front of every indicator, but a
    dossier query reads no step and a step query no dossier: DuckDB binds
    and plans every named query of a statement, read or not, which was
    1-2 ms of the 5-12 ms a query of the dashboard costs. A named query is
    kept when the final select, or a kept query, names it; the rest of the
    text is unchanged. Text in any other shape is returned as it is."""
    if not sql.startswith("with\n"):
        return sql
    chunks = _CTE_SPLIT.split(sql[len("with\n"):])
    names = []
    for chunk in chunks:
        found = _CTE_NAME.match(chunk)
        if found is None:
            return sql
        names.append(found.group(1))
    # The last chunk holds the last named query and the statement's select.
    kept = {len(chunks) - 1}
    todo = [chunks[-1]]
    while todo:
        text = todo.pop()
        for i, name in enumerate(names):
            if i not in kept and re.search(rf"\b{name}\b", text):
                kept.add(i)
                todo.append(chunks[i])
    return "with\n" + ",\n".join(chunk for i, chunk in enumerate(chunks) if i in kept)


class Backend(Protocol):
    """Where the engine's SQL runs. Every query is written in DuckDB's dialect
    with ``$name`` parameters; a backend for another engine translates it
    (analytics/indicators/spark.py). Rows come back as dicts with Python
    values of DuckDB's types (ints, floats, str, bool, date, datetime)."""

    def rows(self, sql: str, params: dict[str, Any]) -> list[dict[str, Any]]:
        """The rows of ``sql`` with ``params`` bound (exactly the ones it uses)."""
        ...

    def canonical_names(self) -> dict[str, str]:
        """alias key -> unit name (analytics/store/agency_names.py); empty
        when the data carry no alias table."""
        ...


class DuckDBBackend:
    """A DuckDB connection (or cursor): the analytics database file, or the
    views of :func:`analytics.store.parquet.connect_parquet`."""

    def __init__(self, con: duckdb.DuckDBPyConnection):
        self.con = con

    def rows(self, sql: str, params: dict[str, Any]) -> list[dict[str, Any]]:
        cur = self.con.execute(sql, params)
        names = [d[0] for d in cur.description]
        return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]

    def canonical_names(self) -> dict[str, str]:
        return canonical_names(self.con)


class Engine:
    """Indicator queries over one analytics database connection (or cursor),
    or over any :class:`Backend` (Spark: analytics/indicators/spark.py)."""

    def __init__(self, con: duckdb.DuckDBPyConnection | Backend, *,
                 agency_names: dict[str, str] | None = None,
                 data_facts: tuple[date | None, bool] | None = None):
        """``agency_names``: the backend's :meth:`Backend.canonical_names`;
        ``data_facts``: ``(data_date(), has_steps())``. Both when the caller
        already has them for this state of the data (the dashboard keeps
        them per data version instead of reading them for every engine it
        makes: two small queries per engine, several engines per page)."""
        self.backend: Backend = DuckDBBackend(con) if isinstance(con, duckdb.DuckDBPyConnection) else con
        self._data_date: date | None = None
        self._data_date_read = False
        self._has_steps: bool | None = None
        if data_facts is not None:
            self._data_date, self._has_steps = data_facts
            self._data_date_read = True
        self._agency_names: dict[str, str] | None = agency_names

    @property
    def con(self) -> duckdb.DuckDBPyConnection:
        """The DuckDB connection under the engine, for the readers that are
        not indicators (the reminders' watchlist, the agency listing)."""
        if isinstance(self.backend, DuckDBBackend):
            return self.backend.con
        raise TypeError(f"this engine runs on {type(self.backend).__name__}, not on a DuckDB connection")

    # -- plumbing --------------------------------------------------------
    def _run(self, sql: str, params: dict[str, Any]) -> list[dict[str, Any]]:
        used = set(_PARAM.findall(sql))
        missing = used - params.keys()
        if missing:
            raise KeyError(f"parameters missing for query: {sorted(missing)}")
        return self.backend.rows(sql, {k: v for k, v in params.items() if k in used})

    def _params(self, f: Filters, **extra: Any) -> dict[str, Any]:
        params = f.params()
        # Any known spelling of an agency selects its unit: the agency filter
        # (CLI, URL, widgets) and a user's scope, whose stored names may be
        # an old spelling or the name of a unit merged since.
        if params["agency"] is not None:
            params["agency"] = self.canonical_agency(str(params["agency"]))
        params["scope"] = self._scope_names(f.scope)
        return {**params, "as_of": self.as_of(f),
                "dossier_handlers": self.handler_source() == HANDLER_SOURCE_DOSSIER,
                "portal_clock": False, **extra}

    def _scope_names(self, scope: Iterable[str] | None) -> list[str] | None:
        if scope is None:
            return None
        return sorted({*scope, *(self.canonical_agency(n) for n in scope)})

    def canonical_agency(self, name: str) -> str:
        """The stored name of the unit ``name`` spells (analytics/store/agency_names.py),
        or ``name`` itself when no unit has that spelling."""
        if self._agency_names is None:
            self._agency_names = self.backend.canonical_names()
        return canonical(self._agency_names, name)

    # -- data facts ------------------------------------------------------
    def data_date(self) -> date | None:
        """The latest date present in the data ("Số liệu đến ngày ...")."""
        if not self._data_date_read:
            rows = self._run("select value from meta where key = 'data_date'", {})
            value = rows[0]["value"] if rows else None
            self._data_date = date.fromisoformat(value) if value else None
            self._data_date_read = True
        return self._data_date

    def has_steps(self) -> bool:
        """Whether the data hold any step at all (an export may carry no step
        log: then the stage figures are empty and by_handler reads the
        dossiers' own handler column, see :meth:`handler_source`)."""
        if self._has_steps is None:
            # count over a limit, not exists(): Spark takes exists only in a where.
            rows = self._run("select count(*) as n from (select 1 from steps limit 1) as one_step", {})
            self._has_steps = bool(rows[0]["n"])
        return self._has_steps

    def handler_source(self) -> str:
        """``"steps"`` when by_handler counts steps of the step log,
        ``"dossier"`` when the data have no steps and it counts resolved
        dossiers by their dossier-level handler (docs/INDICATORS.md)."""
        return HANDLER_SOURCE_STEPS if self.has_steps() else HANDLER_SOURCE_DOSSIER

    def as_of(self, f: Filters) -> date:
        """The earlier of the period end and the data date."""
        data_date = self.data_date()
        return min(f.date_to, data_date) if data_date else f.date_to

    def options(self, scope: frozenset[str] | None = None) -> dict[str, Any]:
        """Values offered by the filter widgets, within the user's scope."""
        scope_list = self._scope_names(scope)
        # Each agency says whether it has figures under today's units
        # (``current``) and as recorded (``recorded``): the agency filter
        # offers the ones of the view chosen (issue 14).
        agencies = self._run(
            """
            with
            today as (
                select current_agency as name from fact_dossiers
                union select current_agency from fact_steps
            ),
            recorded as (
                select distinct agency as name from dossiers
                union select distinct agency from steps
            ),
            -- A scoped user's units and their predecessors: the history handed
            -- to their units is in their figures (base.sql), so the as-recorded
            -- agency list names the old units that recorded it too.
            handed as (
                select distinct recorded_agency as name from fact_dossiers
                where list_contains($scope::varchar[], current_agency)
                union select distinct recorded_agency from fact_steps
                where list_contains($scope::varchar[], current_agency)
            )
            select
                a.name, a.level, a.parent,
                a.name in (select name from today) as current,
                a.name in (select name from recorded) as recorded
            from agencies as a
            where ($scope::varchar[] is null or list_contains($scope::varchar[], a.name)
                   or a.name in (select name from handed))
              and (a.name in (select name from recorded) or a.name in (select name from today))
            order by a.level, a.name
            """,
            {"scope": scope_list},
        )
        fields = [r["field"] for r in self._run(
            """
            select distinct field from (
                select field from procedures union all select field from dossiers
            ) where field is not null order by field
            """,
            {},
        )]
        procedures = self._run(
            "select code, name, field from procedures order by field, name", {}
        )
        dates = self._run(
            "select min(received_at)::date as min_date, max(received_at)::date as max_date from dossiers",
            {},
        )[0]
        levels = sorted({a["level"] for a in agencies if a["level"]})
        return {"agencies": agencies, "fields": fields, "levels": levels,
                "procedures": procedures, **dates}

    def resolve_agency(self, name: str) -> str:
        """The agency whose name matches ``name`` ignoring case and diacritics.

        A known spelling of a unit (the alias table: case, spacing,
        punctuation and the usual abbreviations aside) wins; then an exact
        (folded) match; otherwise a unique folded substring match. None or
        several raise :class:`AgencyNotFound` with candidates.
        """
        names = [r["name"] for r in self._run("select name from agencies order by name", {})]
        unit_name = self.canonical_agency(name)
        if unit_name in names:
            return unit_name
        wanted = fold(name)
        exact = [n for n in names if fold(n) == wanted]
        if len(exact) == 1:
            return exact[0]
        partial = exact or [n for n in names if wanted and wanted in fold(n)]
        if len(partial) == 1:
            return partial[0]
        if partial:
            raise AgencyNotFound(
                f"Tên đơn vị '{name}' khớp nhiều đơn vị: {'; '.join(partial)}", partial
            )
        raise AgencyNotFound(
            f"Không tìm thấy đơn vị '{name}'. Các đơn vị có: {'; '.join(names)}", names
        )

    # -- dossier indicators ----------------------------------------------
    def _dossier_counts(self, f: Filters, grouping: str) -> list[dict[str, Any]]:
        dimensions, group_by = DOSSIER_GROUPINGS[grouping]
        sql = compose("dossier_counts", dimensions=dimensions, group_by=group_by)
        return self._run(sql, self._params(f))

    def totals(self, f: Filters) -> dict[str, Any]:
        return _totals_row(self._dossier_counts(f, "total")[0])

    def totals_periods(self, f: Filters, periods: Sequence[tuple[date, date]]) -> list[dict[str, Any]]:
        """The totals of ``f``'s filters over each of ``periods`` ((start,
        end), at most :data:`MAX_PERIODS`), in their order, from one scan of
        the dossiers: each equal to ``totals(f.with_period(start, end))``,
        its as-of date included. The KPI cards' period, previous period and
        same period last year (analytics/indicators/summaries.py)."""
        dimensions, group_by = DOSSIER_GROUPINGS["period"]
        sql = compose("dossier_counts", periods=len(periods), dimensions=dimensions, group_by=group_by)
        rows = self._period_rows(sql, self._params(f, **self._period_params(f, periods)), len(periods))
        return [_totals_row(r if r is not None else EMPTY_TOTALS) for r in rows]

    def totals_periods_by_agency(self, f: Filters, periods: Sequence[tuple[date, date]]) -> dict[str, Any]:
        """``{"totals": totals_periods(f, periods), "by_agency":
        by_agency(f.with_period(*periods[0]))}`` from one scan: with ``f``'s
        own period first, the KPI cards' periods and the ranking of agencies
        that Tổng quan, Đúng hạn and Trực tuyến show beside them (one query
        instead of two; each part equal to its own query's answer)."""
        dimensions, group_by = DOSSIER_GROUPINGS["period_agency"]
        sql = compose("dossier_counts", periods=len(periods), dimensions=dimensions, group_by=group_by)
        rows = self._run(sql, self._params(f, **self._period_params(f, periods)))
        # grouping(agency): 1 = the period's totals, 0 = one agency in it.
        by_period = {r["period"]: r for r in rows if r["grouping_id"] == 1}
        return {
            "totals": [_totals_row(by_period.get(i) or EMPTY_TOTALS) for i in range(len(periods))],
            "by_agency": _agency_rows([r for r in rows if r["grouping_id"] == 0 and r["period"] == 0]),
        }

    def _period_params(self, f: Filters, periods: Sequence[tuple[date, date]]) -> dict[str, date]:
        params: dict[str, date] = {}
        for i, (start, end) in enumerate(periods):
            params |= {f"period_from_{i}": start, f"period_to_{i}": end,
                       f"period_as_of_{i}": self.as_of(f.with_period(start, end))}
        return params

    def _period_rows(self, sql: str, params: dict[str, Any], n: int) -> list[dict[str, Any] | None]:
        """The rows of a query grouped by period, one per period in order;
        None for a period without a dossier (a grouped query has no row for it)."""
        by_period = {r["period"]: r for r in self._run(sql, params)}
        return [by_period.get(i) for i in range(n)]

    def by_agency(self, f: Filters) -> list[dict[str, Any]]:
        return _agency_rows(self._dossier_counts(f, "agency"))

    def by_field(self, f: Filters) -> list[dict[str, Any]]:
        return _field_rows(self._dossier_counts(f, "field"))

    def overview(self, f: Filters) -> tuple[dict[str, Any], list[dict[str, Any]], list[dict[str, Any]]]:
        """totals, by_agency and by_field from one scan of the dossiers."""
        rows = self._dossier_counts(f, "overview")
        # grouping(agency, field): 3 = grand total, 1 = per agency, 2 = per field.
        total = next(r for r in rows if r["grouping_id"] == 3)
        return (
            _totals_row(total),
            _agency_rows([r for r in rows if r["grouping_id"] == 1]),
            _field_rows([r for r in rows if r["grouping_id"] == 2]),
        )

    def report06(self, f: Filters, counting: str = CONVENTION_BIEU06) -> list[dict[str, Any]]:
        """Biểu số 06/VPCP/KSTT rows: fields within each agency level, level
        subtotals, then the grand total. ``counting`` is a registered
        convention (registry.CONVENTIONS): the form's (default) or the 766
        portal's counting of supplement requests."""
        dimensions, group_by = DOSSIER_GROUPINGS["report06"]
        sql = compose("dossier_counts", dimensions=dimensions, group_by=group_by)
        rows = self._run(sql, self._params(f, portal_clock=convention(counting).portal_clock))
        kinds = {0: "field", 1: "level", 3: "total"}
        out = [
            {"row_kind": kinds[r["grouping_id"]], "level": r["level"], "field": r["field"],
             **{k: r[k] for k in BIEU06_COLUMNS}, **{k: r[k] for k in REPORT06_NOTE_KEYS}}
            for r in rows
        ]
        level_order = {"Tỉnh": 0, "Huyện": 1, "Xã": 2}

        def order(r: dict[str, Any]) -> tuple:
            if r["row_kind"] == "total":
                return (9, "", 0, "")
            level_rank = level_order.get(r["level"], 3) if r["level"] else 4
            return (level_rank, r["level"] or "", 0 if r["row_kind"] == "level" else 1,
                    fold(r["field"] or "~"))

        return sorted(out, key=order)

    def procedure_usage(self, f: Filters) -> dict[str, int]:
        return self._run(compose("procedure_usage"), self._params(f))[0]

    def procedures_without_dossiers(self, f: Filters) -> list[dict[str, Any]]:
        rows = self._run(read_sql("analytics.indicators", "procedures_without_dossiers"), self._params(f))
        return sorted(rows, key=lambda r: (fold(r["procedure_name"]), r["procedure_code"]))

    def trend(self, f: Filters, grain: str = "month") -> list[dict[str, Any]]:
        sql = compose("trend", grain=grain, step=TREND_GRAINS[grain])
        return self._run(sql, self._params(f))

    def fully_online_paper_heavy(self, f: Filters, target: float = 0.5) -> list[dict[str, Any]]:
        return self._run(compose("fully_online_paper_heavy"), self._params(f, target=target))

    def late_dossiers(
        self,
        f: Filters,
        agency: str | None = None,
        handler: str | None = None,
        stage: str | None = None,
        field: str | None = None,
        limit: int | None = None,
    ) -> list[dict[str, Any]]:
        """Dossiers resolved late in the period or pending overdue at as_of,
        with the step where each became late and its handler."""
        params = self._params(f, drill_agency=agency, drill_handler=handler,
                              drill_stage=stage, drill_field=field, limit=limit)
        return self._run(compose("late_dossiers", facts="late_or_open"), params)

    # -- Chỉ số 766 -------------------------------------------------------
    def _index_counts(self, f: Filters, grouping: str, counting: str) -> list[dict[str, Any]]:
        dimensions, group_by = DOSSIER_GROUPINGS[grouping]
        sql = compose("index_766", dimensions=dimensions, group_by=group_by)
        return self._run(sql, self._params(f, portal_clock=convention(counting).portal_clock,
                                           dislike_below=index766.DISLIKE_BELOW))

    def index_766(self, f: Filters, counting: str = CONVENTION_PORTAL766,
                  payment_split: bool = False) -> dict[str, Any]:
        """Chỉ số 766 as far as the data can tell (analytics/indicators/index766.py):
        for the whole office, by agency (ranked by points lost) and by level,
        each with groups and sub-criteria (numerator, denominator, ratio,
        points, maximum, status). ``counting`` is the Tiến độ convention
        (the portal's by default); ``payment_split`` scores payment on
        3.5 + 3.5b + 3.6 (2 + 2 + 6) instead of 10 on 3.6."""
        total_rows = self._index_counts(f, "total", counting)
        by_agency = [{"agency": r["agency"], "level": r["level"],
                      **index766.assemble(r, payment_split)}
                     for r in self._index_counts(f, "agency", counting)]
        by_level = [{"level": r["level"], **index766.assemble(r, payment_split)}
                    for r in self._index_counts(f, "level", counting) if r["level"] is not None]
        level_order = {"Tỉnh": 0, "Huyện": 1, "Xã": 2}
        return {
            "convention": counting, "payment_split": payment_split,
            "total": index766.assemble(total_rows[0] if total_rows else None, payment_split),
            "by_agency": index766.ranked_by_lost(by_agency),
            "by_level": sorted(by_level, key=lambda r: level_order.get(r["level"], 9)),
        }

    def index_766_trend(self, f: Filters, counting: str = CONVENTION_PORTAL766,
                        payment_split: bool = False) -> list[dict[str, Any]]:
        """The office's index month by month over the period (the last 24
        months), every month from one scan of the dossiers."""
        months = index766.months(f.date_from, f.date_to, limit=MAX_PERIODS)
        dimensions, group_by = DOSSIER_GROUPINGS["period"]
        sql = compose("index_766", periods=len(months), dimensions=dimensions, group_by=group_by)
        params = self._params(f, portal_clock=convention(counting).portal_clock,
                              dislike_below=index766.DISLIKE_BELOW, **self._period_params(f, months))
        rows = self._period_rows(sql, params, len(months))
        out = []
        for (start, end), row in zip(months, rows, strict=True):
            if row is None:
                # No dossier in the month: its counts are all zero, as the
                # month's own query (one row, ungrouped) says.
                row = self._index_counts(f.with_period(start, end), "total", counting)[0]
            index = index766.assemble({k: v for k, v in row.items() if k != "period"}, payment_split)
            out.append({"month": start, "points": index["points"], "reachable": index["reachable"],
                        **{g["group"]: g["points"] for g in index["groups"]}})
        return out

    def index_766_losses(self, f: Filters, criterion: str = "2.1", counting: str = CONVENTION_PORTAL766,
                         limit: int | None = None) -> list[dict[str, Any]]:
        """The dossiers that cost one sub-criterion its points (index766.LOSS_CRITERIA)."""
        if criterion not in index766.LOSS_CRITERIA:
            raise KeyError(f"no loss list for {criterion!r}")
        params = self._params(f, portal_clock=convention(counting).portal_clock, criterion=criterion,
                              dislike_below=index766.DISLIKE_BELOW, limit=limit)
        return self._run(compose("index_766_losses"), params)

    # -- step indicators -------------------------------------------------
    def _step_counts(self, f: Filters, grouping: str) -> list[dict[str, Any]]:
        dimensions, group_by = STEP_GROUPINGS[grouping]
        return self._run(compose("step_counts", dimensions=dimensions, group_by=group_by),
                         self._params(f))

    def by_stage(self, f: Filters) -> list[dict[str, Any]]:
        rows = self._step_counts(f, "stage")
        keys = ("stage", "steps", "late", "caused_late", "inherited_late", "late_rate")
        return _sort_late([{k: r[k] for k in keys} for r in rows], "stage")

    def by_handler(self, f: Filters) -> list[dict[str, Any]]:
        """Per (handler, agency): steps finished in the period and how many
        late; with no steps in the data, resolved dossiers by their
        dossier-level handler instead. Each row says which in ``source``
        (:meth:`handler_source`)."""
        source = self.handler_source()
        name = "handler_counts" if source == HANDLER_SOURCE_STEPS else "handler_counts_dossier"
        rows = self._run(compose(name), self._params(f))
        keys = ("handler", "agency", "steps", "late", "caused_late", "inherited_late", "late_dossiers",
                "late_rate")
        return _sort_late([{**{k: r[k] for k in keys}, "source": source} for r in rows],
                          "handler", "agency")

    def stage_agency(self, f: Filters) -> list[dict[str, Any]]:
        rows = self._step_counts(f, "stage_agency")
        keys = ("stage", "agency", "steps", "late", "caused_late", "inherited_late", "late_rate")
        return _sort_late([{k: r[k] for k in keys} for r in rows], "stage", "agency")

    def late_steps(
        self,
        f: Filters,
        handler: str | None = None,
        stage: str | None = None,
        agency: str | None = None,
        limit: int | None = None,
    ) -> list[dict[str, Any]]:
        """Steps finished late in the period: code, stage, handler, days late."""
        params = self._params(f, drill_handler=handler, drill_stage=stage,
                              drill_agency=agency, limit=limit)
        return self._run(compose("late_steps", facts="late_or_open"), params)

    # -- the contract ----------------------------------------------------
    def indicators(self, f: Filters) -> dict[str, Any]:
        """Everything of ``python -m analytics indicators --format json``."""
        pwd = [
            {**r, "last_received": r["last_received"].isoformat() if r["last_received"] else None,
             "published_on": r["published_on"].isoformat() if r["published_on"] else None}
            for r in self.procedures_without_dossiers(f)
        ]
        totals, by_agency, by_field = self.overview(f)
        return {
            "period": {"from": f.date_from.isoformat(), "to": f.date_to.isoformat(),
                       "as_of": self.as_of(f).isoformat()},
            "totals": totals,
            "by_agency": by_agency,
            "by_field": by_field,
            "by_stage": self.by_stage(f),
            "by_handler": self.by_handler(f),
            "procedures_without_dossiers": pwd,
            "index_766": self.index_766(f),
        }


AGENCY_KEYS = ("agency", "resolved", "late", "late_rate", "level", "received_total",
               "received_new", "online", "online_share", "early", "on_time",
               "on_time_rate", "pending", "pending_overdue", *DATA_QUALITY_KEYS)
FIELD_KEYS = ("field", "resolved", "late", "late_rate", "received_total", "received_new",
              "online", "online_share", "early", "on_time", "on_time_rate",
              "pending", "pending_overdue", *DATA_QUALITY_KEYS)


# The totals of a period without a dossier (what dossier_counts.sql gives
# ungrouped): every count zero, every rate undefined.
RATE_KEYS = frozenset({"on_time_rate", "late_rate", "online_share", "progress_766"})
EMPTY_TOTALS: dict[str, Any] = {key: None if key in RATE_KEYS else 0 for key in TOTAL_KEYS}


def _totals_row(row: dict[str, Any]) -> dict[str, Any]:
    return {key: row[key] for key in TOTAL_KEYS}


def _agency_rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return _sort_late([{k: r[k] for k in AGENCY_KEYS} for r in rows], "agency")


def _field_rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return _sort_late([{k: r[k] for k in FIELD_KEYS} for r in rows], "field")


def _sort_late(rows: list[dict[str, Any]], *name_keys: str) -> list[dict[str, Any]]:
    """Lists are sorted by late descending, then name (folded, so Đ sorts with D),
    then the exact name: "Hòa" and "Hoa" fold alike, and without the last key
    their order would be whatever order the SQL engine returned them in
    (DuckDB and Spark differ)."""
    return sorted(rows, key=lambda r: (-(r["late"] or 0), *(fold(r[k] or "") for k in name_keys),
                                       *((r[k] or "") for k in name_keys)))


# -- answers made from another answer ------------------------------------
# A page that shows both asks one query instead of two (the dashboard's
# cached answers, ui/data.py): every count is a sum of the finer rows' and
# every rate is recomputed from the sums exactly as the SQL divides them
# (DOUBLE of two BIGINTs, null on a zero denominator).

STAGE_COUNT_KEYS = ("steps", "late", "caused_late", "inherited_late")


def stages_from_stage_agency(rows: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """:meth:`Engine.by_stage`'s rows from :meth:`Engine.stage_agency`'s of
    the same filters: step_counts.sql grouped by stage, summed over agencies."""
    sums: dict[Any, dict[str, Any]] = {}
    for r in rows:
        row = sums.setdefault(r["stage"], {"stage": r["stage"], **dict.fromkeys(STAGE_COUNT_KEYS, 0)})
        for key in STAGE_COUNT_KEYS:
            row[key] += r[key]
    out = [{**row, "late_rate": row["late"] / row["steps"] if row["steps"] else None} for row in sums.values()]
    return _sort_late(out, "stage")


TREND_COUNT_KEYS = ("received_new", "online", "channel_unknown", "resolved", "early", "on_time", "late")


def quarters_from_months(rows: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """``trend(f, grain="quarter")`` from ``trend(f, grain="month")`` of the
    same filters (trend.sql): each quarter overlapping the period has at
    least one month bucket in it, and every count of a quarter is the sum of
    its months' (the same dossiers, received or finished between ``$from``
    and ``$to``). Only for a period whose start is not after its end (the
    quarter series of an inverted period can hold a bucket the month series
    has not)."""
    sums: dict[date, dict[str, Any]] = {}
    for r in rows:
        start: date = r["period_start"]
        quarter = date(start.year, 3 * ((start.month - 1) // 3) + 1, 1)
        row = sums.setdefault(quarter, {"period_start": quarter, **dict.fromkeys(TREND_COUNT_KEYS, 0)})
        for key in TREND_COUNT_KEYS:
            row[key] += r[key]
    out = []
    for quarter in sorted(sums):
        s = sums[quarter]
        known = s["received_new"] - s["channel_unknown"]
        out.append({
            "period_start": quarter, "received_new": s["received_new"], "online": s["online"],
            "channel_unknown": s["channel_unknown"],
            "online_share": s["online"] / known if known else None,
            "resolved": s["resolved"], "early": s["early"], "on_time": s["on_time"], "late": s["late"],
            "on_time_rate": (s["early"] + s["on_time"]) / s["resolved"] if s["resolved"] else None,
            "late_rate": s["late"] / s["resolved"] if s["resolved"] else None,
        })
    return out

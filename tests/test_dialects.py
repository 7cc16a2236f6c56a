"""The indicator SQL translated for Trino and Spark."""

from __future__ import annotations

import inspect
from datetime import date

import pytest
import sqlglot

from analytics.indicators.dialects import (
    _CALLS,
    DIALECTS,
    bind_trino,
    facts_statements,
    indicator_queries,
    portable,
    translate,
    translate_all,
)
from analytics.indicators.engine import DOSSIER_GROUPINGS, Engine, compose
from analytics.indicators.filters import Filters
from tests import golden as g
from tests.conftest import build_file_db

NOT_INDICATORS = {"data_date", "as_of", "options", "resolve_agency", "indicators", "has_steps", "canonical_agency",
                  "handler_source"}
TRANSLATED = {d: translate_all(d) for d in DIALECTS}


def test_every_indicator_method_is_translated():
    public = {n for n, _ in inspect.getmembers(Engine, inspect.isfunction) if not n.startswith("_")}
    assert {method for _, method, _ in _CALLS} == public - NOT_INDICATORS
    names = set(indicator_queries())
    assert {"totals", "by_agency", "report06", "by_handler", "trend_month", "trend_quarter",
            "late_dossiers", "late_steps", "procedures_without_dossiers"} <= names
    facts = ["fact_dossiers", "fact_steps", "late_or_open_dossiers", "late_or_open_steps", "open_dossier_steps"]
    assert list(facts_statements()) == facts
    assert set(TRANSLATED["trino"]) == names | {f"facts_{t}" for t in facts}


@pytest.mark.parametrize("dialect", DIALECTS)
@pytest.mark.parametrize("name", sorted(TRANSLATED["trino"]))
def test_translated_query_parses(dialect, name):
    t = TRANSLATED[dialect][name]
    tree = sqlglot.parse_one(t.sql, read=dialect)
    assert tree is not None
    text = t.sql.upper()
    assert "GROUP BY ALL" not in text and "$" not in t.sql
    for duckdb_only in ("LIST_CONTAINS", "GENERATE_SERIES", "ARG_MIN", "::"):
        assert duckdb_only not in text, duckdb_only
    if dialect == "trino":
        assert t.sql.count("?") == len(t.parameters)
        assert ":P_" not in text
    else:
        assert "?" not in t.sql
        assert all(f":{p}" in t.sql for p in t.parameters)


def test_trino_and_spark_spell_the_functions_their_way():
    trino, spark = TRANSLATED["trino"]["late_dossiers"].sql, TRANSLATED["spark"]["late_dossiers"].sql
    assert "CONTAINS(CAST(? AS ARRAY(VARCHAR))" in trino and "MIN_BY(" in trino
    assert "ARRAY_CONTAINS(CAST(:p_scope AS ARRAY<STRING>)" in spark and "MIN_BY(" in spark
    flat = {d: "".join(TRANSLATED[d]["trend_month"].sql.split()) for d in DIALECTS}
    assert "FROMUNNEST(SEQUENCE(" in flat["trino"] and "FROMEXPLODE(SEQUENCE(" in flat["spark"]
    assert TRANSLATED["trino"]["late_steps"].dropped_limit and not TRANSLATED["trino"]["totals"].dropped_limit


def test_spark_grouping_sets_and_a_bound_limit():
    spark, trino = TRANSLATED["spark"]["report06"].sql, TRANSLATED["trino"]["report06"].sql
    assert "GROUPING_ID(" in spark and "GROUPING(" not in spark.replace("GROUPING_ID(", "")
    assert "GROUPING(" in trino and "GROUPING_ID" not in trino
    sql = indicator_queries()["late_steps"]
    bound = translate("late_steps", sql, "spark", params={"limit": 7})
    assert "LIMIT 7" in bound.sql and not bound.dropped_limit and "p_limit" not in bound.parameters
    unbounded = translate("late_steps", sql, "spark", params={"limit": None})
    assert "LIMIT" not in unbounded.sql.upper().split("FINAL AS")[-1] and not unbounded.dropped_limit


def test_trino_parameters_in_text_order():
    t = translate("x", "select $to::date as a, $from::date as b where $scope::varchar[] is null", "trino")
    assert t.parameters == ("to", "from", "scope")
    assert bind_trino(t, {"from": 1, "to": 2, "scope": None, "unused": 9}) == [2, 1, None]
    spark = translate("x", "select $to::date as a, $to::date as b", "spark")
    assert spark.parameters == ("p_to",) and spark.sql.count(":p_to") == 2


@pytest.fixture(scope="module")
def golden_con(tmp_path_factory):
    store = build_file_db(tmp_path_factory.mktemp("dialects") / "office.duckdb", **g.ROWS)
    return store.reader()


def test_a_row_of_several_agencies_carries_no_agency_level(golden_con):
    """any_value(agency_level) on a row that sums several agencies is
    whichever agency's row comes first, not the same from run to run (the
    portable rewrite's comparison below once saw two runs differ there):
    such rows carry none, an agency's own rows carry its level."""
    engine = Engine(golden_con)
    f = Filters(date(2022, 1, 1), date(2026, 4, 30))
    overview = engine._dossier_counts(f, "overview")
    dimensions, group_by = DOSSIER_GROUPINGS["period_agency"]
    sql = compose("dossier_counts", periods=2, dimensions=dimensions, group_by=group_by)
    periods = [(f.date_from, f.date_to), (date(2025, 1, 1), date(2025, 12, 31))]
    by_period = engine._run(sql, engine._params(f, **engine._period_params(f, periods)))
    for rows, own in ((overview, 1), (by_period, 0)):  # grouping_id of an agency's own rows
        assert {r["level"] for r in rows if r["grouping_id"] != own} == {None}
        assert all(r["level"] for r in rows if r["grouping_id"] == own)
        assert any(r["grouping_id"] != own for r in rows)


@pytest.mark.parametrize("filters", [
    Filters(*g.MARCH),
    Filters(date(2022, 1, 1), date(2026, 4, 30), scope=frozenset({g.TNMT})),
    Filters(*g.MARCH, agency=g.XA, channel="online"),
], ids=["march", "all-scoped", "agency+channel"])
def test_portable_rewrite_gives_the_same_rows_in_duckdb(golden_con, filters):
    """The rewrites done before translating (group by all, unnest, dropped
    limit) change no result: the portable text, run back in DuckDB, returns
    exactly the engine's rows."""
    engine = Engine(golden_con)
    params = {**filters.params(), "as_of": engine.as_of(filters), "target": 0.5, "limit": None,
              "dossier_handlers": False, "portal_clock": False, "criterion": "2.1", "dislike_below": 50,
              "drill_agency": None, "drill_handler": None, "drill_stage": None, "drill_field": None}
    # The queries over several periods (recorded with three): the filters'
    # period, the same a year before, and a month before any dossier.
    year_before = (filters.date_from.replace(year=filters.date_from.year - 1),
                   filters.date_to.replace(year=filters.date_to.year - 1))
    for i, (start, end) in enumerate([(filters.date_from, filters.date_to), year_before,
                                      (date(2010, 1, 1), date(2010, 1, 31))]):
        params |= {f"period_from_{i}": start, f"period_to_{i}": end,
                   f"period_as_of_{i}": engine.as_of(filters.with_period(start, end))}
    compared = 0
    for name, sql in indicator_queries().items():
        tree, _ = portable(sql)
        text = tree.sql("duckdb")
        used = {k: v for k, v in params.items() if f"${k}" in sql}
        expected = golden_con.execute(sql, used).fetchall()
        portable_used = {k: v for k, v in used.items() if f"${k}" in text}  # a dropped limit
        got = golden_con.execute(text, portable_used).fetchall()
        if " order by " in sql.lower():
            assert got == expected, name
        else:  # no order promised (grouping sets): compare as multisets
            assert sorted(map(repr, got)) == sorted(map(repr, expected)), name
        compared += bool(expected)
    assert compared >= 10

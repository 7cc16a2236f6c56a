"""Scope in the engine: an agency officer cannot obtain another agency's rows.

Every public :class:`Engine` method is called with every combination of
filters (including ``agency`` = another agency) and drill-down arguments,
under each scope, and checked three ways:

1. no value in the result names another agency, another agency's handler or
   another agency's dossier (a liên thông step held by the scope's agency
   may name the dossier it belongs to);
2. a scope of one agency gives exactly what the agency filter gives for it
   (dossier figures by the dossier's agency, step figures by the step's);
3. a scope that excludes the filtered agency gives what an empty scope gives:
   nothing.

A new public engine method makes the test fail until it is listed here.
"""

from __future__ import annotations

import inspect
import itertools
from datetime import date
from typing import Any, Iterator

import pytest

from analytics.indicators.engine import Engine
from analytics.indicators.filters import Filters
from analytics.indicators.index766 import LOSS_CRITERIA
from tests import golden as g
from tests.conftest import build_file_db

AGENCIES = [g.XA, g.PHUONG, g.TNMT]
FIELDS = ["Chứng thực", "Hộ tịch", "Đất đai"]
CHANNELS = ["online", "direct", "postal"]
LEVELS = ["Xã", "Huyện"]
PROCEDURES = ["P1", "P2", "P3", "P7"]
HANDLERS = sorted({s[3] for s in g.STEPS})
STAGES = sorted({s[2] for s in g.STEPS})
PERIODS = [g.MARCH, (date(2022, 1, 1), date(2026, 4, 30))]
SCOPES = [frozenset({g.XA}), frozenset({g.PHUONG}), frozenset({g.TNMT}), frozenset({g.XA, g.PHUONG})]

# How each public method is called. Methods whose result does not depend on
# the filters' scope by design are listed in NOT_SCOPED with the reason.
DRILLS = {
    "late_dossiers": ("agency", "handler", "stage", "field"),
    "late_steps": ("agency", "handler", "stage"),
}
VARIANTS: dict[str, list[dict[str, Any]]] = {
    "totals": [{}], "totals_periods": [{"periods": [g.MARCH, (date(2025, 1, 1), date(2025, 12, 31))]}],
    "totals_periods_by_agency": [{"periods": [g.MARCH, (date(2025, 1, 1), date(2025, 12, 31))]}],
    "by_agency": [{}], "by_field": [{}], "overview": [{}], "report06": [{}],
    "procedure_usage": [{}], "trend": [{"grain": "month"}, {"grain": "quarter"}],
    "fully_online_paper_heavy": [{"target": 0.5}, {"target": 1.01}],
    "by_stage": [{}], "by_handler": [{}], "stage_agency": [{}], "indicators": [{}],
    "procedures_without_dossiers": [{}],
    "late_dossiers": [{}, {"limit": 1}] + [{"agency": a} for a in AGENCIES]
    + [{"handler": h} for h in HANDLERS] + [{"stage": s} for s in STAGES]
    + [{"field": f} for f in FIELDS],
    "late_steps": [{}, {"limit": 1}] + [{"agency": a} for a in AGENCIES]
    + [{"handler": h} for h in HANDLERS] + [{"stage": s} for s in STAGES],
    # Chỉ số 766 (issue 15): both conventions, the payment split, every loss list.
    "index_766": [{}, {"counting": "bieu06"}, {"payment_split": True}],
    "index_766_trend": [{}],
    "index_766_losses": [{"criterion": c} for c in LOSS_CRITERIA],
}
# Compared with the agency filter (check 2) and the empty scope (check 3).
# late_dossiers is not: under a scope its late step is the first late step
# held inside the scope, while the agency filter keeps the dossier's first.
EQUIVALENT = {"totals", "totals_periods", "totals_periods_by_agency", "by_agency", "by_field", "overview", "report06",
              "procedure_usage", "trend", "fully_online_paper_heavy", "by_stage", "by_handler", "stage_agency",
              "late_steps"}
NOT_SCOPED = {
    "data_date": "one date for the whole file, shown to everyone",
    "as_of": "the earlier of the period end and the data date",
    "options": "takes the scope as its own argument; tested below",
    "resolve_agency": "agency names are public; an officer's scope still applies to the data",
    "canonical_agency": "a spelling to its unit's name: names are public, the scope applies to the data",
    "has_steps": "whether the file holds any step at all: a fact of the data's shape, not of its rows",
    "handler_source": "which table by_handler reads (has_steps): the same for everyone",
}

DOSSIER_AGENCY = {d[0]: d[3] for d in g.DOSSIERS}
STEP_AGENCY = {(s[0], s[1]): s[4] for s in g.STEPS}


@pytest.fixture(scope="module")
def engine(tmp_path_factory) -> Engine:
    store = build_file_db(tmp_path_factory.mktemp("scope") / "office.duckdb", **g.ROWS)
    return Engine(store.reader())


def test_every_public_method_is_covered():
    public = {name for name, _ in inspect.getmembers(Engine, inspect.isfunction) if not name.startswith("_")}
    assert public == set(VARIANTS) | set(NOT_SCOPED), (
        "A public Engine method is not covered by the scope test: add it to VARIANTS or NOT_SCOPED")


def _leaves(value: Any) -> Iterator[Any]:
    if isinstance(value, dict):
        for v in value.values():
            yield from _leaves(v)
    elif isinstance(value, (list, tuple)):
        for v in value:
            yield from _leaves(v)
    else:
        yield value


def _rows(value: Any) -> Iterator[dict[str, Any]]:
    if isinstance(value, dict):
        yield value
        for v in value.values():
            yield from _rows(v)
    elif isinstance(value, list):
        for v in value:
            yield from _rows(v)


def _forbidden(scope: frozenset[str]) -> set[str]:
    """Names that must never appear in a result under ``scope``."""
    other_agencies = set(AGENCIES) - scope
    handlers_in_scope = {s[3] for s in g.STEPS if s[4] in scope}
    other_handlers = set(HANDLERS) - handlers_in_scope
    # Dossiers of other agencies, unless one of their steps is held in scope.
    visible = {code for code, agency in DOSSIER_AGENCY.items() if agency in scope}
    visible |= {code for (code, _), agency in STEP_AGENCY.items() if agency in scope}
    return other_agencies | other_handlers | (set(DOSSIER_AGENCY) - visible)


def _check_rows(result: Any, scope: frozenset[str], where: str) -> None:
    forbidden = _forbidden(scope)
    leaked = {v for v in _leaves(result) if isinstance(v, str) and v in forbidden}
    assert not leaked, f"{where}: leaked {sorted(leaked)}"
    for row in _rows(result):
        if "agency" in row and row["agency"] is not None:
            assert row["agency"] in scope, f"{where}: row of {row['agency']}"
        if "step_no" in row and "code" in row:
            assert STEP_AGENCY[(row["code"], row["step_no"])] in scope, f"{where}: step {row}"
        elif "code" in row:
            assert DOSSIER_AGENCY[row["code"]] in scope, f"{where}: dossier {row['code']}"


SINGLES: list[dict[str, Any]] = (
    [{}] + [{"field": v} for v in FIELDS] + [{"channel": v} for v in CHANNELS]
    + [{"agency_level": v} for v in LEVELS] + [{"procedure": v} for v in PROCEDURES]
)
# One value of each other filter, to cross with every agency.
ONE_OF_EACH: list[dict[str, Any]] = [
    {}, {"field": "Đất đai"}, {"channel": "online"}, {"agency_level": "Xã"}, {"procedure": "P3"},
]


def _filter_combos() -> Iterator[dict[str, Any]]:
    """No filter; each filter value alone; each agency (also those outside
    the scope) alone and crossed with one value of every other filter. The
    filters are independent conjuncts in SQL, so pairs with the agency
    filter are the combinations that can interact with the scope."""
    yield from SINGLES
    for agency in AGENCIES:
        for other in ONE_OF_EACH:
            yield {"agency": agency, **other}


def _call(engine: Engine, name: str, f: Filters, kwargs: dict[str, Any]) -> Any:
    return getattr(engine, name)(f, **kwargs)


@pytest.mark.parametrize("scope", SCOPES, ids=lambda s: "+".join(sorted(s)) or "empty")
def test_no_method_and_no_filter_leaks_another_agency(engine, scope):
    calls = 0
    nonempty = 0
    for period in PERIODS:
        for combo in _filter_combos():
            if period != g.MARCH and set(combo) - {"agency"}:
                continue  # the whole range: no filter, or only an agency
            f = Filters(*period, scope=scope, **combo)
            for name, variants in VARIANTS.items():
                if name == "indicators" and "agency" in combo:
                    continue  # the same queries as totals, by_agency... (called above)
                for kwargs in variants:
                    if kwargs and combo:
                        continue  # other arguments run with no filter (and pairwise below)
                    result = _call(engine, name, f, kwargs)
                    _check_rows(result, scope, f"{name}({combo}, {kwargs})")
                    calls += 1
                    nonempty += bool(result) and name in DRILLS
    # Drill-down arguments two at a time, without other filters.
    f = Filters(*g.MARCH, scope=scope)
    values = {"agency": AGENCIES, "handler": HANDLERS, "stage": STAGES}
    for name in DRILLS:
        for first, second in itertools.combinations(values, 2):
            for picked in itertools.product(values[first], values[second]):
                kwargs = dict(zip((first, second), picked, strict=True))
                _check_rows(_call(engine, name, f, kwargs), scope, f"{name}(scope, {kwargs})")
                calls += 1
    assert calls > 500
    if scope & {g.XA, g.TNMT}:
        assert nonempty, "the drill-downs returned nothing at all: the check proved nothing"


def test_the_checks_would_catch_a_leak(engine):
    """Without a scope the same calls do return the names the checks forbid."""
    f = Filters(*g.MARCH)
    seen = {v for name, variants in VARIANTS.items() for kw in variants
            for v in _leaves(_call(engine, name, f, kw)) if isinstance(v, str)}
    for scope in SCOPES:
        assert _forbidden(scope) & seen
    with pytest.raises(AssertionError, match="leaked"):
        _check_rows(engine.by_handler(f), frozenset({g.XA}), "unscoped by_handler")


@pytest.mark.parametrize("agency", AGENCIES)
def test_scope_of_one_agency_equals_its_agency_filter(engine, agency):
    scope = frozenset({agency})
    for period in PERIODS:
        combos = SINGLES + [{"agency": a} for a in AGENCIES] if period == g.MARCH else (
            [{}] + [{"agency": a} for a in AGENCIES])
        for combo in combos:
            scoped = Filters(*period, scope=scope, **combo)
            if combo.get("agency") in (None, agency):
                expected_filters = Filters(*period, **{**combo, "agency": agency})
            else:
                # Filtered on an agency outside the scope: as good as no agency at all.
                expected_filters = Filters(*period, scope=frozenset(), **{**combo, "agency": None})
            for name in EQUIVALENT:
                for kwargs in VARIANTS[name]:
                    assert _call(engine, name, scoped, kwargs) == _call(engine, name, expected_filters, kwargs), (
                        f"{name}({combo}, {kwargs}) under scope {agency}")


def test_empty_scope_sees_nothing(engine):
    for period in PERIODS:
        f = Filters(*period, scope=frozenset())
        totals = engine.totals(f)
        assert all(v in (0, None) for v in totals.values())
        for name in ("by_agency", "by_field", "by_stage", "by_handler", "stage_agency", "late_steps",
                     "late_dossiers", "fully_online_paper_heavy"):
            assert _call(engine, name, f, {}) == [], name
        assert all(r["received_new"] == 0 and r["resolved"] == 0 for r in engine.trend(f))
        assert engine.procedure_usage(f)["with_dossiers"] == 0


def test_options_offer_only_the_scope(engine):
    names = [a["name"] for a in engine.options(frozenset({g.XA}))["agencies"]]
    assert names == [g.XA]
    assert engine.options(frozenset())["agencies"] == []
    assert {a["name"] for a in engine.options(None)["agencies"]} == set(AGENCIES)


def test_liên_thông_late_step_names_only_a_handler_in_scope(engine):
    """D17 (Phòng TN&MT) was made late by the commune's step (Lê Văn Cường).

    Under the Phòng's scope no causing step can be shown: its own late step
    (Trần Thị Bình's Phê duyệt) only inherited the delay, so it is not named;
    the dossier is still a step's fault, not the receiving agency's. Drilling
    by the commune's handler finds nothing.
    """
    f = Filters(*g.MARCH, scope=frozenset({g.TNMT}))
    rows = {r["code"]: r for r in engine.late_dossiers(f)}
    assert set(rows) == {"D03", "D05", "D17"}
    assert (rows["D17"]["late_stage"], rows["D17"]["late_handler"], rows["D17"]["late_cause"]) == (
        None, None, "step")
    assert engine.late_dossiers(f, handler=g.CUONG) == []
    unscoped = {r["code"]: r for r in engine.late_dossiers(Filters(*g.MARCH))}
    assert unscoped["D17"]["late_handler"] == g.CUONG

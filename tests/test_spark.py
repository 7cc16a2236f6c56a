"""Spark runs the indicators: every public Engine method gives the rows of DuckDB.

One local Spark session, in one test (so one JVM per run: pytest-xdist
hands a test to one worker, and no other test here starts Spark), over the
``export-parquet`` folder of a small generated office: the hand-counted
office of tests/golden.py plus a few hundred seeded random dossiers with
steps, missing channels and due dates, rescheduled dossiers and statuses of
every kind. A query SQLGlot cannot translate, or Spark cannot run, fails here.
"""

from __future__ import annotations

import inspect
import json
import math
import random
from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from analytics.cli.main import main
from analytics.indicators.engine import AgencyNotFound, Engine
from analytics.indicators.filters import Filters
from analytics.indicators.spark import SparkBackend, register_parquet, spark_session
from analytics.store.database import AnalyticsStore
from analytics.store.parquet import export_parquet
from tests import golden as g
from tests.conftest import build_file_db

# Another spelling of UBND xã Hòa An (its alias key is the unit's): a scope
# or filter spelled so must select the unit on Spark as in DuckDB.
XA_SPELLED = "Ủy ban nhân dân Xã Hòa An "
HANDLERS = ("Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường", "Phạm Thị Dung", "Hoàng Văn Em")
STAGES = ("Tiếp nhận", "Thẩm định", "Phê duyệt", "Trả kết quả")


def generated_office(n: int = 400, seed: int = 16) -> dict[str, list[tuple]]:
    """tests/golden.py plus ``n`` random dossiers from 2024 to April 2026."""
    rnd = random.Random(seed)
    # In force, and not P7 or P9: their old or status-3 dossiers keep them in
    # procedures_without_dossiers with a number of years (a division by 365.25).
    procedures = [p for p in g.PROCEDURES if p[6] and p[0] not in ("P7", "P9")]
    agencies = [a[0] for a in g.AGENCIES]
    dossiers: list[tuple] = list(g.DOSSIERS)
    steps: list[tuple] = list(g.STEPS)
    start = datetime(2024, 1, 1, 8, 0)
    for i in range(n):
        code, _name, field, *_ = rnd.choice(procedures)
        agency = rnd.choice(agencies)
        received = start + timedelta(days=rnd.randrange(0, 850), hours=rnd.randrange(0, 9))
        due = received + timedelta(days=rnd.randrange(1, 20)) if rnd.random() > 0.05 else None
        status = rnd.choice((10, 10, 10, 10, 9, 4, 4, 5, 3, 1))
        finished = (received + timedelta(days=rnd.randrange(0, 30), hours=rnd.randrange(0, 8))
                    if status in (9, 10, 3) else None)
        channel = rnd.choice(("online", "direct", "postal", None))
        rescheduled = due + timedelta(days=5) if due and rnd.random() < 0.05 else None
        dossier = f"G{i:04d}"
        dossiers.append((dossier, code, field, agency, channel, received, due, finished, status,
                         rnd.random() < 0.1, rnd.random() < 0.05, rescheduled,
                         rnd.choice(HANDLERS) if rnd.random() < 0.5 else None, None))
        at = received
        for no, stage in enumerate(STAGES[:rnd.randrange(0, 5)], start=1):
            step_due = at + timedelta(days=rnd.randrange(0, 6), hours=8)
            step_end = at + timedelta(days=rnd.randrange(0, 8), hours=rnd.randrange(1, 9))
            open_step = finished is None and no == 3
            steps.append((dossier, no, stage, rnd.choice(HANDLERS), rnd.choice(agencies), at, step_due,
                          None if open_step else step_end))
            if open_step:
                break
            at = step_end
    return {"agencies": g.AGENCIES, "procedures": g.PROCEDURES, "dossiers": dossiers, "steps": steps}


FILTERS = {
    "march": Filters(*g.MARCH),
    # An agency officer: the commune (spelled another way) and the district office.
    "officer-scope": Filters(date(2024, 1, 1), date(2026, 4, 30), scope=frozenset({XA_SPELLED, g.TNMT})),
    "agency+channel+field": Filters(date(2024, 1, 1), date(2025, 12, 31), agency=g.PHUONG, channel="online",
                                    field="Hộ tịch"),
}

# How the test calls each public method of Engine (several ways for some).
# A public method missing here fails test_every_public_method_is_compared.
Call = Callable[[Engine, Filters], Any]
CALLS: dict[str, dict[str, Call]] = {
    "data_date": {"": lambda e, f: e.data_date()},
    "has_steps": {"": lambda e, f: e.has_steps()},
    "handler_source": {"": lambda e, f: e.handler_source()},
    "as_of": {"": lambda e, f: e.as_of(f)},
    "options": {"scope": lambda e, f: e.options(f.scope), "all": lambda e, f: e.options()},
    "canonical_agency": {"spelled": lambda e, f: e.canonical_agency(XA_SPELLED),
                         "unknown": lambda e, f: e.canonical_agency("Sở Không Có")},
    "resolve_agency": {"folded": lambda e, f: e.resolve_agency("phong tai nguyen"),
                       "spelled": lambda e, f: e.resolve_agency(XA_SPELLED),
                       "none": lambda e, f: _raised(lambda: e.resolve_agency("Sở Không Có"))},
    "totals": {"": lambda e, f: e.totals(f)},
    # The period, a year before, and a month with no dossier at all.
    "totals_periods": {"": lambda e, f: e.totals_periods(f, [(f.date_from, f.date_to), _year_before(f),
                                                               (date(2010, 1, 1), date(2010, 1, 31))])},
    "totals_periods_by_agency": {"": lambda e, f: e.totals_periods_by_agency(
        f, [(f.date_from, f.date_to), _year_before(f), (date(2010, 1, 1), date(2010, 1, 31))])},
    "by_agency": {"": lambda e, f: e.by_agency(f)},
    "by_field": {"": lambda e, f: e.by_field(f)},
    "overview": {"": lambda e, f: e.overview(f)},
    "report06": {"": lambda e, f: e.report06(f), "portal": lambda e, f: e.report06(f, counting="portal766")},
    "procedure_usage": {"": lambda e, f: e.procedure_usage(f)},
    "procedures_without_dossiers": {"": lambda e, f: e.procedures_without_dossiers(f)},
    "trend": {"month": lambda e, f: e.trend(f, "month"), "quarter": lambda e, f: e.trend(f, "quarter")},
    "fully_online_paper_heavy": {"": lambda e, f: e.fully_online_paper_heavy(f),
                                 "target": lambda e, f: e.fully_online_paper_heavy(f, target=0.9)},
    "late_dossiers": {"all": lambda e, f: e.late_dossiers(f),
                      "limit": lambda e, f: e.late_dossiers(f, limit=3),
                      "drill": lambda e, f: e.late_dossiers(f, agency=g.TNMT, stage="Thẩm định", limit=5)},
    "by_stage": {"": lambda e, f: e.by_stage(f)},
    "by_handler": {"": lambda e, f: e.by_handler(f)},
    "stage_agency": {"": lambda e, f: e.stage_agency(f)},
    "late_steps": {"all": lambda e, f: e.late_steps(f),
                   "limit": lambda e, f: e.late_steps(f, limit=2),
                   "drill": lambda e, f: e.late_steps(f, handler="Trần Thị Bình", limit=4)},
    "indicators": {"": lambda e, f: e.indicators(f)},
    "index_766": {"portal": lambda e, f: e.index_766(f),
                  "form+split": lambda e, f: e.index_766(f, counting="bieu06", payment_split=True)},
    # Every month in one query; a month before the data has no dossier.
    "index_766_trend": {"": lambda e, f: e.index_766_trend(f.with_period(date(2026, 1, 1), date(2026, 3, 31))),
                        "empty-month": lambda e, f: e.index_766_trend(f.with_period(date(2023, 12, 1),
                                                                                    date(2024, 2, 29)))},
    "index_766_losses": {"2.1": lambda e, f: e.index_766_losses(f),
                         "3.6": lambda e, f: e.index_766_losses(f, "3.6", limit=5),
                         "dvc": lambda e, f: e.index_766_losses(f, "dvc"),
                         "4.1-form": lambda e, f: e.index_766_losses(f, "4.1", counting="bieu06")},
}


def _year_before(f: Filters) -> tuple[date, date]:
    return f.date_from.replace(year=f.date_from.year - 1), f.date_to.replace(year=f.date_to.year - 1)


def _raised(fn: Callable[[], Any]) -> str:
    try:
        fn()
    except AgencyNotFound as exc:
        return f"AgencyNotFound: {exc} {exc.candidates}"
    return "no error"


def assert_same(spark: Any, duck: Any, where: str) -> None:
    """Equal values of equal types; floats to 1e-9 relative; lists in full and in order."""
    assert type(spark) is type(duck), f"{where}: {type(spark).__name__} != {type(duck).__name__} ({spark!r})"
    if isinstance(duck, dict):
        assert list(spark) == list(duck), f"{where}: keys"
        for key in duck:
            assert_same(spark[key], duck[key], f"{where}.{key}")
    elif isinstance(duck, list | tuple):
        assert len(spark) == len(duck), f"{where}: {len(spark)} rows, DuckDB {len(duck)}"
        for i, (a, b) in enumerate(zip(spark, duck, strict=True)):
            assert_same(a, b, f"{where}[{i}]")
    elif isinstance(duck, float):
        assert math.isclose(spark, duck, rel_tol=1e-9), f"{where}: {spark} != {duck}"
    else:
        assert spark == duck, f"{where}: {spark!r} != {duck!r}"


@pytest.fixture(scope="module")
def office(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("spark")
    db = root / "office.duckdb"
    build_file_db(db, **generated_office())
    export_parquet(db, root / "pq")
    return db, root / "pq"


# Tiny data, many small queries: what costs is planning and compiling, not
# scanning. One thread, one shuffle partition, no adaptive re-planning, no
# whole-stage code generation, and a JVM that compiles quickly (C1 only)
# roughly halved the module's time here; a small driver, so that the
# session sits beside the other pytest-xdist worker within memory.
TEST_CONF = {
    "spark.driver.memory": "512m",
    "spark.driver.extraJavaOptions": "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC",
    "spark.sql.shuffle.partitions": "1",
    "spark.default.parallelism": "1",
    "spark.sql.adaptive.enabled": "false",
    "spark.sql.codegen.wholeStage": "false",
}


class OnceBackend(SparkBackend):
    """Runs each distinct (query, values) once: ``indicators`` repeats the
    queries of ``overview``, ``by_stage``... with the same values, and SQL is
    deterministic, so a repeat would only cost time, not check anything."""

    def __init__(self, spark: Any):
        super().__init__(spark)
        self.seen: dict[tuple[str, str], list[dict[str, Any]]] = {}

    def rows(self, sql: str, params: dict[str, Any]) -> list[dict[str, Any]]:
        key = (sql, repr(sorted(params.items())))
        if key not in self.seen:
            self.seen[key] = super().rows(sql, params)
        return [dict(r) for r in self.seen[key]]


@pytest.fixture(scope="module")
def spark_engine(office: tuple[Path, Path]) -> Iterator[Engine]:
    """One local session, for the one test that uses it."""
    _, folder = office
    session = spark_session("local[1]", conf=TEST_CONF)
    register_parquet(session, folder)
    yield Engine(OnceBackend(session))
    session.stop()


@pytest.fixture(scope="module")
def duck_engine(office: tuple[Path, Path]) -> Engine:
    db, _ = office
    return Engine(AnalyticsStore(db).reader())


def test_every_public_method_is_compared():
    public = {n for n, _ in inspect.getmembers(Engine, inspect.isfunction) if not n.startswith("_")}
    assert public == set(CALLS), f"compare the new methods on Spark too: {sorted(public ^ set(CALLS))}"


def test_spark_gives_the_rows_of_duckdb_and_the_cli_its_json(
        spark_engine: Engine, duck_engine: Engine, office: tuple[Path, Path], capsys: pytest.CaptureFixture[str]):
    for name, filters in FILTERS.items():
        compared = 0
        for method, calls in CALLS.items():
            for label, call in calls.items():
                where = f"{name}: {method}({label})"
                expected = call(duck_engine, filters)
                assert_same(call(spark_engine, filters), expected, where)
                compared += bool(expected)
        assert compared >= 20, name  # most calls return rows: the comparison is not vacuous
    db, folder = office
    period = ["--from", "2024-01-01", "--to", "2026-04-30", "--agency", "phong tai nguyen"]
    assert main(["indicators", "--db", str(db), "--format", "json", *period]) == 0
    duck = json.loads(capsys.readouterr().out)
    # The session of this test is running: the command reuses it (one per process).
    assert main(["indicators", "--engine", "spark", "--parquet", str(folder), "--format", "json", *period]) == 0
    spark = json.loads(capsys.readouterr().out)
    assert_same(spark, duck, "json")
    assert duck["by_handler"] and duck["totals"]["received_total"] > 10


def test_the_office_has_something_to_compare(duck_engine: Engine):
    """The filter sets see late dossiers and steps, and the limits cut lists short."""
    scoped = FILTERS["officer-scope"]
    assert duck_engine.canonical_agency(XA_SPELLED) == g.XA
    assert len(duck_engine.late_dossiers(scoped)) > 3 and len(duck_engine.late_steps(scoped)) > 2
    assert {r["agency"] for r in duck_engine.by_agency(scoped)} == {g.XA, g.TNMT}
    assert duck_engine.totals(FILTERS["agency+channel+field"])["received_total"] >= 3
    assert any(r["years_without"] for r in duck_engine.procedures_without_dossiers(FILTERS["march"]))
    totals = duck_engine.totals(scoped)
    assert totals["channel_unknown"] > 0 and totals["no_due_date"] > 0 and totals["rescheduled"] > 0


def test_cli_sources_and_engines(office: tuple[Path, Path], capsys: pytest.CaptureFixture[str]):
    """DuckDB reads the export too (--parquet without Spark); a source that
    is missing, doubled or meant for another engine is a usage error (exit 2)."""
    db, folder = office
    period = ["--from", "2026-03-01", "--to", "2026-03-31", "--format", "json"]
    assert main(["indicators", "--db", str(db), *period]) == 0
    on_file = json.loads(capsys.readouterr().out)
    assert main(["indicators", "--parquet", str(folder), *period]) == 0
    assert json.loads(capsys.readouterr().out) == on_file
    for wrong in (["--engine", "spark", "--db", str(db)],
                  ["--engine", "spark"],
                  ["--db", str(db), "--spark-master", "local[1]"],
                  ["--db", str(db), "--parquet", str(folder)],
                  []):
        assert main(["indicators", *wrong, *period]) == 2, wrong
        assert "Lỗi:" in capsys.readouterr().err
    assert main(["indicators", "--parquet", str(db.parent), *period]) == 1
    assert "không phải thư mục xuất Parquet" in capsys.readouterr().err

"""Year-partitioned Parquet export, and the engine running unchanged on it."""

from __future__ import annotations

import inspect
import json
from datetime import date
from pathlib import Path

import pyarrow.dataset as ds
import pyarrow.parquet as pq
import pytest

from analytics.cli.main import main
from analytics.indicators.engine import Engine
from analytics.indicators.filters import Filters
from analytics.reminders.watchlist import build_watchlist
from analytics.store.database import AnalyticsStore
from analytics.store.parquet import ParquetError, connect_parquet, export_parquet
from tests import golden as g
from tests.conftest import build_file_db

# Every public Engine method, called the way a page does.
SKIP = {"resolve_agency"}  # name matching, tested through filters below


def _all_results(engine: Engine, f: Filters) -> dict[str, object]:
    out: dict[str, object] = {
        "data_date": engine.data_date(),
        "as_of": engine.as_of(f),
        "options": engine.options(f.scope),
        "trend_quarter": engine.trend(f, "quarter"),
        "late_dossiers_limit": engine.late_dossiers(f, limit=2),
        "has_steps": engine.has_steps(),
        "handler_source": engine.handler_source(),
        # The period, the year before it, and a month with no dossier at all.
        "totals_periods": engine.totals_periods(f, [
            (f.date_from, f.date_to),
            (f.date_from.replace(year=f.date_from.year - 1), f.date_to.replace(year=f.date_to.year - 1)),
            (date(2010, 1, 1), date(2010, 1, 31)),
        ]),
        "totals_periods_by_agency": engine.totals_periods_by_agency(f, [
            (f.date_from, f.date_to),
            (f.date_from.replace(year=f.date_from.year - 1), f.date_to.replace(year=f.date_to.year - 1)),
        ]),
    }
    for name, _fn in inspect.getmembers(Engine, inspect.isfunction):
        if name.startswith("_") or name in SKIP or name in ("data_date", "as_of", "options", "canonical_agency",
                                                                         "has_steps", "handler_source",
                                                                         "totals_periods",
                                                                         "totals_periods_by_agency"):
            continue
        out[name] = getattr(engine, name)(f)
    return out


@pytest.fixture(scope="module")
def golden(tmp_path_factory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("parquet")
    db = root / "office.duckdb"
    build_file_db(db, **g.ROWS)
    export_parquet(db, root / "pq")
    return db, root / "pq"


def test_layout_is_hive_partitioned_by_year(golden):
    db, out = golden

    def years(table):
        return sorted(p.name for p in (out / table).iterdir())

    # D13 2022, D14 2023, D15 2025, the rest 2026 (D12 in January).
    assert years("dossiers") == ["year=2022", "year=2023", "year=2025", "year=2026"]
    # Status-3 D15 is not a fact: 2025 has no fact_dossiers partition.
    assert years("fact_dossiers") == ["year=2022", "year=2023", "year=2026"]
    assert years("steps") == ["year=2026"] and years("fact_steps") == ["year=2026"]
    # Late or open: D07 (late, February) and the 2026 ones; no old dossier.
    assert years("late_or_open_dossiers") == ["year=2026"] and years("late_or_open_steps") == ["year=2026"]
    assert years("open_dossier_steps") == ["year=2026"]
    for small in ("agencies", "agency_aliases", "agency_current", "procedures", "meta", "work_calendar"):
        assert [p.name for p in (out / small).iterdir()] == [f"{small}.parquet"]
    info = json.loads((out / "_export.json").read_text(encoding="utf-8"))
    # Late or open: dossiers D03 D04 D05 D06 D07 D08 D11 D17; steps D03/2 D03/3
    # D17/2 D17/3 D08/1 (late) and D05/2 (open).
    # The working-day calendar spans the data (from 2022) plus two years.
    assert info["rows"].pop("work_calendar") > 3 * 365
    assert info["rows"] == {"dossiers": 18, "steps": 12, "fact_dossiers": 15, "fact_steps": 11,
                            "late_or_open_dossiers": 8, "late_or_open_steps": 6,
                            # the steps of the one unfinished dossier with steps: D05/1, D05/2
                            "open_dossier_steps": 2,
                            "agencies": 3, "procedures": 9, "meta": 3,
                            # each agency's own spelling
                            "agency_aliases": 3,
                            # no unit of the golden office has a successor
                            "agency_current": 0}
    # No procedure attached and no layout remembered: those tables are not in the database.
    assert not (out / "procedure_aliases").exists() and not (out / "import_profiles").exists()
    assert info["data_date"] == "2026-04-02" and info["partitioned_by"]["steps"] == "year"
    # The year lives in the path only, as Spark, Trino and ClickHouse expect.
    [one] = (out / "dossiers" / "year=2022").glob("*.parquet")
    assert "year" not in pq.read_schema(one).names


def test_other_readers_see_the_same_rows(golden):
    """pyarrow's hive reader stands in for Spark/Trino: same rows, year from the path."""
    db, out = golden
    table = ds.dataset(out / "dossiers", format="parquet", partitioning="hive").to_table()
    assert table.num_rows == 18
    by_code = dict(zip(table.column("code").to_pylist(), table.column("year").to_pylist(), strict=True))
    assert by_code["D13"] == 2022 and by_code["D01"] == 2026
    steps = ds.dataset(out / "steps", format="parquet", partitioning="hive").to_table()
    assert sorted(steps.column("dossier_code").to_pylist()) == sorted(s[0] for s in g.STEPS)


@pytest.mark.parametrize("filters", [
    Filters(*g.MARCH),
    Filters(date(2022, 1, 1), date(2026, 4, 30)),
    Filters(*g.MARCH, agency=g.TNMT),
    Filters(*g.MARCH, channel="online", field="Đất đai"),
    Filters(*g.MARCH, scope=frozenset({g.XA})),
    Filters(*g.MARCH, agency_level="Xã", procedure="P1"),
], ids=["march", "all", "agency", "channel+field", "scope", "level+procedure"])
def test_engine_on_parquet_equals_engine_on_the_database(golden, filters):
    db, out = golden
    on_file = Engine(AnalyticsStore(db).reader())
    on_parquet = Engine(connect_parquet(out))
    assert _all_results(on_parquet, filters) == _all_results(on_file, filters)
    assert on_parquet.resolve_agency("phong tai nguyen") == g.TNMT


def test_the_reminders_watchlist_on_parquet_equals_the_database(golden):
    # The watchlist reads agency_current (a predecessor's open work goes to
    # the unit that took it over); an export without it broke it on Parquet.
    db, out = golden
    everyone = build_watchlist(connect_parquet(out))
    assert [i.code for i in everyone.items] == ["D05", "D04", "D11"]
    for scope in (None, frozenset({g.XA})):
        on_file = build_watchlist(AnalyticsStore(db).reader(), scope=scope)
        assert build_watchlist(connect_parquet(out), scope=scope).items == on_file.items


def test_demo_office_gives_identical_indicators(tmp_path):
    from analytics.demo.generator import build_demo

    db = tmp_path / "demo.duckdb"
    build_demo(db, date(2026, 6, 30), years=2, dossiers_per_year=4000)
    export_parquet(db, tmp_path / "pq")
    on_file = Engine(AnalyticsStore(db).reader())
    on_parquet = Engine(connect_parquet(tmp_path / "pq", memory_limit="512MB", threads=2))
    agencies = [a["name"] for a in on_file.options()["agencies"]]
    for f in (Filters(date(2025, 7, 1), date(2026, 6, 30)),
              Filters(date(2026, 1, 1), date(2026, 3, 31), agency=agencies[0]),
              Filters(date(2025, 1, 1), date(2026, 6, 30), scope=frozenset(agencies[1:3]))):
        assert _all_results(on_parquet, f) == _all_results(on_file, f)
    assert on_file.totals(Filters(date(2025, 7, 1), date(2026, 6, 30)))["received_new"] > 3000


def test_export_refuses_to_overwrite_unless_asked_and_replaces_whole(golden, tmp_path):
    db, _ = golden
    out = tmp_path / "pq"
    export_parquet(db, out)
    with pytest.raises(ParquetError, match="đã có"):
        export_parquet(db, out)
    (out / "dossiers" / "year=1999").mkdir()  # a stale folder must not survive
    export_parquet(db, out, overwrite=True)
    assert not (out / "dossiers" / "year=1999").exists()
    assert not list(tmp_path.glob(".pq.*"))


def test_spellings_select_the_unit_on_the_export_and_an_older_export_still_opens(golden, tmp_path):
    """agency_aliases is exported: another spelling of an agency selects its
    unit on Parquet as in the database; an export from before it had none
    and opens with names taken as spelled."""
    import shutil

    db, out = golden
    spelled = "Ủy ban nhân dân Xã Hòa An "
    assert Engine(connect_parquet(out)).canonical_agency(spelled) == g.XA
    f = Filters(*g.MARCH, scope=frozenset({spelled}))
    assert Engine(connect_parquet(out)).totals(f) == Engine(AnalyticsStore(db).reader()).totals(f)
    old = tmp_path / "old"
    shutil.copytree(out, old)
    shutil.rmtree(old / "agency_aliases")
    assert Engine(connect_parquet(old)).canonical_agency(spelled) == spelled


def test_empty_tables_keep_their_schema(tmp_path):
    db = tmp_path / "empty.duckdb"
    build_file_db(db, agencies=[(g.XA, "Xã", None)])
    export_parquet(db, tmp_path / "pq")
    engine = Engine(connect_parquet(tmp_path / "pq"))
    assert engine.totals(Filters(*g.MARCH))["received_total"] == 0
    assert engine.by_handler(Filters(*g.MARCH)) == []


def test_not_an_export(tmp_path):
    with pytest.raises(ParquetError, match="không phải"):
        connect_parquet(tmp_path)
    with pytest.raises(ParquetError, match="Không tìm thấy"):
        export_parquet(tmp_path / "none.duckdb", tmp_path / "out")


def test_cli_export_parquet(golden, tmp_path, capsys):
    db, _ = golden
    assert main(["export-parquet", "--db", str(db), "--out", str(tmp_path / "x")]) == 0
    out = capsys.readouterr().out
    assert "Đã xuất" in out and "dossiers 18" in out and "năm 2022–2026" in out
    assert main(["export-parquet", "--db", str(db), "--out", str(tmp_path / "x")]) == 1


def test_export_memory_limit_is_applied_then_given_back_and_checked(golden, tmp_path):
    from analytics.store.database import AnalyticsStore

    db, _ = golden
    reader = AnalyticsStore(db).reader()
    reader.execute("set memory_limit = '2GiB'")  # a value that reads back exactly
    before = reader.execute("select current_setting('memory_limit')").fetchone()[0]
    result = export_parquet(db, tmp_path / "pq", memory_limit="512MB")
    assert result.rows["dossiers"] == 18
    assert reader.execute("select current_setting('memory_limit')").fetchone()[0] == before
    with pytest.raises(ParquetError, match="Giới hạn bộ nhớ không hợp lệ"):
        export_parquet(db, tmp_path / "pq2", memory_limit="nhiều lắm")
    assert not (tmp_path / "pq2").exists()


def test_agency_spellings_attached_procedures_and_layouts_are_exported(tmp_path):
    """Issue 13: the officer's decisions travel with the data to a cluster."""
    from analytics.access.agency_merge import merge
    from analytics.ingest.importer import SheetMapping, attach_procedure, read_profiles, save_profile
    from analytics.store.ops import OpsStore

    db = tmp_path / "office.duckdb"
    build_file_db(db, **g.ROWS)
    merge(AnalyticsStore(db), g.XA, g.TNMT, ops=OpsStore.beside(db), actor="test")
    attach_procedure(db, "Chứng thực bản sao từ bản chính", "P1")
    sheet = SheetMapping("ds.xlsx", None, "dossiers", 1, {}, [], [],
                         meanings=[("Số biên nhận", "code"), ("Ghi chú", "ignored")], signature="abc123")
    save_profile(db, sheet)
    assert set(read_profiles(db)) == {"abc123"}
    result = export_parquet(db, tmp_path / "pq")
    assert result.rows["agency_aliases"] == 3 and result.rows["procedure_aliases"] == 1
    assert result.rows["import_profiles"] == 1
    con = connect_parquet(tmp_path / "pq")
    # Both spellings now name the target's unit.
    units = dict(con.execute("select spelling, unit_id from agency_aliases").fetchall())
    assert units[g.XA] == units[g.TNMT]
    assert con.execute("select code from procedure_aliases").fetchall() == [("P1",)]
    [(signature, columns)] = con.execute("select signature, columns from import_profiles").fetchall()
    assert signature == "abc123" and json.loads(columns) == {"Số biên nhận": "code", "Ghi chú": "ignored"}

"""An import rebuilds only the derived rows it touches, and they equal a full rebuild.

A generated office is imported in two parts (the second after a unit's
lineage was set), then a file corrects one dossier, replaces one dossier's
steps, changes one procedure of the catalogue and one agency's level. After
each import every derived table of facts.sql must equal, row for row, what
a full rebuild of the same data gives, and so must the engine's numbers.
"""

from __future__ import annotations

import shutil
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pytest

from analytics.demo.generator import generate_frames
from analytics.indicators.engine import Engine
from analytics.indicators.filters import Filters
from analytics.ingest.importer import import_files
from analytics.store import database
from analytics.store.agency_names import unit_of
from analytics.store.database import DERIVED_KEYS, AnalyticsStore
from analytics.store.units import set_successors
from tests.test_importer import CATALOG_HEADER, DOSSIER_HEADER, STEP_HEADER, write_xlsx

AS_OF = date(2026, 11, 20)
CHANNEL_TEXT = {"online": "Trực tuyến", "direct": "Trực tiếp", "postal": "Bưu chính công ích"}


def _cell(value: Any) -> Any:
    if value is None or value is pd.NaT or (not isinstance(value, str) and pd.isna(value)):
        return ""
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    return value


def dossier_rows(frame: pd.DataFrame) -> list[list[Any]]:
    return [[_cell(v) for v in (r.code, r.procedure_code, r.procedure_name, r.field, r.agency,
                                CHANNEL_TEXT.get(r.channel, ""), r.received_at, r.due_at, r.finished_at, r.status)]
            for r in frame.itertuples()]


def step_rows(frame: pd.DataFrame) -> list[list[Any]]:
    return [[_cell(v) for v in (r.dossier_code, r.step_no, r.step_name, r.handler, r.agency, r.started_at,
                                r.due_at, r.finished_at)]
            for r in frame.itertuples()]


def catalog_rows(frame: pd.DataFrame) -> list[list[Any]]:
    return [[r.code, r.name, r.field, r.level, r.online_level, "", ""] for r in frame.itertuples()]


def export(path: Path, dossiers: pd.DataFrame, steps: pd.DataFrame, catalog: pd.DataFrame | None = None,
           agencies: list[list[Any]] | None = None) -> Path:
    sheets: dict[str, list[list[Any]]] = {
        "Danh sách hồ sơ": [DOSSIER_HEADER, *dossier_rows(dossiers)],
        "Quá trình xử lý": [STEP_HEADER, *step_rows(steps)],
    }
    if catalog is not None:
        sheets["Danh mục TTHC"] = [CATALOG_HEADER, *catalog_rows(catalog)]
    if agencies is not None:
        sheets["Danh mục đơn vị"] = [["Tên đơn vị", "Cấp", "Đơn vị cấp trên"], *agencies]
    return write_xlsx(path, sheets)


def derived(path: Path) -> dict[str, list[tuple]]:
    con = duckdb.connect(str(path.resolve()), read_only=True)
    try:
        return {t: con.execute(f"select * from {t} order by all").fetchall() for t in DERIVED_KEYS}
    finally:
        con.close()


def numbers(path: Path) -> dict[str, Any]:
    con = duckdb.connect(str(path.resolve()), read_only=True)
    try:
        engine = Engine(con)
        out = {}
        for start, end in ((date(2026, 1, 1), AS_OF), (date(2025, 12, 1), date(2026, 2, 28))):
            f = Filters(start, end)
            answers = (engine.indicators(f), engine.by_stage(f), engine.by_handler(f), engine.late_dossiers(f))
            out[f"{start}"] = [a.to_dict("records") if isinstance(a, pd.DataFrame) else a for a in answers]
        return out
    finally:
        con.close()


def full_rebuild_of(db: Path, tmp: Path) -> Path:
    """A copy of the database with every derived table rebuilt from scratch."""
    copy = tmp / f"full-{len(list(tmp.glob('full-*')))}" / "office.duckdb"
    copy.parent.mkdir()
    shutil.copyfile(db.resolve(), copy)
    with AnalyticsStore(copy).write():
        pass
    return copy


@pytest.fixture
def refreshed(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many touched dossiers each incremental refresh rebuilt."""
    calls: list[int] = []
    original = database._refresh_touched

    def spy(con: duckdb.DuckDBPyConnection) -> None:
        calls.append(con.execute(f"select count(distinct code) from {database.TOUCHED}").fetchone()[0])
        original(con)

    monkeypatch.setattr(database, "_refresh_touched", spy)
    return calls


def test_imports_in_parts_and_a_correction_equal_a_full_rebuild(tmp_path: Path, refreshed: list[int]) -> None:
    frames = generate_frames(AS_OF, years=1, dossiers_per_year=1200, seed=5)
    dossiers = frames["dossiers"].sort_values("received_at").reset_index(drop=True)
    steps, catalog = frames["steps"], frames["procedures"]
    cut = dossiers["received_at"] < pd.Timestamp("2026-04-01")
    first, second = dossiers[cut], dossiers[~cut]
    db = tmp_path / "data" / "office.duckdb"

    import_files([export(tmp_path / "a.xlsx", first, steps[steps.dossier_code.isin(first.code)], catalog)], db)
    assert refreshed == []  # the first write builds everything
    assert derived(db) == derived(full_rebuild_of(db, tmp_path))

    # A lineage (full rebuild: not an import), then part 2 reads it incrementally.
    store = AnalyticsStore(db)
    old_agency = first["agency"].value_counts().index[0]
    successor = second["agency"].value_counts().index[-1]
    with store.write() as con:
        set_successors(con, unit_of(con, old_agency), [unit_of(con, successor)], date(2026, 3, 1))
    store.close()
    import_files([export(tmp_path / "b.xlsx", second, steps[steps.dossier_code.isin(second.code)])], db)
    assert refreshed == [len(second)]
    assert derived(db) == derived(full_rebuild_of(db, tmp_path))

    # A corrected dossier, another's steps moved a day, a procedure's
    # online level and an agency's level changed.
    fixed = dossiers[dossiers.finished_at.notna()].iloc[[3]].copy()
    fixed["finished_at"] = fixed["finished_at"] + timedelta(days=9)
    moved_code = steps.dossier_code.iloc[40]
    moved = steps[steps.dossier_code == moved_code].copy()
    moved["finished_at"] = moved["finished_at"] + timedelta(days=2)
    procedure = catalog[catalog.code.isin(dossiers.procedure_code)].iloc[[0]].copy()
    procedure["online_level"] = "Một phần" if procedure["online_level"].iloc[0] != "Một phần" else "Toàn trình"
    agency = second["agency"].value_counts().index[1]
    fixed_steps = steps[steps.dossier_code.isin(fixed.code)]
    with_moved = pd.concat([fixed, dossiers[dossiers.code == moved_code]])
    import_files([export(tmp_path / "c.xlsx", with_moved, pd.concat([fixed_steps, moved]), procedure,
                         [[agency, "Tỉnh", ""]])], db)
    touched = {*fixed.code, moved_code, *dossiers.code[dossiers.procedure_code.isin(procedure.code)],
               *dossiers.code[dossiers.agency == agency], *steps.dossier_code[steps.agency == agency]}
    counted = {*dossiers.code}
    assert refreshed[-1] == len(touched & counted) < len(dossiers) / 2
    full = full_rebuild_of(db, tmp_path)
    assert derived(db) == derived(full)
    assert numbers(db) == numbers(full)
    # The correction reached the facts: the dossier's new end date is there.
    con = duckdb.connect(str(db.resolve()), read_only=True)
    assert con.execute("select finished_at from fact_dossiers where code = $c",
                       {"c": fixed.code.iloc[0]}).fetchone()[0] == fixed.finished_at.iloc[0].to_pydatetime()
    con.close()


def test_a_moved_calendar_rebuilds_everything(tmp_path: Path, refreshed: list[int]) -> None:
    frames = generate_frames(AS_OF, years=1, dossiers_per_year=300, seed=8)
    dossiers, steps = frames["dossiers"], frames["steps"]
    db = tmp_path / "data" / "office.duckdb"
    import_files([export(tmp_path / "a.xlsx", dossiers, steps)], db)
    # A dossier received years earlier moves the calendar's first day.
    early = dossiers.iloc[[0]].copy()
    early["code"] = "CU-1"
    for column in ("received_at", "due_at", "finished_at"):
        early[column] = early[column] - pd.DateOffset(years=4)
    import_files([export(tmp_path / "b.xlsx", early, steps.iloc[0:0])], db)
    assert refreshed == []
    assert derived(db) == derived(full_rebuild_of(db, tmp_path))


def test_a_failed_import_leaves_the_derived_tables_as_they_were(tmp_path: Path) -> None:
    frames = generate_frames(AS_OF, years=1, dossiers_per_year=200, seed=9)
    db = tmp_path / "data" / "office.duckdb"
    import_files([export(tmp_path / "a.xlsx", frames["dossiers"], frames["steps"])], db)
    before, link = derived(db), db.resolve()
    store = AnalyticsStore(db)
    with pytest.raises(RuntimeError), store.write(incremental=True) as con:
        con.execute("delete from dossiers where code in (select code from dossiers limit 5)")
        con.execute(f"insert into {database.TOUCHED} select code from dossiers limit 5")
        raise RuntimeError("stop")
    assert db.resolve() == link
    assert derived(db) == before

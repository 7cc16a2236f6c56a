"""Names of the same agency (issue 13): one unit per office, whatever the spelling."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from analytics.access import agency_merge, audit
from analytics.access.auth import AGENCY_OFFICER, Accounts
from analytics.cli.main import main
from analytics.indicators.engine import AgencyNotFound, Engine
from analytics.indicators.filters import Filters
from analytics.ingest.importer import import_files
from analytics.locale.text import agency_key
from analytics.reminders.contacts import ContactBook, add_contact
from analytics.reminders.watchlist import build_watchlist
from analytics.store import agency_names
from analytics.store.database import AnalyticsStore
from analytics.store.ops import OpsStore
from tests.test_auth import CountingHasher
from tests.test_importer import DOSSIER_HEADER, dossier, write_csv

TAN_LAP = "UBND xã Tân Lập"
LONG = "Ủy ban nhân dân xã Tân Lập"
UPPER = "UBND Xã  Tân Lập "
ONE_DOOR = "Bộ phận một cửa xã Tân Lập"
YEAR = Filters(date(2026, 1, 1), date(2026, 12, 31))


def test_agency_key_equals_spellings_of_one_office_only():
    assert agency_key(TAN_LAP) == agency_key(LONG) == agency_key(UPPER) == agency_key("Uỷ ban nhân dân xã Tân-Lập")
    assert agency_key("TT Phục vụ hành chính công") == agency_key("Trung tâm phục vụ hành chính công")
    assert agency_key("CN VP đăng ký đất đai") == agency_key("Chi nhánh Văn phòng đăng ký đất đai")
    assert agency_key(TAN_LAP) != agency_key("UBND xã Tân Lộc")
    # Abbreviations are whole words: "ttt" or "vpn" are left alone.
    assert agency_key("Xã TTT") == "xa ttt"


def _import(tmp_path: Path, db: Path, name: str, codes: list[str], agency: str):
    rows = [DOSSIER_HEADER] + [dossier(code, agency=agency) for code in codes]
    return import_files([write_csv(tmp_path / name, rows)], db)


@pytest.fixture
def two_files(tmp_path):
    """Two files spelling one office two ways, and a third office."""
    db = tmp_path / "office.duckdb"
    _import(tmp_path, db, "a.csv", ["HS1", "HS2"], TAN_LAP)
    _import(tmp_path, db, "b.csv", ["HS3"], LONG)
    _import(tmp_path, db, "c.csv", ["HS4"], ONE_DOOR)
    return AnalyticsStore(db)


def test_two_spellings_across_two_files_are_one_agency(two_files):
    con = two_files.reader()
    assert sorted(r[0] for r in con.execute("select distinct agency from dossiers").fetchall()) == [
        ONE_DOOR, TAN_LAP]
    units = {r["name"]: r for r in agency_names.list_units(con)}
    assert set(units) == {TAN_LAP, ONE_DOOR}
    assert units[TAN_LAP]["dossiers"] == 3
    assert units[TAN_LAP]["unit_id"] != units[ONE_DOOR]["unit_id"]
    assert agency_names.unit_of(con, LONG) == agency_names.unit_of(con, UPPER) == units[TAN_LAP]["unit_id"]


def test_any_spelling_selects_the_agency(two_files):
    engine = Engine(two_files.reader())
    assert engine.resolve_agency(LONG) == TAN_LAP
    assert engine.resolve_agency(UPPER) == TAN_LAP
    by_spelling = engine.totals(Filters(YEAR.date_from, YEAR.date_to, agency=LONG))
    assert by_spelling == engine.totals(Filters(YEAR.date_from, YEAR.date_to, agency=TAN_LAP))
    assert by_spelling["received_new"] == 3
    # A scope stored with another spelling sees the unit's dossiers.
    scoped = Filters(YEAR.date_from, YEAR.date_to, scope=frozenset({UPPER}))
    assert engine.totals(scoped)["received_new"] == 3
    assert [a["name"] for a in engine.options(frozenset({UPPER}))["agencies"]] == [TAN_LAP]


def test_unit_ids_are_stable_across_imports(two_files, tmp_path):
    before = {r["name"]: r["unit_id"] for r in agency_names.list_units(two_files.reader())}
    _import(tmp_path, two_files.path, "d.csv", ["HS1", "HS5"], UPPER)
    after = {r["name"]: r["unit_id"] for r in agency_names.list_units(two_files.reader())}
    assert after == before


def _ops_with_people(db: Path) -> OpsStore:
    ops = OpsStore.beside(db)
    accounts = Accounts(ops, hasher=CountingHasher())
    accounts.add("mot_cua", display_name="Lê Thị Hoa", role=AGENCY_OFFICER, agency=ONE_DOOR, actor="cli:test",
                 password=None)
    add_contact(ops, name="Lê Thị Hoa", agency=ONE_DOOR, phone="0912345678")
    return ops


def test_merge_rewrites_past_data_scopes_and_contacts_and_is_audited(two_files):
    ops = _ops_with_people(two_files.path)
    units = {r["name"]: r["unit_id"] for r in agency_names.list_units(two_files.reader())}
    result = agency_merge.merge(two_files, ONE_DOOR, TAN_LAP, ops=ops, actor="cli:test")
    assert (result.dossiers, result.users, result.contacts, result.source_unit, result.target_unit) == (
        1, 1, 1, units[ONE_DOOR], units[TAN_LAP])

    con = two_files.reader()
    assert con.execute("select distinct agency from dossiers").fetchall() == [(TAN_LAP,)]
    assert [r["name"] for r in agency_names.list_units(con)] == [TAN_LAP]
    # The merged unit's spelling names the target from now on, with its lineage.
    assert agency_names.unit_of(con, ONE_DOOR) == units[TAN_LAP]
    merged = [a for a in agency_names.list_aliases(con) if a["former_unit_id"] == units[ONE_DOOR]]
    assert [(a["spelling"], a["unit_id"], a["name"]) for a in merged] == [(ONE_DOOR, units[TAN_LAP], TAN_LAP)]

    user = Accounts(ops, hasher=CountingHasher()).get("mot_cua")
    assert user.agency == TAN_LAP
    engine = Engine(con)
    assert engine.totals(Filters(YEAR.date_from, YEAR.date_to, scope=user.scope))["received_new"] == 4
    assert [c.agency for c in ContactBook.load(ops).contacts] == [TAN_LAP]

    (entry,) = audit.entries(ops, action=audit.AGENCY_MERGE)
    assert (entry.actor, entry.target) == ("cli:test", TAN_LAP)
    assert entry.detail["source"] == ONE_DOOR and entry.detail["source_unit"] == units[ONE_DOOR]

    # A later file with the merged spelling lands on the unit.
    _import(Path(two_files.path).parent, two_files.path, "e.csv", ["HS9"], ONE_DOOR)
    assert two_files.reader().execute("select agency from dossiers where code = 'HS9'").fetchone() == (TAN_LAP,)


def test_scope_of_a_merged_name_resolves_at_read_time(two_files):
    """A scope still naming the merged spelling (written before the merge, or
    by hand) reads the unit it was merged into: engine and watchlist alike."""
    ops = OpsStore.beside(two_files.path)
    agency_merge.merge(two_files, ONE_DOOR, TAN_LAP, ops=ops, actor="cli:test")
    engine = Engine(two_files.reader())
    old_scope = frozenset({ONE_DOOR})
    assert engine.totals(Filters(YEAR.date_from, YEAR.date_to, scope=old_scope))["received_new"] == 4
    # HS1..HS4 are open? No: finished 05/04. One open dossier of the unit, overdue.
    with two_files.write() as con:
        con.execute("update dossiers set finished_at = null, status = 4 where code = 'HS4'")
    old, new = (build_watchlist(two_files, as_of=date(2026, 4, 20), scope=s) for s in (old_scope, {TAN_LAP}))
    assert [i.code for i in old.items] == [i.code for i in new.items] == ["HS4"]
    with pytest.raises(agency_merge.AgencyMergeError):
        agency_merge.merge(two_files, TAN_LAP, TAN_LAP, ops=ops, actor="cli:test")


def test_register_units_folds_spellings_already_stored(tmp_path):
    """A database written before units existed, holding two spellings of one
    office, becomes one agency at its next write."""
    store = AnalyticsStore(tmp_path / "old.duckdb")
    with store.write() as con:
        con.execute("insert into agencies (name, level, parent) values (?, 'Xã', null), (?, null, null)",
                    [TAN_LAP, LONG])
        con.execute("insert into procedures (code, name, field) values ('P', 'Khai sinh', 'Hộ tịch')")
        for code, agency in (("A1", TAN_LAP), ("A2", TAN_LAP), ("A3", LONG)):
            con.execute("insert into dossiers (code, procedure_code, agency, channel, received_at, due_at, status)"
                        " values (?, 'P', ?, 'online', timestamp '2026-03-01 08:00', timestamp '2026-03-05 17:00', 4)",
                        [code, agency])
    con = store.reader()
    # The spelling with most dossiers names the unit.
    assert con.execute("select name, level from agencies").fetchall() == [(TAN_LAP, "Xã")]
    assert con.execute("select count(*) from dossiers where agency = ?", [TAN_LAP]).fetchone() == (3,)


def test_cli_agencies_list_aliases_merge(two_files, capsys):
    db = str(two_files.path)
    assert main(["agencies", "list", "--db", db, "--format", "json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert {r["name"] for r in listed} == {TAN_LAP, ONE_DOOR}
    # Any spelling names the agencies to merge.
    assert main(["agencies", "merge", "bo phan mot cua xa tan lap", LONG, "--db", db]) == 0
    out = capsys.readouterr().out
    assert ONE_DOOR in out and TAN_LAP in out
    assert main(["agencies", "aliases", "--db", db, "--format", "json"]) == 0
    aliases = json.loads(capsys.readouterr().out)
    assert {a["spelling"] for a in aliases} == {TAN_LAP, ONE_DOOR}
    assert {a["name"] for a in aliases} == {TAN_LAP}
    assert main(["agencies", "merge", "xã không có", TAN_LAP, "--db", db]) != 0
    assert audit.entries(OpsStore.beside(db), action=audit.AGENCY_MERGE)[0].actor.startswith("cli:")


def test_unknown_agency_still_lists_candidates(two_files):
    with pytest.raises(AgencyNotFound) as missing:
        Engine(two_files.reader()).resolve_agency("Phường không có")
    assert set(missing.value.candidates) == {TAN_LAP, ONE_DOOR}

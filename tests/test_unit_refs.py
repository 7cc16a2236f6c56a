"""Scope, contacts, leaders and the audit log refer to units by id (issue 14).

A small office, built by hand (all received in 2026, none finished):

    agency               dossiers   open step (handler, due)
    UBND xã Hòa An       HA1..HA3   HA1: Lê Thị Hoa, due 10/04/2026 (overdue on 20/04)
    UBND xã Tân Lộc      TL1..TL2   TL1: Trần Văn Minh, due 10/04/2026

Hòa An is merged into, or renamed as, "UBND phường Hòa An" below; Tân Lộc
is the other commune no Hòa An officer may see. The province piece of
tests/test_units.py (a new commune formed from three old ones) is reused for
the officer of a new commune.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import date
from pathlib import Path

import pytest

from analytics.access import agency_merge, audit
from analytics.access.auth import AGENCY_OFFICER, Accounts
from analytics.cli.main import main
from analytics.indicators.engine import Engine
from analytics.indicators.filters import Filters
from analytics.ingest.importer import import_files
from analytics.recovery.backup import undo_import
from analytics.reminders.contacts import ContactBook, add_contact, get_contact, list_contacts
from analytics.reminders.digest import assign_items
from analytics.reminders.watchlist import build_watchlist
from analytics.store import agency_names
from analytics.store.database import AnalyticsStore
from analytics.store.ops import MIGRATIONS, OpsStore
from analytics.store.unit_refs import UnitRegistry, read_unit_names
from tests.test_auth import PASSWORD, CountingHasher
from tests.test_importer import DOSSIER_HEADER, dossier, write_csv
from tests.test_units import HONG_DAN, KHANH_THUAN, LOC_NINH, NGAN_DUA, NINH_HOA, U_MINH
from tests.test_units import _build as build_province

HOA_AN = "UBND xã Hòa An"
HOA_AN_LONG = "Ủy ban nhân dân xã Hòa An"  # another spelling of the same unit
WARD = "UBND phường Hòa An"
TAN_LOC = "UBND xã Tân Lộc"
HOA, MINH = "Lê Thị Hoa", "Trần Văn Minh"
YEAR = Filters(date(2026, 1, 1), date(2026, 12, 31))
AS_OF = date(2026, 4, 20)


def _build(path: Path) -> AnalyticsStore:
    store = AnalyticsStore(path)
    with store.write() as con:
        con.execute("insert into procedures (code, name, field) values ('P', 'Đăng ký khai sinh', 'Hộ tịch')")
        for agency, codes, handler in ((HOA_AN, ("HA1", "HA2", "HA3"), HOA), (TAN_LOC, ("TL1", "TL2"), MINH)):
            con.execute("insert into agencies (name, level, parent) values (?, 'Xã', null)", [agency])
            for code in codes:
                con.execute(
                    "insert into dossiers (code, procedure_code, agency, channel, received_at, due_at, status)"
                    " values (?, 'P', ?, 'online', timestamp '2026-04-01 08:00', timestamp '2026-04-15 17:00', 4)",
                    [code, agency])
            con.execute(
                "insert into steps (dossier_code, step_no, step_name, handler, agency, started_at, due_at)"
                " values (?, 1, 'Thẩm định', ?, ?, timestamp '2026-04-01 09:00', timestamp '2026-04-10 17:00')",
                [codes[0], handler, agency])
    return store


@pytest.fixture
def office(tmp_path: Path) -> AnalyticsStore:
    return _build(tmp_path / "office.duckdb")


def _accounts(store: AnalyticsStore) -> Accounts:
    return Accounts(OpsStore.beside(store.path), hasher=CountingHasher(), units=UnitRegistry(store))


def _officer(store: AnalyticsStore, agency: str, username: str = "lan"):
    return _accounts(store).add(username, display_name="Nguyễn Thị Lan", role=AGENCY_OFFICER, agency=agency,
                                password=PASSWORD, actor="cli:test")


def _seen(store: AnalyticsStore, scope, attribution: str = "current") -> dict[str, int]:
    f = Filters(YEAR.date_from, YEAR.date_to, scope=scope, attribution=attribution)
    return {r["agency"]: r["received_new"] for r in Engine(store.reader()).by_agency(f)}


def _unit(store: AnalyticsStore, name: str) -> int:
    unit = agency_names.unit_of(store.reader(), name)
    assert unit is not None
    return unit


def _stored(store: AnalyticsStore, table: str) -> list[tuple]:
    con = sqlite3.connect(OpsStore.beside(store.path).path)
    try:
        return con.execute(f"select agency, unit_id from {table} order by rowid").fetchall()
    finally:
        con.close()


def test_officer_keeps_exactly_their_units_dossiers_after_a_merge_under_another_spelling(office):
    # The account is made with another spelling of Hòa An: it is the unit's id that is kept.
    user = _officer(office, HOA_AN_LONG)
    hoa_an = _unit(office, HOA_AN)
    assert (user.agency, user.unit_id) == (HOA_AN, hoa_an)
    assert _stored(office, "users") == [(HOA_AN_LONG, hoa_an)]
    assert _seen(office, user.scope) == {HOA_AN: 3}
    # The ward exists as a unit with no dossier yet (registered for a contact of it).
    ward = UnitRegistry(office).ids_for([WARD])[WARD]
    assert ward not in (hoa_an, _unit(office, TAN_LOC))
    agency_merge.merge(office, HOA_AN, WARD, ops=OpsStore.beside(office.path), actor="cli:test")
    user = _accounts(office).get("lan")
    assert (user.agency, user.unit_id) == (WARD, ward)
    # Exactly Hòa An's three dossiers, now under the ward's name; nothing of Tân Lộc, in either view.
    assert _seen(office, user.scope) == {WARD: 3}
    assert _seen(office, user.scope, "recorded") == {WARD: 3}
    # The stored id is still Hòa An's: it is followed to the unit it was merged into.
    assert [unit for _, unit in _stored(office, "users")] == [hoa_an]


def test_officer_keeps_their_units_dossiers_after_a_rename(office, capsys):
    user = _officer(office, HOA_AN)
    hoa_an = user.unit_id
    assert main(["agencies", "rename", "ubnd xa hoa an", WARD, "--db", str(office.path)]) == 0
    assert f"mã đơn vị {hoa_an}" in capsys.readouterr().out
    # Nothing in the operational store was rewritten, yet the account reads the new name.
    assert _stored(office, "users") == [(HOA_AN, hoa_an)]
    user = _accounts(office).get("lan")
    assert (user.agency, user.unit_id) == (WARD, hoa_an)
    assert _seen(office, user.scope) == {WARD: 3}
    # The old name still selects the unit, and the unit kept its id.
    assert _unit(office, HOA_AN) == _unit(office, WARD) == hoa_an
    capsys.readouterr()
    assert main(["users", "list", "--db", str(office.path), "--format", "json"]) == 0
    assert [u["agency"] for u in json.loads(capsys.readouterr().out)] == [WARD]
    # A rename onto another unit's spelling is a merge: refused.
    assert main(["agencies", "rename", WARD, TAN_LOC, "--db", str(office.path)]) == 2
    assert "gộp" in capsys.readouterr().err


def test_the_id_is_the_truth_when_the_operational_store_was_not_rewritten(office):
    """Merges done on the analytics side only (the operational store elsewhere,
    or its part interrupted), twice in a chain: Hòa An -> ward -> Tân Lộc."""
    user = _officer(office, HOA_AN)
    contact = add_contact(OpsStore.beside(office.path), units=UnitRegistry(office), name=HOA, agency=HOA_AN,
                          phone="0912345678")
    hoa_an = user.unit_id
    assert contact.unit_id == hoa_an
    ward = UnitRegistry(office).ids_for([WARD])[WARD]
    other_ops = OpsStore(Path(office.path).parent / "elsewhere" / "ops.sqlite")
    agency_merge.merge(office, HOA_AN, WARD, ops=other_ops, actor="cli:test")
    assert _stored(office, "users") == [(HOA_AN, hoa_an)]
    assert _accounts(office).get("lan").agency == WARD
    agency_merge.merge(office, WARD, TAN_LOC, ops=other_ops, actor="cli:test")
    names = read_unit_names(office.reader())
    # The first merged unit's id is still found after the second merge.
    assert names.live(hoa_an) == names.live(ward) == _unit(office, TAN_LOC)
    user = _accounts(office).get("lan")
    assert user.agency == TAN_LOC
    assert _seen(office, user.scope) == {TAN_LOC: 5}
    assert [c.agency for c in list_contacts(OpsStore.beside(office.path), units=UnitRegistry(office))] == [TAN_LOC]


def test_the_id_wins_over_the_spelling(office):
    user = _officer(office, HOA_AN)
    con = sqlite3.connect(OpsStore.beside(office.path).path)
    with con:  # a spelling no unit has, or another unit's: the id decides
        con.execute("update users set agency = 'Xã Hòa An (cũ)'")
    assert _accounts(office).get("lan").agency == HOA_AN
    with con:
        con.execute("update users set agency = ?", (TAN_LOC,))
    assert _seen(office, _accounts(office).get("lan").scope) == {HOA_AN: 3}
    with con:  # no id: the spelling, as before ids existed
        con.execute("update users set unit_id = null")
    con.close()
    assert _accounts(office).get("lan").agency == TAN_LOC and user.unit_id == _unit(office, HOA_AN)


def test_a_contacts_reminders_still_reach_them_after_a_merge(office):
    ops, registry = OpsStore.beside(office.path), UnitRegistry(office)
    hoa = add_contact(ops, units=registry, name=HOA, agency=HOA_AN_LONG, phone="0912345678")
    minh = add_contact(ops, units=registry, name=MINH, agency=TAN_LOC, phone="0987654321")
    leader = add_contact(ops, units=registry, name="Phạm Văn Bình", agency=HOA_AN, role="Lãnh đạo",
                         phone="0901234567")
    assert (hoa.agency, hoa.unit_id) == (HOA_AN, _unit(office, HOA_AN))

    def reached() -> tuple[dict[int, list[str]], list[str]]:
        watchlist = build_watchlist(office, as_of=AS_OF)
        personal, unmatched = assign_items(watchlist, ContactBook.load(ops, registry))
        return {k: sorted(i.code for i in v) for k, v in personal.items()}, sorted(i.code for i in unmatched)

    # The open steps reach their handlers; dossiers with no open step have no handler to reach.
    assert reached() == ({hoa.id: ["HA1"], minh.id: ["TL1"]}, ["HA2", "HA3", "TL2"])
    UnitRegistry(office).ids_for([WARD])
    # The merge's operational part runs elsewhere: only the ids can carry Hoa over.
    agency_merge.merge(office, HOA_AN, WARD, ops=OpsStore(Path(office.path).parent / "x" / "ops.sqlite"),
                       actor="cli:test")
    assert {i.agency for i in build_watchlist(office, as_of=AS_OF).items if i.code == "HA1"} == {WARD}
    assert reached() == ({hoa.id: ["HA1"], minh.id: ["TL1"]}, ["HA2", "HA3", "TL2"])
    # The leader leads the ward now, shown and matched by its name.
    book = ContactBook.load(ops, registry)
    assert [c.name for c in book.leaders_of(WARD)] == ["Phạm Văn Bình"]
    assert get_contact(ops, leader.id, units=registry).leads == (WARD,)
    # Without the analytics database, the spellings as written.
    assert get_contact(ops, hoa.id).agency == HOA_AN_LONG


def test_audit_entries_name_the_unit_id(office, capsys):
    ops = OpsStore.beside(office.path)
    hoa_an, tan_loc = _unit(office, HOA_AN), _unit(office, TAN_LOC)
    _officer(office, HOA_AN)
    _accounts(office).update("lan", actor="cli:test", agency=TAN_LOC)
    add_contact(ops, units=UnitRegistry(office), name=HOA, agency=HOA_AN, phone="0912345678", actor="cli:test")
    agency_merge.merge(office, HOA_AN, TAN_LOC, ops=ops, actor="cli:test")
    assert main(["agencies", "rename", TAN_LOC, "UBND phường Tân Lộc", "--db", str(office.path)]) == 0
    by_action = {(e.action, e.detail.get("action")): e.unit_id for e in audit.entries(ops)}
    assert by_action == {
        (audit.USER_ADD, None): hoa_an,
        (audit.USER_UPDATE, None): tan_loc,
        (audit.REMINDER_CONTACTS, None): hoa_an,
        (audit.AGENCY_MERGE, None): tan_loc,
        (audit.UNIT_CHANGE, "rename"): tan_loc,
    }
    assert [e.action for e in audit.entries(ops, unit_id=hoa_an)] == [audit.REMINDER_CONTACTS, audit.USER_ADD]
    capsys.readouterr()
    assert main(["audit", "list", "--db", str(office.path), "--action", audit.AGENCY_MERGE]) == 0
    header, _, merge_line = capsys.readouterr().out.splitlines()
    assert "Mã đơn vị" in header and f"  {tan_loc}  " in merge_line


def test_a_new_agency_is_registered_as_a_unit(office, tmp_path):
    registry = UnitRegistry(office)
    ops = OpsStore.beside(office.path)
    contact = add_contact(ops, units=registry, name=HOA, agency="Sở Tư pháp tỉnh Bình Sơn", phone="0912345678")
    listed = {r["name"]: r for r in agency_names.list_units(office.reader())}
    assert contact.unit_id == listed["Sở Tư pháp tỉnh Bình Sơn"]["unit_id"]
    assert (listed["Sở Tư pháp tỉnh Bình Sơn"]["dossiers"], listed["Sở Tư pháp tỉnh Bình Sơn"]["level"]) == (0, "Tỉnh")
    # A unit with no dossier is not offered by the filters, and counts nothing.
    assert "Sở Tư pháp tỉnh Bình Sơn" not in {a["name"] for a in Engine(office.reader()).options()["agencies"]}
    assert Engine(office.reader()).totals(YEAR)["received_new"] == 5
    # A later import spelling it another way lands on that unit.
    assert registry.ids_for(["SỞ TƯ PHÁP TỈNH BÌNH SƠN"]) == {"SỞ TƯ PHÁP TỈNH BÌNH SƠN": contact.unit_id}
    # Without an analytics database: the spelling is kept, its id attached later.
    lonely = OpsStore(tmp_path / "alone" / "ops.sqlite")
    missing = UnitRegistry(tmp_path / "alone" / "none.duckdb")
    kept = add_contact(lonely, units=missing, name=MINH, agency=TAN_LOC, phone="0987654321")
    assert (kept.agency, kept.unit_id) == (TAN_LOC, None)


def test_officer_of_a_new_commune_sees_its_predecessors_and_no_other_commune(tmp_path):
    province = build_province(tmp_path / "ca-mau.duckdb")
    assert main(["agencies", "propose", "--province", "Cà Mau", "--db", str(province.path)]) == 0
    user = _officer(province, "ubnd xa hong dan")
    assert user.agency == HONG_DAN
    year = Filters(date(2025, 1, 1), date(2025, 12, 31), scope=user.scope)
    by_agency = {r["agency"]: r["received_new"] for r in Engine(province.reader()).by_agency(year)}
    # Today's units: 3 + 2 + 1 handed over from the three old communes, 4 of its own.
    assert by_agency == {HONG_DAN: 10}
    recorded = Filters(year.date_from, year.date_to, scope=user.scope, attribution="recorded")
    by_recorded = {r["agency"]: r["received_new"] for r in Engine(province.reader()).by_agency(recorded)}
    assert by_recorded == {NGAN_DUA: 3, NINH_HOA: 2, LOC_NINH: 1, HONG_DAN: 4}
    assert not {U_MINH, KHANH_THUAN} & (set(by_agency) | set(by_recorded))
    # Renamed (a commune becoming a ward), the account still sees the same history.
    assert main(["agencies", "rename", HONG_DAN, "UBND phường Hồng Dân", "--db", str(province.path)]) == 0
    user = _accounts(province).get("lan")
    year = Filters(year.date_from, year.date_to, scope=user.scope)
    assert {r["agency"]: r["received_new"] for r in Engine(province.reader()).by_agency(year)} == {
        "UBND phường Hồng Dân": 10}


def test_an_old_operational_store_keeps_every_user_and_contact(office, tmp_path):
    """A store written before unit ids (migrations 0001 and 0002 only) is
    upgraded in place: every row kept, ids attached by spelling at the next merge."""
    path = OpsStore.beside(office.path).path
    old = OpsStore(path, [m for m in MIGRATIONS if m.name != "0003_unit_ids"])
    stamp = "2026-01-05T03:00:00+00:00"
    with old.transaction() as con:
        for name, role, agency in (("lan", AGENCY_OFFICER, HOA_AN_LONG), ("binh", "leader", None),
                                   ("an", AGENCY_OFFICER, TAN_LOC)):
            con.execute("insert into users (username, display_name, role, agency, created_at, updated_at)"
                        " values (?, ?, ?, ?, ?, ?)", (name, name.title(), role, agency, stamp, stamp))
        for name, agency, role in ((HOA, HOA_AN, "handler"), (MINH, TAN_LOC, "handler"),
                                   ("Phạm Văn Bình", HOA_AN_LONG, "leader")):
            cur = con.execute("insert into contacts (name, agency, role, name_key, agency_key, created_at,"
                              " updated_at) values (?, ?, ?, ?, ?, ?, ?)",
                              (name, agency, role, name.lower(), agency.lower(), stamp, stamp))
            if role == "leader":
                con.execute("insert into agency_leaders (agency, agency_key, contact_id) values (?, ?, ?)",
                            (agency, agency.lower(), cur.lastrowid))
        con.execute("insert into audit_log (at, actor, action, target) values (?, 'system', 'user_add', 'lan')",
                    (stamp,))
    assert "0003_unit_ids" not in old.applied_migrations()

    ops = OpsStore(path)
    assert ops.applied_migrations()[-1] == "0003_unit_ids"
    users = _accounts(office).list()
    assert [(u.username, u.agency) for u in users] == [("an", TAN_LOC), ("lan", HOA_AN), ("binh", None)]
    assert _stored(office, "users") == [(HOA_AN_LONG, None), (None, None), (TAN_LOC, None)]
    registry = UnitRegistry(office)
    assert [(c.name, c.agency, c.leads) for c in list_contacts(ops, units=registry)] == [
        (HOA, HOA_AN, ()), ("Phạm Văn Bình", HOA_AN, (HOA_AN,)), (MINH, TAN_LOC, ())]
    assert [e.unit_id for e in audit.entries(ops)] == [None]
    # The merge attaches the ids by the spellings as they were, then follows them.
    hoa_an, tan_loc = _unit(office, HOA_AN), _unit(office, TAN_LOC)
    ward = registry.ids_for([WARD])[WARD]
    agency_merge.merge(office, HOA_AN, WARD, ops=ops, actor="cli:test")
    assert [unit for _, unit in _stored(office, "users")] == [hoa_an, None, tan_loc]
    assert [unit for _, unit in _stored(office, "contacts")] == [hoa_an, tan_loc, hoa_an]
    assert [(u.username, u.agency, u.unit_id) for u in _accounts(office).list()] == [
        ("an", TAN_LOC, tan_loc), ("lan", WARD, ward), ("binh", None, None)]
    assert len(list_contacts(ops)) == 3 and len(_stored(office, "agency_leaders")) == 1


def test_an_undo_clears_the_ids_of_the_units_it_removed(tmp_path):
    """Ids are the highest plus one: after an undo, the next new unit would
    take the id of a unit the undo removed. A reference to it must not then
    name that other unit."""
    db = tmp_path / "office.duckdb"
    first = import_files([write_csv(tmp_path / "a.csv", [DOSSIER_HEADER, dossier("A1", agency=TAN_LOC)])], db)
    second = import_files([write_csv(tmp_path / "b.csv", [DOSSIER_HEADER, dossier("B1", agency=HOA_AN)])], db)
    store = AnalyticsStore(db)
    user = _officer(store, HOA_AN)
    assert user.unit_id == _unit(store, HOA_AN) and first.import_id != second.import_id
    undo_import(db, second.import_id, actor="cli:test")
    assert _stored(store, "users") == [(HOA_AN, None)]
    # Another commune now takes the freed id: the account is not theirs.
    import_files([write_csv(tmp_path / "c.csv", [DOSSIER_HEADER, dossier("C1", agency=WARD)])], db)
    assert _unit(store, WARD) == user.unit_id
    again = _accounts(store).get("lan")
    assert (again.agency, _seen(store, again.scope)) == (HOA_AN, {})
    (entry,) = audit.entries(OpsStore.beside(db), action=audit.UNDO)
    assert entry.detail["unit_ids_cleared"] == 1


def test_the_watchlist_of_a_new_communes_officer_holds_its_predecessors_open_work(tmp_path):
    """Ninh Hòa's two dossiers of April 2025 (handed to Hồng Dân on 1/7/2025)
    left open: Hồng Dân's officer is reminded of them, U Minh's is not."""
    province = build_province(tmp_path / "ca-mau.duckdb")
    assert main(["agencies", "propose", "--province", "Cà Mau", "--db", str(province.path)]) == 0
    with province.write() as con:
        con.execute("update dossiers set finished_at = null, status = 4 where agency = ?", [NINH_HOA])
    hong_dan = _officer(province, HONG_DAN)
    u_minh = _officer(province, U_MINH, username="minh")
    seen = build_watchlist(province, as_of=date(2026, 11, 23), scope=hong_dan.scope)
    assert sorted((i.dossier_agency, i.state) for i in seen.items) == [(NINH_HOA, "overdue")] * 2
    assert build_watchlist(province, as_of=date(2026, 11, 23), scope=u_minh.scope).items == ()
    # The unit that recorded them sees them too (the officer of a unit with no successor yet).
    assert len(build_watchlist(province, as_of=date(2026, 11, 23), scope={NINH_HOA}).items) == 2

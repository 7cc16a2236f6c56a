"""Unit identity (issue 14): old and new units with one name, unit codes, parents read from names.

A small hand-built piece of Cà Mau province (names and codes from the shipped
mapping of 1/7/2025). Dossiers, all received and finished the same day on
time, one step each handled by the dossier's agency:

    agency as exported        received   n   the mapping says
    UBND xã Thới Bình         03/2025    3   old Xã Thới Bình (32077) -> new Xã Thới Bình (32065,
                              09/2025    2     formed from it and Thị trấn Thới Bình): two units
    UBND xã Khánh Lâm         04/2025    2   old Xã Khánh Lâm (32056) -> Xã U Minh (1st),
                              10/2025    1     new Xã Khánh Lâm (32062): two units, history to U Minh
    UBND xã Hồ Thị Kỷ         05/2025    1   Xã Hồ Thị Kỷ (32092) -> itself, alone: one unit
                              08/2025    1
    UBND xã U Minh            09/2025    1   a new commune

Total 11 in 2025. Counted by hand below.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import pytest

from analytics.access import audit
from analytics.cli.main import main
from analytics.indicators.engine import Engine
from analytics.indicators.filters import Filters
from analytics.ingest.importer import import_files
from analytics.store import agency_names, units
from analytics.store.database import AnalyticsStore
from analytics.store.ops import OpsStore
from tests.test_importer import DOSSIER_HEADER, STEP_HEADER, write_csv
from tests.test_units import build_office

THOI_BINH = "UBND xã Thới Bình"
OLD_THOI_BINH = "UBND xã Thới Bình (đến 30/06/2025)"
KHANH_LAM = "UBND xã Khánh Lâm"
OLD_KHANH_LAM = "UBND xã Khánh Lâm (đến 30/06/2025)"
HO_THI_KY = "UBND xã Hồ Thị Kỷ"
U_MINH = "UBND xã U Minh"

DOSSIERS = [  # agency, received month, count
    (THOI_BINH, "2025-03", 3),
    (THOI_BINH, "2025-09", 2),
    (KHANH_LAM, "2025-04", 2),
    (KHANH_LAM, "2025-10", 1),
    (HO_THI_KY, "2025-05", 1),
    (HO_THI_KY, "2025-08", 1),
    (U_MINH, "2025-09", 1),
]
YEAR = Filters(date(2025, 1, 1), date(2025, 12, 31))


def _build(path: Path, dossiers=DOSSIERS, agencies: dict[str, tuple[str | None, str | None]] | None = None
           ) -> AnalyticsStore:
    """A store with ``dossiers`` (one step each); ``agencies``: name -> (level, code)."""
    names = {agency: ("Xã", None) for agency, _, _ in dossiers} | (agencies or {})
    return build_office(path, dossiers, names, steps=True)


@pytest.fixture
def province(tmp_path: Path) -> AnalyticsStore:
    store = _build(tmp_path / "ca-mau.duckdb")
    assert main(["agencies", "propose", "--province", "Cà Mau", "--db", str(store.path)]) == 0
    return store


def _recorded(f: Filters) -> Filters:
    return Filters(f.date_from, f.date_to, agency=f.agency, scope=f.scope, attribution="recorded")


def _by_agency(store: AnalyticsStore, f: Filters) -> dict[str, int]:
    return {r["agency"]: r["received_new"] for r in Engine(store.reader()).by_agency(f)}


def _agency(store: AnalyticsStore, name: str) -> dict:
    con = store.reader()
    cur = con.execute("select * from agencies where name = ?", [name])
    columns = [d[0] for d in cur.description]
    row = cur.fetchone()
    assert row is not None, name
    return dict(zip(columns, row, strict=True))


# -- two units with one name, told apart by date -------------------------------------

def test_same_name_old_and_new_communes_are_two_units(province):
    recorded = _by_agency(province, _recorded(YEAR))
    assert recorded == {OLD_THOI_BINH: 3, THOI_BINH: 2, OLD_KHANH_LAM: 2, KHANH_LAM: 1, HO_THI_KY: 2, U_MINH: 1}
    # Today's units: Thới Bình carries its namesake's 3; old Khánh Lâm went to U Minh (named first).
    assert _by_agency(province, YEAR) == {THOI_BINH: 5, KHANH_LAM: 1, HO_THI_KY: 2, U_MINH: 3}
    # Today's unit keeps its id and name; the old one is a new id, ending the day before.
    old, new = _agency(province, OLD_THOI_BINH), _agency(province, THOI_BINH)
    assert old["unit_id"] > new["unit_id"]
    assert (old["valid_to"], new["valid_from"], new["valid_to"]) == (date(2025, 6, 30), date(2025, 7, 1), None)
    assert (old["level"], old["code"], new["code"]) == ("Xã", "32077", "32065")
    # A commune that kept its name and its area alone is one unit.
    assert HO_THI_KY + " (đến 30/06/2025)" not in {r["name"] for r in agency_names.list_units(province.reader())}
    links = {(r["name"], r["successor"], r["rank"], r["confirmed"]) for r in units.lineage(province.reader())
             if r["name"] in (OLD_THOI_BINH, OLD_KHANH_LAM)}
    assert links == {(OLD_THOI_BINH, THOI_BINH, 1, True), (OLD_KHANH_LAM, U_MINH, 1, True),
                     (OLD_KHANH_LAM, KHANH_LAM, 2, True)}


def test_steps_follow_their_dossier_to_the_old_unit(province):
    steps = dict(province.reader().execute(
        "select agency, count(*) from steps group by agency").fetchall())
    assert (steps[OLD_THOI_BINH], steps[THOI_BINH], steps[OLD_KHANH_LAM], steps[KHANH_LAM]) == (3, 2, 2, 1)


def test_a_period_spanning_the_reform_has_the_same_totals_in_both_views(province):
    engine = Engine(province.reader())
    assert engine.totals(YEAR) == engine.totals(_recorded(YEAR))
    assert engine.totals(YEAR)["received_new"] == 11
    assert sum(_by_agency(province, YEAR).values()) == sum(_by_agency(province, _recorded(YEAR)).values()) == 11
    # The name typed selects today's unit: its history under today's units, its own as recorded.
    thoi_binh = Filters(YEAR.date_from, YEAR.date_to, agency=THOI_BINH)
    assert engine.totals(thoi_binh)["received_new"] == 5
    assert engine.totals(_recorded(thoi_binh))["received_new"] == 2
    months = {r["period_start"].month: r["received_new"] for r in engine.trend(thoi_binh) if r["received_new"]}
    assert months == {3: 3, 9: 2}


def test_the_new_namesakes_officer_sees_only_what_was_handed_to_it(province):
    # New Khánh Lâm: the old Khánh Lâm's history went to U Minh, so its officer sees only its own.
    scope = frozenset({KHANH_LAM})
    assert _by_agency(province, Filters(YEAR.date_from, YEAR.date_to, scope=scope)) == {KHANH_LAM: 1}
    assert _by_agency(province, _recorded(Filters(YEAR.date_from, YEAR.date_to, scope=scope))) == {KHANH_LAM: 1}
    u_minh = frozenset({U_MINH})
    assert _by_agency(province, _recorded(Filters(YEAR.date_from, YEAR.date_to, scope=u_minh))) == {
        OLD_KHANH_LAM: 2, U_MINH: 1}


def test_later_imports_route_a_spelling_by_the_received_date(province, tmp_path):
    rows = [DOSSIER_HEADER,
            ["N1", "P", "Đăng ký khai sinh", "Hộ tịch", "Ủy ban nhân dân xã Thới Bình", "Trực tuyến",
             "15/06/2025", "20/06/2025", "16/06/2025", "Đã trả kết quả"],
            ["N2", "P", "Đăng ký khai sinh", "Hộ tịch", "UBND Xã Thới Bình", "Trực tuyến",
             "15/07/2025", "20/07/2025", "16/07/2025", "Đã trả kết quả"],
            ["N3", "P", "Đăng ký khai sinh", "Hộ tịch", "UBND xã Thới Bình", "Trực tuyến",
             "30/06/2025", "03/07/2025", "01/07/2025", "Đã trả kết quả"]]
    path = write_csv(tmp_path / "hs.csv", rows)
    # N1's step names no agency (the dossier's), N2's names today's unit: each follows its dossier.
    steps = write_csv(tmp_path / "steps.csv", [
        STEP_HEADER,
        ["N1", 1, "Xử lý", "Cán bộ An", "", "15/06/2025", "16/06/2025", "16/06/2025"],
        ["N2", 1, "Xử lý", "Cán bộ An", "UBND xã Thới Bình", "15/07/2025", "16/07/2025", "16/07/2025"]])
    report = import_files([path, steps], province.path)
    assert (report.tables["dossiers"]["changed"], report.tables["steps"]["changed"]) == (3, 2)
    agencies = dict(province.reader().execute(
        "select code, agency from dossiers where code in ('N1', 'N2', 'N3')").fetchall())
    assert agencies == {"N1": OLD_THOI_BINH, "N2": THOI_BINH, "N3": OLD_THOI_BINH}
    step_agencies = dict(province.reader().execute(
        "select dossier_code, agency from steps where dossier_code in ('N1', 'N2')").fetchall())
    assert step_agencies == {"N1": OLD_THOI_BINH, "N2": THOI_BINH}
    recorded = _by_agency(province, _recorded(YEAR))
    assert (recorded[OLD_THOI_BINH], recorded[THOI_BINH]) == (5, 3)
    assert _by_agency(province, YEAR)[THOI_BINH] == 8
    # The same files again change nothing: the routing is done before the counts.
    again = import_files([path, steps], province.path)
    assert (again.tables["dossiers"]["changed"], again.tables["steps"]["changed"]) == (0, 0)
    # Steps alone, for a stored dossier of the old unit, under today's name: they follow it too.
    alone = write_csv(tmp_path / "steps-only.csv", [
        STEP_HEADER, ["N1", 1, "Xử lý", "Cán bộ An", "UBND xã Thới Bình", "15/06/2025", "16/06/2025", "16/06/2025"]])
    assert import_files([alone], province.path).tables["steps"]["changed"] == 0


def test_the_officer_splits_a_name_and_the_old_units_history_moves(tmp_path):
    tan_lap, old_tan_lap = "UBND xã Tân Lập", "UBND xã Tân Lập (đến 30/06/2025)"
    store = _build(tmp_path / "tan-lap.duckdb", [(tan_lap, "2024-12", 2), (tan_lap, "2025-08", 3)])
    span = Filters(date(2024, 7, 1), date(2025, 12, 31))
    assert _by_agency(store, _recorded(span)) == {tan_lap: 5}
    unit_before = agency_names.unit_of(store.reader(), tan_lap)
    assert main(["agencies", "split", tan_lap, "--old-code", "T-OLD", "--db", str(store.path)]) == 0
    assert _by_agency(store, _recorded(span)) == {old_tan_lap: 2, tan_lap: 3}
    assert _by_agency(store, span) == {tan_lap: 5}
    assert Engine(store.reader()).totals(span) == Engine(store.reader()).totals(_recorded(span))
    # Ids are stable: today's unit keeps its id, every spelling still names it.
    assert agency_names.unit_of(store.reader(), "Ủy ban nhân dân xã Tân Lập") == unit_before
    assert _agency(store, old_tan_lap)["code"] == "T-OLD"
    entry = audit.entries(OpsStore.beside(store.path), action=audit.UNIT_CHANGE)[0]
    assert entry.target == tan_lap and entry.detail["old_unit"] == old_tan_lap
    # Splitting again on the same date is a no-op; the officer can still set the old unit's successor.
    assert main(["agencies", "split", tan_lap, "--db", str(store.path)]) == 0
    assert _by_agency(store, _recorded(span)) == {old_tan_lap: 2, tan_lap: 3}


# -- unit codes --------------------------------------------------------------------------

def test_a_code_beats_the_name_when_matching_the_mapping(tmp_path):
    # Cà Mau has two old "Phường 1" (32005 in Cà Mau, and Bạc Liêu's): by name ambiguous, by code not.
    phuong_1, an_xuyen = "UBND phường 1", "UBND phường An Xuyên"
    by_name = _build(tmp_path / "name.duckdb", [(phuong_1, "2025-01", 2)])
    assert main(["agencies", "propose", "--province", "Cà Mau", "--db", str(by_name.path)]) == 0
    assert not any(r["confirmed"] for r in units.lineage(by_name.reader()) if r["name"] == phuong_1)
    by_code = _build(tmp_path / "code.duckdb", [(phuong_1, "2025-01", 2)], {phuong_1: ("Xã", "32005")})
    assert main(["agencies", "propose", "--province", "Cà Mau", "--db", str(by_code.path)]) == 0
    link = next(r for r in units.lineage(by_code.reader()) if r["name"] == phuong_1)
    assert (link["successor"], link["confirmed"], link["source"]) == (an_xuyen, True, "mapping")
    assert _by_agency(by_code, YEAR) == {an_xuyen: 2}
    # A code that is a commune of today's, under that commune's name: it is one, no lineage.
    today = _build(tmp_path / "today.duckdb", [(THOI_BINH, "2025-09", 1)], {THOI_BINH: ("Xã", "32065")})
    assert main(["agencies", "propose", "--province", "Cà Mau", "--db", str(today.path)]) == 0
    assert units.lineage(today.reader()) == [] and units.namesakes(today.reader()) == []


def test_an_imports_agency_code_beats_the_name_and_date(province, tmp_path):
    header = [*DOSSIER_HEADER, "Mã đơn vị"]
    rows = [header,
            # After the reform by date, but the old unit's code: the old unit's.
            ["C1", "P", "Đăng ký khai sinh", "Hộ tịch", THOI_BINH, "Trực tuyến",
             "03/07/2025", "08/07/2025", "04/07/2025", "Đã trả kết quả", "32077"],
            # Today's code: today's unit.
            ["C2", "P", "Đăng ký khai sinh", "Hộ tịch", THOI_BINH, "Trực tuyến",
             "04/07/2025", "08/07/2025", "05/07/2025", "Đã trả kết quả", "32065"],
            # A code no unit has: the name and the date decide.
            ["C3", "P", "Đăng ký khai sinh", "Hộ tịch", THOI_BINH, "Trực tuyến",
             "01/06/2025", "08/06/2025", "05/06/2025", "Đã trả kết quả", "99999"],
            # The old unit's code under another spelling of U Minh: the code wins.
            ["C4", "P", "Đăng ký khai sinh", "Hộ tịch", U_MINH, "Trực tuyến",
             "01/05/2025", "08/05/2025", "05/05/2025", "Đã trả kết quả", "32056"],
            # Hồ Thị Kỷ has no code: old Thới Bình's does not become its own.
            ["C5", "P", "Đăng ký khai sinh", "Hộ tịch", HO_THI_KY, "Trực tuyến",
             "02/05/2025", "08/05/2025", "05/05/2025", "Đã trả kết quả", "32077"]]
    path = write_csv(tmp_path / "coded.csv", rows)
    assert import_files([path], province.path).tables["dossiers"]["changed"] == 5
    agencies = dict(province.reader().execute(
        "select code, agency from dossiers where code like 'C%'").fetchall())
    assert agencies == {"C1": OLD_THOI_BINH, "C2": THOI_BINH, "C3": OLD_THOI_BINH, "C4": OLD_KHANH_LAM,
                        "C5": OLD_THOI_BINH}
    assert dict(province.reader().execute(
        "select code, agency_code from dossiers where code = 'C1'").fetchall()) == {"C1": "32077"}
    # The codes stay their units': U Minh's dossier with old Khánh Lâm's code gave U Minh no code.
    assert (_agency(province, U_MINH)["code"], _agency(province, OLD_KHANH_LAM)["code"]) == ("32047", "32056")
    assert _agency(province, HO_THI_KY)["code"] is None
    assert import_files([path], province.path).tables["dossiers"]["changed"] == 0


def test_the_officer_sets_a_code_and_it_routes_the_stored_dossiers(tmp_path):
    store = _build(tmp_path / "set.duckdb", [(U_MINH, "2025-09", 1)])
    with store.write() as con:
        con.execute("update dossiers set agency_code = 'UM-1'")
    assert main(["agencies", "set", HO_THI_KY, "--code", "UM-1", "--db", str(store.path)]) == 2  # no such unit
    with store.write() as con:
        con.execute("insert into agencies (name, level) values (?, 'Xã')", [HO_THI_KY])
    assert main(["agencies", "set", HO_THI_KY, "--code", "UM-1", "--db", str(store.path)]) == 0
    assert _by_agency(store, _recorded(YEAR)) == {HO_THI_KY: 1}
    # A code is one unit's: giving it to another is refused.
    assert main(["agencies", "set", U_MINH, "--code", "UM-1", "--db", str(store.path)]) == 2


def test_an_older_database_gains_the_code_columns_on_its_next_write(tmp_path):
    store = _build(tmp_path / "old.duckdb", [(THOI_BINH, "2025-03", 1)])
    version = store.path.resolve()
    con = duckdb.connect(str(version))
    con.execute("alter table agencies drop column code")
    con.execute("alter table unit_overrides drop column code")
    con.execute("alter table dossiers drop column agency_code")
    con.execute("drop table unit_namesakes")
    con.close()
    assert units.namesakes(store.reader()) == []
    with store.write():
        pass
    columns = {r[0] for r in store.reader().execute("describe agencies").fetchall()}
    assert "code" in columns and units.namesakes(store.reader()) == []
    assert main(["agencies", "split", THOI_BINH, "--db", str(store.path)]) == 0
    assert _by_agency(store, _recorded(YEAR)) == {OLD_THOI_BINH: 1}


# -- parents read from names ----------------------------------------------------------

def test_parents_are_read_from_names_and_the_officer_corrects_them(tmp_path):
    agencies = {
        "UBND tỉnh Đồng Nai": ("Tỉnh", None),
        "UBND xã Tân Hưng, tỉnh Đồng Nai": ("Xã", None),
        "UBND xã Phú Hòa, tỉnh Lâm Đồng": ("Xã", None),
        "UBND huyện An Phước": ("Huyện", None),
        "Phòng Tư pháp huyện An Phước": (None, None),
        "Trung tâm Phục vụ hành chính công tỉnh Đồng Nai": (None, None),
        "Chi nhánh Trung tâm Phục vụ hành chính công huyện An Phước": (None, None),
        "Chi cục Thuế huyện An Phước": (None, None),
    }
    store = _build(tmp_path / "parents.duckdb", [(name, "2025-03", 1) for name in agencies], agencies)

    def parents() -> dict[str, str | None]:
        return dict(store.reader().execute("select name, parent from agencies").fetchall())

    found = parents()
    assert found["UBND xã Tân Hưng, tỉnh Đồng Nai"] == "UBND tỉnh Đồng Nai"
    assert found["UBND xã Phú Hòa, tỉnh Lâm Đồng"] == "Tỉnh Lâm Đồng"  # no unit: the province's name
    assert found["Phòng Tư pháp huyện An Phước"] == "UBND huyện An Phước"
    assert found["Chi nhánh Trung tâm Phục vụ hành chính công huyện An Phước"] == (
        "Trung tâm Phục vụ hành chính công tỉnh Đồng Nai")
    assert found["Trung tâm Phục vụ hành chính công tỉnh Đồng Nai"] == "UBND tỉnh Đồng Nai"
    assert found["Chi cục Thuế huyện An Phước"] is None  # vertical: its parent is its sector's
    assert found["UBND tỉnh Đồng Nai"] is None and found["UBND huyện An Phước"] is None
    # The province's committee arrives later: the parent read from the name becomes the unit.
    with store.write() as con:
        con.execute("insert into agencies (name, level) values ('Ủy ban nhân dân tỉnh Lâm Đồng', 'Tỉnh')")
    assert parents()["UBND xã Phú Hòa, tỉnh Lâm Đồng"] == "Ủy ban nhân dân tỉnh Lâm Đồng"
    # The officer's correction wins, now and at every later write.
    assert main(["agencies", "set", "Phòng Tư pháp huyện An Phước", "--parent", "UBND tỉnh Đồng Nai",
                 "--db", str(store.path)]) == 0
    with store.write():
        pass
    assert parents()["Phòng Tư pháp huyện An Phước"] == "UBND tỉnh Đồng Nai"


def test_parent_from_name_reads_the_district_before_the_province():
    by_key = {"uy ban nhan dan tinh dong nai": "UBND tỉnh Đồng Nai"}
    assert units.parent_from_name("UBND xã A, huyện B, tỉnh Đồng Nai", "Xã", "local", by_key) == (
        None, "UBND huyện B")
    assert units.parent_from_name("UBND xã Tân Lập", "Xã", "local", by_key) == (None, None)
    assert units.parent_from_name("Sở Tư pháp tỉnh Đồng Nai", "Tỉnh", "local", by_key) == (
        "UBND tỉnh Đồng Nai", "Tỉnh Đồng Nai")
    assert units.parent_from_name("UBND phường 1, thành phố Hà Nội", "Xã", "local", by_key) == (
        None, "Thành phố Hà Nội")

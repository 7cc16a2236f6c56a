"""Units of the two-tier local government and their lineage (issue 14).

A small hand-built piece of Cà Mau province (names from the shipped mapping
of 1/7/2025). Dossiers, all received and finished the same day on time:

    old unit (until 30/6/2025)                         received      n
    UBND thị trấn Ngan Dừa   -> Xã Hồng Dân            03/2025       3
    UBND xã Ninh Hòa         -> Xã Hồng Dân            04/2025       2
    UBND xã Lộc Ninh         -> Xã Hồng Dân            05/2025       1
    UBND xã Khánh Thuận      -> Xã U Minh (1st), Xã Nguyễn Phích     02/2025   2
    UBND phường 1            (two old "Phường 1" in the province: ambiguous)  01/2025  1
    Chi nhánh VPĐK đất đai huyện Hồng Dân (district office)    06/2025   5
    new unit (from 1/7/2025)
    UBND xã Hồng Dân                                   08/2025       4
    UBND xã U Minh                                     09/2025       1
    Văn phòng đăng ký đất đai tỉnh Cà Mau              10/2025       2

Total 21 in 2025. Counted by hand below.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from analytics.access import audit
from analytics.cli.main import main
from analytics.indicators.engine import Engine
from analytics.indicators.filters import FilterError, Filters
from analytics.store import units
from analytics.store.database import AnalyticsStore
from analytics.store.ops import OpsStore

NGAN_DUA = "UBND thị trấn Ngan Dừa"
NINH_HOA = "UBND xã Ninh Hòa"
LOC_NINH = "UBND xã Lộc Ninh"
KHANH_THUAN = "UBND xã Khánh Thuận"
PHUONG_1 = "UBND phường 1"
LAND_DISTRICT = "Chi nhánh Văn phòng đăng ký đất đai huyện Hồng Dân"
HONG_DAN = "UBND xã Hồng Dân"
U_MINH = "UBND xã U Minh"
NGUYEN_PHICH = "UBND xã Nguyễn Phích"
LAND_PROVINCE = "Văn phòng đăng ký đất đai tỉnh Cà Mau"

DOSSIERS = [  # agency, level (as the export gives it), received month, count
    (NGAN_DUA, "Xã", "2025-03", 3),
    (NINH_HOA, "Xã", "2025-04", 2),
    (LOC_NINH, "Xã", "2025-05", 1),
    (KHANH_THUAN, "Xã", "2025-02", 2),
    (PHUONG_1, "Xã", "2025-01", 1),
    (LAND_DISTRICT, None, "2025-06", 5),
    (HONG_DAN, "Xã", "2025-08", 4),
    (U_MINH, "Xã", "2025-09", 1),
    (LAND_PROVINCE, None, "2025-10", 2),
]
YEAR = Filters(date(2025, 1, 1), date(2025, 12, 31))
BEFORE = Filters(date(2025, 1, 1), date(2025, 6, 30))


def build_office(path: Path, dossiers: list[tuple[str, str, int]],
                 agencies: dict[str, tuple[str | None, str | None]], *, steps: bool = False) -> AnalyticsStore:
    """A store with ``dossiers`` (agency, received month, count: D01, D02, …
    in that order, each received on the 10th, finished on the 11th, due on
    the 12th; with ``steps``, one step each by 'Cán bộ An') and ``agencies``
    (name -> (level, code)). The unit tests of test_unit_identity.py build
    on it too."""
    store = AnalyticsStore(path)
    with store.write() as con:
        con.execute("insert into procedures (code, name, field) values ('P', 'Đăng ký khai sinh', 'Hộ tịch')")
        for name, (level, code) in agencies.items():
            con.execute("insert into agencies (name, level, parent, code) values (?, ?, null, ?)", [name, level, code])
        n = 0
        for agency, month, count in dossiers:
            for _ in range(count):
                n += 1
                code = f"D{n:02d}"
                times = [f"{month}-10 08:00", f"{month}-12 17:00", f"{month}-11 10:00"]
                con.execute(
                    "insert into dossiers (code, procedure_code, agency, channel, received_at, due_at, finished_at,"
                    " status) values (?, 'P', ?, 'online', ?::timestamp, ?::timestamp, ?::timestamp, 10)",
                    [code, agency, *times])
                if steps:
                    con.execute(
                        "insert into steps (dossier_code, step_no, step_name, handler, agency, started_at, due_at,"
                        " finished_at) values (?, 1, 'Xử lý', 'Cán bộ An', ?, ?::timestamp, ?::timestamp,"
                        " ?::timestamp)", [code, agency, *times])
    return store


def _build(path: Path) -> AnalyticsStore:
    return build_office(path, [(agency, month, count) for agency, _, month, count in DOSSIERS],
                        {agency: (level, None) for agency, level, _, _ in DOSSIERS})


@pytest.fixture
def province(tmp_path: Path) -> AnalyticsStore:
    store = _build(tmp_path / "ca-mau.duckdb")
    assert main(["agencies", "propose", "--province", "Cà Mau", "--db", str(store.path)]) == 0
    return store


def _by_agency(store: AnalyticsStore, f: Filters) -> dict[str, tuple[int, str]]:
    return {r["agency"]: (r["received_new"], r["level"]) for r in Engine(store.reader()).by_agency(f)}


def _recorded(f: Filters) -> Filters:
    return Filters(f.date_from, f.date_to, scope=f.scope, agency_level=f.agency_level, attribution="recorded")


def test_level_from_name():
    assert units.level_from_name("Đặc khu Phú Quốc") == ("Xã", "local")
    assert units.level_from_name("UBND phường Bình Minh") == ("Xã", "local")
    assert units.level_from_name("UBND xã Tân Hưng, tỉnh Đồng Nai") == ("Xã", "local")
    assert units.level_from_name("Trung tâm Phục vụ hành chính công tỉnh Đồng Nai") == ("Tỉnh", "local")
    assert units.level_from_name("Chi nhánh Trung tâm Phục vụ hành chính công khu vực 3") == ("Tỉnh", "local")
    assert units.level_from_name("Sở Lao động - Thương binh và Xã hội") == ("Tỉnh", "local")
    assert units.level_from_name("Chi nhánh Văn phòng đăng ký đất đai huyện Hồng Dân") == ("Huyện", "local")
    assert units.level_from_name("Phòng Tư pháp") == ("Huyện", "local")
    assert units.level_from_name("UBND huyện An Phước") == ("Huyện", "local")
    # Vertical-ministry offices: their own kind, shown under the province.
    assert units.level_from_name("Chi cục Thuế huyện Hồng Dân") == ("Tỉnh", "vertical")
    assert units.level_from_name("Bảo hiểm xã hội huyện Hồng Dân") == ("Tỉnh", "vertical")
    assert units.level_from_name("Công an xã Tân Hưng") == ("Tỉnh", "vertical")
    assert units.level_from_name("Ban quản lý dự án") == ("Huyện", "local")
    assert units.level_from_name("Hợp tác xã Nông nghiệp") == ("Xã", "local")


def test_without_lineage_both_views_agree(tmp_path):
    store = _build(tmp_path / "plain.duckdb")
    assert _by_agency(store, YEAR) == _by_agency(store, _recorded(YEAR))
    # The levels read from the names where the export gave none.
    assert _by_agency(store, YEAR)[LAND_DISTRICT] == (5, "Huyện")
    assert _by_agency(store, YEAR)[LAND_PROVINCE] == (2, "Tỉnh")


def test_new_commune_from_three_old_ones(province):
    # Today's units: Hồng Dân carries 3 + 2 + 1 before July and its own 4 after.
    assert _by_agency(province, BEFORE)[HONG_DAN] == (6, "Xã")
    assert _by_agency(province, YEAR)[HONG_DAN] == (10, "Xã")
    assert NGAN_DUA not in _by_agency(province, YEAR)
    # As recorded: each old commune its own.
    recorded = _by_agency(province, _recorded(YEAR))
    assert (recorded[NGAN_DUA][0], recorded[NINH_HOA][0], recorded[LOC_NINH][0], recorded[HONG_DAN][0]) == (3, 2, 1, 4)


def test_split_commune_goes_whole_to_the_first_successor_unless_the_officer_sets_another(province):
    # Khánh Thuận went to U Minh (named first) and Nguyễn Phích: both its dossiers to U Minh.
    assert _by_agency(province, YEAR)[U_MINH] == (3, "Xã")
    assert NGUYEN_PHICH not in _by_agency(province, YEAR)
    # The successor the data had not met was added as a unit.
    listed = {r["name"] for r in units.lineage(province.reader()) if r["successor"] == NGUYEN_PHICH}
    assert listed == {KHANH_THUAN}
    assert main(["agencies", "successor", KHANH_THUAN, NGUYEN_PHICH, U_MINH, "--db", str(province.path)]) == 0
    year = _by_agency(province, YEAR)
    assert year[NGUYEN_PHICH] == (2, "Xã") and year[U_MINH] == (1, "Xã")
    entry = audit.entries(OpsStore.beside(province.path), action=audit.UNIT_CHANGE)[0]
    assert entry.target == KHANH_THUAN and entry.detail["successors"] == [NGUYEN_PHICH, U_MINH]


def test_ambiguous_commune_waits_for_the_officer(province):
    rows = [r for r in units.lineage(province.reader()) if r["name"] == PHUONG_1]
    assert rows and not any(r["confirmed"] for r in rows) and rows[0]["source"] == "proposal"
    assert _by_agency(province, YEAR)[PHUONG_1] == (1, "Xã")


def test_district_office_successor_set_by_the_officer_moves_its_history(province, capsys):
    # Proposed from the name, not applied until confirmed.
    proposal = next(r for r in units.lineage(province.reader()) if r["name"] == LAND_DISTRICT)
    assert (proposal["successor"], proposal["confirmed"]) == (LAND_PROVINCE, False)
    assert _by_agency(province, YEAR)[LAND_DISTRICT] == (5, "Huyện")
    assert main(["agencies", "confirm", LAND_DISTRICT, "--db", str(province.path)]) == 0
    year = _by_agency(province, YEAR)
    assert year[LAND_PROVINCE] == (7, "Tỉnh") and LAND_DISTRICT not in year
    # Cấp huyện only in the past, as recorded.
    huyen = Filters(YEAR.date_from, YEAR.date_to, agency_level="Huyện")
    assert Engine(province.reader()).totals(huyen)["received_new"] == 0
    assert Engine(province.reader()).totals(_recorded(huyen))["received_new"] == 5
    assert Engine(province.reader()).totals(_recorded(BEFORE)) == Engine(province.reader()).totals(BEFORE)
    # The unit lived until the day before its successor took over.
    row = province.reader().execute("select valid_to from agencies where name = ?", [LAND_DISTRICT]).fetchone()
    assert row == (date(2025, 6, 30),)
    capsys.readouterr()
    assert main(["agencies", "lineage", "--db", str(province.path), "--format", "json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert any(r["name"] == LAND_DISTRICT and r["confirmed"] for r in listed)


def test_period_spanning_the_reform_same_totals_in_both_views(province):
    engine = Engine(province.reader())
    current, recorded = engine.totals(YEAR), engine.totals(_recorded(YEAR))
    assert current == recorded and current["received_new"] == 21
    assert sum(n for n, _ in _by_agency(province, YEAR).values()) == 21
    assert sum(n for n, _ in _by_agency(province, _recorded(YEAR)).values()) == 21
    # The monthly trend is continuous: Hồng Dân has dossiers before July under today's units.
    hong_dan = Filters(YEAR.date_from, YEAR.date_to, agency=HONG_DAN)
    months = {r["period_start"].month: r["received_new"] for r in engine.trend(hong_dan)
              if r["received_new"]}
    assert months == {3: 3, 4: 2, 5: 1, 8: 4}


def test_scope_of_a_new_commune_officer(province):
    scope = frozenset({HONG_DAN})
    current = Filters(YEAR.date_from, YEAR.date_to, scope=scope)
    assert _by_agency(province, current) == {HONG_DAN: (10, "Xã")}
    # As recorded: the same history under the names that recorded it, nothing of other communes.
    assert _by_agency(province, _recorded(current)) == {
        NGAN_DUA: (3, "Xã"), NINH_HOA: (2, "Xã"), LOC_NINH: (1, "Xã"), HONG_DAN: (4, "Xã")}
    # Another commune's officer sees none of it.
    other = Filters(YEAR.date_from, YEAR.date_to, scope=frozenset({U_MINH}))
    assert _by_agency(province, other) == {U_MINH: (3, "Xã")}
    assert set(_by_agency(province, _recorded(other))) == {KHANH_THUAN, U_MINH}


def test_officer_corrects_a_level_and_it_survives_the_next_write(province):
    assert main(["agencies", "set", LAND_PROVINCE, "--level", "Xã", "--db", str(province.path)]) == 0
    assert _by_agency(province, YEAR)[LAND_PROVINCE] == (2, "Xã")
    with province.write():
        pass  # any later write (an import) keeps the correction
    assert _by_agency(province, YEAR)[LAND_PROVINCE] == (2, "Xã")
    with pytest.raises(SystemExit):
        main(["agencies", "set", LAND_PROVINCE, "--level", "Quận", "--db", str(province.path)])


def test_cli_attribution_option(province, capsys):
    base = ["indicators", "--db", str(province.path), "--from", "2025-01-01", "--to", "2025-12-31",
            "--format", "json"]
    outputs = {}
    for extra in ([], ["--attribution", "current"], ["--attribution", "recorded"]):
        assert main(base + extra) == 0
        outputs[tuple(extra)] = json.loads(capsys.readouterr().out)
    assert outputs[()] == outputs[("--attribution", "current")]
    levels = {r["agency"]: r["level"] for r in outputs[("--attribution", "recorded")]["by_agency"]}
    assert levels[LAND_DISTRICT] == "Huyện" and levels[NGAN_DUA] == "Xã" and levels[LAND_PROVINCE] == "Tỉnh"
    assert outputs[()]["totals"] == outputs[("--attribution", "recorded")]["totals"]
    with pytest.raises(SystemExit):
        main(base + ["--attribution", "both"])
    with pytest.raises(FilterError):
        Filters(YEAR.date_from, YEAR.date_to, attribution="both")


def test_unknown_province_is_refused(tmp_path):
    store = _build(tmp_path / "x.duckdb")
    assert main(["agencies", "propose", "--province", "Không Có", "--db", str(store.path)]) == 2


def test_a_scoped_officer_is_offered_the_predecessors_as_recorded(province):
    # Hồng Dân's officer: the three old communes handed to it are in the
    # as-recorded agency list (their dossiers are in the figures), not under
    # today's units, and nothing of U Minh or Khánh Thuận either way.
    agencies = Engine(province.reader()).options(frozenset({HONG_DAN}))["agencies"]
    assert {a["name"] for a in agencies if a["recorded"]} == {HONG_DAN, NGAN_DUA, NINH_HOA, LOC_NINH}
    assert {a["name"] for a in agencies if a["current"]} == {HONG_DAN}

"""Units of the two-tier local government and their lineage (issue 14).

Since 1 July 2025 Vietnam has two levels of local government: provinces
(cấp tỉnh: the people's committee, departments, the public administration
service centre and its branches) and communes (cấp xã: communes, wards,
special zones). District units (cấp huyện) and the old communes merged on
that date are the past, but five years of history were recorded under them.

* **Level** (:func:`level_from_name`): read from the name when the import
  gave none; offices of vertical-ministry agencies (tax, social insurance,
  police, treasury) are of their own kind (``kind = 'vertical'``) and shown
  under the province. The officer corrects any unit (:func:`set_unit`,
  ``python -m analytics agencies set``); the correction is stored
  (``unit_overrides``) and wins at every write.
* **Lineage** (``unit_lineage``): an old unit points to the unit(s) that took
  over its work on a date. Under today's units (attribution ``current``)
  each dossier the old unit received before that date counts under the
  successor of rank 1, followed to the end of the chain: a commune split
  among several new ones hands every dossier, whole, to one successor (the
  one the mapping names first, unless the officer sets another). Only
  confirmed rows apply; proposals wait for the officer.
* **Proposals** (:func:`propose`): communes from the public old→new mapping
  of 1/7/2025 shipped in ``data/dvhcvn-20250701`` (by name within the
  office's province; a name found in several old districts is ambiguous and
  left for the officer), district offices from their names (a district land
  registry branch → the province's land registry office, a district office
  of a sector → the province's department of that sector).
* :func:`refresh_units` (every write, after the units are registered) applies
  levels and overrides and rebuilds ``agency_current``, which facts.sql reads.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any, Mapping

import duckdb
import pandas as pd

from analytics.locale.text import agency_key, fold
from analytics.sqlfiles import read_sql
from analytics.store.agency_names import register_units

# The day the two-tier local government began.
REFORM_DATE = date(2025, 7, 1)
PROVINCE, COMMUNE, DISTRICT = "Tỉnh", "Xã", "Huyện"
LEVELS = (PROVINCE, COMMUNE, DISTRICT)
KIND_VERTICAL, KIND_LOCAL = "vertical", "local"
KINDS = (KIND_VERTICAL, KIND_LOCAL)
SOURCE_MAPPING, SOURCE_OFFICER, SOURCE_PROPOSAL = "mapping", "officer", "proposal"
MAPPING_FILE = Path(__file__).with_name("data") / "dvhcvn-20250701" / "communes.csv"
# Chains longer than this are a data error (a cycle the officer made); the
# walk stops there rather than loop.
MAX_HOPS = 20


def _statements() -> dict[str, str]:
    parts = re.split(r"^-- name: (\w+)\s*$", read_sql("analytics.store", "units"), flags=re.M)
    return {parts[i]: parts[i + 1].strip() for i in range(1, len(parts), 2)}


SQL = _statements()


def _rows(con: duckdb.DuckDBPyConnection, name: str, params: Mapping[str, Any] | None = None) -> list[dict[str, Any]]:
    cur = con.execute(SQL[name], dict(params) if params else None)
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]


# -- level from the name --------------------------------------------------------

# Matched on the folded name (no case, no diacritics), as whole words.
_VERTICAL = re.compile(r"\b(thue|bao hiem xa hoi|bhxh|cong an|kho bac)\b")
_DISTRICT = re.compile(r"\b(huyen|quan|thi xa)\b")
# "xã" but not "xã hội" (Sở Lao động - Thương binh và Xã hội); compared on
# the lower-cased name with its diacritics, where xã and xa differ.
_COMMUNE = re.compile(r"\b(xã(?! hội)|phường|thị trấn|đặc khu)\b")
_PROVINCE = re.compile(r"\b(tinh|so|trung tam phuc vu hanh chinh cong|chi nhanh|van phong dang ky dat dai"
                       r"|thanh pho truc thuoc trung uong)\b")
_DISTRICT_OFFICE = re.compile(r"^(phong|thanh tra|ban)\b")


def level_from_name(name: str) -> tuple[str | None, str]:
    """(level, kind) read from an agency's name; level None when the name says nothing.

    Order matters: a vertical-ministry office ("Chi cục Thuế huyện …") is of
    its own kind, shown under the province; a district word names the past
    district level ("Chi nhánh Văn phòng đăng ký đất đai huyện …"); a commune
    word wins over the province a name carries ("UBND xã Tân Hưng, tỉnh Đồng
    Nai"); then the province's own units ("Sở …", "Trung tâm Phục vụ hành
    chính công tỉnh …", "Chi nhánh …"); a bare "Phòng …" is a district office.
    """
    folded = agency_key(name)
    lowered = " ".join(str(name).lower().split())
    if _VERTICAL.search(folded):
        return PROVINCE, KIND_VERTICAL
    if _DISTRICT.search(folded):
        return DISTRICT, KIND_LOCAL
    if _COMMUNE.search(lowered):
        return COMMUNE, KIND_LOCAL
    if _PROVINCE.search(folded):
        return PROVINCE, KIND_LOCAL
    if _DISTRICT_OFFICE.search(folded):
        return DISTRICT, KIND_LOCAL
    return None, KIND_LOCAL


# -- officer's corrections ------------------------------------------------------

@dataclass(frozen=True)
class UnitValues:
    """What the officer sets for one unit; None leaves the value as read."""

    level: str | None = None
    kind: str | None = None
    parent: str | None = None
    valid_from: date | None = None
    valid_to: date | None = None


class UnitError(ValueError):
    """A correction that makes no sense (unknown level, successor = itself...)."""


def set_unit(con: duckdb.DuckDBPyConnection, unit_id: int, values: UnitValues, at: datetime) -> None:
    """Store the officer's values for a unit (inside a write); a value not
    given keeps the one stored before."""
    if values.level is not None and values.level not in LEVELS:
        raise UnitError(f"cấp không hợp lệ: {values.level!r} ({', '.join(LEVELS)})")
    if values.kind is not None and values.kind not in KINDS:
        raise UnitError(f"loại không hợp lệ: {values.kind!r} ({', '.join(KINDS)})")
    before = next((r for r in _rows(con, "overrides") if r["unit_id"] == unit_id), {})
    merged = {k: getattr(values, k) if getattr(values, k) is not None else before.get(k)
              for k in ("level", "kind", "parent", "valid_from", "valid_to")}
    con.execute(SQL["delete_override"], {"unit_id": unit_id})
    con.execute(SQL["insert_override"], {"unit_id": unit_id, **merged, "set_at": at})


def set_successors(con: duckdb.DuckDBPyConnection, unit_id: int, successors: list[int],
                   effective_on: date = REFORM_DATE, source: str = SOURCE_OFFICER,
                   confirmed: bool = True, note: str | None = None) -> None:
    """Replace a unit's lineage (inside a write): ``successors`` in order,
    the first taking its dossiers. An empty list removes the lineage."""
    if unit_id in successors:
        raise UnitError("một đơn vị không thể kế thừa chính nó")
    con.execute(SQL["delete_lineage"], {"unit_id": unit_id})
    for rank, successor in enumerate(dict.fromkeys(successors), start=1):
        con.execute(SQL["insert_lineage"], {"unit_id": unit_id, "successor_unit_id": successor,
                                            "effective_on": effective_on, "rank": rank,
                                            "source": source, "confirmed": confirmed, "note": note})


def confirm(con: duckdb.DuckDBPyConnection, unit_id: int) -> None:
    """The officer accepts a unit's proposed lineage as it stands."""
    con.execute(SQL["confirm_lineage"], {"unit_id": unit_id})


def lineage(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """Every lineage row with the names of both units."""
    try:
        return _rows(con, "lineage")
    except duckdb.CatalogException:  # a database written before lineage existed
        return []


# -- every write -------------------------------------------------------------------

def refresh_units(con: duckdb.DuckDBPyConnection) -> None:
    """Apply levels, kinds, parents and dates (the officer's, else the
    import's, else read from the name), then rebuild ``agency_current``."""
    agencies = _rows(con, "agencies")
    overrides = {r["unit_id"]: r for r in _rows(con, "overrides")}
    links = [r for r in lineage(con) if r["confirmed"] and r["unit_id"] is not None
             and r["successor_unit_id"] is not None]
    ends: dict[int, date] = {}
    for link in links:
        ends[link["unit_id"]] = min(ends.get(link["unit_id"], link["effective_on"]), link["effective_on"])
    values = []
    for row in agencies:
        own = overrides.get(row["unit_id"], {})
        read_level, read_kind = level_from_name(row["name"])
        kind = own.get("kind") or read_kind
        level = own.get("level") or (PROVINCE if read_kind == KIND_VERTICAL else None) or row["level"] or read_level
        end = ends.get(row["unit_id"])
        values.append({"name": row["name"], "level": level, "kind": kind,
                       "parent": own.get("parent") or row["parent"],
                       "valid_from": own.get("valid_from") or row["valid_from"],
                       "valid_to": own.get("valid_to") or (end - timedelta(days=1) if end else row["valid_to"])})
    if values:
        frame = pd.DataFrame(values).astype({"valid_from": "datetime64[ns]", "valid_to": "datetime64[ns]"})
        con.register("unit_values", frame)
        try:
            con.execute(SQL["apply_units"])
        finally:
            con.unregister("unit_values")
    _refresh_current(con, links)


def _refresh_current(con: duckdb.DuckDBPyConnection, links: list[dict[str, Any]]) -> None:
    names = {r["unit_id"]: (r["name"], r["level"]) for r in _rows(con, "agencies") if r["unit_id"] is not None}
    first: dict[int, dict[str, Any]] = {}
    for link in sorted(links, key=lambda r: (r["rank"], r["successor_unit_id"])):
        first.setdefault(link["unit_id"], link)
    current = []
    for unit_id, link in first.items():
        end, seen = link["successor_unit_id"], {unit_id}
        while end in first and end not in seen and len(seen) < MAX_HOPS:
            seen.add(end)
            end = first[end]["successor_unit_id"]
        if unit_id in names and end in names and end != unit_id:
            current.append({"name": names[unit_id][0], "effective_on": link["effective_on"],
                            "current_agency": names[end][0], "current_level": names[end][1]})
    frame = pd.DataFrame(current, columns=["name", "effective_on", "current_agency", "current_level"])
    frame = frame.astype({"effective_on": "datetime64[ns]", "name": object, "current_agency": object,
                          "current_level": object})
    con.register("current", frame)
    try:
        con.execute(SQL["replace_current"])
    finally:
        con.unregister("current")


# -- proposals ---------------------------------------------------------------------

_UNIT_PREFIX = re.compile(r"^(uy ban nhan dan|bo phan mot cua|bo phan tiep nhan va tra ket qua)\s+")


def commune_key(name: str) -> str:
    """A commune's name without "UBND", one-stop desk words or the province
    it carries: "UBND xã Tân Hưng, tỉnh Đồng Nai" and "Xã Tân Hưng" match."""
    head = str(name).split(",")[0]
    return _UNIT_PREFIX.sub("", agency_key(head))


def _province_key(name: str) -> str:
    return re.sub(r"^(tinh|thanh pho)\s+", "", agency_key(name))


@lru_cache(maxsize=1)
def mapping_rows() -> tuple[dict[str, str], ...]:
    """The shipped old→new commune mapping (SOURCE.md beside it)."""
    with MAPPING_FILE.open(encoding="utf-8", newline="") as fh:
        return tuple(csv.DictReader(fh))


# District office of a sector -> words naming the province's department that
# took over the sector in 2025 (departments were merged too: natural
# resources with agriculture, labour with home affairs, planning with finance,
# transport with construction, information with culture).
SECTOR_TARGETS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("dang ky dat dai", ("van phong dang ky dat dai",)),
    ("tu phap", ("so tu phap",)),
    ("tai nguyen va moi truong", ("so nong nghiep va moi truong",)),
    ("nong nghiep", ("so nong nghiep va moi truong",)),
    ("lao dong", ("so noi vu",)),
    ("noi vu", ("so noi vu",)),
    ("tai chinh", ("so tai chinh",)),
    ("giao duc", ("so giao duc va dao tao",)),
    ("van hoa", ("so van hoa",)),
    ("y te", ("so y te",)),
    ("kinh te ha tang", ("so xay dung",)),
    ("quan ly do thi", ("so xay dung",)),
    ("kinh te", ("so cong thuong",)),
    ("thanh tra", ("thanh tra tinh",)),
    ("uy ban nhan dan huyen", ("trung tam phuc vu hanh chinh cong",)),
)


def _commune_name(mapping_name: str) -> str:
    """The agency name a new commune of the mapping goes by ("Xã Tân Hưng" ->
    "UBND xã Tân Hưng"), as the one-stop exports spell communes."""
    return f"UBND {mapping_name[:1].lower()}{mapping_name[1:]}"


def propose(con: duckdb.DuckDBPyConnection, province: str, effective_on: date = REFORM_DATE) -> dict[str, int]:
    """Proposals for units with no lineage yet (inside a write): communes
    from the mapping, district offices from their names. A unique match of
    the mapping is confirmed at once (source ``mapping``); an ambiguous one
    and every district proposal wait for the officer. Returns counts."""
    wanted = _province_key(province)
    rows = [r for r in mapping_rows()
            if wanted in (_province_key(r["old_province"]), _province_key(r["new_province"]))]
    if not rows:
        raise UnitError(f"không có tỉnh {province!r} trong bảng đối chiếu xã")
    agencies = _rows(con, "agencies")
    by_commune_key = {commune_key(a["name"]): a for a in agencies if a["level"] == COMMUNE}
    has_lineage = {r["unit_id"] for r in lineage(con)}
    old_by_key: dict[str, dict[str, list[dict[str, str]]]] = {}
    for r in rows:
        old_by_key.setdefault(commune_key(r["old_name"]), {}).setdefault(r["old_code"], []).append(r)
    new_keys = {commune_key(r["new_name"]) for r in rows}
    counts = {"communes": 0, "ambiguous": 0, "offices": 0, "created": 0}

    def unit_named(mapping_name: str) -> int:
        key = commune_key(mapping_name)
        found = by_commune_key.get(key)
        if found is None:
            name = _commune_name(mapping_name)
            con.execute(SQL["insert_agency"], {"name": name, "level": COMMUNE})
            counts["created"] += 1
            # Registering gives it a unit id and an alias, as for any new agency.
            register_units(con)
            found = next(a for a in _rows(con, "agencies") if a["name"] == name)
            by_commune_key[key] = found
        return int(found["unit_id"])

    for agency in agencies:
        if agency["unit_id"] in has_lineage or agency["level"] != COMMUNE:
            continue
        codes = old_by_key.get(commune_key(agency["name"]))
        if not codes:
            continue
        code, targets = next(iter(codes.items()))
        targets = sorted(targets, key=lambda r: int(r["rank"]))
        if len(targets) == 1 and commune_key(targets[0]["new_name"]) == commune_key(agency["name"]):
            continue  # kept its name: the same unit carries on
        ambiguous = len(codes) > 1
        successors = [unit_named(t["new_name"]) for t in targets]
        successors = [s for s in successors if s != agency["unit_id"]]
        if not successors:
            continue
        note = (f"mã cũ {code}; cùng tên: {', '.join(sorted(codes))}" if ambiguous else f"mã cũ {code}")
        set_successors(con, int(agency["unit_id"]), successors, effective_on,
                       source=SOURCE_PROPOSAL if ambiguous else SOURCE_MAPPING,
                       confirmed=not ambiguous, note=note)
        counts["ambiguous" if ambiguous else "communes"] += 1
    agencies = _rows(con, "agencies")
    province_units = [a for a in agencies if a["level"] == PROVINCE]
    for agency in agencies:
        if agency["unit_id"] in has_lineage or agency["level"] != DISTRICT:
            continue
        key = agency_key(agency["name"])
        target = _district_target(key, province_units)
        if target is None or commune_key(agency["name"]) in new_keys:
            continue
        set_successors(con, int(agency["unit_id"]), [int(target["unit_id"])], effective_on,
                       source=SOURCE_PROPOSAL, confirmed=False, note="đề xuất theo tên")
        counts["offices"] += 1
    return counts


def _district_target(key: str, province_units: list[dict[str, Any]]) -> dict[str, Any] | None:
    for sector, targets in SECTOR_TARGETS:
        if sector not in key:
            continue
        for words in targets:
            found = sorted((u for u in province_units if words in agency_key(u["name"])),
                           key=lambda u: fold(u["name"]))
            if found:
                return found[0]
    return None

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
* **Namesakes** (:func:`split_namesake`, ``unit_namesakes``): an old unit and
  the unit of today that took its name (an old "UBND xã Tân Lập" merged away
  on 1/7/2025 and the new "UBND xã Tân Lập") are two units. Today's unit
  keeps the id and the name; the old one gets a new id and the name
  "… (đến 30/06/2025)", and what is stored or imported under the name and
  received by that date is its own. The facts stay keyed by name.
* **Codes** (``agencies.code``, ``dossiers.agency_code``): a dossier whose
  agency code is one unit's belongs to that unit before any name or date;
  the mapping is matched by code before name.
* **Parents** (:func:`parent_from_name`): read from the name when the import
  and the officer gave none.
* :func:`refresh_units` (every write, after the units are registered) applies
  levels, parents, codes and overrides, routes dossiers and steps to the
  unit of their code and to old namesakes by date, and rebuilds
  ``agency_current``, which facts.sql reads. :func:`route_frames` applies the
  same routing to an import's frames before they are written.
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

from analytics.locale import fmt
from analytics.locale.labels import t
from analytics.locale.text import agency_key, fold
from analytics.sqlfiles import named_statements
from analytics.store import agency_names
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


SQL = named_statements("analytics.store", "units")


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


# -- parent from the name ---------------------------------------------------------

# Organisations with branches: the folded words that start the name -> how
# the parent is written when the data do not hold it.
_BRANCHED = {
    "trung tam phuc vu hanh chinh cong": "Trung tâm Phục vụ hành chính công",
    "van phong dang ky dat dai": "Văn phòng đăng ký đất đai",
}
# On the lower-cased name with its diacritics: the district or province a
# name carries ("…, huyện An Phước", "… tỉnh Đồng Nai"), up to a comma or
# " - " (a branch's own name follows it).
_DISTRICT_PART = re.compile(r"\b(huyện|quận|thị xã)\s+(.+?)\s*(?:,|\s-\s|$)")
_PROVINCE_PART = re.compile(r"(?:\b(tỉnh)|,\s*(thành phố))\s+(.+?)\s*(?:,|\s-\s|$)")
_COMMITTEE = "uy ban nhan dan"


def _original(name: str, lowered_span: tuple[int, int]) -> str:
    """The part of ``name`` at a span of its lower-cased, space-collapsed form."""
    return " ".join(str(name).split())[lowered_span[0]:lowered_span[1]]


def parent_from_name(name: str, level: str | None, kind: str, units_by_key: Mapping[str, str]
                     ) -> tuple[str | None, str | None]:
    """(parent unit found, parent as written when no unit has it) read from a name.

    The caller takes the unit found, else the written parent; a stored
    parent equal to the written one was read here before and is read again.

    * a branch ("Chi nhánh Trung tâm Phục vụ hành chính công …", "Trung tâm …
      tỉnh X - Chi nhánh …", "Chi nhánh Văn phòng đăng ký đất đai huyện …")
      -> the province's centre or office (a unit of the data whose name starts
      with the organisation's and is no branch, the one naming a province
      first);
    * a district office ("Phòng Tư pháp huyện An Phước") or a commune of a
      district ("UBND xã A, huyện B") -> UBND huyện …;
    * a name carrying its province ("UBND xã Tân Hưng, tỉnh Đồng Nai", "Sở
      Tư pháp tỉnh Đồng Nai") -> UBND tỉnh … if the data have it, else the
      province ("Tỉnh Đồng Nai").

    ``units_by_key`` maps agency_key() to the names of the units. The
    vertical-ministry offices' parents are theirs, not the local
    government's: none is read.
    """
    if kind == KIND_VERTICAL:
        return None, None
    key = agency_key(name)
    lowered = " ".join(str(name).lower().split())
    province = _PROVINCE_PART.search(lowered)
    province_name = _original(name, province.span(3)) if province else None
    province_word = "tỉnh" if province and province.group(1) else "thành phố"
    if " chi nhanh " in f" {key} ":
        for words, written in _BRANCHED.items():
            if words not in key:
                continue
            found = sorted((n for k, n in units_by_key.items()
                            if k.startswith(words) and "chi nhanh" not in k and n != name),
                           key=lambda n: ("tinh" not in agency_key(n), fold(n)))
            return (found[0] if found else None,
                    f"{written} {province_word} {province_name}" if province_name else None)
    district = _DISTRICT_PART.search(lowered)
    if district and not key.startswith(f"{_COMMITTEE} {agency_key(district.group(1))}"):
        if level == DISTRICT or (level == COMMUNE and "," in str(name)):
            word, place = _original(name, district.span(1)), _original(name, district.span(2))
            written = f"UBND {word.lower()} {place}"
            return units_by_key.get(agency_key(written)), written
    if province_name and not key.startswith(f"{_COMMITTEE} {agency_key(province_word)}"):
        written = f"UBND {province_word} {province_name}"
        return units_by_key.get(agency_key(written)), f"{province_word.capitalize()} {province_name}"
    return None, None


# -- officer's corrections ------------------------------------------------------

@dataclass(frozen=True)
class UnitValues:
    """What the officer sets for one unit; None leaves the value as read."""

    level: str | None = None
    kind: str | None = None
    parent: str | None = None
    valid_from: date | None = None
    valid_to: date | None = None
    code: str | None = None


class UnitError(ValueError):
    """A correction that makes no sense (unknown level, successor = itself...)."""


def set_unit(con: duckdb.DuckDBPyConnection, unit_id: int, values: UnitValues, at: datetime) -> None:
    """Store the officer's values for a unit (inside a write); a value not
    given keeps the one stored before."""
    if values.level is not None and values.level not in LEVELS:
        raise UnitError(f"cấp không hợp lệ: {values.level!r} ({', '.join(LEVELS)})")
    if values.kind is not None and values.kind not in KINDS:
        raise UnitError(f"loại không hợp lệ: {values.kind!r} ({', '.join(KINDS)})")
    if values.code is not None and any(r["code"] == values.code and r["unit_id"] != unit_id
                                       for r in _rows(con, "agencies")):
        raise UnitError(f"mã đơn vị {values.code!r} đã là mã của đơn vị khác")
    before = next((r for r in _rows(con, "overrides") if r["unit_id"] == unit_id), {})
    merged = {k: getattr(values, k) if getattr(values, k) is not None else before.get(k)
              for k in ("level", "kind", "parent", "valid_from", "valid_to", "code")}
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


# -- namesakes: an old unit and a unit of today with one name -------------------

def namesake_name(name: str, until: date) -> str:
    """The name an old unit goes by once a unit of today took its name:
    "UBND xã Tân Lập (đến 30/06/2025)" (in Vietnamese, the data's language)."""
    return t("unit_until_name", "vi", name=name, date=fmt.date(until))


def namesakes(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """Every old unit that went by the name of a unit of today, with both names."""
    try:
        return _rows(con, "namesake_routes")
    except duckdb.CatalogException:  # a database written before namesakes existed
        return []


def split_namesake(con: duckdb.DuckDBPyConnection, unit_id: int, on: date = REFORM_DATE,
                   successors: list[int] | None = None, old_code: str | None = None,
                   source: str = SOURCE_OFFICER, parent: str | None = None) -> int:
    """Make a unit two (inside a write): the unit that received dossiers
    under this name until the day before ``on``, and the unit of today that
    took the name on ``on``. Returns the old unit's id.

    Today's unit keeps its id and name (so users' scopes, contacts and the
    words people type still name it) and begins on ``on``; the old one gets a
    new id (ids are never reused), the name :func:`namesake_name` and the
    unit's level, kind and parent (or ``parent``). The unit's lineage becomes the old one's;
    with none, ``successors`` (default: today's unit) take over its work.
    The dossiers received before ``on`` (and their steps) move to the old
    unit at the end of this write (``route_namesakes``), and so do those of
    every later import.
    """
    current = next((r for r in _rows(con, "agencies") if r["unit_id"] == unit_id), None)
    if current is None:
        raise UnitError(f"không tìm thấy đơn vị mã {unit_id}")
    until = on - timedelta(days=1)
    done = next((r for r in namesakes(con) if r["current_unit_id"] == unit_id and r["until"] == until), None)
    if done is not None:
        return int(done["unit_id"])
    name = namesake_name(current["name"], until)
    known = agency_names.unit_of(con, name)
    if known is not None and any(r["unit_id"] == known for r in _rows(con, "agencies")):
        raise UnitError(f"đã có đơn vị tên '{name}'")
    # A name known from before with no unit left (the demo rebuilt) names
    # its unit again, as register_units does for any spelling.
    old_id = known if known is not None else int(next(iter(agency_names.rows(con, "next_unit_id")[0].values())))
    con.execute(SQL["insert_old_unit"], {"name": name, "unit_id": old_id, "valid_to": until,
                                         "code": old_code, "current_unit_id": unit_id, "parent": parent})
    if known is None:
        con.execute(agency_names.SQL["insert_alias"], {"alias_key": agency_key(name), "unit_id": old_id,
                                                       "spelling": name, "former_unit_id": None, "merged_at": None})
    had_lineage = any(r["unit_id"] == unit_id for r in lineage(con))
    con.execute(SQL["move_lineage"], {"from_unit": unit_id, "to_unit": old_id})
    if successors is not None or not had_lineage:
        set_successors(con, old_id, successors if successors is not None else [unit_id], on, source=source)
    con.execute(SQL["start_current_unit"], {"unit_id": unit_id, "valid_from": on})
    con.execute(SQL["insert_namesake"], {"unit_id": old_id, "current_unit_id": unit_id, "until": until})
    return old_id


def route_frames(con: duckdb.DuckDBPyConnection, frames: Mapping[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """An import's frames (names already those of the units, see
    agency_names.resolve_frames) with each dossier under the unit its agency
    code names, else, under today's name, under the old namesake it was
    received in time for; its resolving agency and steps named by today's
    unit follow it. The same rules as ``route_by_code`` and
    ``route_namesakes``, applied before the write so the import's counts of
    changed rows are true."""
    try:
        con.execute(SQL["unit_codes_view"])
        codes = {r["code"]: r["name"] for r in _rows(con, "unit_codes")}
    except (duckdb.CatalogException, duckdb.BinderException):  # not upgraded yet: nothing to route
        return dict(frames)
    routes = namesakes(con)
    out = dict(frames)
    if not (codes or routes):
        return out
    dossiers = out.get("dossiers")
    if dossiers is not None and len(dossiers):
        out["dossiers"] = _route_dossiers(dossiers, codes, routes)
    agencies = out.get("agencies")
    if agencies is not None and len(agencies) and codes and "code" in agencies:
        # A code already another unit's does not become this name's too.
        owner = agencies["code"].astype(object).map(codes)
        taken = owner.notna() & (owner != agencies["name"].astype(object))
        if taken.any():
            agencies = agencies.copy()
            agencies["code"] = agencies["code"].astype(object).where(~taken, None)
            out["agencies"] = agencies
    steps = out.get("steps")
    old_of = {(r["current_name"], r["old_name"]) for r in routes}
    if steps is not None and len(steps) and old_of:
        agency_of = (dict(zip(out["dossiers"]["code"], out["dossiers"]["agency"], strict=True))
                     if dossiers is not None else {})
        missing = [c for c in steps["dossier_code"].dropna().unique() if c not in agency_of]
        if missing:
            agency_of.update((r["code"], r["agency"])
                             for r in _rows(con, "stored_dossier_agencies", {"codes": [str(c) for c in missing]}))
        own = steps["agency"].astype(object)
        dossier_agency = steps["dossier_code"].astype(object).map(agency_of)
        follows = pd.Series([(c, d) in old_of for c, d in zip(own, dossier_agency, strict=True)], index=steps.index)
        if follows.any():
            steps = steps.copy()
            steps["agency"] = own.where(~follows, dossier_agency).astype(steps["agency"].dtype)
            out["steps"] = steps
    return out


def _route_dossiers(dossiers: pd.DataFrame, codes: Mapping[str, str], routes: list[dict[str, Any]]) -> pd.DataFrame:
    """route_frames for the dossiers: the unit of the code, else the old namesake by date."""
    dossiers = dossiers.copy()
    agency = dossiers["agency"].astype(object)
    by_code = (dossiers["agency_code"].astype(object).map(codes) if codes and "agency_code" in dossiers
               else pd.Series([None] * len(dossiers), index=dossiers.index, dtype=object))
    coded = by_code.notna()
    routed = agency.where(~coded, by_code)
    received = pd.to_datetime(dossiers["received_at"])
    # The namesake that ended last first, so one that ended earlier wins.
    for route in sorted(routes, key=lambda r: (r["until"], r["unit_id"]), reverse=True):
        mask = ((agency == route["current_name"]) & ~coded
                & (received < pd.Timestamp(route["until"] + timedelta(days=1))))
        routed = routed.where(~mask, route["old_name"])
    old_of = {(r["current_name"], r["old_name"]) for r in routes}
    dossiers["agency"] = routed.astype(dossiers["agency"].dtype)
    if "resolving_agency" in dossiers and old_of:
        resolving = dossiers["resolving_agency"].astype(object)
        follows = pd.Series([(c, d) in old_of for c, d in zip(resolving, routed, strict=True)], index=dossiers.index)
        dossiers["resolving_agency"] = resolving.where(~follows, routed).astype(dossiers["resolving_agency"].dtype)
    return dossiers


def lineage(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """Every lineage row with the names of both units."""
    try:
        return _rows(con, "lineage")
    except duckdb.CatalogException:  # a database written before lineage existed
        return []


# -- every write -------------------------------------------------------------------

def refresh_units(con: duckdb.DuckDBPyConnection) -> None:
    """Apply levels, kinds, parents, dates and codes (the officer's, else
    the import's, else read from the name), route dossiers and steps to the
    unit of their code and to old namesakes by date, then rebuild
    ``agency_current``."""
    agencies = _rows(con, "agencies")
    overrides = {r["unit_id"]: r for r in _rows(con, "overrides")}
    links = [r for r in lineage(con) if r["confirmed"] and r["unit_id"] is not None
             and r["successor_unit_id"] is not None]
    ends: dict[int, date] = {}
    for link in links:
        ends[link["unit_id"]] = min(ends.get(link["unit_id"], link["effective_on"]), link["effective_on"])
    by_key = {agency_key(r["name"]): r["name"] for r in agencies}
    values = []
    for row in agencies:
        own = overrides.get(row["unit_id"], {})
        read_level, read_kind = level_from_name(row["name"])
        kind = own.get("kind") or read_kind
        level = own.get("level") or (PROVINCE if read_kind == KIND_VERTICAL else None) or row["level"] or read_level
        end = ends.get(row["unit_id"])
        found, fallback = parent_from_name(row["name"], level, kind, by_key)
        # A parent read from the name before its unit was known (the text
        # fallback) is read again: the unit may have arrived since.
        stored = row["parent"] if row["parent"] != fallback else None
        values.append({"name": row["name"], "level": level, "kind": kind,
                       "parent": own.get("parent") or stored or found or fallback,
                       "valid_from": own.get("valid_from") or row["valid_from"],
                       "valid_to": own.get("valid_to") or (end - timedelta(days=1) if end else row["valid_to"]),
                       "code": own.get("code") or row["code"]})
    if values:
        frame = pd.DataFrame(values).astype({"valid_from": "datetime64[ns]", "valid_to": "datetime64[ns]",
                                             "code": object, "parent": object})
        con.register("unit_values", frame)
        try:
            con.execute(SQL["apply_units"])
        finally:
            con.unregister("unit_values")
    con.execute(SQL["unit_codes_view"])
    con.execute(SQL["route_by_code"])
    con.execute(SQL["route_namesakes"])
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
    and every district proposal wait for the officer. Returns counts.

    A commune is matched by its code first (``agencies.code``: the mapping's
    old code, with the name agreeing, else alone; its new code with the name
    agreeing makes it a unit of today), else by name within the province. An
    old commune whose successor has its name (and is not simply itself
    carried on: one predecessor, one successor) becomes two units
    (:func:`split_namesake`)."""
    wanted = _province_key(province)
    rows = [r for r in mapping_rows()
            if wanted in (_province_key(r["old_province"]), _province_key(r["new_province"]))]
    if not rows:
        raise UnitError(f"không có tỉnh {province!r} trong bảng đối chiếu xã")
    agencies = _rows(con, "agencies")
    by_commune_key = {commune_key(a["name"]): a for a in agencies if a["level"] == COMMUNE}
    by_code = {a["code"]: a for a in agencies if a["code"]}
    has_lineage = {r["unit_id"] for r in lineage(con)}
    old_by_key: dict[str, dict[str, list[dict[str, str]]]] = {}
    old_by_code: dict[str, list[dict[str, str]]] = {}
    new_name_of: dict[str, str] = {}
    predecessors: dict[str, set[str]] = {}
    for r in rows:
        old_by_key.setdefault(commune_key(r["old_name"]), {}).setdefault(r["old_code"], []).append(r)
        old_by_code.setdefault(r["old_code"], []).append(r)
        new_name_of[r["new_code"]] = r["new_name"]
        predecessors.setdefault(r["new_code"], set()).add(r["old_code"])
    new_keys = {commune_key(r["new_name"]) for r in rows}
    counts = {"communes": 0, "ambiguous": 0, "offices": 0, "created": 0, "namesakes": 0}

    def unit_named(mapping_name: str, code: str) -> int:
        key = commune_key(mapping_name)
        found = by_code.get(code)
        if found is None or commune_key(found["name"]) != key:
            found = by_commune_key.get(key)
        if found is None:
            name = _commune_name(mapping_name)
            con.execute(SQL["insert_agency"], {"name": name, "level": COMMUNE, "code": code})
            counts["created"] += 1
            # Registering gives it a unit id and an alias, as for any new agency.
            register_units(con)
            found = next(a for a in _rows(con, "agencies") if a["name"] == name)
            by_commune_key[key] = found
        elif not found["code"] and code not in by_code:
            con.execute(SQL["set_code"], {"unit_id": found["unit_id"], "code": code})
            found = {**found, "code": code}
            by_commune_key[key] = found
        by_code.setdefault(code, found)
        return int(found["unit_id"])

    def matched(agency: dict[str, Any]) -> tuple[str, list[dict[str, str]], list[str]] | None:
        """(old code, its mapping rows, the other old codes of the name) or None."""
        key, code = commune_key(agency["name"]), agency["code"]
        if code and any(commune_key(r["old_name"]) == key for r in old_by_code.get(code, ())):
            return code, old_by_code[code], []
        if code and code in new_name_of and commune_key(new_name_of[code]) == key:
            return None  # its code is a commune of today's: it is one
        if code and code in old_by_code:
            return code, old_by_code[code], []  # the code names it, whatever the spelling
        codes = old_by_key.get(key)
        if not codes:
            return None
        first = next(iter(codes))
        return first, codes[first], sorted(c for c in codes if c != first)

    for agency in agencies:
        if agency["unit_id"] in has_lineage or agency["level"] != COMMUNE:
            continue
        found = matched(agency)
        if found is None:
            continue
        code, targets, others = found
        targets = sorted(targets, key=lambda r: int(r["rank"]))
        key = commune_key(agency["name"])
        same = [t for t in targets if commune_key(t["new_name"]) == key]
        if len(targets) == 1 and same and predecessors[same[0]["new_code"]] == {code}:
            continue  # kept its name and its area: the same unit carries on
        ambiguous = bool(others)
        if same and not ambiguous:
            # The commune of today took the old one's name: two units, told apart by date.
            unit_id = int(agency["unit_id"])
            successors = [unit_id if t is same[0] else unit_named(t["new_name"], t["new_code"]) for t in targets]
            split_namesake(con, unit_id, effective_on, successors=successors, old_code=code, source=SOURCE_MAPPING)
            if agency["code"] in (None, code):
                con.execute(SQL["replace_code"], {"unit_id": unit_id, "code": same[0]["new_code"]})
            counts["communes"] += 1
            counts["namesakes"] += 1
            continue
        successors = [unit_named(t["new_name"], t["new_code"]) for t in targets]
        successors = [s for s in successors if s != agency["unit_id"]]
        if not successors:
            continue
        if not ambiguous and not agency["code"]:
            con.execute(SQL["set_code"], {"unit_id": agency["unit_id"], "code": code})
        note = (f"mã cũ {code}; cùng tên: {', '.join(sorted([code, *others]))}" if ambiguous else f"mã cũ {code}")
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

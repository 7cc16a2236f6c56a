"""Names of the same agency: one unit per office, whatever the spelling.

Real lists spell one office several ways ("UBND xã Tân Lập", "Ủy ban nhân
dân xã Tân Lập", "UBND Xã Tân Lập "). Each agency of the analytics database
is a **unit** with a stable integer id (``agencies.unit_id``, never reused),
and every spelling seen or merged maps to a unit by its key
(:func:`analytics.locale.text.agency_key`: case, diacritics, spacing,
punctuation and the usual abbreviations) in ``agency_aliases``. The unit goes
by one name, its ``agencies.name``; that is the name stored on dossiers and
steps, so the indicators group by unit.

* Every write (:func:`register_units`, from ``refresh_derived``) gives a new
  agency its unit: the unit of its key if one exists (the spelling is then
  rewritten to the unit's name everywhere), else a new one.
* The importer maps the spellings of a file to the units' names before
  writing (:func:`resolve_frames`), so its counts of changed rows are true.
* An officer merges two units (:func:`merge`: ``python -m analytics agencies
  merge``): the merged unit's spellings name the other from then on, its
  stored dossiers and steps are rewritten in one write; users, reminder
  contacts and agency leaders refer to units by id and follow the merged
  unit's id to it (analytics/store/unit_refs.py); the audit log records it.
* An officer renames a unit (:func:`rename_unit`: ``agencies rename``): it
  keeps its id, its spellings and its lineage.
* Any spelling selects its unit wherever an agency is named as input
  (:func:`canonical_names`, read by the engine for ``--agency``, the URL and
  filters, and users' scopes; by the reminders' watchlist too).
"""

from __future__ import annotations

from typing import Any, Iterable, Mapping

import duckdb
import pandas as pd

from analytics.locale.text import agency_key, fold
from analytics.sqlfiles import named_statements

SQL = named_statements("analytics.store", "agency_names")


def rows(con: duckdb.DuckDBPyConnection, name: str, params: Mapping[str, Any] | None = None) -> list[dict[str, Any]]:
    cur = con.execute(SQL[name], dict(params) if params else None)
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]


def canonical_names(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """alias key -> the name its unit goes by. Empty on a database written
    before agency units existed (read before its upgrade)."""
    try:
        return {r["alias_key"]: r["name"] for r in rows(con, "canonical")}
    except duckdb.CatalogException:
        return {}
    except duckdb.BinderException:  # agencies without unit_id: not upgraded yet
        return {}


def canonical(names: Mapping[str, str], name: str) -> str:
    """The unit name of ``name`` by the map of :func:`canonical_names`; an
    unknown spelling is returned as given."""
    return names.get(agency_key(name), name)


def unit_of(con: duckdb.DuckDBPyConnection, name: str) -> int | None:
    """The unit id a spelling names (any spelling ever seen or merged), or None."""
    row = con.execute("select unit_id from agency_aliases where alias_key = $k",
                      {"k": agency_key(name)}).fetchone()
    return int(row[0]) if row else None


def list_units(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """One row per agency: name, unit id, level, dossiers, its spellings."""
    spellings: dict[int, list[str]] = {}
    for r in rows(con, "aliases"):
        spellings.setdefault(r["unit_id"], []).append(r["spelling"])
    return [{**r, "spellings": sorted(spellings.get(r["unit_id"], []), key=fold)}
            for r in sorted(rows(con, "agencies"), key=lambda r: fold(r["name"]))]


def list_aliases(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """Every spelling key with its unit, the unit's name and the unit it named before a merge."""
    names = {r["unit_id"]: r["name"] for r in rows(con, "agencies")}
    return [{**r, "name": names.get(r["unit_id"])} for r in rows(con, "aliases")]


def rename(con: duckdb.DuckDBPyConnection, renames: Mapping[str, str]) -> None:
    if not renames:
        return
    frame = pd.DataFrame({"old_name": list(renames), "new_name": list(renames.values())})
    con.register("agency_renames", frame)
    try:
        con.execute(SQL["rename"])
    finally:
        con.unregister("agency_renames")


class UnitNameTaken(ValueError):
    """A new name for a unit that already spells another unit (merge them instead)."""


def rename_unit(con: duckdb.DuckDBPyConnection, unit_id: int, new_name: str) -> str | None:
    """Give a unit a new name, inside a write; returns its old name (None:
    the name was already its own). The unit keeps its id, its old spellings
    (they still name it) and its lineage; its dossiers, steps and children
    go by the new name. References by id (users, contacts, audit entries)
    follow without change.

    Raises:
        UnitNameTaken: the new name is a spelling of another unit.
        KeyError: no unit has that id.
    """
    new_name = " ".join(str(new_name).split())
    named = {r["unit_id"]: r["name"] for r in rows(con, "agencies") if r["unit_id"] is not None}
    if unit_id not in named:
        raise KeyError(unit_id)
    old_name = named[unit_id]
    owner = unit_of(con, new_name)
    if owner is not None and owner != unit_id:
        raise UnitNameTaken(f"'{new_name}' là cách viết tên của đơn vị khác ({named.get(owner, owner)}): hãy gộp")
    if new_name == old_name:
        return None
    if owner is None:
        con.execute(SQL["insert_alias"], {"alias_key": agency_key(new_name), "unit_id": unit_id,
                                           "spelling": new_name, "former_unit_id": None, "merged_at": None})
    con.execute(SQL["copy_agency"], {"old_name": old_name, "new_name": new_name})
    rename(con, {old_name: new_name})
    return old_name


def register_units(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """Give every agency its unit, inside a write; returns the spellings
    rewritten to a unit's name (old -> new).

    An agency with no unit takes the unit of its key when one exists (the
    agency row is then a second spelling: its dossiers, steps and children
    are rewritten to the unit's name and the row goes), else a new unit. Of
    several new agencies sharing a key, the one with most dossiers names the
    unit. Every unit's own spelling is kept as an alias.
    """
    agencies = rows(con, "agencies")
    aliases = {r["alias_key"]: r["unit_id"] for r in rows(con, "aliases")}
    named = {r["unit_id"]: r["name"] for r in agencies if r["unit_id"] is not None}
    next_id = next(iter(rows(con, "next_unit_id")[0].values()))
    renames: dict[str, str] = {}
    for row in agencies:  # most dossiers first: they name new units
        name, key = row["name"], agency_key(row["name"])
        unit = row["unit_id"]
        if unit is None:
            unit = aliases.get(key)
            if unit is not None and named.get(unit, name) != name:
                renames[name] = named[unit]
                continue
            if unit is None:
                unit, next_id = next_id, next_id + 1
            con.execute(SQL["set_unit"], {"unit_id": unit, "name": name})
            named[unit] = name
        if key not in aliases:
            con.execute(SQL["insert_alias"], {"alias_key": key, "unit_id": unit, "spelling": name,
                                               "former_unit_id": None, "merged_at": None})
            aliases[key] = unit
    rename(con, renames)
    return renames


def resolve_frames(con: duckdb.DuckDBPyConnection, frames: Mapping[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """The importer's frames with every agency spelling replaced by its
    unit's name (the database's aliases first, else the first spelling of
    the key in the import); the agencies frame keeps one row per name, the
    first known level and parent winning. Frames without agency columns are
    returned as they are."""
    known = canonical_names(con)
    seen: dict[str, str] = {}

    def name_of(value: Any) -> Any:
        if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NA:
            return value
        key = agency_key(value)
        return known.get(key) or seen.setdefault(key, value)

    def mapped(frame: pd.DataFrame, columns: Iterable[str]) -> pd.DataFrame:
        present = [c for c in columns if c in frame.columns]
        if not present or not len(frame):
            return frame
        out = frame.copy()
        for column in present:
            values = out[column]
            unique = {v: name_of(v) for v in values.dropna().unique()}
            if any(k != v for k, v in unique.items()):
                out[column] = values.map(lambda v, unique=unique: unique.get(v, v) if not pd.isna(v) else v).astype(
                    values.dtype)
        return out

    out = dict(frames)
    # The agencies sheet first: its spellings name new units before the dossiers'.
    for table, columns in (("agencies", ("name", "parent")), ("dossiers", ("agency", "resolving_agency")),
                           ("steps", ("agency",))):
        if table in out:
            out[table] = mapped(out[table], columns)
    agencies = out.get("agencies")
    if agencies is not None and len(agencies) and agencies["name"].duplicated().any():
        firsts = agencies.groupby("name", sort=False, dropna=False).first().reset_index()
        out["agencies"] = firsts[list(agencies.columns)].astype(agencies.dtypes.to_dict())
        out["agencies"] = out["agencies"].where(out["agencies"].notna(), None)
    return out

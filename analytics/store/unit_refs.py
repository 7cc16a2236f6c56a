"""References to units from outside the analytics database (issue 14).

Users' scopes, reminder contacts, agency leaders and audit entries live in
the operational store (``ops.sqlite``) but name units of the analytics
database. They keep the **unit id** (``agencies.unit_id``, never reused) as
the truth, and the spelling they were given beside it, shown when the
analytics database is absent and kept for history.

An id is resolved when it is used (:class:`UnitNames`):

* a live unit (a row of ``agencies``) goes by its name today, whatever it
  was called when the reference was written;
* a merged unit's id lives on in ``agency_aliases.former_unit_id``: it is
  followed to the unit its spellings name now, so a merge never orphans a
  scope or a contact (the merge itself rewrites nothing in the operational
  store to stay right);
* a reference without an id (written before ids existed, or while the
  analytics database did not exist) is resolved by its spelling through the
  alias keys, as names were before.

The predecessors of a unit (its lineage) are not listed here: the engine
already puts the history handed to a unit under it (``current_agency`` in
the derived facts), so a scope of the unit's current name covers them.

A spelling that no unit has yet is **registered** as a new unit when a user
or contact is saved for it and the analytics database exists
(:meth:`UnitRegistry.ids_for`): one write of the database adds the agency
(no dossiers, level read from its name at that write), so from then on
imports that spell it any known way, merges and lineage all reach that
reference by id. Without an analytics database the spelling is kept and its
id is attached once a unit has it (:func:`link_units`).
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass, field
from typing import Any, Iterable, Iterator, Mapping

import duckdb

from analytics.locale.text import agency_key
from analytics.store.agency_names import SQL, register_units, rows
from analytics.store.database import AnalyticsStore, StoreError

# A chain of merges longer than this is a data error: resolution stops there.
MAX_HOPS = 50


@dataclass(frozen=True)
class UnitNames:
    """A snapshot of the units of one analytics database, for resolving references.

    ``names``: live unit id -> its name; ``merged``: a merged unit's id -> the
    unit its spellings named after the merge; ``keys``: alias key -> unit id.
    """

    names: Mapping[int, str] = field(default_factory=dict)
    merged: Mapping[int, int] = field(default_factory=dict)
    keys: Mapping[str, int] = field(default_factory=dict)

    def live(self, unit_id: int | None) -> int | None:
        """The live unit an id stands for today (following merges), or None."""
        seen = 0
        while unit_id is not None and unit_id not in self.names and seen < MAX_HOPS:
            unit_id = self.merged.get(unit_id)
            seen += 1
        return unit_id if unit_id in self.names else None

    def unit_of(self, spelling: str | None) -> int | None:
        """The live unit a spelling names (any spelling ever seen or merged), or None."""
        return self.live(self.keys.get(agency_key(spelling))) if spelling else None

    def unit(self, unit_id: int | None, spelling: str | None) -> int | None:
        """The live unit of a reference: by its id when known, else by its spelling."""
        live = self.live(unit_id)
        return live if live is not None else self.unit_of(spelling)

    def name(self, unit_id: int | None, spelling: str | None = None) -> str | None:
        """The name a reference's unit goes by today; the spelling itself when
        no unit is known (no analytics database, or a name no data carried)."""
        unit = self.unit(unit_id, spelling)
        return self.names[unit] if unit is not None else spelling


NO_UNITS = UnitNames()


def read_unit_names(con: duckdb.DuckDBPyConnection) -> UnitNames:
    """The units of the database ``con`` reads; empty for a database written
    before units existed."""
    try:
        agencies = rows(con, "agencies")
        aliases = rows(con, "aliases")
    except (duckdb.CatalogException, duckdb.BinderException):
        return NO_UNITS
    names = {int(r["unit_id"]): r["name"] for r in agencies if r["unit_id"] is not None}
    merged = {int(r["former_unit_id"]): int(r["unit_id"]) for r in aliases
              if r["former_unit_id"] is not None and int(r["former_unit_id"]) not in names}
    keys = {r["alias_key"]: int(r["unit_id"]) for r in aliases}
    return UnitNames(names=names, merged=merged, keys=keys)


def register_spellings(con: duckdb.DuckDBPyConnection, spellings: Iterable[str]) -> dict[str, int]:
    """Inside a write: a new agency for each spelling no unit has, then units
    for them (``register_units``); returns spelling -> unit id for all."""
    spellings = [s for s in dict.fromkeys(spellings) if s]
    taken = set(read_unit_names(con).keys)
    for spelling in spellings:
        if agency_key(spelling) not in taken:  # two spellings of one key make one agency
            con.execute(SQL["insert_agency"], {"name": spelling})
            taken.add(agency_key(spelling))
    register_units(con)
    after = read_unit_names(con)
    return {s: unit for s in spellings if (unit := after.unit_of(s)) is not None}


class UnitRegistry:
    """The units of one analytics database (by path), for the operational store.

    Reads are cached per committed version of the database; writes happen
    only when a spelling without a unit is saved (:meth:`ids_for`).
    """

    def __init__(self, store: AnalyticsStore | str | os.PathLike[str]):
        self.store = store if isinstance(store, AnalyticsStore) else AnalyticsStore(store)
        self._cache: tuple[object, UnitNames] | None = None

    def names(self) -> UnitNames:
        """The units now (:data:`NO_UNITS` when the analytics database does not exist)."""
        if not self.store.exists():
            return NO_UNITS
        try:
            version = self.store.version()
            if self._cache is not None and self._cache[0] == version:
                return self._cache[1]
            names = read_unit_names(self.store.reader())
        except StoreError:
            return NO_UNITS
        self._cache = (version, names)
        return names

    def ids_for(self, spellings: Iterable[str | None], *, register: bool = True) -> dict[str, int]:
        """spelling -> its live unit id, registering a unit for each spelling
        that has none (one write) when ``register`` and the database exists.
        A spelling left without a unit is absent from the answer."""
        wanted = [s for s in dict.fromkeys(spellings) if s]
        names = self.names()
        found = {s: u for s in wanted if (u := names.unit_of(s)) is not None}
        missing = [s for s in wanted if s not in found]
        if missing and register and self.store.exists():
            with self.store.write() as con:
                found.update(register_spellings(con, missing))
        return found


# The operational store's tables that refer to units.
REFERRING_TABLES = ("users", "contacts", "agency_leaders")


def _references(con: sqlite3.Connection, column: str, where: str) -> Iterator[tuple[str, list[tuple[int, Any]]]]:
    """(table, [(rowid, column value)] of its rows matching ``where``) for each
    table that refers to units; a store without one of them (or before its
    upgrade) simply lacks it."""
    for table in REFERRING_TABLES:
        try:
            yield table, con.execute(f"select rowid, {column} from {table} where {where}").fetchall()
        except sqlite3.OperationalError as exc:
            if "no such" not in str(exc):
                raise


def link_units(con: sqlite3.Connection, names: UnitNames) -> dict[str, int]:
    """Attach unit ids to the operational store's references that have none
    yet (written before ids existed, or with no analytics database), by
    their spelling, inside the caller's transaction on the store. Returns
    how many rows of each table got an id."""
    counts: dict[str, int] = {}
    for table, found in _references(con, "agency", "unit_id is null and agency is not null"):
        counts[table] = 0
        for rowid, spelling in found:
            unit = names.unit_of(spelling)
            if unit is not None:
                con.execute(f"update {table} set unit_id = ? where rowid = ?", (unit, rowid))
                counts[table] += 1
    return counts


def forget_missing_units(con: sqlite3.Connection, names: UnitNames) -> int:
    """Clear the unit ids that no unit of ``names`` has (live or merged),
    inside the caller's transaction; returns how many were cleared.

    An undo puts the analytics database back as it was before an import,
    and the units that import (or a registration since) created go with it.
    Their ids would otherwise be given again to the next new units (ids are
    the highest one plus one), and a reference would name the wrong unit:
    cleared, the reference is read by its spelling again and gets an id at
    its next save or merge (:func:`link_units`)."""
    cleared = 0
    for table, found in _references(con, "unit_id", "unit_id is not null"):
        for rowid, unit_id in found:
            if names.live(unit_id) is None:
                con.execute(f"update {table} set unit_id = null where rowid = ?", (rowid,))
                cleared += 1
    return cleared

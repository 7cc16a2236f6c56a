"""The officer's changes to units and their lineage, with their audit entry.

One write of the analytics database each (analytics/store/units.py does the
work), then one ``unit_change`` entry in the audit log. The command line
(``python -m analytics agencies set|propose|successor|confirm|split|rename``) and the
admin page call these, so both do exactly the same.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from analytics.access import audit
from analytics.locale.clock import utc_now
from analytics.store import agency_names, units
from analytics.store.database import AnalyticsStore
from analytics.store.ops import OpsStore

UnitError = units.UnitError


def _unit_id(store: AnalyticsStore, name: str) -> int:
    unit_id = agency_names.unit_of(store.reader(), name)
    if unit_id is None:
        raise UnitError(f"không tìm thấy đơn vị '{name}'")
    return unit_id


def set_unit(store: AnalyticsStore, name: str, values: units.UnitValues, *, ops: OpsStore, actor: str) -> None:
    """Correct a unit's level, kind, parent or dates."""
    unit_id = _unit_id(store, name)
    with store.write() as con:
        units.set_unit(con, unit_id, values, utc_now())
    detail: dict[str, Any] = {"action": "set", **{k: v for k, v in vars(values).items() if v is not None}}
    audit.record(ops, audit.UNIT_CHANGE, actor=actor, target=name, detail=detail, unit_id=unit_id)


def set_successors(store: AnalyticsStore, name: str, successors: list[str], effective_on: date = units.REFORM_DATE,
                   *, ops: OpsStore, actor: str) -> None:
    """Set (or, with none, remove) a unit's successors, the first taking its dossiers."""
    unit_id = _unit_id(store, name)
    ids = [_unit_id(store, s) for s in successors]
    with store.write() as con:
        units.set_successors(con, unit_id, ids, effective_on)
    audit.record(ops, audit.UNIT_CHANGE, actor=actor, target=name,
                 detail={"action": "successor", "successors": successors, "successor_units": ids,
                         "effective_on": effective_on}, unit_id=unit_id)


def confirm(store: AnalyticsStore, name: str, *, ops: OpsStore, actor: str) -> None:
    """Accept a unit's proposed lineage as it stands."""
    unit_id = _unit_id(store, name)
    with store.write() as con:
        units.confirm(con, unit_id)
    audit.record(ops, audit.UNIT_CHANGE, actor=actor, target=name, detail={"action": "confirm"}, unit_id=unit_id)


def split(store: AnalyticsStore, name: str, on: date = units.REFORM_DATE, old_code: str | None = None,
          *, ops: OpsStore, actor: str) -> str:
    """Make a unit two: the old one that went by its name until the day
    before ``on`` and the one of today (units.split_namesake). Returns the
    old unit's name."""
    unit_id = _unit_id(store, name)
    with store.write() as con:
        old_id = units.split_namesake(con, unit_id, on, old_code=old_code)
        old_name = next(r["old_name"] for r in units.namesakes(con) if r["unit_id"] == old_id)
    audit.record(ops, audit.UNIT_CHANGE, actor=actor, target=name,
                 detail={"action": "split", "effective_on": on, "old_unit": old_name, "old_code": old_code})
    return str(old_name)


def propose(store: AnalyticsStore, province: str, *, ops: OpsStore, actor: str) -> dict[str, int]:
    """Proposals from the commune mapping and from names (units.propose)."""
    with store.write() as con:
        counts = units.propose(con, province)
    audit.record(ops, audit.UNIT_CHANGE, actor=actor, target=province, detail={"action": "propose", **counts})
    return counts


def rename(store: AnalyticsStore, name: str, new_name: str, *, ops: OpsStore, actor: str) -> int:
    """Give the unit ``name`` spells a new name; its id, spellings and lineage
    stay, and users, contacts and audit entries that refer to it by id show
    the new name. Returns the unit id."""
    unit_id = _unit_id(store, name)
    try:
        with store.write() as con:
            old = agency_names.rename_unit(con, unit_id, new_name)
    except agency_names.UnitNameTaken as exc:
        raise UnitError(str(exc)) from exc
    audit.record(ops, audit.UNIT_CHANGE, actor=actor, target=new_name,
                 detail={"action": "rename", "old_name": old, "new_name": new_name}, unit_id=unit_id)
    return unit_id

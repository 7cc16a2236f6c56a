"""Merging two agencies into one unit, across both stores.

The analytics store's side (the alias table, units, renaming dossiers and
steps) is ``analytics.store.agency_names``. Users' scopes, reminder contacts
and agency leaders in the operational store refer to units by id
(analytics/store/unit_refs.py): the merged unit's id is followed to the
target wherever it is read, so the merge needs nothing rewritten there to
stay right. It still (1) attaches their unit id to references that had only
a spelling, by the units as they were before the merge, (2) rewrites their
spelling to the target's name, which is what they show when the analytics
database is absent, and (3) records an audit entry naming the target unit,
all in one transaction of the operational store, which is why it lives
here, above the store.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from analytics.access import audit
from analytics.locale.clock import office_now
from analytics.locale.text import agency_key, fold
from analytics.store.agency_names import SQL, register_units, rename, rows, unit_of
from analytics.store.database import AnalyticsStore, one_value
from analytics.store.ops import OpsStore
from analytics.store.unit_refs import link_units, read_unit_names


class AgencyMergeError(ValueError):
    """A merge that cannot be done (unknown agency, one agency with itself)."""


@dataclass(frozen=True)
class MergeResult:
    source: str
    target: str
    source_unit: int | None
    target_unit: int
    dossiers: int
    steps: int
    users: int
    contacts: int
    leaders: int

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def _ops_rewrite(ops_con: Any, source_keys: set[str], target: str) -> dict[str, int]:
    """Users' agencies, contacts and agency leaders spelling the merged unit
    now spell the target (what they show without the analytics database;
    their unit ids need no change). A contact already listed under the
    target keeps its spelling: read by id, both are the target's, and the
    contact book keeps one (analytics.reminders.contacts.ContactBook)."""
    counts = {"users": 0, "contacts": 0, "leaders": 0}
    for table, column, counter in (("users", "agency", "users"), ("contacts", "agency", "contacts"),
                                   ("agency_leaders", "agency", "leaders")):
        try:
            rows = ops_con.execute(f"select rowid, {column} from {table} where {column} is not null").fetchall()
        except Exception as exc:  # a store without the reminders' tables yet
            if "no such table" in str(exc):
                continue
            raise
        for rowid, value in rows:
            if agency_key(value) not in source_keys or value == target:
                continue
            if table == "users":
                ops_con.execute("update users set agency = ? where rowid = ?", (target, rowid))
            else:
                ops_con.execute(f"update or ignore {table} set agency = ?, agency_key = ? where rowid = ?",
                                (target, fold(target), rowid))
            counts[counter] += ops_con.execute("select changes()").fetchone()[0]
    return counts


def merge(store: AnalyticsStore, source: str, target: str, *, ops: OpsStore, actor: str) -> MergeResult:
    """Merge agency ``source`` into ``target`` (both stored names, e.g. from
    ``Engine.resolve_agency``): from now on every spelling of ``source``
    names ``target``'s unit; its dossiers, steps and children are rewritten
    in one write; users, contacts and leaders in the operational store
    follow in one transaction with the audit entry.

    Merging a name already merged into ``target`` does the operational part
    again (after an interrupted merge) and changes no data.
    """
    if source == target:
        raise AgencyMergeError(f"Không thể gộp đơn vị '{source}' với chính nó")
    merged_at = office_now().replace(tzinfo=None)
    with store.write() as con:
        register_units(con)  # an older database: units first
        # The units the operational store's spellings were written against.
        before = read_unit_names(con)
        names = {r["name"]: r for r in rows(con, "agencies")}
        if target not in names:
            raise AgencyMergeError(f"Không tìm thấy đơn vị '{target}'")
        target_unit = names[target]["unit_id"]
        source_unit = names[source]["unit_id"] if source in names else unit_of(con, source)
        if source_unit is None:
            raise AgencyMergeError(f"Không tìm thấy đơn vị '{source}'")
        dossiers = steps = 0
        if source_unit != target_unit:
            dossiers = one_value(con, "select count(*) from dossiers where agency = $n", {"n": source})
            steps = one_value(con, "select count(*) from steps where agency = $n", {"n": source})
            con.execute(SQL["repoint_aliases"], {"merged_at": merged_at, "target_unit": target_unit,
                                                   "source_unit": source_unit})
            rename(con, {source: target})
        # Every spelling of the merged unit, including those merged into it before.
        source_keys = {key for key, unit in before.keys.items() if unit == source_unit} | {agency_key(source)}
    with ops.transaction() as ops_con:
        link_units(ops_con, before)
        counts = _ops_rewrite(ops_con, source_keys, target)
        result = MergeResult(source=source, target=target, source_unit=source_unit, target_unit=target_unit,
                             dossiers=int(dossiers), steps=int(steps), **counts)
        audit.insert(ops_con, audit.AGENCY_MERGE, actor=actor, target=target, detail=result.as_dict(),
                     unit_id=target_unit)
    return result


"""The watchlist: open dossiers and steps near their due date or past it.

As of a day (default the office's today), using only what the analytics database says is
open at its data date (``meta.data_date``), so nobody is reminded of a
dossier finished after the last import:

- quá hạn (overdue): the binding due date is before the day;
- sắp đến hạn (near due): due between the day and the day plus N Vietnamese
  working days (N = 0: due today).

The binding due date of a step is the earlier of the step's and the
dossier's; a dossier with no current open step is listed under "no handler"
at its own agency. The SQL is ``analytics/reminders/sql/watchlist.sql``; the working-day
cutoff is computed here and bound as a parameter, like the scope.

Under a scope (an agency officer) a step is listed with its handler only when
the agency holding it is in the scope, as the engine scopes steps. A dossier
the scope received that another agency holds now is listed once as held
elsewhere: :data:`OTHER_AGENCY` as its agency, no step, no handler, judged by
the dossier's own deadline.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Iterable, Mapping, Sequence

import duckdb

from analytics.locale.clock import office_today
from analytics.locale.labels import t
from analytics.locale.text import fold
from analytics.locale.workdays import WorkCalendar, default_calendar
from analytics.sqlfiles import read_sql
from analytics.store.agency_names import canonical, canonical_names
from analytics.store.database import AnalyticsStore

OVERDUE = "overdue"
NEAR_DUE = "near_due"
STATE_LABELS = {OVERDUE: t("nv_overdue"), NEAR_DUE: t("nv_near_due")}
# The three below stand in for a handler or an agency in the list's rows and
# its groups (they are grouped and compared as values), so they are one text,
# Vietnamese, read from the catalogue once.
NO_HANDLER = t("rm_no_handler")
# A dossier of the scope held by an agency outside it: that agency and its
# handler are not the viewer's to see (docs/SECURITY.md).
OTHER_AGENCY = t("rm_other_agency")
HELD_ELSEWHERE = t("rm_held_elsewhere")


@dataclass(frozen=True)
class WatchItem:
    """One open step (or open dossier without a current step) to remind about."""

    code: str
    procedure_code: str
    procedure_name: str | None
    field: str | None
    dossier_agency: str
    inter_agency: bool
    status: int
    step_no: int | None
    step_name: str | None
    handler: str | None
    agency: str                 # the agency holding it now (the step's)
    step_due: date | None
    dossier_due: date | None  # None: the export gave no due date (then the step's binds)
    due_date: date              # the binding deadline
    deadline_kind: str          # 'step' | 'dossier'
    state: str                  # 'overdue' | 'near_due'
    days_late: int              # calendar days past due (0 when near due)
    days_left: int              # working days in (as_of, due_date] (0 when overdue)
    held_elsewhere: bool = False  # received in the scope, held outside it (agency: OTHER_AGENCY)

    @property
    def overdue(self) -> bool:
        return self.state == OVERDUE

    def to_dict(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.__dataclass_fields__}


def _rank(item: WatchItem) -> tuple:
    """Most urgent first: overdue by lateness, then near due by due date."""
    return (0 if item.overdue else 1, item.due_date, item.code, item.step_no or 0)


def distinct_dossiers(items: Iterable[WatchItem]) -> list[WatchItem]:
    """One item per dossier code (its most urgent), most urgent first."""
    best: dict[str, WatchItem] = {}
    for item in items:
        if item.code not in best or _rank(item) < _rank(best[item.code]):
            best[item.code] = item
    return sorted(best.values(), key=_rank)


def count_states(items: Iterable[WatchItem]) -> tuple[int, int]:
    """(overdue, near_due) counted in distinct dossiers, each at its worst state."""
    dossiers = distinct_dossiers(items)
    overdue = sum(1 for i in dossiers if i.overdue)
    return overdue, len(dossiers) - overdue


@dataclass(frozen=True)
class HandlerGroup:
    handler: str | None
    agency: str
    items: tuple[WatchItem, ...]
    overdue: int
    near_due: int

    @property
    def label(self) -> str:
        if self.handler:
            return self.handler
        return HELD_ELSEWHERE if self.items and self.items[0].held_elsewhere else NO_HANDLER

    @property
    def total(self) -> int:
        return self.overdue + self.near_due

    @property
    def codes(self) -> list[str]:
        return [i.code for i in distinct_dossiers(self.items)]


@dataclass(frozen=True)
class AgencyGroup:
    agency: str
    leaders: tuple[str, ...]
    handlers: tuple[HandlerGroup, ...]
    items: tuple[WatchItem, ...]
    overdue: int
    near_due: int

    @property
    def total(self) -> int:
        return self.overdue + self.near_due

    @property
    def codes(self) -> list[str]:
        return [i.code for i in distinct_dossiers(self.items)]


def group_by_handler(items: Iterable[WatchItem]) -> list[HandlerGroup]:
    """Items per (handler, holding agency); most overdue groups first."""
    buckets: dict[tuple[str, str], list[WatchItem]] = {}
    names: dict[tuple[str, str], tuple[str | None, str]] = {}
    for item in items:
        key = (fold(item.handler) if item.handler else "", fold(item.agency))
        buckets.setdefault(key, []).append(item)
        names.setdefault(key, (item.handler, item.agency))
    groups = []
    for key, bucket in buckets.items():
        overdue, near_due = count_states(bucket)
        handler, agency = names[key]
        groups.append(HandlerGroup(handler, agency, tuple(sorted(bucket, key=_rank)), overdue, near_due))
    return sorted(groups, key=lambda g: (-g.overdue, -g.total, g.handler is None, fold(g.label), fold(g.agency)))


def group_by_agency(
    items: Iterable[WatchItem], leaders: Mapping[str, Sequence[str]] | None = None
) -> list[AgencyGroup]:
    """Items per holding agency, each with its handler groups and leaders.

    Args:
        items: watchlist items.
        leaders: folded agency name → leader names (``ContactBook.leader_names()``).
    """
    leaders = leaders or {}
    buckets: dict[str, list[WatchItem]] = {}
    names: dict[str, str] = {}
    for item in items:
        buckets.setdefault(fold(item.agency), []).append(item)
        names.setdefault(fold(item.agency), item.agency)
    groups = []
    for key, bucket in buckets.items():
        overdue, near_due = count_states(bucket)
        groups.append(AgencyGroup(
            agency=names[key], leaders=tuple(leaders.get(key, ())),
            handlers=tuple(group_by_handler(bucket)), items=tuple(sorted(bucket, key=_rank)),
            overdue=overdue, near_due=near_due,
        ))
    return sorted(groups, key=lambda g: (-g.overdue, -g.total, fold(g.agency)))


@dataclass(frozen=True)
class Watchlist:
    """Near-due and overdue items as of one day, from one data state."""

    as_of: date
    cutoff: date
    near_due_days: int
    data_date: date | None
    items: tuple[WatchItem, ...] = field(default_factory=tuple)

    @property
    def overdue(self) -> int:
        return count_states(self.items)[0]

    @property
    def near_due(self) -> int:
        return count_states(self.items)[1]

    @property
    def overdue_split(self) -> tuple[int, int]:
        """(dossier overdue, step overdue only) of :attr:`overdue`, in dossiers.

        The overview's "đang giải quyết quá hạn" counts dossiers past their own
        due date; the watchlist also lists a dossier whose current step is past
        the step's deadline while the dossier is still within its own. The
        first number is the overview's count when ``as_of`` is its as-of date
        (and the data are up to it); the second is why the two differ.
        """
        overdue = [i for i in distinct_dossiers(self.items) if i.overdue]
        late_codes = {i.code for i in self.items
                      if i.overdue and i.dossier_due is not None and i.dossier_due < self.as_of}
        dossier_overdue = sum(1 for i in overdue if i.code in late_codes)
        return dossier_overdue, len(overdue) - dossier_overdue

    def by_handler(self) -> list[HandlerGroup]:
        return group_by_handler(self.items)

    def by_agency(self, leaders: Mapping[str, Sequence[str]] | None = None) -> list[AgencyGroup]:
        return group_by_agency(self.items, leaders)

    def filter(self, *, inter_agency: bool | None = None, agencies: Iterable[str] | None = None,
               handler: str | None = None) -> "Watchlist":
        """The same watchlist narrowed in Python (the page's quick filters)."""
        keys = {fold(a) for a in agencies} if agencies is not None else None
        chosen = [
            i for i in self.items
            if (inter_agency is None or i.inter_agency == inter_agency)
            and (keys is None or fold(i.agency) in keys or fold(i.dossier_agency) in keys)
            and (handler is None or (i.handler and fold(i.handler) == fold(handler)))
        ]
        return Watchlist(self.as_of, self.cutoff, self.near_due_days, self.data_date, tuple(chosen))


def read_data_date(con: duckdb.DuckDBPyConnection) -> date | None:
    row = con.execute("select value from meta where key = 'data_date'").fetchone()
    return date.fromisoformat(row[0]) if row and row[0] else None


def near_due_cutoff(as_of: date, near_due_days: int, calendar: WorkCalendar | None = None) -> date:
    """The last due date counted as near due: ``as_of`` + N working days."""
    if near_due_days < 0:
        raise ValueError("near_due_days phải ≥ 0")
    return (calendar or default_calendar()).add_working_days(as_of, near_due_days)


def build_watchlist(
    source: AnalyticsStore | duckdb.DuckDBPyConnection,
    *,
    as_of: date | None = None,
    near_due_days: int = 1,
    scope: Iterable[str] | None = None,
    agency: str | None = None,
    inter_agency: bool | None = None,
    calendar: WorkCalendar | None = None,
) -> Watchlist:
    """Near-due and overdue open work as of a day.

    Args:
        source: the analytics store (a fresh reader cursor is taken) or a
            connection / cursor on it.
        as_of: the day reminded about; default the office's today.
        near_due_days: N, in working days (0: due today).
        scope: agencies the user may see (None: all), applied in SQL: steps
            held outside it are not listed; the scope's dossiers held
            outside it are listed once as held elsewhere.
        agency: only work held or received by this agency (canonical name).
        inter_agency: True only liên thông dossiers, False only the others.
        calendar: working-day calendar (default: holidays + shipped overrides).
    """
    calendar = calendar or default_calendar()
    as_of = as_of or office_today()
    cutoff = near_due_cutoff(as_of, near_due_days, calendar)
    con = source.reader() if isinstance(source, AnalyticsStore) else source
    # Any known spelling selects its unit, as in the engine: a user's scope
    # may name an old spelling or a unit merged since.
    names = canonical_names(con)
    params = {
        "as_of": as_of,
        "cutoff": cutoff,
        "scope": sorted({n for a in scope for n in (a, canonical(names, a))}) if scope is not None else None,
        "agency": canonical(names, agency) if agency else agency,
        "inter_agency": inter_agency,
    }
    cur = con.execute(read_sql("analytics.reminders", "watchlist"), params)
    columns = [d[0] for d in cur.description]
    items = []
    for row in cur.fetchall():
        r = dict(zip(columns, row, strict=True))
        days_left = 0 if r["state"] == OVERDUE else calendar.working_days_between(as_of, r["due_date"])
        items.append(WatchItem(
            code=r["code"], procedure_code=r["procedure_code"], procedure_name=r["procedure_name"],
            field=r["field"], dossier_agency=r["dossier_agency"], inter_agency=bool(r["inter_agency"]),
            status=int(r["status"]), step_no=r["step_no"], step_name=r["step_name"],
            handler=r["handler"], agency=OTHER_AGENCY if r["held_elsewhere"] else r["agency"],
            step_due=r["step_due"], dossier_due=r["dossier_due"], due_date=r["due_date"],
            deadline_kind=r["deadline_kind"], state=r["state"], days_late=int(r["days_late"]),
            days_left=days_left, held_elsewhere=bool(r["held_elsewhere"]),
        ))
    return Watchlist(as_of, cutoff, near_due_days, read_data_date(con), tuple(items))


# -- tables for the page --------------------------------------------------------

def watchlist_records(watchlist: Watchlist) -> list[dict[str, Any]]:
    """One record per item, for a table (keys in English; the page labels them)."""
    return [
        {**item.to_dict(), "state_label": STATE_LABELS[item.state],
         "handler_label": item.handler or (HELD_ELSEWHERE if item.held_elsewhere else NO_HANDLER)}
        for item in sorted(watchlist.items, key=_rank)
    ]


def handler_summary(watchlist: Watchlist) -> list[dict[str, Any]]:
    """Per handler: totals and the dossier codes (most urgent first)."""
    return [
        {"handler": g.label, "agency": g.agency, "overdue": g.overdue, "near_due": g.near_due,
         "total": g.total, "codes": ", ".join(g.codes)}
        for g in watchlist.by_handler()
    ]


def agency_summary(watchlist: Watchlist, leaders: Mapping[str, Sequence[str]] | None = None) -> list[dict[str, Any]]:
    """Per holding agency: leaders, totals, handler count and the dossier codes."""
    return [
        {"agency": g.agency, "leaders": ", ".join(g.leaders), "overdue": g.overdue,
         "near_due": g.near_due, "total": g.total, "handlers": len(g.handlers),
         "codes": ", ".join(g.codes)}
        for g in watchlist.by_agency(leaders)
    ]

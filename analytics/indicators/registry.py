"""The indicator registry: one row per indicator, the one place for its facts.

Charts, tables, the Excel builder, Biểu 06, the KPI cards and the meeting
pack read what an indicator is here (a count or a rate, whether a higher
value is worse, its label key in ``analytics.locale.labels``, its unit, its
column in Biểu 06) instead of each keeping its own list. Definitions of how
each is computed are in docs/INDICATORS.md and the SQL in ``sql/``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Kind = Literal["count", "rate", "days"]


@dataclass(frozen=True)
class Indicator:
    """What the product knows about one indicator.

    name: the engine's result key (``on_time_rate``); also its label key.
    kind: ``count`` (dossiers, steps), ``rate`` (a fraction 0..1) or ``days``.
    higher_is_worse: True when a larger value is bad (late counts), False when
        it is good (on-time rate), None when neither (dossiers received).
    unit: what a count counts (``dossiers``, ``steps``, ``procedures``), None for rates.
    bieu06_column: the column number of Biểu 06/VPCP/KSTT, or None.
    """

    name: str
    kind: Kind
    higher_is_worse: bool | None
    unit: str | None = None
    bieu06_column: int | None = None

    @property
    def label_key(self) -> str:
        return self.name

    @property
    def is_rate(self) -> bool:
        return self.kind == "rate"

    @property
    def direction(self) -> int:
        """Which way is good: +1 up (on-time rate), -1 down (late), 0 neither.
        The sign a change is coloured by in the KPI tables."""
        return {True: -1, False: 1, None: 0}[self.higher_is_worse]


_ROWS = (
    # Biểu 06 columns (3)..(13), in the order of the form.
    Indicator("received_total", "count", None, "dossiers", 3),
    Indicator("online", "count", False, "dossiers", 4),
    Indicator("direct_postal", "count", None, "dossiers", 5),
    Indicator("carried_over", "count", None, "dossiers", 6),
    Indicator("resolved", "count", False, "dossiers", 7),
    Indicator("early", "count", False, "dossiers", 8),
    Indicator("on_time", "count", False, "dossiers", 9),
    Indicator("late", "count", True, "dossiers", 10),
    Indicator("pending", "count", None, "dossiers", 11),
    Indicator("pending_within", "count", None, "dossiers", 12),
    Indicator("pending_overdue", "count", True, "dossiers", 13),
    # Not in the form.
    Indicator("received_new", "count", None, "dossiers"),
    Indicator("on_time_rate", "rate", False),
    Indicator("late_rate", "rate", True),
    Indicator("online_share", "rate", False),
    Indicator("progress_766", "rate", False),
    Indicator("late_dossiers", "count", True, "dossiers"),
    Indicator("late_steps", "count", True, "steps"),
    # Lateness by cause (docs/INDICATORS.md, "Trễ do bước nào"): late steps
    # that overran their own allowance, and those that only started late.
    Indicator("caused_late", "count", True, "steps"),
    Indicator("inherited_late", "count", None, "steps"),
    Indicator("caused_steps", "count", True, "steps"),
    Indicator("caused_days", "days", True),
    Indicator("steps", "count", None, "steps"),
    Indicator("days_late", "days", True),
    # Missing or reworked data of real exports (docs/INDICATORS.md, "Missing
    # data"): how far the figures above rest on what the files said. Neither
    # good nor bad in themselves, except a rescheduled due date (a delay).
    Indicator("channel_unknown", "count", None, "dossiers"),
    Indicator("no_due_date", "count", None, "dossiers"),
    Indicator("due_computed", "count", None, "dossiers"),
    Indicator("rescheduled", "count", True, "dossiers"),
)

INDICATORS: dict[str, Indicator] = {row.name: row for row in _ROWS}
# Biểu 06's number columns (3)..(13), in the order of the form.
BIEU06_COLUMNS: tuple[str, ...] = tuple(
    row.name for row in sorted((r for r in _ROWS if r.bieu06_column), key=lambda r: r.bieu06_column or 0)
)


@dataclass(frozen=True)
class Convention:
    """A way of counting lateness (docs/INDICATORS.md, "Hai cách đếm").

    name: the key the CLI, the engine and the pages use.
    portal_clock: the bound parameter of base.sql: False counts the dates as
        they are (Biểu 06/VPCP/KSTT as the product always has); True counts
        as the 766 portal does: the time a dossier waited for the citizen's
        supplement does not count, more than one supplement request is late,
        a dossier waiting for the citizen stopped its clock on the request day.
    label_key: its name for users, shown next to every figure it changes.
    """

    name: str
    portal_clock: bool

    @property
    def label_key(self) -> str:
        return "convention_" + self.name


CONVENTION_BIEU06 = "bieu06"
CONVENTION_PORTAL766 = "portal766"
CONVENTIONS: dict[str, Convention] = {
    CONVENTION_BIEU06: Convention(CONVENTION_BIEU06, False),
    CONVENTION_PORTAL766: Convention(CONVENTION_PORTAL766, True),
}


def convention(name: str) -> Convention:
    """The registered counting convention ``name``; KeyError names it."""
    try:
        return CONVENTIONS[name]
    except KeyError:
        raise KeyError(f"unknown convention {name!r}") from None


def indicator(name: str) -> Indicator:
    """The registry row of ``name``; KeyError names the unknown indicator."""
    try:
        return INDICATORS[name]
    except KeyError:
        raise KeyError(f"unknown indicator {name!r}") from None


def is_rate(name: str) -> bool:
    """True for a registered rate; an unregistered key is a rate by its name's
    suffix (``*_rate``, ``*_share``), as the engine names its rates."""
    row = INDICATORS.get(name)
    return row.is_rate if row else name.endswith(("_rate", "_share"))


def higher_is_worse(name: str) -> bool:
    row = INDICATORS.get(name)
    return bool(row and row.higher_is_worse)

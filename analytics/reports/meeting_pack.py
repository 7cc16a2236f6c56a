"""Every number of the meeting pack (deck and written report), gathered in one call.

The deck (:mod:`analytics.reports.deck`) and the report (:mod:`analytics.reports.docreport`)
both draw from :func:`collect_pack`, so a figure on a slide and the same
figure in the report come from the same engine call.

The trend is a chain of *comparable periods* ending with the selected one:
each is :func:`analytics.indicators.periods.previous_period` of the next (Q3 ← Q2 ← Q1…,
reporting months 15th–14th, custom ranges of the same length). So the last
point of each trend chart is exactly the period's own figure and the point
before it is the "previous period" the findings compare with. Leading periods
before the data starts are dropped.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from analytics.indicators.engine import Engine
from analytics.indicators.filters import Filters
from analytics.indicators.periods import previous_period, same_period_last_year
from analytics.indicators.registry import indicator
from analytics.locale import fmt
from analytics.locale.labels import LABELS, describe_filters, t
from analytics.reports import findings
from analytics.reports.report06 import label_rows

# Points on the trend charts: a year of months for a monthly meeting,
# five periods otherwise (a quarter and the four before it: the same quarter
# of last year is on the chart).
MONTHLY_POINTS = 12
DEFAULT_POINTS = 5
MONTHLY_MAX_DAYS = 31

# The KPI table's indicators, in order. Whether each is a count or a rate and
# which way is good are the indicator registry's; the row label is the pack's
# standalone wording (label ``pack_kpi_<key>``) where it has one.
KPI_KEYS = (
    "received_total", "received_new", "online", "resolved", "late", "pending",
    "pending_overdue", "on_time_rate", "online_share", "progress_766",
)

Row = dict[str, Any]


@dataclass(frozen=True)
class PeriodFigures:
    """One period and its totals (the shape of ``Engine.totals``)."""

    date_from: date
    date_to: date
    totals: Row

    @property
    def name(self) -> str:
        """Lower-case name for sentences: "quý II/2026"."""
        return findings.period_name(self.date_from, self.date_to)

    @property
    def label(self) -> str:
        """Short label for a chart category: "Quý II/2026"."""
        return findings.period_label(self.date_from, self.date_to)


@dataclass(frozen=True)
class MeetingPack:
    """Engine results for one period and its filters, as the pack shows them."""

    filters: Filters
    unit_name: str | None
    data_date: date | None
    as_of: date
    current: PeriodFigures
    previous: PeriodFigures
    last_year: PeriodFigures
    trend: list[PeriodFigures]
    by_agency: list[Row]
    by_stage: list[Row]
    by_handler: list[Row]
    procedures_without_dossiers: list[Row]
    report06: list[Row] = field(default_factory=list)  # labelled rows (report06.label_rows)
    index_766: Row = field(default_factory=dict)  # Engine.index_766 (issue 15)

    @property
    def totals(self) -> Row:
        return self.current.totals

    @property
    def empty(self) -> bool:
        """No dossier counts in the period (nothing received, carried over or resolved)."""
        return not self.totals.get("received_total")


def trend_points(date_from: date, date_to: date) -> int:
    """How many comparable periods the trend charts show."""
    return MONTHLY_POINTS if (date_to - date_from).days + 1 <= MONTHLY_MAX_DAYS else DEFAULT_POINTS


def comparable_periods(date_from: date, date_to: date, count: int) -> list[tuple[date, date]]:
    """``count`` periods ending with ``[date_from, date_to]``, oldest first."""
    spans = [(date_from, date_to)]
    while len(spans) < count:
        spans.append(previous_period(*spans[-1]))
    return spans[::-1]


def collect_pack(engine: Engine, filters: Filters, unit_name: str | None = None) -> MeetingPack:
    """Run every engine query the deck and the report need, once each.

    Args:
        engine: the indicator engine over the analytics database.
        filters: the period and filters (scope included) of the pack.
        unit_name: the reporting unit printed on the title slide and the report.
    """
    cache: dict[tuple[date, date], Row] = {}

    def figures(span: tuple[date, date]) -> PeriodFigures:
        if span not in cache:
            cache[span] = engine.totals(filters.with_period(*span))
        return PeriodFigures(span[0], span[1], cache[span])

    period = (filters.date_from, filters.date_to)
    spans = comparable_periods(*period, trend_points(*period))
    trend = [figures(span) for span in spans]
    # Periods before the data starts carry no information: drop them, but
    # never the selected period itself.
    while len(trend) > 1 and not trend[0].totals.get("received_total"):
        trend.pop(0)
    return MeetingPack(
        filters=filters,
        unit_name=unit_name,
        data_date=engine.data_date(),
        as_of=engine.as_of(filters),
        current=figures(period),
        previous=figures(previous_period(*period)),
        last_year=figures(same_period_last_year(*period)),
        trend=trend,
        by_agency=engine.by_agency(filters),
        by_stage=engine.by_stage(filters),
        by_handler=engine.by_handler(filters),
        procedures_without_dossiers=engine.procedures_without_dossiers(filters),
        report06=label_rows(engine.report06(filters)),
        index_766=engine.index_766(filters),
    )


def unit_title(pack: MeetingPack) -> str:
    """The unit named on the title slide and the report: given name, else the
    agency filter, else nothing."""
    return pack.unit_name or pack.filters.agency or ""


def filters_text(f: Filters, lang: str = "vi") -> str:
    """The filters other than the period (see labels.describe_filters)."""
    return describe_filters(f, lang)


def kpi_label(key: str, lang: str = "vi") -> str:
    """A KPI table row's label: "Tiếp nhận trực tuyến" (``pack_kpi_online``),
    else the indicator's own label."""
    own = f"pack_kpi_{key}"
    return t(own if own in LABELS else key, lang)


def kpi_value(key: str, value: Any, lang: str = "vi") -> str:
    """A KPI as text: a count "1.234" or a rate "97,6%" ("–" when missing)."""
    return fmt.percent(value, lang) if indicator(key).is_rate else fmt.number(value, lang)


def kpi_change(key: str, now: Any, before: Any, lang: str = "vi") -> str:
    """A KPI change: "+1.234" for counts, "+1,2 điểm" for rates ("–" when missing)."""
    if now is None or before is None:
        return fmt.MISSING
    if indicator(key).is_rate:
        return fmt.points(now - before, lang)
    return fmt.signed_number(now - before, lang)


def kpi_cells(pack: MeetingPack, lang: str = "vi") -> list[list[str]]:
    """The KPI table as text: header row, then one row per indicator of :data:`KPI_KEYS`."""
    change = t("pack_kpi_change", lang)
    rows = [[t("pack_kpi_indicator", lang), pack.current.label, pack.previous.label, change,
             pack.last_year.label, change]]
    now, prev, last = pack.totals, pack.previous.totals, pack.last_year.totals
    for key in KPI_KEYS:
        rows.append([kpi_label(key, lang), kpi_value(key, now[key], lang), kpi_value(key, prev[key], lang),
                     kpi_change(key, now[key], prev[key], lang), kpi_value(key, last[key], lang),
                     kpi_change(key, now[key], last[key], lang)])
    return rows

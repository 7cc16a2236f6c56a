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
from analytics.locale import fmt
from analytics.locale.labels import describe_filters
from analytics.reports import findings
from analytics.reports.report06 import label_rows

# Points on the trend charts: a year of months for a monthly meeting,
# five periods otherwise (a quarter and the four before it: the same quarter
# of last year is on the chart).
MONTHLY_POINTS = 12
DEFAULT_POINTS = 5
MONTHLY_MAX_DAYS = 31

# KPI rows: (label, totals key, kind, which direction is good: +1 up, -1 down, 0 neither)
KPI_ROWS = (
    ("Tổng số hồ sơ tiếp nhận", "received_total", "count", 0),
    ("Trong đó: mới tiếp nhận", "received_new", "count", 0),
    ("Tiếp nhận trực tuyến", "online", "count", 1),
    ("Đã giải quyết", "resolved", "count", 0),
    ("Giải quyết quá hạn", "late", "count", -1),
    ("Đang giải quyết", "pending", "count", 0),
    ("Đang giải quyết quá hạn", "pending_overdue", "count", -1),
    ("Tỷ lệ giải quyết đúng hạn", "on_time_rate", "rate", 1),
    ("Tỷ lệ hồ sơ trực tuyến", "online_share", "rate", 1),
    ("Chỉ số tiến độ (QĐ 766)", "progress_766", "rate", 1),
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
    )


def unit_title(pack: MeetingPack) -> str:
    """The unit named on the title slide and the report: given name, else the
    agency filter, else nothing."""
    return pack.unit_name or pack.filters.agency or ""


def filters_text(f: Filters) -> str:
    """The filters other than the period, in Vietnamese (see labels.describe_filters)."""
    return describe_filters(f, "vi")


def kpi_value(kind: str, value: Any) -> str:
    """A KPI as text: a count "1.234" or a rate "97,6%" ("–" when missing)."""
    return fmt.number(value) if kind == "count" else fmt.percent(value)


def kpi_change(kind: str, now: Any, before: Any) -> str:
    """A KPI change: "+1.234" for counts, "+1,2 điểm" for rates ("–" when missing)."""
    if now is None or before is None:
        return fmt.MISSING
    return fmt.signed_number(now - before) if kind == "count" else fmt.points(now - before)


def kpi_cells(pack: MeetingPack) -> list[list[str]]:
    """The KPI table as text: header row, then one row per indicator of :data:`KPI_ROWS`."""
    rows = [["Chỉ tiêu", pack.current.label, pack.previous.label, "Thay đổi",
             pack.last_year.label, "Thay đổi"]]
    now, prev, last = pack.totals, pack.previous.totals, pack.last_year.totals
    for label, key, kind, _ in KPI_ROWS:
        rows.append([label, kpi_value(kind, now[key]), kpi_value(kind, prev[key]),
                     kpi_change(kind, now[key], prev[key]), kpi_value(kind, last[key]),
                     kpi_change(kind, now[key], last[key])])
    return rows

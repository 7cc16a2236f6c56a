"""Period presets and period arithmetic, as pure functions of a reference date.

Two families of presets:

* calendar periods: this/last month, this/last quarter, the first six and
  nine months of the year, this/last year;
* the official reporting periods of Nghị định 09/2019/NĐ-CP (chế độ báo cáo
  của cơ quan hành chính nhà nước, Điều 12): figures are cut on the 14th, so
  the report of month M covers 15/(M-1) – 14/M; the quarterly report covers
  the 15th of the month before the quarter to the 14th of its last month
  (Q1: 15/12 of the previous year – 14/03); the six-month, nine-month and
  yearly reports all start on 15/12 of the previous year and end on 14/06,
  14/09 and 14/12.

"This month"/"this quarter" of a reporting period means the report *of* the
month or quarter containing the reference date (on 20/03/2026 the report of
March: 15/02/2026 – 14/03/2026, the one staff are writing), not the report
period that happens to contain the date. Calendar presets are whole periods
even when they end after today; the engine cuts at the data date (``as_of``).
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from analytics.locale.labels import t

_ROMAN = ("I", "II", "III", "IV")
_MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

# The day on which the reporting periods of Nghị định 09/2019 are cut.
REPORT_CUTOFF_DAY = 14


@dataclass(frozen=True)
class Preset:
    """A named period: ``key`` for URLs, ``label_key`` for ``labels.t``."""

    key: str
    label_key: str
    date_from: date
    date_to: date
    group: str  # "calendar" | "report"

    def label(self, lang: str = "vi") -> str:
        return t(self.label_key, lang)


# --- small calendar helpers -------------------------------------------------


def month_end(d: date) -> date:
    """The last day of ``d``'s month."""
    return d.replace(day=calendar.monthrange(d.year, d.month)[1])


def add_months(d: date, months: int) -> date:
    """``d`` moved by whole months; the day is clamped to the target month's length."""
    index = d.year * 12 + (d.month - 1) + months
    year, month = divmod(index, 12)
    day = min(d.day, calendar.monthrange(year, month + 1)[1])
    return date(year, month + 1, day)


def add_years(d: date, years: int) -> date:
    """``d`` moved by whole years; 29 February falls back to 28 February."""
    try:
        return d.replace(year=d.year + years)
    except ValueError:
        return d.replace(year=d.year + years, day=28)


def quarter_of(d: date) -> int:
    return (d.month - 1) // 3 + 1


def quarter_start(d: date) -> date:
    return date(d.year, 3 * (quarter_of(d) - 1) + 1, 1)


def _month_span(first_month_day: date, months: int) -> tuple[date, date]:
    """A span of whole calendar months starting on the 1st of ``first_month_day``."""
    start = first_month_day.replace(day=1)
    return start, month_end(add_months(start, months - 1))


def report_month_period(year: int, month: int) -> tuple[date, date]:
    """The reporting period of month ``month``: 15th of the previous month – 14th of this one."""
    end = date(year, month, REPORT_CUTOFF_DAY)
    return add_months(end, -1) + timedelta(days=1), end


def _report_span(year: int, last_month: int, first_month: int) -> tuple[date, date]:
    """Reporting period covering calendar months ``first_month``..``last_month`` of ``year``."""
    start = report_month_period(year, first_month)[0]
    return start, date(year, last_month, REPORT_CUTOFF_DAY)


# --- presets -----------------------------------------------------------------


def presets(today: date) -> list[Preset]:
    """Every preset for the reference date ``today``, calendar ones first."""
    y, m = today.year, today.month
    q = quarter_of(today)
    q_start = quarter_start(today)
    last_q_start = add_months(q_start, -3)
    last_month = add_months(today.replace(day=1), -1)
    spans: list[tuple[str, str, tuple[date, date]]] = [
        ("this_month", "calendar", _month_span(today, 1)),
        ("last_month", "calendar", _month_span(last_month, 1)),
        ("this_quarter", "calendar", _month_span(q_start, 3)),
        ("last_quarter", "calendar", _month_span(last_q_start, 3)),
        ("first_half", "calendar", (date(y, 1, 1), date(y, 6, 30))),
        ("nine_months", "calendar", (date(y, 1, 1), date(y, 9, 30))),
        ("this_year", "calendar", (date(y, 1, 1), date(y, 12, 31))),
        ("last_year", "calendar", (date(y - 1, 1, 1), date(y - 1, 12, 31))),
        ("report_this_month", "report", report_month_period(y, m)),
        ("report_last_month", "report", report_month_period(last_month.year, last_month.month)),
        ("report_this_quarter", "report", _report_span(y, 3 * q, 3 * q - 2)),
        (
            "report_last_quarter",
            "report",
            _report_span(last_q_start.year, last_q_start.month + 2, last_q_start.month),
        ),
        ("report_first_half", "report", _report_span(y, 6, 1)),
        ("report_nine_months", "report", _report_span(y, 9, 1)),
        ("report_year", "report", _report_span(y, 12, 1)),
    ]
    return [Preset(key, f"preset_{key}", span[0], span[1], group) for key, group, span in spans]


PRESET_KEYS: tuple[str, ...] = tuple(p.key for p in presets(date(2000, 1, 1)))


def preset_by_key(key: str, today: date) -> Preset:
    """The preset named ``key`` for ``today``; an unknown key raises ``KeyError``."""
    for preset in presets(today):
        if preset.key == key:
            return preset
    raise KeyError(key)


def match_preset(date_from: date, date_to: date, today: date) -> str | None:
    """The key of the first preset with exactly this range, or None (a custom range)."""
    for preset in presets(today):
        if (preset.date_from, preset.date_to) == (date_from, date_to):
            return preset.key
    return None


# --- comparison periods -----------------------------------------------------


def _whole_months(date_from: date, date_to: date) -> int | None:
    """Number of months if the range is whole calendar months or whole reporting
    months (15th – 14th), else None."""
    if date_from.day == 1 and date_to == month_end(date_to):
        start_month = date_from
    elif date_from.day == REPORT_CUTOFF_DAY + 1 and date_to.day == REPORT_CUTOFF_DAY:
        start_month = add_months(date_from, 1)
    else:
        return None
    months = (date_to.year - start_month.year) * 12 + date_to.month - start_month.month + 1
    return months if months >= 1 else None


def previous_period(date_from: date, date_to: date) -> tuple[date, date]:
    """The period of the same length immediately before ``[date_from, date_to]``.

    Length counts whole months when the range is made of whole calendar months
    (1st – last day) or whole reporting months (15th – 14th): Q3 (01/07 – 30/09)
    compares with Q2 (01/04 – 30/06), not with 92 days from 31/03. Any other
    range compares with the same number of days just before it.
    """
    months = _whole_months(date_from, date_to)
    if months is not None:
        return add_months(date_from, -months), date_from - timedelta(days=1)
    days = (date_to - date_from).days + 1
    return date_from - timedelta(days=days), date_from - timedelta(days=1)


def same_period_last_year(date_from: date, date_to: date) -> tuple[date, date]:
    """The same dates one year earlier; 29 February falls back to 28 February.

    A range ending on the last day of a month keeps ending on the last day of
    that month (February 2025 compares with 01/02 – 29/02/2024).
    """
    start = add_years(date_from, -1)
    end = add_years(date_to, -1)
    if date_to == month_end(date_to):
        end = month_end(end)
    return start, end


# --- labels ------------------------------------------------------------------


def quarter_label(d: date, lang: str = "vi") -> str:
    """``date(2026, 8, 1)`` → "Quý III/2026" (vi) / "Q3 2026" (en)."""
    q = quarter_of(d)
    return t("quarter_label", lang, roman=_ROMAN[q - 1], number=q, year=d.year)


def month_label(d: date, lang: str = "vi") -> str:
    """``date(2026, 7, 1)`` → "Tháng 07/2026" (vi) / "Jul 2026" (en)."""
    return t("month_label", lang, month=d.month, month_name=_MONTHS_EN[d.month - 1], year=d.year)

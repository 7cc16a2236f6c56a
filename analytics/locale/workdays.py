"""Vietnamese working days: weekends, public holidays and announced swaps.

Public holidays (lunar Tết included) come from the maintained ``holidays``
package (``holidays.country_holidays("VN")``). Each year the government also
announces swaps for civil servants: a weekday given off (ngày nghỉ bù / nghỉ
hoán đổi) and a Saturday worked to make up for it (ngày làm bù). The package
knows some of the days off but not the make-up Saturdays, so both kinds can be
added from a JSON file (``data/calendar_overrides.json`` ships the announced
ones we are sure of) and from the office's own settings::

    {"days_off": ["2025-05-02", {"date": "...", "note": "..."}],
     "working_days": [{"date": "2025-04-26", "note": "Làm bù cho 02/05/2025"}]}

An announced working day wins over a weekend or a holiday; an announced day
off wins over a weekday.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Mapping

import holidays

DEFAULT_OVERRIDES_PATH = Path(__file__).resolve().parents[2] / "data" / "calendar_overrides.json"

# Monday = 0 ... Sunday = 6, as ``date.weekday()``.
WEEKEND = frozenset({5, 6})

WEEKDAY_NAMES = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật")


class CalendarError(ValueError):
    """An overrides file or value that cannot be read, with a message for people."""


@dataclass(frozen=True)
class CalendarOverrides:
    """Announced days off and make-up working days, with optional notes."""

    days_off: frozenset[date] = frozenset()
    working_days: frozenset[date] = frozenset()
    notes: Mapping[date, str] = field(default_factory=dict)

    def merged(self, other: "CalendarOverrides") -> "CalendarOverrides":
        """Both sets of overrides; ``other`` wins where one day is in both."""
        days_off = (self.days_off - other.working_days) | other.days_off
        working = (self.working_days - other.days_off) | other.working_days
        return CalendarOverrides(frozenset(days_off), frozenset(working), {**self.notes, **other.notes})

    def to_json(self) -> dict[str, list[dict[str, str]]]:
        def rows(days: Iterable[date]) -> list[dict[str, str]]:
            out = []
            for d in sorted(days):
                row = {"date": d.isoformat()}
                if self.notes.get(d):
                    row["note"] = self.notes[d]
                out.append(row)
            return out

        return {"days_off": rows(self.days_off), "working_days": rows(self.working_days)}


def parse_overrides(data: Mapping[str, object] | None) -> CalendarOverrides:
    """Read ``{"days_off": [...], "working_days": [...]}``.

    Each entry is an ISO date string or ``{"date": ISO, "note": text}``. Keys
    starting with ``_`` (comments) are ignored; other unknown keys are errors,
    so a typo does not silently drop a swap.
    """
    if not data:
        return CalendarOverrides()
    if not isinstance(data, Mapping):
        raise CalendarError("Lịch ngày nghỉ/làm bù phải là một đối tượng JSON")
    unknown = [k for k in data if not str(k).startswith("_") and k not in ("days_off", "working_days")]
    if unknown:
        raise CalendarError(f"Khóa không hợp lệ trong lịch ngày nghỉ/làm bù: {', '.join(map(str, unknown))}")
    notes: dict[date, str] = {}
    sets: dict[str, set[date]] = {"days_off": set(), "working_days": set()}
    for key, bucket in sets.items():
        entries = data.get(key) or []
        if not isinstance(entries, list):
            raise CalendarError(f"'{key}' phải là một danh sách ngày")
        for entry in entries:
            note = None
            raw = entry
            if isinstance(entry, Mapping):
                raw = entry.get("date")
                note = entry.get("note")
            try:
                day = raw if isinstance(raw, date) else date.fromisoformat(str(raw))
            except ValueError:
                raise CalendarError(f"Ngày không hợp lệ trong '{key}': {raw!r} (định dạng YYYY-MM-DD)") from None
            bucket.add(day)
            if note:
                notes[day] = str(note)
    both = sets["days_off"] & sets["working_days"]
    if both:
        listed = ", ".join(d.strftime("%d/%m/%Y") for d in sorted(both))
        raise CalendarError(f"Ngày vừa là ngày nghỉ vừa là ngày làm bù: {listed}")
    return CalendarOverrides(frozenset(sets["days_off"]), frozenset(sets["working_days"]), notes)


def load_overrides(path: str | Path | None = None) -> CalendarOverrides:
    """Read an overrides JSON file; a missing file means no overrides."""
    path = Path(path) if path is not None else DEFAULT_OVERRIDES_PATH
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return CalendarOverrides()
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise CalendarError(f"Tệp lịch {path} không phải JSON hợp lệ: {exc}") from None
    return parse_overrides(data)


class WorkCalendar:
    """Working days of Vietnamese public offices.

    A day is a working day when it is an announced make-up working day, or
    when it is a weekday that is neither a public holiday nor an announced
    day off.
    """

    def __init__(self, overrides: CalendarOverrides | None = None):
        self.overrides = overrides or CalendarOverrides()
        self._years: dict[int, dict[date, str]] = {}
        self._lock = threading.Lock()

    def _public_holidays(self, year: int) -> dict[date, str]:
        found = self._years.get(year)
        if found is None:
            with self._lock:
                found = self._years.get(year)
                if found is None:
                    found = dict(holidays.country_holidays("VN", years=year, language="vi").items())
                    self._years[year] = found
        return found

    def holiday_name(self, d: date) -> str | None:
        """The name of the holiday or announced day off on ``d``, if any."""
        if d in self.overrides.working_days:
            return None
        name = self._public_holidays(d.year).get(d)
        if name:
            return name
        if d in self.overrides.days_off:
            return self.overrides.notes.get(d) or "Ngày nghỉ theo thông báo"
        return None

    def is_holiday(self, d: date) -> bool:
        """A public holiday or announced day off (whatever the weekday)."""
        return self.holiday_name(d) is not None

    def is_makeup_working_day(self, d: date) -> bool:
        return d in self.overrides.working_days

    def is_working_day(self, d: date) -> bool:
        if d in self.overrides.working_days:
            return True
        if d.weekday() in WEEKEND or d in self.overrides.days_off:
            return False
        return d not in self._public_holidays(d.year)

    def add_working_days(self, d: date, n: int) -> date:
        """The ``n``-th working day after ``d`` (before it when ``n`` < 0).

        ``n == 0`` returns ``d`` itself, working day or not: "due within 0
        working days" means due today.
        """
        step = 1 if n >= 0 else -1
        remaining = abs(n)
        current = d
        while remaining:
            current += timedelta(days=step)
            if self.is_working_day(current):
                remaining -= 1
        return current

    def working_days_between(self, a: date, b: date) -> int:
        """Working days in ``(a, b]``; negative (−count in ``(b, a]``) when ``b < a``.

        So ``working_days_between(d, add_working_days(d, n)) == n`` for n ≥ 0,
        and a deadline tomorrow (a working day) is 1 working day away.
        """
        if b < a:
            return -self.working_days_between(b, a)
        count = 0
        current = a
        while current < b:
            current += timedelta(days=1)
            if self.is_working_day(current):
                count += 1
        return count

    def next_working_day(self, d: date, *, include: bool = True) -> date:
        """``d`` itself if it is a working day and ``include``, else the next one."""
        if include and self.is_working_day(d):
            return d
        return self.add_working_days(d, 1)

    def days_off_in(self, year: int) -> list[tuple[date, str]]:
        """Every non-weekend day off of ``year`` with its name, plus make-up days.

        For display: holidays and announced days off, and the make-up working
        days marked as such, sorted by date.
        """
        rows: dict[date, str] = {}
        for d, name in self._public_holidays(year).items():
            if d not in self.overrides.working_days:
                rows[d] = name
        for d in self.overrides.days_off:
            if d.year == year and d not in rows:
                rows[d] = self.overrides.notes.get(d) or "Ngày nghỉ theo thông báo"
        for d in self.overrides.working_days:
            if d.year == year:
                rows[d] = "Ngày làm bù" + (f": {self.overrides.notes[d]}" if self.overrides.notes.get(d) else "")
        return sorted(rows.items())


@lru_cache(maxsize=1)
def default_calendar() -> WorkCalendar:
    """The calendar with the shipped overrides file (cached)."""
    return WorkCalendar(load_overrides(DEFAULT_OVERRIDES_PATH))


def calendar_with(extra: Mapping[str, object] | CalendarOverrides | None) -> WorkCalendar:
    """The default calendar plus an office's own overrides (e.g. from settings)."""
    if not extra:
        return default_calendar()
    extra_overrides = extra if isinstance(extra, CalendarOverrides) else parse_overrides(extra)
    return WorkCalendar(load_overrides(DEFAULT_OVERRIDES_PATH).merged(extra_overrides))


def is_working_day(d: date, calendar: WorkCalendar | None = None) -> bool:
    return (calendar or default_calendar()).is_working_day(d)


def add_working_days(d: date, n: int, calendar: WorkCalendar | None = None) -> date:
    """See :meth:`WorkCalendar.add_working_days`."""
    return (calendar or default_calendar()).add_working_days(d, n)


def working_days_between(a: date, b: date, calendar: WorkCalendar | None = None) -> int:
    """See :meth:`WorkCalendar.working_days_between`."""
    return (calendar or default_calendar()).working_days_between(a, b)


def holiday_name(d: date, calendar: WorkCalendar | None = None) -> str | None:
    return (calendar or default_calendar()).holiday_name(d)

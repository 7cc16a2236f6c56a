"""Slots: the times of day, on the office's weekdays, when digests go out.

A slot is identified by its local date and time, ``"2026-03-10 07:30"``; the
send log records deliveries per slot, which is what makes a repeated run in
the same slot send nothing twice. With ``skip_holidays`` there is no slot on
a public holiday or announced day off, and an announced make-up working
Saturday gets the weekday slots.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from typing import Iterator

from analytics.locale import clock
from analytics.locale.labels import t
from analytics.locale.workdays import WorkCalendar, default_calendar
from analytics.reminders.settings import ReminderSettings


def office_timezone(settings: ReminderSettings) -> tzinfo:
    """The configured zone of the reminders; the office zone (``clock.OFFICE_TZ``)
    when none is set or the tz database lacks it."""
    if not settings.timezone:
        return clock.OFFICE_TZ
    try:
        from zoneinfo import ZoneInfo

        return ZoneInfo(settings.timezone)
    except Exception:
        return clock.OFFICE_TZ


def office_now(settings: ReminderSettings) -> datetime:
    """The office clock's moment, in the reminders' zone."""
    return clock.office_now().astimezone(office_timezone(settings))


def localize(moment: datetime, settings: ReminderSettings) -> datetime:
    """An aware datetime in office time (a naive one is taken as office time)."""
    tz = office_timezone(settings)
    return moment.replace(tzinfo=tz) if moment.tzinfo is None else moment.astimezone(tz)


@dataclass(frozen=True, order=True)
class Slot:
    at: datetime   # aware, office time

    @property
    def id(self) -> str:
        return self.at.strftime("%Y-%m-%d %H:%M")

    @property
    def day(self) -> date:
        return self.at.date()

    def __str__(self) -> str:
        return self.at.strftime("%H:%M %d/%m/%Y")


def is_slot_day(day: date, settings: ReminderSettings, calendar: WorkCalendar | None = None) -> bool:
    calendar = calendar or default_calendar()
    if settings.skip_holidays:
        if calendar.is_makeup_working_day(day):
            return True
        if calendar.is_holiday(day):
            return False
    return day.isoweekday() in settings.weekdays


def _times(settings: ReminderSettings) -> list[time]:
    return sorted(time.fromisoformat(t) for t in settings.times)


def slots_on(day: date, settings: ReminderSettings, calendar: WorkCalendar | None = None) -> list[Slot]:
    if not is_slot_day(day, settings, calendar):
        return []
    tz = office_timezone(settings)
    return [Slot(datetime.combine(day, t, tzinfo=tz)) for t in _times(settings)]


def current_slot(now: datetime, settings: ReminderSettings, calendar: WorkCalendar | None = None) -> Slot | None:
    """The slot being served at ``now``: the latest slot time of today not
    after ``now``, if ``now`` is still within its grace period."""
    now = localize(now, settings)
    started = [s for s in slots_on(now.date(), settings, calendar) if s.at <= now]
    if not started:
        return None
    latest = started[-1]
    return latest if now < latest.at + timedelta(minutes=settings.grace_minutes) else None


def iter_slots(start: datetime, settings: ReminderSettings, calendar: WorkCalendar | None = None,
               horizon_days: int = 400) -> Iterator[Slot]:
    """Slots strictly after ``start``, in order, within ``horizon_days``."""
    start = localize(start, settings)
    for offset in range(horizon_days + 1):
        for slot in slots_on(start.date() + timedelta(days=offset), settings, calendar):
            if slot.at > start:
                yield slot


def next_slot(now: datetime, settings: ReminderSettings, calendar: WorkCalendar | None = None) -> Slot | None:
    return next(iter_slots(now, settings, calendar), None)


def upcoming_slots(now: datetime, settings: ReminderSettings, calendar: WorkCalendar | None = None,
                   count: int = 10) -> list[Slot]:
    out = []
    for slot in iter_slots(now, settings, calendar):
        out.append(slot)
        if len(out) >= count:
            break
    return out


def describe_schedule(settings: ReminderSettings, lang: str = "vi") -> str:
    """"07:30, 13:30 – T2, T3, T4, T5, T6 – trừ ngày lễ…" in ``lang``."""
    days = ", ".join(t(f"nv_weekday_{d}", lang) for d in settings.weekdays)
    tail = f" – {t('nv_schedule_skip_holidays', lang)}" if settings.skip_holidays else ""
    return f"{', '.join(settings.times)} – {days}{tail}"

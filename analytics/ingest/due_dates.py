"""Due dates the importer computes when a file does not state them.

* A dossier without a due date (Ngày hẹn trả): the procedure's legal time
  limit (Thời hạn giải quyết) counted from the day of reception. The day
  after reception is day 1 (Bộ luật Dân sự 2015, Điều 147: a time limit in
  days starts on the day after the event); working days and working hours
  skip weekends, public holidays and the office's own days off
  (analytics.locale.workdays); a limit in calendar days or months that ends
  on a day off ends on the next working day (Điều 148, khoản 4). Working
  hours count as whole working days of 8 hours, rounded up. docs/INDICATORS.md
  states the rule.
* A step without a deadline (a task list's Thời hạn quy định): start + the
  allowance on the same calendar, whole working days at the start's clock
  time, then the fraction of a day as hours of an 8-hour day.
"""

from __future__ import annotations

import calendar as month_calendar
import math
from datetime import date, datetime, timedelta

import numpy as np
import pandas as pd

from analytics.ingest.parsing import HOURS_PER_WORKING_DAY
from analytics.locale.workdays import WorkCalendar, default_calendar


def _add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    return date(year, month, min(day.day, month_calendar.monthrange(year, month)[1]))


def due_date(received: date, value: float, unit: str, cal: WorkCalendar) -> date | None:
    """The due day of a dossier received on ``received`` with a limit of ``value`` ``unit``."""
    if value < 0 or not math.isfinite(value):
        return None
    if unit == "working_days":
        return cal.add_working_days(received, math.ceil(value))
    if unit == "working_hours":
        return cal.add_working_days(received, math.ceil(value / HOURS_PER_WORKING_DAY))
    if unit == "days":
        end = received + timedelta(days=math.ceil(value))
    elif unit == "months":
        end = _add_months(received, math.ceil(value))
    else:
        return None
    return cal.next_working_day(end)


def computed_due_dates(received: np.ndarray, values: np.ndarray, units: np.ndarray,
                       cal: WorkCalendar | None = None) -> np.ndarray:
    """Due dates (midnight of the due day) per row; NaT where the limit is unknown.

    Each distinct (reception day, limit) is computed once: exports repeat them.
    """
    cal = cal or default_calendar()
    frame = pd.DataFrame({"day": pd.to_datetime(received).normalize(), "value": values, "unit": units})
    out = np.full(len(frame), np.datetime64("NaT"), dtype="datetime64[us]")
    known = frame["day"].notna() & frame["value"].notna() & frame["unit"].notna()
    if not known.any():
        return out
    distinct = frame[known].drop_duplicates()
    found = {}
    for day, value, unit in distinct.itertuples(index=False):
        due = due_date(day.date(), float(value), str(unit), cal)
        found[(day, value, unit)] = np.datetime64(due, "us") if due else np.datetime64("NaT")
    keys = list(zip(frame.loc[known, "day"], frame.loc[known, "value"], frame.loc[known, "unit"], strict=True))
    out[np.flatnonzero(known.to_numpy())] = np.array([found[k] for k in keys], dtype="datetime64[us]")
    return out


def step_due_dates(started: np.ndarray, allowance_days: np.ndarray,
                   cal: WorkCalendar | None = None) -> np.ndarray:
    """Start + allowance (working days, fractions as hours of an 8-hour day)."""
    cal = cal or default_calendar()
    out = np.full(len(started), np.datetime64("NaT"), dtype="datetime64[us]")
    for i, (start, days) in enumerate(zip(pd.to_datetime(started), allowance_days, strict=True)):
        if pd.isna(start) or not math.isfinite(days) or days < 0:
            continue
        whole = math.floor(days)
        moment = datetime.combine(cal.add_working_days(start.date(), whole), start.time())
        moment += timedelta(hours=(days - whole) * HOURS_PER_WORKING_DAY)
        out[i] = np.datetime64(moment, "us")
    return out

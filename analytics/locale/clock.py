"""The office clock: the one place that says what time and what day it is.

Everything that needs "now" or "today" asks here, or takes the moment as a
parameter whose default comes from here, so a test or a demo moves the whole
product to another day at once and nothing depends on the day the code runs.

The office is in Vietnam: UTC+7 all year (no daylight saving since 1975), so a
fixed offset is exact and needs no time zone database. ``OFFICE_TZ`` is the
only definition of the office time zone in the code.

Pinning, for tests and demos only (production leaves it unset):

* ``MOTCUA_TODAY=2026-11-23`` (a date): the clock reads that day at the real
  office time of day, and runs on from there like a real clock (past
  midnight it reads the next day).
* ``MOTCUA_TODAY=2026-11-23T07:45`` (an ISO datetime; without an offset it is
  office time): the clock reads that moment when the process first asks, and
  runs on from there.
* ``with pinned(date(2026, 11, 23)):`` the same inside one process, ahead of
  the environment; what tests and fixtures use.

A pin sets the clock, it does not stop it: from the pinned moment it runs on
by the monotonic clock, so lockouts expire and durations stay real, and a
pinned clock never follows the wall clock (moving the wall clock, as
``make test-dates`` does, moves nothing the product reads). An invalid
``MOTCUA_TODAY`` raises :class:`ClockError` the first time the clock is read
(the command line checks it before running anything).
File names that must sort in real creation order (database versions, backup
snapshots) keep ``time.time_ns()``: they are not "today".
"""

from __future__ import annotations

import os
import time
from contextlib import contextmanager
from datetime import date, datetime, timedelta, timezone
from typing import Iterator

OFFICE_TZ = timezone(timedelta(hours=7), "ICT")
ENV_VAR = "MOTCUA_TODAY"

# A pin is (the moment it reads, time.monotonic() when it was set).
_pin: tuple[datetime, float] | None = None      # set by pinned(); wins over the environment
_env_pin: tuple[str, tuple[datetime, float]] | None = None  # (the MOTCUA_TODAY text, its pin)


class ClockError(ValueError):
    """``MOTCUA_TODAY`` is not a date or an ISO datetime."""


def parse_pin(text: str) -> date | datetime:
    """A ``MOTCUA_TODAY`` value: a date ``YYYY-MM-DD`` or an ISO datetime."""
    text = text.strip()
    try:
        return date.fromisoformat(text)
    except ValueError:
        pass
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        raise ClockError(
            f"{ENV_VAR} không hợp lệ: {text!r} (cần một ngày YYYY-MM-DD hoặc một thời điểm ISO, "
            "ví dụ 2026-11-23 hoặc 2026-11-23T07:45+07:00; để trống khi chạy thật)"
        ) from None


def _real_now() -> datetime:
    return datetime.now(OFFICE_TZ)


def _pin_at(when: date | datetime) -> tuple[datetime, float]:
    """A pin reading ``when`` now: a datetime as given (naive: office time), a
    date at the real office time of day."""
    if isinstance(when, datetime):
        moment = when if when.tzinfo is not None else when.replace(tzinfo=OFFICE_TZ)
    else:
        moment = datetime.combine(when, _real_now().timetz())
    return moment.astimezone(OFFICE_TZ), time.monotonic()


def _environment_pin() -> tuple[datetime, float] | None:
    global _env_pin
    text = os.environ.get(ENV_VAR, "").strip()
    if not text:
        return None
    cached = _env_pin
    if cached is None or cached[0] != text:
        cached = (text, _pin_at(parse_pin(text)))
        _env_pin = cached
    return cached[1]


def check_environment() -> None:
    """Raise :class:`ClockError` now if ``MOTCUA_TODAY`` is set and invalid."""
    _environment_pin()


def office_now() -> datetime:
    """The current moment, aware, in office time (``OFFICE_TZ``)."""
    pin = _pin if _pin is not None else _environment_pin()
    if pin is None:
        return _real_now()
    moment, since = pin
    return moment + timedelta(seconds=time.monotonic() - since)


def office_today() -> date:
    """Today's date at the office."""
    return office_now().date()


def utc_now() -> datetime:
    """The same moment in UTC, for stored timestamps."""
    return office_now().astimezone(timezone.utc)


@contextmanager
def pinned(when: date | datetime) -> Iterator[datetime]:
    """Inside the block the office clock reads ``when`` (see the module notes);
    yields the pinned moment. Blocks nest; the previous pin comes back after."""
    global _pin
    previous = _pin
    _pin = _pin_at(when)
    try:
        yield office_now()
    finally:
        _pin = previous


def pinned_environment() -> dict[str, str]:
    """``MOTCUA_TODAY`` carrying the current pin to a child process (a server,
    a command line), so it reads the same clock; empty when nothing is pinned."""
    if _pin is None and not os.environ.get(ENV_VAR, "").strip():
        return {}
    return {ENV_VAR: office_now().isoformat()}

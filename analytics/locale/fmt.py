"""Number, percent and date formatting for what users read.

Vietnamese writes ``1.234.567`` and ``1.234,5`` (dot for thousands, comma for
decimals); English the other way round. Dates are ``dd/mm/yyyy`` in both
languages: day first is what the exports, the official forms and our Excel
files use, and one date format across the switch avoids misreading 03/04 as
4 March. A missing value (None, NaN, NaT) is shown as an en dash "–".

The functions ``date`` and ``datetime`` shadow the stdlib module names inside
this module on purpose (``fmt.date(d)`` reads well at call sites); the modules
are imported as ``_dt``.
"""

from __future__ import annotations

import datetime as _dt
import math
from typing import Any

MISSING = "–"
_DASH = "–"  # en dash between the ends of a period


def _is_missing(x: Any) -> bool:
    if x is None:
        return True
    if isinstance(x, float) and math.isnan(x):
        return True
    # pandas.NA / NaT and numpy NaN arrive here without importing pandas.
    try:
        return bool(x != x)  # NaN and NaT are not equal to themselves
    except (TypeError, ValueError):
        return type(x).__name__ in ("NAType", "NaTType")


def _grouped(x: float, decimals: int, lang: str) -> str:
    text = f"{x:,.{decimals}f}"
    if text.startswith("-") and float(text.replace(",", "")) == 0:
        text = text[1:]  # "-0,0" reads as a change where there is none
    if lang == "vi":
        return text.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return text


def number(x: Any, lang: str = "vi", decimals: int = 0) -> str:
    """``1234567.0`` → "1.234.567" (vi) / "1,234,567" (en); None → "–"."""
    if _is_missing(x):
        return MISSING
    return _grouped(float(x), decimals, lang)


def signed_number(x: Any, lang: str = "vi", decimals: int = 0) -> str:
    """A change in a count: "+1.234", "-12", "0" (no sign when it rounds to zero)."""
    if _is_missing(x):
        return MISSING
    text = _grouped(float(x), decimals, lang)
    if float(x) > 0 and any(ch in "123456789" for ch in text):
        return "+" + text
    return text


def percent(x: Any, lang: str = "vi", decimals: int = 1) -> str:
    """A fraction as a percent: ``0.9763`` → "97,6%" (vi) / "97.6%" (en); None → "–"."""
    if _is_missing(x):
        return MISSING
    return _grouped(float(x) * 100, decimals, lang) + "%"


def points(delta: Any, lang: str = "vi", decimals: int = 1) -> str:
    """A change between two rates, in percentage points.

    ``delta`` is the difference of two fractions (``rate_now - rate_before``),
    the same unit as the engine's rates: ``0.012`` → "+1,2 điểm" (vi) /
    "+1.2 pts" (en). A change that rounds to zero has no sign: "0,0 điểm".
    """
    if _is_missing(delta):
        return MISSING
    unit = "điểm" if lang == "vi" else "pts"
    return f"{signed_number(float(delta) * 100, lang, decimals)} {unit}"


def _as_date(d: Any) -> _dt.date | None:
    if _is_missing(d):
        return None
    if isinstance(d, str):
        return _dt.date.fromisoformat(d[:10])
    if isinstance(d, _dt.datetime):
        return d.date()
    if isinstance(d, _dt.date):
        return d
    if hasattr(d, "to_pydatetime"):  # pandas.Timestamp
        return d.to_pydatetime().date()
    raise TypeError(f"not a date: {d!r}")


def date(d: Any, lang: str = "vi") -> str:
    """``date(2026, 11, 26)`` → "26/11/2026" in both languages; None → "–".

    Accepts ``date``, ``datetime`` (time dropped), ``pandas.Timestamp`` and an
    ISO string.
    """
    value = _as_date(d)
    return MISSING if value is None else value.strftime("%d/%m/%Y")


def datetime(dt: Any, lang: str = "vi") -> str:
    """``datetime(2026, 11, 26, 8, 5)`` → "26/11/2026 08:05"; a plain date → "26/11/2026"."""
    if _is_missing(dt):
        return MISSING
    if isinstance(dt, str):
        dt = _dt.datetime.fromisoformat(dt) if len(dt) > 10 else _dt.date.fromisoformat(dt)
    if hasattr(dt, "to_pydatetime"):
        dt = dt.to_pydatetime()
    if isinstance(dt, _dt.datetime):
        return dt.strftime("%d/%m/%Y %H:%M")
    return date(dt, lang)


def period(date_from: Any, date_to: Any, lang: str = "vi") -> str:
    """"01/07/2026 – 30/09/2026"; a missing end shows as "–" (half-picked range)."""
    return f"{date(date_from, lang)} {_DASH} {date(date_to, lang)}"

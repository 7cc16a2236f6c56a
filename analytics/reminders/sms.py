"""SMS arithmetic: encoding, segments, unaccented text, fitting a limit.

An SMS is sent in GSM-7 when every character is in the GSM 03.38 alphabet
(160 characters in one message, 153 per segment of a longer one: the rest
holds the concatenation header; characters of the extension table such as
``€ [ ] { } ~ ^ \\ |`` take two). Anything else, Vietnamese with its
diacritics included, goes as UCS-2: 70 UTF-16 units in one message, 67 per
segment. So "Quá hạn" costs more than twice "Qua han": offices may choose the
unaccented variant.
"""

from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass
from typing import Callable

GSM_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM_EXTENSION = frozenset("^{}\\[~]|€\f")

GSM7 = "GSM-7"
UCS2 = "UCS-2"
SINGLE = {GSM7: 160, UCS2: 70}
PER_SEGMENT = {GSM7: 153, UCS2: 67}

# Typography that has no GSM-7 form but a plain one.
_PLAIN = {
    "–": "-", "—": "-", "‐": "-", "‑": "-", "−": "-",
    "“": '"', "”": '"', "„": '"', "‘": "'", "’": "'", "…": "...",
    "\u00a0": " ", "•": "-", "·": "-", "×": "x",
}


@dataclass(frozen=True)
class SmsMeasure:
    encoding: str
    units: int      # septets (GSM-7) or UTF-16 code units (UCS-2)
    segments: int


def strip_diacritics(text: str) -> str:
    """Vietnamese without diacritics, case kept: "Đặng Thị Ánh" → "Dang Thi Anh"."""
    decomposed = unicodedata.normalize("NFD", text)
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    bare = bare.replace("đ", "d").replace("Đ", "D")
    return unicodedata.normalize("NFC", bare)


def to_gsm(text: str) -> str:
    """The unaccented variant: diacritics off, typography made plain, and any
    character still outside GSM-7 replaced by ``?``."""
    bare = "".join(_PLAIN.get(ch, ch) for ch in strip_diacritics(text))
    return "".join(ch if ch in GSM_BASIC or ch in GSM_EXTENSION else "?" for ch in bare)


def sms_encoding(text: str) -> str:
    return GSM7 if all(ch in GSM_BASIC or ch in GSM_EXTENSION for ch in text) else UCS2


def _unit_sizes(text: str, encoding: str) -> list[int]:
    if encoding == GSM7:
        return [2 if ch in GSM_EXTENSION else 1 for ch in text]
    return [2 if ord(ch) > 0xFFFF else 1 for ch in text]


def _segments_of(sizes: list[int], encoding: str) -> int:
    total = sum(sizes)
    if total == 0:
        return 1
    if total <= SINGLE[encoding]:
        return 1
    # A two-unit character (escape pair, surrogate pair) is never split.
    segments, used = 1, 0
    for size in sizes:
        if used + size > PER_SEGMENT[encoding]:
            segments += 1
            used = 0
        used += size
    return segments


def measure_sms(text: str) -> SmsMeasure:
    encoding = sms_encoding(text)
    sizes = _unit_sizes(text, encoding)
    return SmsMeasure(encoding, sum(sizes), _segments_of(sizes, encoding))


def sms_segments(text: str) -> int:
    return measure_sms(text).segments


def sms_capacity(segments: int, encoding: str) -> int:
    """Units that fit in ``segments`` segments."""
    return SINGLE[encoding] if segments <= 1 else segments * PER_SEGMENT[encoding]


def truncate_sms(text: str, limit: int) -> str:
    """Cut ``text`` to ``limit`` segments, ending with an ellipsis (last resort)."""
    if measure_sms(text).segments <= limit:
        return text
    encoding = sms_encoding(text)
    ellipsis = "..." if encoding == GSM7 else "…"
    out = text
    while out and measure_sms(out.rstrip() + ellipsis).segments > limit:
        # Shrink by the overshoot at once, then by single characters.
        over = measure_sms(out + ellipsis).units - sms_capacity(limit, encoding)
        out = out[: -max(1, over)] if over > 1 else out[:-1]
    return out.rstrip() + ellipsis


@dataclass(frozen=True)
class FittedSms:
    text: str
    shown: int          # codes shown
    total: int          # codes there were
    measure: SmsMeasure
    truncated: bool     # hard-cut as a last resort


def fit_sms(render: Callable[[int], str], total: int, limit: int, *, unaccented: bool = False) -> FittedSms:
    """The longest message ``render(k)`` (showing the first k of ``total``
    codes) that fits in ``limit`` segments.

    ``render`` must grow with k. If even ``render(0)`` does not fit, it is
    cut with :func:`truncate_sms`.
    """

    def text_for(k: int) -> str:
        text = render(k)
        return to_gsm(text) if unaccented else text

    def fits(k: int) -> bool:
        return measure_sms(text_for(k)).segments <= limit

    if fits(total):
        best = total
    elif not fits(0):
        text = truncate_sms(text_for(0), limit)
        return FittedSms(text, 0, total, measure_sms(text), True)
    else:
        low, high = 0, total  # fits(low), not fits(high)
        while high - low > 1:
            mid = (low + high) // 2
            if fits(mid):
                low = mid
            else:
                high = mid
        best = low
    text = text_for(best)
    return FittedSms(text, best, total, measure_sms(text), False)


def segments_needed(units: int, encoding: str) -> int:
    """Segments for a plain count of units (for display)."""
    if units <= SINGLE[encoding]:
        return 1
    return math.ceil(units / PER_SEGMENT[encoding])
